"""What the signed-in person may do, by the server's own rules (contract §2, §3.9, §6).

The server decides by role only for ADMIN routes (grants, pool decisions); everything else is
ownership (offers by their owner, events by their organizer, posts by their author, with no
ADMIN override in practice) or reputation inside a community (membership reviews need
membership and a generosity score of at least 5). The UI asks these functions before offering
an action, and shows the returned reason on the disabled control instead of letting the
server answer with a bare 403 or 500.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication

ADMIN = "ADMIN"
MODERATE_SCORE = 5  # membership reviews (contract §3.9)


@dataclass(frozen=True)
class Me:
    """Who is working: from the session (id, role) and the user's profile (community, score)."""

    user_id: str | None = None
    role: str | None = None
    name: str | None = None
    email: str | None = None
    community_id: str | None = None
    generosity_score: float | None = None
    signed_in: bool = False
    # The server's `emailVerified` (None: not known, e.g. offline): creating offers and
    # events needs a verified address (contract §3.9).
    email_verified: bool | None = None

    @property
    def known(self) -> bool:
        return self.user_id is not None

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN


@dataclass(frozen=True)
class Permission:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Permission(True)


def _unknown(me: Me) -> Permission | None:
    if not me.known:
        return Permission(
            False,
            QCoreApplication.translate(
                "Permissions", "Sign in once so the application knows which records are yours."
            ),
        )
    return None


def _value(record: Mapping[str, Any], *keys: str) -> Any:
    for key in keys:
        if record.get(key) not in (None, ""):
            return record.get(key)
    return None


def can_create(me: Me) -> Permission:
    """New offers and events: the server refuses an unverified e-mail address with 403."""
    if (denied := _unknown(me)) is not None:
        return denied
    if me.email_verified is False:
        return Permission(
            False,
            QCoreApplication.translate(
                "Permissions", "The server requires a verified e-mail address."
            ),
        )
    return ALLOWED


def can_edit_offer(me: Me, offer: Mapping[str, Any]) -> Permission:
    """`offer`: the stored record (server JSON)."""
    if (denied := _unknown(me)) is not None:
        return denied
    if _value(offer, "userId") != me.user_id:
        return Permission(
            False,
            QCoreApplication.translate(
                "Permissions",
                "Only the owner can change this offer: the server does not let anyone else, "
                "administrators included, edit or cancel it.",
            ),
        )
    return ALLOWED


def can_cancel_offer(me: Me, offer: Mapping[str, Any]) -> Permission:
    allowed = can_edit_offer(me, offer)
    if allowed and offer.get("status") == "CANCELLED":
        return Permission(
            False, QCoreApplication.translate("Permissions", "This offer is already cancelled.")
        )
    return allowed


def can_edit_event(me: Me, event: Mapping[str, Any]) -> Permission:
    if (denied := _unknown(me)) is not None:
        return denied
    if _value(event, "organizerId") != me.user_id:
        return Permission(
            False,
            QCoreApplication.translate(
                "Permissions",
                "Only the organizer can change this event: the server refuses everyone else, "
                "administrators included.",
            ),
        )
    return ALLOWED


def event_attendees(event: Mapping[str, Any]) -> int:
    counts = event.get("_count")
    if isinstance(counts, Mapping) and isinstance(counts.get("EventAttendee"), int):
        return int(counts["EventAttendee"])
    attendees = event.get("EventAttendee")
    return len(attendees) if isinstance(attendees, list) else 0


def can_delete_event(me: Me, event: Mapping[str, Any]) -> Permission:
    allowed = can_edit_event(me, event)
    if allowed and event_attendees(event) > 0:
        return Permission(
            False,
            QCoreApplication.translate(
                "Permissions",
                "The server refuses to delete an event that has registered attendees.",
            ),
        )
    return allowed


def can_edit_post(me: Me, post: Mapping[str, Any]) -> Permission:
    if (denied := _unknown(me)) is not None:
        return denied
    if _value(post, "authorId") != me.user_id:
        return Permission(
            False,
            QCoreApplication.translate(
                "Permissions",
                "Only the author can change or delete this post; nobody can moderate it directly.",
            ),
        )
    return ALLOWED


def can_review_members(me: Me, community_id: str | None) -> Permission:
    """Approving or rejecting membership requests of `community_id`."""
    if (denied := _unknown(me)) is not None:
        return denied
    if community_id is None or me.community_id != community_id:
        return Permission(
            False,
            QCoreApplication.translate(
                "Permissions",
                "Only members of this community with a generosity score of at least 5 can "
                "review its membership requests (the administrator role does not count).",
            ),
        )
    score = me.generosity_score
    if score is None:
        return Permission(
            False,
            QCoreApplication.translate(
                "Permissions",
                "Your reputation in this community is not known yet: connect to the server.",
            ),
        )
    if score < MODERATE_SCORE:
        return Permission(
            False,
            QCoreApplication.translate(
                "Permissions",
                "Your generosity score is {score}; reviewing membership requests needs at least 5.",
            ).format(score=f"{score:g}"),
        )
    return ALLOWED


def needs_admin(me: Me, what: str) -> Permission:
    if me.is_admin:
        return ALLOWED
    return Permission(False, what)


def can_grant(me: Me) -> Permission:
    return needs_admin(
        me, QCoreApplication.translate("Permissions", "Only administrators can grant credits.")
    )


def can_decide_pools(me: Me) -> Permission:
    return needs_admin(
        me,
        QCoreApplication.translate(
            "Permissions", "Only administrators can decide on pool requests."
        ),
    )


def can_vote(me: Me, case: Mapping[str, Any], *, now: datetime | None = None) -> Permission:
    """A moderation case: still voting, before its deadline, not voted by me yet."""
    if (denied := _unknown(me)) is not None:
        return denied
    status = case.get("status")
    if status not in (None, "VOTING"):
        return Permission(
            False, QCoreApplication.translate("Permissions", "Voting on this case has closed.")
        )
    from viva_desktop.services.local.store.types import parse_timestamp

    deadline = parse_timestamp(case.get("deadline"))
    if deadline is not None and deadline <= (now or datetime.now(UTC)):
        return Permission(
            False,
            QCoreApplication.translate("Permissions", "The deadline of this case has passed."),
        )
    votes = case.get("ModerationVote")
    if isinstance(votes, list) and any(
        isinstance(v, Mapping) and v.get("voterId") == me.user_id for v in votes
    ):
        return Permission(
            False, QCoreApplication.translate("Permissions", "You have already voted on this case.")
        )
    return ALLOWED


def first_refusal(permissions: list[Permission]) -> Permission:
    """One permission for a bulk action: allowed when every item is, else the first reason."""
    for permission in permissions:
        if not permission:
            return permission
    return ALLOWED if permissions else Permission(False, "")

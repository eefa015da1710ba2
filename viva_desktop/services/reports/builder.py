"""`build_report`: one community's (or every community's) activity over a period, next to the
previous period of the same length, from the local store only.

What each figure counts, and from what the account's local copy holds:

- members now: the communities' member counts as last synced (a snapshot: no previous value);
  new members: users of the community whose account was created in the period;
- offers and events created: by their creation time; events held: started in the period (and
  already started), not cancelled, with their attendance (registered attendees);
- posts and comments: by their creation time; for one community, those of its members (posts
  carry no community on the server);
- membership requests decided: the decisions this app sent for the account (audit trail);
- moderation cases and credits: the per-caller lists the account was given (cases where it is
  a juror, its own transactions), so never another person's.
- flow economics, for an ADMIN account only: the snapshots its syncs stored (`flow`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from viva_desktop.services.common.i18n import translate
from viva_desktop.services.local.store import Range, Store, accounts, spec_for
from viva_desktop.services.local.store import audit as audit_trail
from viva_desktop.services.reports import counts
from viva_desktop.services.reports.flow import FlowPart, flow_part
from viva_desktop.services.reports.labels import breakdown_label, enum_label, figure_label
from viva_desktop.services.reports.model import ActivityReport, Breakdown, Figure
from viva_desktop.services.reports.period import Period
from viva_desktop.services.reports.scope import CommunityChoice
from viva_desktop.services.reports.summary import write_summary

DECISIONS = ("approve", "reject")
DateText = Callable[[date], str]


def has_data(store: Store, profile: str) -> bool:
    """Whether the store holds any synced community, offer, event or post of `profile`."""
    with store.read() as conn:
        for entity in ("communities", "offers", "events", "posts"):
            table = spec_for(entity).table
            stmt = sa.select(table.c.pk).where(table.c.profile == profile).limit(1)
            if conn.execute(stmt).first() is not None:
                return True
    return False


class _Counter:
    """The counts of one period, in one read transaction."""

    def __init__(
        self,
        conn: sa.Connection,
        profile: str,
        account: str | None,
        community: CommunityChoice | None,
        now: datetime,
    ) -> None:
        self.conn = conn
        self.profile = profile
        self.account = account
        self.community = community
        self.now = now
        where = {"community_id": community.id} if community else {}
        self.where = where
        # Posts and comments name no community: for one community, count its members'.
        self.members = counts.ids(conn, "users", profile, where) if community else None
        # When members joined, where the server says it (users' `createdAt`; often absent).
        self.joined = counts.raw_dates(conn, "users", "createdAt", profile, where)

    def _authors(self) -> dict[str, Any]:
        return {"author_id": self.members} if self.members is not None else {}

    def figures(self, period: Period) -> dict[str, int]:
        start, end = period.bounds()
        made = {"created_at": Range(start, end)}
        conn, profile, account = self.conn, self.profile, self.account
        held_end = min(end, self.now)
        held = {**self.where, "starts_at": Range(start, held_end)}
        held_ok = start <= held_end
        status = spec_for("events").table.c.status
        not_cancelled = sa.or_(status.is_(None), status != "CANCELLED")
        return {
            "new_members": sum(1 for moment in self.joined if start <= moment <= end),
            "offers_created": counts.count(conn, "offers", profile, {**self.where, **made}),
            "events_created": counts.count(conn, "events", profile, {**self.where, **made}),
            "events_held": (
                counts.count(conn, "events", profile, held, extra=not_cancelled) if held_ok else 0
            ),
            "attendance": (
                counts.total(conn, "events", "attendees", profile, held, extra=not_cancelled)
                if held_ok
                else 0
            ),
            "posts": counts.count(conn, "posts", profile, {**self._authors(), **made}),
            "comments": counts.count(conn, "comments", profile, {**self._authors(), **made}),
            "moderation_cases": counts.count(conn, "moderation_cases", profile, made, account),
            "credits_in": counts.total(
                conn,
                "credit_transactions",
                "amount",
                profile,
                made,
                account,
                extra=spec_for("credit_transactions").table.c.amount > 0,
            ),
            "credits_out": -counts.total(
                conn,
                "credit_transactions",
                "amount",
                profile,
                made,
                account,
                extra=spec_for("credit_transactions").table.c.amount < 0,
            ),
        }

    def members_now(self) -> int:
        table = spec_for("communities").table
        stmt = sa.select(sa.func.coalesce(sa.func.sum(table.c.members), 0)).where(
            table.c.profile == self.profile
        )
        if self.community is not None:
            stmt = stmt.where(table.c.id == self.community.id)
        return int(self.conn.execute(stmt).scalar_one())

    def breakdowns(self, period: Period) -> dict[str, dict[Any, int]]:
        start, end = period.bounds()
        made = {**self.where, "created_at": Range(start, end)}
        conn, profile = self.conn, self.profile
        return {
            "offers_by_type": counts.grouped(conn, "offers", "type", profile, made),
            "offers_by_category": counts.grouped(conn, "offers", "category", profile, made),
            "events_by_type": counts.grouped(conn, "events", "type", profile, made),
            "moderation_by_status": counts.grouped(
                conn,
                "moderation_cases",
                "status",
                profile,
                {"created_at": Range(start, end)},
                self.account,
            ),
        }


def _decided(
    store: Store, profile: str, account: str | None, community: CommunityChoice | None, period
) -> int:
    """Membership decisions this app sent for `account` in `period` (the audit trail)."""
    if not account:
        return 0
    start, end = period.bounds()
    entries = audit_trail.entries(
        store, profile, account=account, actions=DECISIONS, since=start, until=end
    )
    return sum(
        1
        for entry in entries
        if "membership" in entry.entity
        and entry.outcome == "sent"
        and (community is None or (entry.record_id or "").endswith(f"_{community.id}"))
    )


def _is_admin(store: Store, profile: str, account: str | None) -> bool:
    if not account:
        return False
    known = {a.user_id: a for a in accounts.known(store, profile)}
    return account in known and known[account].role == "ADMIN"


def _breakdown(key: str, current: dict[Any, int], previous: dict[Any, int]) -> Breakdown:
    values = sorted(
        set(current) | set(previous),
        key=lambda v: (-current.get(v, 0), -previous.get(v, 0), str(v)),
    )
    rows = tuple((enum_label(v), current.get(v, 0), previous.get(v, 0)) for v in values)
    return Breakdown(key, breakdown_label(key), rows)


def build_report(
    store: Store,
    profile: str,
    account: str | None,
    community: CommunityChoice | None,
    period: Period,
    *,
    account_label: str | None = None,
    language: str = "en",
    now: datetime | None = None,
    date_text: DateText = date.isoformat,
) -> ActivityReport:
    """The report (worker thread or CLI). `account` is the server user id whose per-caller
    data (credits, moderation, decisions) is counted; None counts none of it."""
    moment = now or datetime.now(UTC)
    previous = period.previous()
    admin = account is not None and _is_admin(store, profile, account)
    with store.read() as conn:
        counter = _Counter(conn, profile, account, community, moment)
        now_figures = counter.figures(period)
        before = counter.figures(previous)
        members = counter.members_now()
        parts = counter.breakdowns(period)
        parts_before = counter.breakdowns(previous)
        joined_known = bool(counter.joined)
        flow = (
            flow_part(conn, profile, account, period, previous)
            if admin and account
            else FlowPart((), ())
        )
    now_figures["requests_decided"] = _decided(store, profile, account, community, period)
    before["requests_decided"] = _decided(store, profile, account, community, previous)
    scoped_note = translate(
        "Reports", "Only what your account was given: your own transactions and cases."
    )
    synced = translate("Reports", "As last synced.")
    figures = [Figure("members", figure_label("members"), members, None, synced)]
    for key in (
        "new_members",
        "offers_created",
        "events_created",
        "events_held",
        "attendance",
        "posts",
        "comments",
        "requests_decided",
        "moderation_cases",
        "credits_in",
        "credits_out",
    ):
        if key == "new_members" and not joined_known:
            continue  # the server does not say when members joined: no figure, a note
        note = scoped_note if key in ("moderation_cases", "credits_in", "credits_out") else ""
        if key == "requests_decided":
            note = translate("Reports", "Decisions sent from this app by your account.")
        figures.append(Figure(key, figure_label(key), now_figures[key], before[key], note))
    breakdowns = tuple(_breakdown(key, parts[key], parts_before[key]) for key in parts)
    name = community.name if community else translate("Reports", "All communities")
    notes = [
        translate(
            "Reports",
            "Built from the local copy of the server's data; sync first for current figures.",
        ),
    ]
    if not joined_known:
        notes.append(
            translate(
                "Reports", "The server does not say when members joined: no count of new members."
            )
        )
    figures.extend(flow.figures)  # ADMIN only: none for anybody else
    notes.extend(flow.notes)
    if community is not None:
        notes.append(
            translate("Reports", "Posts and comments of one community are those of its members.")
        )
    report = ActivityReport(
        profile=profile,
        account=account,
        account_label=account_label or account or "",
        community_id=community.id if community else None,
        community_name=name,
        period=period,
        previous=previous,
        generated_at=moment,
        language=language,
        figures=tuple(figures),
        breakdowns=breakdowns,
        notes=tuple(notes),
    )
    return _with_summary(report, date_text)


def _with_summary(report: ActivityReport, date_text: DateText) -> ActivityReport:
    return replace(report, summary=tuple(write_summary(report, date_text)))

"""What the store knows about each synced entity: how a server record becomes a row, which
columns views may filter, sort, facet and export on, and what full-text search covers.

The server's JSON shapes are those of the contract (section 6); counters are preferred from
`_count` where the stored ones are known to be wrong (contract D9).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from viva_desktop.services.local.store.models import SYNCED_MODELS, SyncedRecord
from viva_desktop.services.local.store.text import search_text
from viva_desktop.services.local.store.types import parse_timestamp
from viva_desktop.services.remote.api.models.base import SENSITIVE_FIELDS

Extractor = Callable[[Mapping[str, Any]], dict[str, Any]]

BOOKKEEPING = ("id", "synced_at", "local_changes", "gone_at")

# User fields worth keeping. Anything else the server sends (password hashes, 2FA secrets and
# backup codes, tokens, phone numbers, fields added later) never reaches the disk.
SAFE_USER_FIELDS = frozenset(
    {
        "id",
        "email",
        "name",
        "bio",
        "avatar",
        "role",
        "credits",
        "semillaBalance",
        "level",
        "experience",
        "totalSaved",
        "hoursShared",
        "hoursReceived",
        "co2Avoided",
        "peopleHelped",
        "peopleHelpedBy",
        "connectionsCount",
        "neighborhood",
        "interests",
        "Skill",
        "UserBadge",
        "generosityScore",
        "flowPower",
        "communityId",
        "Community",
        "createdAt",
        "updatedAt",
    }
)

# Keys dropped from every stored record: the secrets the API models drop (contract S3), plus
# those the models must keep but the disk must never hold (the login reply's tokens, an
# event's check-in `qrCode`).
SECRET_KEYS = SENSITIVE_FIELDS | frozenset(
    {"refresh_token", "access_token", "emailVerificationToken", "qrCode"}
)


_PERSON_KEYS = frozenset({"User", "user", "author", "organizer", "requester"})


def scrub(value: Any) -> Any:
    """`value` without secret keys at any depth, and with nested users reduced to safe fields.

    Returns `value` itself when there is nothing to remove (records are scrubbed by the
    thousand during a sync); never modifies it in place.
    """
    kind = type(value)
    if kind is list:
        return [scrub(item) if type(item) in (dict, list) else item for item in value]
    if kind is not dict:
        return value
    out: dict[str, Any] | None = None
    for key, item in value.items():
        if key in SECRET_KEYS:
            if out is None:
                out = dict(value)
            del out[key]
            continue
        kind = type(item)
        if kind is dict:
            if key in _PERSON_KEYS:
                item = {k: v for k, v in item.items() if k in SAFE_USER_FIELDS}
            cleaned = scrub(item)
        elif kind is list and item and type(item[0]) in (dict, list):
            cleaned = scrub(item)
        else:
            continue
        if out is None:
            out = dict(value)
        out[key] = cleaned
    return value if out is None else out


def safe_user(record: Mapping[str, Any]) -> dict[str, Any]:
    return {k: scrub(v) for k, v in record.items() if k in SAFE_USER_FIELDS}


@dataclass(frozen=True)
class EntitySpec:
    name: str
    model: type[SyncedRecord]
    extract: Extractor
    # Columns a view may filter and sort on (all indexed with the profile).
    columns: tuple[str, ...]
    facets: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    default_sort: tuple[tuple[str, bool], ...] = (("created_at", False),)
    searchable: bool = False
    # Columns of the CSV export, in order.
    export_columns: tuple[str, ...] = ()
    # Server fields an offline edit may change, compared at replay to detect conflicts.
    editable: tuple[str, ...] = field(default=())

    @property
    def table(self) -> sa.Table:
        return self.model.__table__  # type: ignore[attr-defined,no-any-return]

    @property
    def indexed(self) -> frozenset[str]:
        """Columns with a `(profile, column)` index: cheap to filter and sort on at any size
        (sorting on the others means sorting the whole selection)."""
        found = {"id"}
        for index in self.table.indexes:
            names = [c.name for c in index.columns]
            if names[1:2] == ["account"]:  # per-caller tables: (profile, account, column, pk)
                names = names[:1] + names[2:]
            if len(names) >= 2 and names[0] == "profile":
                found.add(names[1])
        return frozenset(found)


def _user(record: Mapping[str, Any], key: str = "User") -> Mapping[str, Any]:
    value = record.get(key)
    return value if isinstance(value, Mapping) else {}


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _float(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _str(value: Any, limit: int | None = None) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    return text[:limit] if limit else text


def _count(record: Mapping[str, Any], key: str) -> int | None:
    counts = record.get("_count")
    return _int(counts.get(key)) if isinstance(counts, Mapping) else None


def community_columns(r: Mapping[str, Any]) -> dict[str, Any]:
    members = _count(r, "User")
    return {
        "slug": _str(r.get("slug"), 200),
        "name": _str(r.get("name"), 300),
        "type": _str(r.get("type"), 40),
        "visibility": _str(r.get("visibility"), 40),
        "location": _str(r.get("location"), 300),
        # `membersCount` is never maintained upstream (contract D9): count the members.
        "members": members if members is not None else _int(r.get("membersCount")),
        "offers_count": _count(r, "Offer"),
        "events_count": _count(r, "Event"),
        "created_at": parse_timestamp(r.get("createdAt")),
        "updated_at": parse_timestamp(r.get("updatedAt")),
        "search_text": search_text(r.get("name"), r.get("description"), r.get("location")),
    }


def user_columns(r: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "name": _str(r.get("name"), 300),
        "email": _str(r.get("email"), 320),
        "role": _str(r.get("role"), 40),
        "avatar": _str(r.get("avatar")),
        "credits": _int(r.get("credits")),
        "level": _int(r.get("level")) if not isinstance(r.get("level"), Mapping) else None,
        "community_id": _str(r.get("communityId"), 200),
    }


def offer_columns(r: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "user_id": _str(r.get("userId"), 200),
        "user_name": _str(_user(r).get("name"), 300),
        "community_id": _str(r.get("communityId"), 200),
        "type": _str(r.get("type"), 40),
        "category": _str(r.get("category"), 200),
        "title": _str(r.get("title"), 500),
        "status": _str(r.get("status"), 40),
        "price_eur": _float(r.get("priceEur")),
        "price_credits": _int(r.get("priceCredits")),
        "created_at": parse_timestamp(r.get("createdAt")),
        "updated_at": parse_timestamp(r.get("updatedAt")),
        "search_text": search_text(
            r.get("title"), r.get("description"), r.get("category"), r.get("tags")
        ),
    }


def event_columns(r: Mapping[str, Any]) -> dict[str, Any]:
    attendees = r.get("EventAttendee")
    count = _count(r, "EventAttendee")
    if count is None and isinstance(attendees, list):
        count = len(attendees)
    return {
        "organizer_id": _str(r.get("organizerId"), 200),
        "organizer_name": _str(_user(r).get("name"), 300),
        "community_id": _str(r.get("communityId"), 200),
        "title": _str(r.get("title"), 500),
        "type": _str(r.get("type"), 40),
        "status": _str(r.get("status"), 40),
        "address": _str(r.get("address"), 500),
        "starts_at": parse_timestamp(r.get("startsAt")),
        "ends_at": parse_timestamp(r.get("endsAt")),
        "capacity": _int(r.get("capacity")),
        "attendees": count,
        "created_at": parse_timestamp(r.get("createdAt")),
        "updated_at": parse_timestamp(r.get("updatedAt")),
        "search_text": search_text(
            r.get("title"), r.get("description"), r.get("address"), r.get("tags")
        ),
    }


def attendee_columns(r: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "event_id": _str(r.get("eventId"), 200) or "",
        "user_id": _str(r.get("userId"), 200),
        "user_name": _str(_user(r).get("name"), 300),
        "role": _str(r.get("role"), 40),
        "registered_at": parse_timestamp(r.get("registeredAt")),
        "checked_in_at": parse_timestamp(r.get("checkedInAt")),
    }


def post_columns(r: Mapping[str, Any]) -> dict[str, Any]:
    content = r.get("content") if isinstance(r.get("content"), str) else ""
    comments = _count(r, "Comment")
    return {
        "author_id": _str(r.get("authorId"), 200),
        "author_name": _str(_user(r).get("name"), 300),
        "type": _str(r.get("type"), 40),
        "visibility": _str(r.get("visibility"), 40),
        "excerpt": " ".join(content.split())[:300],
        "comments_count": comments if comments is not None else _int(r.get("commentsCount")),
        "created_at": parse_timestamp(r.get("createdAt")),
        "updated_at": parse_timestamp(r.get("updatedAt")),
        "edited_at": parse_timestamp(r.get("editedAt")),
        "search_text": search_text(content, r.get("tags"), _user(r).get("name")),
    }


def comment_columns(r: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "post_id": _str(r.get("postId"), 200) or "",
        "author_id": _str(r.get("authorId"), 200),
        "author_name": _str(_user(r).get("name"), 300),
        "content": _str(r.get("content")),
        "created_at": parse_timestamp(r.get("createdAt")),
        "edited_at": parse_timestamp(r.get("editedAt")),
    }


def transaction_columns(r: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "user_id": _str(r.get("userId"), 200),
        "amount": _int(r.get("amount")),
        "balance": _int(r.get("balance")),
        "reason": _str(r.get("reason"), 40),
        "description": _str(r.get("description")),
        "related_id": _str(r.get("relatedId"), 200),
        "created_at": parse_timestamp(r.get("createdAt")),
        "expires_at": parse_timestamp(r.get("expiresAt")),
    }


def moderation_columns(r: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "content_id": _str(r.get("contentId"), 200),
        "content_type": _str(r.get("contentType"), 40),
        "status": _str(r.get("status"), 40),
        "report_reason": _str(r.get("reportReason")),
        "reporter_id": _str(r.get("reporterId"), 200),
        "final_decision": _str(r.get("finalDecision"), 40),
        "deadline": parse_timestamp(r.get("deadline")),
        "created_at": parse_timestamp(r.get("createdAt")),
    }


def _spec(name: str, extract: Extractor, **options: Any) -> EntitySpec:
    model = SYNCED_MODELS[name]
    own = tuple(
        c.name
        for c in model.__table__.columns
        if c.name not in ("pk", "profile", "account", "raw", "seen_run", "search_text")
    )
    options.setdefault("columns", own)
    options.setdefault("export_columns", tuple(c for c in own if c != "gone_at"))
    return EntitySpec(name=name, model=model, extract=extract, **options)


SPECS: dict[str, EntitySpec] = {
    spec.name: spec
    for spec in (
        _spec(
            "communities",
            community_columns,
            facets=("type", "visibility"),
            dates=("created_at", "updated_at"),
            default_sort=(("name", True),),
            searchable=True,
            editable=("name", "description", "location", "logo", "bannerImage", "primaryColor"),
        ),
        _spec(
            "users",
            user_columns,
            facets=("role", "community_id"),
            default_sort=(("name", True),),
            editable=("name", "bio", "avatar", "neighborhood", "interests"),
        ),
        _spec(
            "offers",
            offer_columns,
            facets=("community_id", "type", "status", "category"),
            dates=("created_at", "updated_at"),
            searchable=True,
            editable=(
                "title",
                "description",
                "category",
                "type",
                "priceEur",
                "priceCredits",
                "stock",
                "tags",
                "images",
                "address",
                "lat",
                "lng",
                "status",
            ),
        ),
        _spec(
            "events",
            event_columns,
            facets=("community_id", "type", "status"),
            dates=("starts_at", "ends_at", "created_at"),
            default_sort=(("starts_at", True),),
            searchable=True,
            editable=(
                "title",
                "description",
                "startsAt",
                "endsAt",
                "address",
                "lat",
                "lng",
                "capacity",
                "creditsReward",
                "tags",
                "requirements",
                "image",
                "status",
            ),
        ),
        _spec(
            "event_attendees",
            attendee_columns,
            facets=("event_id", "role"),
            dates=("registered_at", "checked_in_at"),
            default_sort=(("registered_at", True),),
        ),
        _spec(
            "posts",
            post_columns,
            facets=("type", "visibility", "author_id"),
            dates=("created_at", "updated_at", "edited_at"),
            searchable=True,
            editable=("content", "images", "visibility", "tags"),
        ),
        _spec(
            "comments",
            comment_columns,
            facets=("post_id", "author_id"),
            dates=("created_at",),
            editable=("content",),
        ),
        _spec(
            "credit_transactions",
            transaction_columns,
            facets=("reason",),
            dates=("created_at", "expires_at"),
        ),
        _spec(
            "moderation_cases",
            moderation_columns,
            facets=("content_type", "status"),
            dates=("deadline", "created_at"),
            default_sort=(("deadline", True),),
        ),
    )
}


def spec_for(entity: str) -> EntitySpec:
    try:
        return SPECS[entity]
    except KeyError:
        raise ValueError(f"unknown store entity {entity!r}") from None

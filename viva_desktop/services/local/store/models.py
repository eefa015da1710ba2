"""The store's schema as typed SQLAlchemy 2 models.

Every synced table shares the same bookkeeping (`SyncedRecord`): which server profile the row
came from (one store may hold several deployments), the server's id, the full server JSON in
`raw`, when it was synced, whether it carries offline edits, and whether the server dropped it.
The other columns are only the fields views filter and sort on, each with a `(profile, column,
pk)` index: the exact order of a view's page (`pk` breaks ties), and a prefix for its filters.

The migrations in `migrations/versions/` are the source of truth for the database; a test
checks that they and these models never drift apart.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from viva_desktop.services.local.store.types import JSONType, SurrogateKey, UTCDateTime

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads it as a class attribute
        datetime: UTCDateTime(),
        dict[str, Any]: JSONType,
        list[Any]: JSONType,
    }


class LocalChange:
    """Values of `SyncedRecord.local_changes`: what an offline edit did to the row."""

    CREATED = "created"
    UPDATED = "updated"
    DELETED = "deleted"
    FAILED = "failed"  # a create the server refused twice: in the outbox's Failed list

    # Records that are not on the server: marked in the browsers, kept out of server counts.
    LOCAL_ONLY = (CREATED, FAILED)


class SyncedRecord:
    """Columns shared by every table the sync engine fills."""

    pk: Mapped[int] = mapped_column(
        SurrogateKey, primary_key=True, autoincrement=True, sort_order=-3
    )
    profile: Mapped[str] = mapped_column(sa.String(100), sort_order=-2)
    id: Mapped[str] = mapped_column(sa.String(200), sort_order=-1)
    raw: Mapped[dict[str, Any]] = mapped_column(sort_order=10)
    synced_at: Mapped[datetime] = mapped_column(sort_order=11)
    # None, or a LocalChange value while an offline edit waits in the outbox.
    local_changes: Mapped[str | None] = mapped_column(sa.String(16), sort_order=12)
    # Set when a full pass no longer found the record on the server.
    gone_at: Mapped[datetime | None] = mapped_column(sort_order=13)
    # The sync run that last saw the record (a full pass marks the others as gone).
    seen_run: Mapped[str | None] = mapped_column(sa.String(40), sort_order=14)

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        return (
            # Per-caller records are unique per account: two jurors see the same case.
            sa.UniqueConstraint("profile", *getattr(cls, "__scope_columns__", ()), "id"),
            sa.Index(None, "profile", "synced_at", "pk"),
            *getattr(cls, "__indexes__", ()),
        )


class AccountScoped:
    """Records the server answers per caller (contract: "the caller's own"), stored with the
    account (server user id) they were read as; views read only the signed-in account's.

    `account` is "" for rows stored before revision 0005 whose owner is not known: nobody
    sees them, and the next sync of their entity replaces them (`scopes.UNKNOWN_ACCOUNT`).
    """

    __scope_columns__ = ("account",)

    account: Mapped[str] = mapped_column(sa.String(200), default="", sort_order=15)


def _ix(*columns: str) -> tuple[sa.Index, ...]:
    """Indexes matching `WHERE profile = ? ORDER BY column, pk LIMIT n` (migration 0004)."""
    return tuple(sa.Index(None, "profile", column, "pk") for column in columns)


def _scoped_ix(*columns: str) -> tuple[sa.Index, ...]:
    """The same for per-caller tables, read one account at a time: `WHERE profile = ? AND
    account = ? ORDER BY column, pk` (migration 0005)."""
    return tuple(sa.Index(None, "profile", "account", column, "pk") for column in columns)


class Community(SyncedRecord, Base):
    __tablename__ = "communities"
    __indexes__ = _ix(
        "name",
        "type",
        "visibility",
        "members",
        "created_at",
        "slug",
        "location",
        "offers_count",
        "events_count",
        "updated_at",
    )

    slug: Mapped[str | None] = mapped_column(sa.String(200))
    name: Mapped[str | None] = mapped_column(sa.String(300))
    type: Mapped[str | None] = mapped_column(sa.String(40))
    visibility: Mapped[str | None] = mapped_column(sa.String(40))
    location: Mapped[str | None] = mapped_column(sa.String(300))
    members: Mapped[int | None]
    offers_count: Mapped[int | None]
    events_count: Mapped[int | None]
    created_at: Mapped[datetime | None]
    updated_at: Mapped[datetime | None]
    search_text: Mapped[str] = mapped_column(sa.Text, default="")


class User(SyncedRecord, Base):
    """Users the sync has come across (authors, organisers, members): safe fields only."""

    __tablename__ = "users"
    __indexes__ = _ix("name", "role", "community_id", "email", "credits", "level")

    name: Mapped[str | None] = mapped_column(sa.String(300))
    email: Mapped[str | None] = mapped_column(sa.String(320))
    role: Mapped[str | None] = mapped_column(sa.String(40))
    avatar: Mapped[str | None] = mapped_column(sa.Text)
    credits: Mapped[int | None]
    level: Mapped[int | None]
    community_id: Mapped[str | None] = mapped_column(sa.String(200))


class Offer(SyncedRecord, Base):
    __tablename__ = "offers"
    __indexes__ = _ix(
        "community_id",
        "type",
        "status",
        "category",
        "created_at",
        "title",
        "user_name",
        "price_eur",
        "price_credits",
        "updated_at",
        "local_changes",  # the browsers' facet of local-only records (migration 0006)
    )

    user_id: Mapped[str | None] = mapped_column(sa.String(200))
    user_name: Mapped[str | None] = mapped_column(sa.String(300))
    community_id: Mapped[str | None] = mapped_column(sa.String(200))
    type: Mapped[str | None] = mapped_column(sa.String(40))
    category: Mapped[str | None] = mapped_column(sa.String(200))
    title: Mapped[str | None] = mapped_column(sa.String(500))
    status: Mapped[str | None] = mapped_column(sa.String(40))
    price_eur: Mapped[float | None] = mapped_column(sa.Float)
    price_credits: Mapped[int | None]
    created_at: Mapped[datetime | None]
    updated_at: Mapped[datetime | None]
    search_text: Mapped[str] = mapped_column(sa.Text, default="")


class Event(SyncedRecord, Base):
    __tablename__ = "events"
    __indexes__ = _ix(
        "community_id",
        "type",
        "status",
        "starts_at",
        "created_at",
        "title",
        "organizer_name",
        "ends_at",
        "address",
        "capacity",
        "attendees",
        "local_changes",
    )

    organizer_id: Mapped[str | None] = mapped_column(sa.String(200))
    organizer_name: Mapped[str | None] = mapped_column(sa.String(300))
    community_id: Mapped[str | None] = mapped_column(sa.String(200))
    title: Mapped[str | None] = mapped_column(sa.String(500))
    type: Mapped[str | None] = mapped_column(sa.String(40))
    status: Mapped[str | None] = mapped_column(sa.String(40))
    address: Mapped[str | None] = mapped_column(sa.String(500))
    starts_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None]
    capacity: Mapped[int | None]
    attendees: Mapped[int | None]
    created_at: Mapped[datetime | None]
    updated_at: Mapped[datetime | None]
    search_text: Mapped[str] = mapped_column(sa.Text, default="")


class EventAttendee(SyncedRecord, Base):
    __tablename__ = "event_attendees"
    __indexes__ = _ix("event_id", "user_id", "registered_at")

    event_id: Mapped[str] = mapped_column(sa.String(200))
    user_id: Mapped[str | None] = mapped_column(sa.String(200))
    user_name: Mapped[str | None] = mapped_column(sa.String(300))
    role: Mapped[str | None] = mapped_column(sa.String(40))
    registered_at: Mapped[datetime | None]
    checked_in_at: Mapped[datetime | None]


class Post(SyncedRecord, Base):
    __tablename__ = "posts"
    __indexes__ = _ix(
        "type",
        "visibility",
        "author_id",
        "author_name",
        "created_at",
        "excerpt",
        "comments_count",
        "edited_at",
        "local_changes",
        "comments_stored",  # migration 0006
    )

    author_id: Mapped[str | None] = mapped_column(sa.String(200))
    author_name: Mapped[str | None] = mapped_column(sa.String(300))
    type: Mapped[str | None] = mapped_column(sa.String(40))
    visibility: Mapped[str | None] = mapped_column(sa.String(40))
    excerpt: Mapped[str | None] = mapped_column(sa.String(300))
    comments_count: Mapped[int | None]  # the server's counter
    created_at: Mapped[datetime | None]
    updated_at: Mapped[datetime | None]
    edited_at: Mapped[datetime | None]
    search_text: Mapped[str] = mapped_column(sa.Text, default="")
    # Comments stored here, once they were read (`comment_text`); None before.
    comments_stored: Mapped[int | None]


class Comment(SyncedRecord, Base):
    __tablename__ = "comments"
    __indexes__ = _ix("post_id", "author_id", "created_at")

    post_id: Mapped[str] = mapped_column(sa.String(200))
    author_id: Mapped[str | None] = mapped_column(sa.String(200))
    author_name: Mapped[str | None] = mapped_column(sa.String(300))
    content: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime | None]
    edited_at: Mapped[datetime | None]


class CreditTransaction(AccountScoped, SyncedRecord, Base):
    __tablename__ = "credit_transactions"
    # Not `description`: unbounded text, too long for a PostgreSQL index entry at worst.
    __indexes__ = _scoped_ix(
        "user_id", "reason", "created_at", "amount", "balance", "related_id", "expires_at"
    )

    user_id: Mapped[str | None] = mapped_column(sa.String(200))
    amount: Mapped[int | None]
    balance: Mapped[int | None]
    reason: Mapped[str | None] = mapped_column(sa.String(40))
    description: Mapped[str | None] = mapped_column(sa.Text)
    related_id: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]


class ModerationCase(AccountScoped, SyncedRecord, Base):
    __tablename__ = "moderation_cases"
    # Not `report_reason`: unbounded text, too long for a PostgreSQL index entry at worst.
    __indexes__ = _scoped_ix(
        "content_type",
        "status",
        "deadline",
        "created_at",
        "reporter_id",
        "final_decision",
        "content_id",
    )

    content_id: Mapped[str | None] = mapped_column(sa.String(200))
    content_type: Mapped[str | None] = mapped_column(sa.String(40))
    status: Mapped[str | None] = mapped_column(sa.String(40))
    report_reason: Mapped[str | None] = mapped_column(sa.Text)
    reporter_id: Mapped[str | None] = mapped_column(sa.String(200))
    final_decision: Mapped[str | None] = mapped_column(sa.String(40))
    deadline: Mapped[datetime | None]
    created_at: Mapped[datetime | None]


class HealthSampleRow(Base):
    """One poll of a server's health (the fields of `services.health.HealthSample`)."""

    __tablename__ = "health_samples"
    __table_args__ = (sa.Index(None, "profile", "taken_at"),)

    pk: Mapped[int] = mapped_column(SurrogateKey, primary_key=True, autoincrement=True)
    profile: Mapped[str] = mapped_column(sa.String(100))
    taken_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(sa.String(40))
    http_latency_ms: Mapped[float | None] = mapped_column(sa.Float)
    db_status: Mapped[str | None] = mapped_column(sa.String(40))
    db_latency_ms: Mapped[int | None]
    db_error: Mapped[str | None] = mapped_column(sa.Text)
    version: Mapped[str | None] = mapped_column(sa.String(100))
    environment: Mapped[str | None] = mapped_column(sa.String(100))
    uptime_s: Mapped[int | None]
    rss_mb: Mapped[int | None]
    heap_used_mb: Mapped[int | None]
    heap_total_mb: Mapped[int | None]
    load_1m: Mapped[float | None] = mapped_column(sa.Float)
    system_free_mb: Mapped[int | None]
    system_total_mb: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(sa.Text)


class SyncStateRow(Base):
    """Where the sync of one entity for one profile stands, written with every page."""

    __tablename__ = "sync_state"

    profile: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    entity: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    # The account a per-caller entity was synced as ("" for the shared, public entities).
    account: Mapped[str] = mapped_column(sa.String(200), primary_key=True, default="")
    run_id: Mapped[str | None] = mapped_column(sa.String(40))
    status: Mapped[str] = mapped_column(sa.String(20), default="idle")
    full_pass: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    # The paginator's serialisable marker of the next page to fetch (None: start over).
    marker: Mapped[dict[str, Any] | None]
    pages: Mapped[int] = mapped_column(default=0)
    items: Mapped[int] = mapped_column(default=0)
    total: Mapped[int | None]
    started_at: Mapped[datetime | None]
    updated_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    # Newest server timestamp seen by the last complete run, for incremental walks.
    high_water: Mapped[datetime | None]
    last_complete_at: Mapped[datetime | None]
    # End of the last complete full pass (incremental runs in between do not move it).
    last_full_at: Mapped[datetime | None]


class OutboxRow(Base):
    """One queued offline edit; `seq` is the replay order."""

    __tablename__ = "outbox"
    __table_args__ = (
        sa.Index(None, "profile", "state", "seq"),
        sa.UniqueConstraint("client_ref"),
    )

    seq: Mapped[int] = mapped_column(SurrogateKey, primary_key=True, autoincrement=True)
    profile: Mapped[str] = mapped_column(sa.String(100))
    # The server account (user id) that queued the edit: only its own session replays it,
    # which matters when a team shares one store.
    account: Mapped[str | None] = mapped_column(sa.String(200))
    entity: Mapped[str] = mapped_column(sa.String(60))
    op: Mapped[str] = mapped_column(sa.String(30))
    target_id: Mapped[str | None] = mapped_column(sa.String(200))
    payload: Mapped[dict[str, Any]]
    # The record as last synced, for conflict detection at replay time.
    base: Mapped[dict[str, Any] | None]
    state: Mapped[str] = mapped_column(sa.String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    # A unique reference per operation (credit grants send it as `relatedId`).
    client_ref: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # The server's answer once done, or its current version of the record on a conflict.
    result: Mapped[dict[str, Any] | None]
    remote: Mapped[dict[str, Any] | None]
    # The server id of a created record once known.
    server_id: Mapped[str | None] = mapped_column(sa.String(200))


SYNCED_MODELS: dict[str, type[SyncedRecord]] = {
    "communities": Community,
    "users": User,
    "offers": Offer,
    "events": Event,
    "event_attendees": EventAttendee,
    "posts": Post,
    "comments": Comment,
    "credit_transactions": CreditTransaction,
    "moderation_cases": ModerationCase,
}

SEARCHABLE = ("communities", "offers", "events", "posts")

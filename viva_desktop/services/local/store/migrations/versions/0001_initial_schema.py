"""Initial schema: synced entities, health samples, sync state and the outbox.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from viva_desktop.services.local.store.types import JSONType, SurrogateKey, UTCDateTime

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(200)
NAME = sa.String(300)
ENUM = sa.String(40)


def _synced_table(name: str, columns: list[sa.Column], indexed: list[str]) -> None:
    op.create_table(
        name,
        sa.Column("pk", SurrogateKey, primary_key=True, autoincrement=True),
        sa.Column("profile", sa.String(100), nullable=False),
        sa.Column("id", ID, nullable=False),
        *columns,
        sa.Column("raw", JSONType, nullable=False),
        sa.Column("synced_at", UTCDateTime(), nullable=False),
        sa.Column("local_changes", sa.String(16)),
        sa.Column("gone_at", UTCDateTime()),
        sa.Column("seen_run", sa.String(40)),
        sa.PrimaryKeyConstraint("pk", name=f"pk_{name}"),
        sa.UniqueConstraint("profile", "id", name=f"uq_{name}_profile_id"),
    )
    for column in ["synced_at", *indexed]:
        op.create_index(f"ix_{name}_profile_{column}", name, ["profile", column])


def _when(name: str) -> sa.Column:
    return sa.Column(name, UTCDateTime())


def upgrade() -> None:
    _synced_table(
        "communities",
        [
            sa.Column("slug", sa.String(200)),
            sa.Column("name", NAME),
            sa.Column("type", ENUM),
            sa.Column("visibility", ENUM),
            sa.Column("location", NAME),
            sa.Column("members", sa.Integer),
            sa.Column("offers_count", sa.Integer),
            sa.Column("events_count", sa.Integer),
            _when("created_at"),
            _when("updated_at"),
            sa.Column("search_text", sa.Text, nullable=False),
        ],
        ["name", "type", "visibility", "members", "created_at"],
    )
    _synced_table(
        "users",
        [
            sa.Column("name", NAME),
            sa.Column("email", sa.String(320)),
            sa.Column("role", ENUM),
            sa.Column("avatar", sa.Text),
            sa.Column("credits", sa.Integer),
            sa.Column("level", sa.Integer),
            sa.Column("community_id", ID),
        ],
        ["name", "role", "community_id"],
    )
    _synced_table(
        "offers",
        [
            sa.Column("user_id", ID),
            sa.Column("user_name", NAME),
            sa.Column("community_id", ID),
            sa.Column("type", ENUM),
            sa.Column("category", sa.String(200)),
            sa.Column("title", sa.String(500)),
            sa.Column("status", ENUM),
            sa.Column("price_eur", sa.Float),
            sa.Column("price_credits", sa.Integer),
            _when("created_at"),
            _when("updated_at"),
            sa.Column("search_text", sa.Text, nullable=False),
        ],
        ["community_id", "type", "status", "category", "created_at", "title"],
    )
    _synced_table(
        "events",
        [
            sa.Column("organizer_id", ID),
            sa.Column("organizer_name", NAME),
            sa.Column("community_id", ID),
            sa.Column("title", sa.String(500)),
            sa.Column("type", ENUM),
            sa.Column("status", ENUM),
            sa.Column("address", sa.String(500)),
            _when("starts_at"),
            _when("ends_at"),
            sa.Column("capacity", sa.Integer),
            sa.Column("attendees", sa.Integer),
            _when("created_at"),
            _when("updated_at"),
            sa.Column("search_text", sa.Text, nullable=False),
        ],
        ["community_id", "type", "status", "starts_at", "created_at", "title"],
    )
    _synced_table(
        "event_attendees",
        [
            sa.Column("event_id", ID, nullable=False),
            sa.Column("user_id", ID),
            sa.Column("user_name", NAME),
            sa.Column("role", ENUM),
            _when("registered_at"),
            _when("checked_in_at"),
        ],
        ["event_id", "user_id", "registered_at"],
    )
    _synced_table(
        "posts",
        [
            sa.Column("author_id", ID),
            sa.Column("author_name", NAME),
            sa.Column("type", ENUM),
            sa.Column("visibility", ENUM),
            sa.Column("excerpt", sa.String(300)),
            sa.Column("comments_count", sa.Integer),
            _when("created_at"),
            _when("updated_at"),
            _when("edited_at"),
            sa.Column("search_text", sa.Text, nullable=False),
        ],
        ["type", "visibility", "author_id", "created_at"],
    )
    _synced_table(
        "comments",
        [
            sa.Column("post_id", ID, nullable=False),
            sa.Column("author_id", ID),
            sa.Column("author_name", NAME),
            sa.Column("content", sa.Text),
            _when("created_at"),
            _when("edited_at"),
        ],
        ["post_id", "author_id", "created_at"],
    )
    _synced_table(
        "credit_transactions",
        [
            sa.Column("user_id", ID),
            sa.Column("amount", sa.Integer),
            sa.Column("balance", sa.Integer),
            sa.Column("reason", ENUM),
            sa.Column("description", sa.Text),
            sa.Column("related_id", ID),
            _when("created_at"),
            _when("expires_at"),
        ],
        ["user_id", "reason", "created_at"],
    )
    _synced_table(
        "moderation_cases",
        [
            sa.Column("content_id", ID),
            sa.Column("content_type", ENUM),
            sa.Column("status", ENUM),
            sa.Column("report_reason", sa.Text),
            sa.Column("reporter_id", ID),
            sa.Column("final_decision", ENUM),
            _when("deadline"),
            _when("created_at"),
        ],
        ["content_type", "status", "deadline", "created_at"],
    )

    op.create_table(
        "health_samples",
        sa.Column("pk", SurrogateKey, primary_key=True, autoincrement=True),
        sa.Column("profile", sa.String(100), nullable=False),
        sa.Column("taken_at", UTCDateTime(), nullable=False),
        sa.Column("state", ENUM, nullable=False),
        sa.Column("http_latency_ms", sa.Float),
        sa.Column("db_status", ENUM),
        sa.Column("db_latency_ms", sa.Integer),
        sa.Column("db_error", sa.Text),
        sa.Column("version", sa.String(100)),
        sa.Column("environment", sa.String(100)),
        sa.Column("uptime_s", sa.Integer),
        sa.Column("rss_mb", sa.Integer),
        sa.Column("heap_used_mb", sa.Integer),
        sa.Column("heap_total_mb", sa.Integer),
        sa.Column("load_1m", sa.Float),
        sa.Column("system_free_mb", sa.Integer),
        sa.Column("system_total_mb", sa.Integer),
        sa.Column("error", sa.Text),
        sa.PrimaryKeyConstraint("pk", name="pk_health_samples"),
    )
    op.create_index("ix_health_samples_profile_taken_at", "health_samples", ["profile", "taken_at"])

    op.create_table(
        "sync_state",
        sa.Column("profile", sa.String(100), nullable=False),
        sa.Column("entity", sa.String(60), nullable=False),
        sa.Column("run_id", sa.String(40)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("full_pass", sa.Boolean, nullable=False),
        sa.Column("marker", JSONType),
        sa.Column("pages", sa.Integer, nullable=False),
        sa.Column("items", sa.Integer, nullable=False),
        sa.Column("total", sa.Integer),
        _when("started_at"),
        _when("updated_at"),
        _when("finished_at"),
        sa.Column("last_error", sa.Text),
        _when("high_water"),
        _when("last_complete_at"),
        _when("last_full_at"),
        sa.PrimaryKeyConstraint("profile", "entity", name="pk_sync_state"),
    )

    op.create_table(
        "outbox",
        sa.Column("seq", SurrogateKey, primary_key=True, autoincrement=True),
        sa.Column("profile", sa.String(100), nullable=False),
        sa.Column("account", ID),
        sa.Column("entity", sa.String(60), nullable=False),
        sa.Column("op", sa.String(30), nullable=False),
        sa.Column("target_id", ID),
        sa.Column("payload", JSONType, nullable=False),
        sa.Column("base", JSONType),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("client_ref", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("result", JSONType),
        sa.Column("remote", JSONType),
        sa.Column("server_id", ID),
        sa.PrimaryKeyConstraint("seq", name="pk_outbox"),
        sa.UniqueConstraint("client_ref", name="uq_outbox_client_ref"),
    )
    op.create_index("ix_outbox_profile_state_seq", "outbox", ["profile", "state", "seq"])


def downgrade() -> None:
    for table in (
        "outbox",
        "sync_state",
        "health_samples",
        "moderation_cases",
        "credit_transactions",
        "comments",
        "posts",
        "event_attendees",
        "events",
        "offers",
        "users",
        "communities",
    ):
        op.drop_table(table)

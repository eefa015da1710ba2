"""Sort indexes ending with the surrogate key, for every column a browser can sort on.

A browser asks for `WHERE profile = ? ORDER BY <column>, pk LIMIT <page>` (`pk` keeps the
order stable between equal values). An index on `(profile, column, pk)` hands back exactly
that page in index order. Before this revision some sortable columns had no index at all
(sorting 100 000 posts by content meant sorting the whole table), and the others were indexed
on `(profile, column)`: enough on SQLite, whose index entries end with the rowid anyway, but
on PostgreSQL each group of equal values still had to be sorted by `pk` (a column with six
values over 100 000 rows: a sort of some 17 000 rows for a page of 200). Each old index is
replaced by its `(profile, column, pk)` counterpart, which also serves every filter, facet and
range the old one served.

Unbounded text columns (a transaction's description, a report's reason) stay unindexed: a
PostgreSQL B-tree entry is limited to about 2.7 kB, and their tables stay small.

Revision ID: 0004
Revises: 0003
Create Date: 2025-01-03
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (profile, column) indexes of revisions 0001 and 0003, replaced here.
OLD: dict[str, tuple[str, ...]] = {
    "communities": ("synced_at", "name", "type", "visibility", "members", "created_at"),
    "users": ("synced_at", "name", "role", "community_id"),
    "offers": (
        "synced_at",
        "community_id",
        "type",
        "status",
        "category",
        "created_at",
        "title",
        "user_name",
    ),
    "events": (
        "synced_at",
        "community_id",
        "type",
        "status",
        "starts_at",
        "created_at",
        "title",
        "organizer_name",
    ),
    "event_attendees": ("synced_at", "event_id", "user_id", "registered_at"),
    "posts": ("synced_at", "type", "visibility", "author_id", "created_at", "author_name"),
    "comments": ("synced_at", "post_id", "author_id", "created_at"),
    "credit_transactions": ("synced_at", "user_id", "reason", "created_at"),
    "moderation_cases": ("synced_at", "content_type", "status", "deadline", "created_at"),
}

# (profile, column, pk) indexes after this revision: the old columns and every other column a
# browser shows (and so may sort on).
NEW: dict[str, tuple[str, ...]] = {
    "communities": (
        *OLD["communities"],
        "slug",
        "location",
        "offers_count",
        "events_count",
        "updated_at",
    ),
    "users": (*OLD["users"], "email", "credits", "level"),
    "offers": (*OLD["offers"], "price_eur", "price_credits", "updated_at"),
    "events": (*OLD["events"], "ends_at", "address", "capacity", "attendees"),
    "event_attendees": OLD["event_attendees"],
    "posts": (*OLD["posts"], "excerpt", "comments_count", "edited_at"),
    "comments": OLD["comments"],
    "credit_transactions": (
        *OLD["credit_transactions"],
        "amount",
        "balance",
        "related_id",
        "expires_at",
    ),
    "moderation_cases": (
        *OLD["moderation_cases"],
        "reporter_id",
        "final_decision",
        "content_id",
    ),
}


def upgrade() -> None:
    for table, columns in OLD.items():
        for column in columns:
            op.drop_index(f"ix_{table}_profile_{column}", table_name=table)
    for table, columns in NEW.items():
        for column in columns:
            op.create_index(f"ix_{table}_profile_{column}_pk", table, ["profile", column, "pk"])


def downgrade() -> None:
    for table, columns in NEW.items():
        for column in columns:
            op.drop_index(f"ix_{table}_profile_{column}_pk", table_name=table)
    for table, columns in OLD.items():
        for column in columns:
            op.create_index(f"ix_{table}_profile_{column}", table, ["profile", column])

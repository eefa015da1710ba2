"""Indexes for sorting the browsers by person: post authors, offer owners, event organisers.

Revision ID: 0003
Revises: 0002
Create Date: 2025-01-02
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("posts", "author_name"),
    ("offers", "user_name"),
    ("events", "organizer_name"),
)


def upgrade() -> None:
    for table, column in INDEXES:
        op.create_index(f"ix_{table}_profile_{column}", table, ["profile", column])


def downgrade() -> None:
    for table, column in INDEXES:
        op.drop_index(f"ix_{table}_profile_{column}", table_name=table)

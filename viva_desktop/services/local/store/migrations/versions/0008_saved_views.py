"""Saved views of the browsers (issue 16).

A new table, `saved_views`: a browser's search, filters, date range, columns and sort under a
name, per profile and account, optionally shared with the team of a team store. Nothing
existing changes.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from viva_desktop.services.local.store.types import JSONType, SurrogateKey, UTCDateTime

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "saved_views",
        sa.Column("pk", SurrogateKey, primary_key=True, autoincrement=True),
        sa.Column("profile", sa.String(100), nullable=False),
        sa.Column("account", sa.String(200), nullable=False),
        sa.Column("page", sa.String(60), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("state", JSONType, nullable=False),
        sa.Column("shared", sa.Boolean, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("pk", name="pk_saved_views"),
        sa.UniqueConstraint(
            "profile", "account", "page", "name", name="uq_saved_views_profile_account_page_name"
        ),
    )
    op.create_index(
        "ix_saved_views_profile_page_shared", "saved_views", ["profile", "page", "shared"]
    )


def downgrade() -> None:
    op.drop_index("ix_saved_views_profile_page_shared", table_name="saved_views")
    op.drop_table("saved_views")

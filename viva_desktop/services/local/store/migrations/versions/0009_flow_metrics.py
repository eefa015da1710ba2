"""Snapshots of the flow-economics metrics, for ADMIN accounts (issue 16).

A new table, `flow_metrics`: what `GET /flow-economics/metrics` answered at each ADMIN sync,
per profile and account (the server keeps no history of them). Nothing existing changes.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from viva_desktop.services.local.store.types import JSONType, SurrogateKey, UTCDateTime

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NUMBERS = (
    "gini_index",
    "median_balance",
    "mean_balance",
    "wealth_concentration",
    "transactions_count",
    "average_flow_multiplier",
    "total_value_generated",
    "total_pool_balance",
    "active_users",
    "generous_users",
)


def upgrade() -> None:
    op.create_table(
        "flow_metrics",
        sa.Column("pk", SurrogateKey, primary_key=True, autoincrement=True),
        sa.Column("profile", sa.String(100), nullable=False),
        sa.Column("account", sa.String(200), nullable=False),
        sa.Column("taken_at", UTCDateTime(), nullable=False),
        *(sa.Column(name, sa.Float, nullable=True) for name in NUMBERS),
        sa.Column("raw", JSONType, nullable=False),
        sa.PrimaryKeyConstraint("pk", name="pk_flow_metrics"),
    )
    op.create_index(
        "ix_flow_metrics_profile_account_taken_at",
        "flow_metrics",
        ["profile", "account", "taken_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_flow_metrics_profile_account_taken_at", table_name="flow_metrics")
    op.drop_table("flow_metrics")

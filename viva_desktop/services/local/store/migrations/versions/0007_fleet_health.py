"""Fleet health: per-deployment alert-state history and silences (issue 15).

The health samples of every deployment already live in `health_samples`, keyed by profile;
this revision adds the alert events (every change of a deployment's alert state, notified or
silenced) and the silences set on deployments. Only new tables: existing data is untouched.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from viva_desktop.services.local.store.types import SurrogateKey, UTCDateTime

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "fleet_alert_events",
        sa.Column("pk", SurrogateKey, primary_key=True, autoincrement=True),
        sa.Column("profile", sa.String(100), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("alert_state", sa.String(20), nullable=False),
        sa.Column("previous_alert_state", sa.String(20), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("previous_state", sa.String(20), nullable=True),
        sa.Column("since", UTCDateTime(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("cause", sa.String(40), nullable=True),
        sa.Column("notified", sa.Boolean(), nullable=False),
        sa.Column("silenced", sa.Boolean(), nullable=False),
        sa.Column("outage_s", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("pk", name="pk_fleet_alert_events"),
    )
    op.create_index("ix_fleet_alert_events_profile_at", "fleet_alert_events", ["profile", "at"])
    op.create_table(
        "fleet_silences",
        sa.Column("pk", SurrogateKey, primary_key=True, autoincrement=True),
        sa.Column("profile", sa.String(100), nullable=False),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("ends_at", UTCDateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("pk", name="pk_fleet_silences"),
    )
    op.create_index("ix_fleet_silences_profile_ends_at", "fleet_silences", ["profile", "ends_at"])


def downgrade() -> None:
    op.drop_index("ix_fleet_silences_profile_ends_at", table_name="fleet_silences")
    op.drop_table("fleet_silences")
    op.drop_index("ix_fleet_alert_events_profile_at", table_name="fleet_alert_events")
    op.drop_table("fleet_alert_events")

"""Snapshots of the server's flow-economics metrics (issue 16), kept for ADMIN accounts only.

The server keeps no history of these metrics (`GET /flow-economics/metrics/history` is a
placeholder, contract §6.12), so each ADMIN sync stores what `GET /flow-economics/metrics`
answers at that moment; a report compares the last snapshot of a period with the last one of
the period before. The rows are admin-only data: each carries the `account` that read it and,
as for every per-caller entity (`scopes`), a read without an account shows nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from viva_desktop.services.local.store.models import Base
from viva_desktop.services.local.store.types import SurrogateKey

# Wire field (the server's name) -> column. Numbers only; the pools stay in `raw`.
FIELDS: dict[str, str] = {
    "giniIndex": "gini_index",
    "medianBalance": "median_balance",
    "meanBalance": "mean_balance",
    "wealthConcentration": "wealth_concentration",
    "transactionsCount": "transactions_count",
    "averageFlowMultiplier": "average_flow_multiplier",
    "totalValueGenerated": "total_value_generated",
    "totalPoolBalance": "total_pool_balance",
    "activeUsers": "active_users",
    "generousUsers": "generous_users",
}


class FlowMetricsRow(Base):
    """One answer of `GET /flow-economics/metrics`, read by `account` (an ADMIN's user id)."""

    __tablename__ = "flow_metrics"
    __table_args__ = (sa.Index(None, "profile", "account", "taken_at"),)

    pk: Mapped[int] = mapped_column(SurrogateKey, primary_key=True, autoincrement=True)
    profile: Mapped[str] = mapped_column(sa.String(100))
    account: Mapped[str] = mapped_column(sa.String(200))
    taken_at: Mapped[datetime]
    gini_index: Mapped[float | None] = mapped_column(sa.Float)
    median_balance: Mapped[float | None] = mapped_column(sa.Float)
    mean_balance: Mapped[float | None] = mapped_column(sa.Float)
    wealth_concentration: Mapped[float | None] = mapped_column(sa.Float)
    transactions_count: Mapped[float | None] = mapped_column(sa.Float)
    average_flow_multiplier: Mapped[float | None] = mapped_column(sa.Float)
    total_value_generated: Mapped[float | None] = mapped_column(sa.Float)
    total_pool_balance: Mapped[float | None] = mapped_column(sa.Float)
    active_users: Mapped[float | None] = mapped_column(sa.Float)
    generous_users: Mapped[float | None] = mapped_column(sa.Float)
    raw: Mapped[dict[str, Any]]


TABLE = FlowMetricsRow.__table__


@dataclass(frozen=True)
class FlowSnapshot:
    """The metrics as the server gave them at `taken_at`, by wire field name."""

    taken_at: datetime
    values: dict[str, float | None]


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if value == value else None  # NaN: not a value


def add(
    conn: sa.Connection, profile: str, account: str, taken_at: datetime, body: Mapping[str, Any]
) -> None:
    """Store one answer of the metrics route; fields missing or not numbers are kept empty."""
    if not account:
        raise ValueError("flow-economics metrics are admin-only: the account is required")
    row: dict[str, Any] = {"profile": profile, "account": account, "taken_at": taken_at}
    row.update({column: _number(body.get(wire)) for wire, column in FIELDS.items()})
    row["raw"] = dict(body)
    conn.execute(sa.insert(TABLE).values(row))


def _snapshot(row: sa.Row[Any]) -> FlowSnapshot:
    mapping = row._mapping
    return FlowSnapshot(
        mapping["taken_at"], {wire: mapping[column] for wire, column in FIELDS.items()}
    )


def latest(
    conn: sa.Connection, profile: str, account: str | None, start: datetime, end: datetime
) -> FlowSnapshot | None:
    """The last snapshot `account` took between `start` and `end` (None without an account)."""
    if not account:
        return None
    c = TABLE.c
    row = conn.execute(
        sa.select(TABLE)
        .where(c.profile == profile, c.account == account, c.taken_at.between(start, end))
        .order_by(c.taken_at.desc(), c.pk.desc())
        .limit(1)
    ).first()
    return _snapshot(row) if row is not None else None


def count(conn: sa.Connection, profile: str, account: str | None = None) -> int:
    """How many snapshots `profile` holds (of `account`, when given)."""
    c = TABLE.c
    stmt = sa.select(sa.func.count()).select_from(TABLE).where(c.profile == profile)
    if account is not None:
        stmt = stmt.where(c.account == account)
    return int(conn.execute(stmt).scalar_one())

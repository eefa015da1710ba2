"""Tables of issue 15 (fleet health): the alert-state history of every deployment and the
silences set on them, with the reads and writes the fleet watcher needs.

Health samples themselves stay in `health_samples` (one row per check, keyed by profile).
Rows are accepted as plain values, so this module does not depend on the monitoring service.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from viva_desktop.services.local.store.models import Base, HealthSampleRow
from viva_desktop.services.local.store.types import SurrogateKey


class AlertEventRow(Base):
    """One change of a deployment's alert state, notified or not, silenced or not."""

    __tablename__ = "fleet_alert_events"
    __table_args__ = (sa.Index(None, "profile", "at"),)

    pk: Mapped[int] = mapped_column(SurrogateKey, primary_key=True, autoincrement=True)
    profile: Mapped[str] = mapped_column(sa.String(100))
    at: Mapped[datetime]
    alert_state: Mapped[str] = mapped_column(sa.String(20))
    previous_alert_state: Mapped[str] = mapped_column(sa.String(20))
    state: Mapped[str] = mapped_column(sa.String(20))
    previous_state: Mapped[str | None] = mapped_column(sa.String(20))
    since: Mapped[datetime]
    message: Mapped[str] = mapped_column(sa.Text)
    cause: Mapped[str | None] = mapped_column(sa.String(40))
    notified: Mapped[bool] = mapped_column(sa.Boolean)
    silenced: Mapped[bool] = mapped_column(sa.Boolean)
    outage_s: Mapped[float | None] = mapped_column(sa.Float)


class SilenceRow(Base):
    """Alerts of `profile` between `starts_at` and `ends_at` are recorded but not sent."""

    __tablename__ = "fleet_silences"
    __table_args__ = (sa.Index(None, "profile", "ends_at"),)

    pk: Mapped[int] = mapped_column(SurrogateKey, primary_key=True, autoincrement=True)
    profile: Mapped[str] = mapped_column(sa.String(100))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    reason: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime]


EVENTS = AlertEventRow.__table__
SILENCES = SilenceRow.__table__
SAMPLES = HealthSampleRow.__table__
EVENT_FIELDS = tuple(c.name for c in EVENTS.columns if c.name != "pk")


def add_events(conn: sa.Connection, rows: Iterable[Mapping[str, Any]]) -> int:
    values = [{name: row.get(name) for name in EVENT_FIELDS} for row in rows]
    if values:
        conn.execute(sa.insert(EVENTS), values)
    return len(values)


def read_events(
    conn: sa.Connection, profile: str, *, since: datetime | None = None, limit: int = 500
) -> list[dict[str, Any]]:
    """Alert events of `profile`, newest first."""
    stmt = sa.select(*(EVENTS.c[n] for n in EVENT_FIELDS)).where(EVENTS.c.profile == profile)
    if since is not None:
        stmt = stmt.where(EVENTS.c.at >= since)
    stmt = stmt.order_by(EVENTS.c.at.desc(), EVENTS.c.pk.desc()).limit(limit)
    return [dict(r._mapping) for r in conn.execute(stmt)]


def add_silence(
    conn: sa.Connection,
    profile: str,
    starts_at: datetime,
    ends_at: datetime,
    reason: str | None,
    created_at: datetime,
) -> int:
    if ends_at <= starts_at:
        raise ValueError("a silence must end after it starts")
    result = conn.execute(
        sa.insert(SILENCES).values(
            profile=profile,
            starts_at=starts_at,
            ends_at=ends_at,
            reason=reason,
            created_at=created_at,
        )
    )
    return int(result.inserted_primary_key[0])


def end_silence(conn: sa.Connection, pk: int, at: datetime) -> None:
    """End a silence now (kept in the history with its real end)."""
    conn.execute(
        sa.update(SILENCES).where(SILENCES.c.pk == pk, SILENCES.c.ends_at > at).values(ends_at=at)
    )


def read_silences(
    conn: sa.Connection, *, active_at: datetime | None = None
) -> list[dict[str, Any]]:
    """Silences of every profile (those still running at `active_at` when given), by end."""
    stmt = sa.select(SILENCES)
    if active_at is not None:
        stmt = stmt.where(SILENCES.c.ends_at > active_at)
    stmt = stmt.order_by(SILENCES.c.ends_at.asc(), SILENCES.c.pk.asc())
    return [dict(r._mapping) for r in conn.execute(stmt)]


def _seconds_between(conn: sa.Connection, later: Any, earlier: Any) -> Any:
    if conn.dialect.name == "postgresql":
        return sa.extract("epoch", later - earlier)
    return (sa.func.julianday(later) - sa.func.julianday(earlier)) * 86400.0


def read_runs(
    conn: sa.Connection, profile: str, *, since: datetime, max_gap_s: float
) -> list[tuple[datetime, datetime, str]]:
    """`profile`'s history since `since` as runs `(first check, last check, state)`: checks of
    one state with no more than `max_gap_s` between them. The database keeps only each run's
    first and last rows (window functions), so a month of a steady deployment is one row pair
    instead of 170 000 rows to read."""
    order = (SAMPLES.c.taken_at, SAMPLES.c.pk)
    window = {"order_by": order}
    prev_state = sa.func.lag(SAMPLES.c.state).over(**window)
    next_state = sa.func.lead(SAMPLES.c.state).over(**window)
    prev_at = sa.func.lag(SAMPLES.c.taken_at).over(**window)
    next_at = sa.func.lead(SAMPLES.c.taken_at).over(**window)
    inner = (
        sa.select(
            SAMPLES.c.taken_at.label("at"),
            SAMPLES.c.state.label("state"),
            prev_state.label("prev_state"),
            next_state.label("next_state"),
            _seconds_between(conn, SAMPLES.c.taken_at, prev_at).label("gap_before"),
            _seconds_between(conn, next_at, SAMPLES.c.taken_at).label("gap_after"),
        )
        .where(SAMPLES.c.profile == profile, SAMPLES.c.taken_at >= since)
        .subquery()
    )
    starts = sa.or_(
        inner.c.prev_state.is_(None),
        inner.c.state != inner.c.prev_state,
        inner.c.gap_before > max_gap_s,
    )
    ends = sa.or_(
        inner.c.next_state.is_(None),
        inner.c.state != inner.c.next_state,
        inner.c.gap_after > max_gap_s,
    )
    stmt = (
        sa.select(
            inner.c.at,
            inner.c.state,
            starts.label("starts"),
            ends.label("ends"),
        )
        .where(sa.or_(starts, ends))
        .order_by(inner.c.at)
    )
    runs: list[tuple[datetime, datetime, str]] = []
    first: datetime | None = None
    for at, state, is_start, is_end in conn.execute(stmt):
        if is_start:
            first = at
        if is_end and first is not None:
            runs.append((first, at, state))
            first = None
    return runs


def prune(conn: sa.Connection, *, older_than: datetime) -> int:
    """Drop samples and alert events older than the retention, and long-ended silences."""
    removed = conn.execute(sa.delete(SAMPLES).where(SAMPLES.c.taken_at < older_than)).rowcount
    removed += conn.execute(sa.delete(EVENTS).where(EVENTS.c.at < older_than)).rowcount
    removed += conn.execute(sa.delete(SILENCES).where(SILENCES.c.ends_at < older_than)).rowcount
    return removed or 0

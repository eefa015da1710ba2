"""History of health polls (`services.health.HealthSample`), for the dashboard's charts.

Samples are accepted as any object (or mapping) with the sample's field names, so this module
does not depend on the health service; enums are stored by value.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from datetime import datetime
from enum import Enum
from typing import Any

import sqlalchemy as sa

from viva_desktop.services.local.store.models import HealthSampleRow

TABLE = HealthSampleRow.__table__
FIELDS = (
    "profile",
    "taken_at",
    "state",
    "http_latency_ms",
    "db_status",
    "db_latency_ms",
    "db_error",
    "version",
    "environment",
    "uptime_s",
    "rss_mb",
    "heap_used_mb",
    "heap_total_mb",
    "load_1m",
    "system_free_mb",
    "system_total_mb",
    "error",
)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def as_row(sample: Any) -> dict[str, Any]:
    if dataclasses.is_dataclass(sample) and not isinstance(sample, type):
        source: Mapping[str, Any] = {
            f.name: getattr(sample, f.name) for f in dataclasses.fields(sample)
        }
    elif isinstance(sample, Mapping):
        source = sample
    else:
        source = {name: getattr(sample, name, None) for name in FIELDS}
    row = {name: _plain(source.get(name)) for name in FIELDS}
    if not row["profile"] or row["taken_at"] is None or row["state"] is None:
        raise ValueError("a health sample needs profile, taken_at and state")
    return row


def add(conn: sa.Connection, samples: Iterable[Any]) -> int:
    rows = [as_row(sample) for sample in samples]
    if rows:
        conn.execute(sa.insert(TABLE), rows)
    return len(rows)


def read(
    conn: sa.Connection,
    profile: str,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Samples of `profile`, oldest first (the newest `limit` when a limit is given)."""
    stmt = sa.select(*(TABLE.c[name] for name in FIELDS)).where(TABLE.c.profile == profile)
    if since is not None:
        stmt = stmt.where(TABLE.c.taken_at >= since)
    if until is not None:
        stmt = stmt.where(TABLE.c.taken_at <= until)
    if limit is not None:
        stmt = stmt.order_by(TABLE.c.taken_at.desc(), TABLE.c.pk.desc()).limit(limit)
        rows = [dict(r._mapping) for r in conn.execute(stmt)]
        rows.reverse()
        return rows
    stmt = stmt.order_by(TABLE.c.taken_at.asc(), TABLE.c.pk.asc())
    return [dict(r._mapping) for r in conn.execute(stmt)]


def prune(conn: sa.Connection, profile: str, *, older_than: datetime) -> int:
    result = conn.execute(
        sa.delete(TABLE).where(TABLE.c.profile == profile, TABLE.c.taken_at < older_than)
    )
    return result.rowcount or 0

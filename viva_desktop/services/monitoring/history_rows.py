"""Stored health rows back into samples: the store keeps numbers as floats and states as
text, and older rows may hold a state this version no longer knows."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from viva_desktop.services.monitoring.health import HealthSample, HealthState


def state_of(value: object) -> HealthState:
    """A stored state as a `HealthState` (UNKNOWN for anything unexpected)."""
    try:
        return HealthState(str(value))
    except ValueError:
        return HealthState.UNKNOWN


def _int(value: object) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return round(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _float(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def sample_from_row(row: Mapping[str, Any]) -> HealthSample:
    """A stored row (the store keeps numbers as floats and states as text) as a sample."""
    try:
        state = HealthState(str(row.get("state")))
    except ValueError:
        state = HealthState.UNKNOWN
    return HealthSample(
        profile=str(row["profile"]),
        taken_at=_aware(row["taken_at"]),
        state=state,
        http_latency_ms=_float(row.get("http_latency_ms")),
        db_status=_str(row.get("db_status")),
        db_latency_ms=_int(row.get("db_latency_ms")),
        db_error=_str(row.get("db_error")),
        version=_str(row.get("version")),
        environment=_str(row.get("environment")),
        uptime_s=_int(row.get("uptime_s")),
        rss_mb=_int(row.get("rss_mb")),
        heap_used_mb=_int(row.get("heap_used_mb")),
        heap_total_mb=_int(row.get("heap_total_mb")),
        load_1m=_float(row.get("load_1m")),
        system_free_mb=_int(row.get("system_free_mb")),
        system_total_mb=_int(row.get("system_total_mb")),
        error=_str(row.get("error")),
    )

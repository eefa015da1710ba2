"""JSON and time conventions of the real server (Node.js): ISO dates with milliseconds and `Z`,
integral numbers without a fraction, NaN written as null."""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime, timedelta
from typing import Any


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """`2025-01-01T10:00:00.000Z`, the only date format the server emits."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def now_iso() -> str:
    return iso(utcnow())


def iso_in(**delta: float) -> str:
    """ISO time relative to now, e.g. `iso_in(days=-3)`."""
    return iso(utcnow() + timedelta(**delta))


def parse_iso(text: Any) -> datetime | None:
    """Parse the ISO-8601 forms `new Date()` accepts in practice; None when it is not a date."""
    if not isinstance(text, str) or not text.strip():
        return None
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = datetime.combine(date.fromisoformat(value), datetime.min.time())
        except ValueError:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def js_value(value: Any) -> Any:
    """What `JSON.stringify` would make of a value: 20.0 -> 20, NaN -> null, dates -> ISO."""
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        if value.is_integer() and abs(value) < 2**53:
            return int(value)
        return value
    if isinstance(value, dict):
        return {str(k): js_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [js_value(v) for v in value]
    if isinstance(value, datetime):
        return iso(value)
    return str(value)


def dumps(value: Any) -> bytes:
    return json.dumps(js_value(value), ensure_ascii=False, separators=(",", ":")).encode("utf-8")

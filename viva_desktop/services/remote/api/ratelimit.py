"""The server's `X-RateLimit-*` headers, parsed for the status bar and for back-off decisions.

The server counts per client IP, per route and per throttler (`default` and `strict`), and
`Reset` is the window length in milliseconds, not the time left (contract §3.7). The state
therefore describes the route of the last answer; `path` says which one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime


@dataclass(frozen=True)
class RateLimitBucket:
    limit: int | None
    remaining: int | None
    reset_seconds: float | None  # the throttler's window, from milliseconds

    @property
    def exhausted(self) -> bool:
        return self.remaining is not None and self.remaining <= 0


@dataclass(frozen=True)
class RateLimitState:
    default: RateLimitBucket | None
    strict: RateLimitBucket | None
    path: str = ""
    updated_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def remaining(self) -> int | None:
        """The smaller of the two budgets, the one that would block first."""
        values = [b.remaining for b in (self.default, self.strict) if b and b.remaining is not None]
        return min(values) if values else None

    @property
    def exhausted(self) -> bool:
        return any(b.exhausted for b in (self.default, self.strict) if b)

    @classmethod
    def from_headers(
        cls, headers: Mapping[str, str], path: str = "", updated_at: datetime | None = None
    ) -> RateLimitState | None:
        """None when the answer carried no rate-limit headers (e.g. an unmatched route).
        `updated_at` is when the answer arrived, now by default."""
        values = _rate_limit_values(headers)
        if not values:
            return None
        default = _bucket(values, "limit", "remaining", "reset")
        strict = _bucket(values, "limit-strict", "remaining-strict", "reset-strict")
        if default is None and strict is None:
            return None
        if updated_at is None:
            return cls(default=default, strict=strict, path=path)
        return cls(default=default, strict=strict, path=path, updated_at=updated_at)


_PREFIX = "x-ratelimit-"
_RAW_PREFIX = _PREFIX.encode("ascii")
_SKIP = len(_PREFIX)


def _rate_limit_values(headers: Mapping[str, str]) -> dict[str, bytes | str]:
    """The `x-ratelimit-*` header values by the rest of their lower-cased name (`limit`,
    `remaining-strict`...).

    Every answer passes through here, so httpx's headers are scanned as raw bytes in one
    pass: their `items()` would decode all of them (a good twenty on this server) to keep six.
    """
    raw = getattr(headers, "raw", None)
    if not isinstance(raw, list):
        return {k[_SKIP:].lower(): v for k, v in headers.items() if k[:_SKIP].lower() == _PREFIX}
    found: dict[str, bytes | str] = {}
    for key, value in raw:
        if key[:_SKIP].lower() == _RAW_PREFIX:
            found[key[_SKIP:].lower().decode("latin-1")] = value
    return found


def _bucket(
    values: Mapping[str, bytes | str], limit: str, remaining: str, reset: str
) -> RateLimitBucket | None:
    limit_value = _int(values.get(limit))
    remaining_value = _int(values.get(remaining))
    reset_value = _int(values.get(reset))
    if limit_value is None and remaining_value is None and reset_value is None:
        return None
    return RateLimitBucket(
        limit=limit_value,
        remaining=remaining_value,
        reset_seconds=reset_value / 1000.0 if reset_value is not None else None,
    )


def _int(value: bytes | str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        pass
    try:
        return int(float(value))
    except ValueError:
        return None

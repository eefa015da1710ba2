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
    def from_headers(cls, headers: Mapping[str, str], path: str = "") -> RateLimitState | None:
        """None when the answer carried no rate-limit headers (e.g. an unmatched route)."""
        lowered = _rate_limit_headers(headers)
        if not lowered:
            return None
        default = _bucket(lowered, "")
        strict = _bucket(lowered, "-strict")
        if default is None and strict is None:
            return None
        return cls(default=default, strict=strict, path=path)


_PREFIX = "x-ratelimit-"
_RAW_PREFIX = _PREFIX.encode("ascii")


def _rate_limit_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The `x-ratelimit-*` headers, names lower-cased.

    Every answer passes through here, so httpx's headers are scanned as raw bytes: its
    `items()` decodes all of them (a good twenty on this server) to keep six.
    """
    raw = getattr(headers, "raw", None)
    if isinstance(raw, list):
        return {
            key.lower().decode("latin-1"): value.decode("latin-1")
            for key, value in raw
            if key[: len(_RAW_PREFIX)].lower() == _RAW_PREFIX
        }
    return {k.lower(): v for k, v in headers.items() if k.lower().startswith(_PREFIX)}


def _bucket(headers: Mapping[str, str], suffix: str) -> RateLimitBucket | None:
    limit = _int(headers.get(f"x-ratelimit-limit{suffix}"))
    remaining = _int(headers.get(f"x-ratelimit-remaining{suffix}"))
    reset = _int(headers.get(f"x-ratelimit-reset{suffix}"))
    if limit is None and remaining is None and reset is None:
        return None
    return RateLimitBucket(
        limit=limit,
        remaining=remaining,
        reset_seconds=reset / 1000.0 if reset is not None else None,
    )


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(float(value))
    except ValueError:
        return None

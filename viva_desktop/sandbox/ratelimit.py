"""The two NestJS throttlers (`default` and `strict`) with per-IP, per-route-handler counters.

Like the real server the headers count down and never block, unless the server is configured to
behave like a fixed deployment (`enforce_rate_limits`), which answers 429 with `Retry-After`.
`window_ms` shortens every window in proportion (the one-minute windows become `window_ms`,
the login's 15 minutes 15 times that), so tests can pass several windows in seconds; the
`Reset` headers then carry the shortened windows, as the contract says they carry the
configured ones."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

DEFAULT_LIMIT = (100, 60_000)
STRICT_LIMIT = (10, 60_000)


@dataclass(frozen=True)
class Throttle:
    name: str  # "default" or "strict"
    limit: int
    ttl_ms: int

    @property
    def suffix(self) -> str:
        return "" if self.name == "default" else f"-{self.name}"


@dataclass(frozen=True)
class ThrottleOutcome:
    throttle: Throttle
    remaining: int
    blocked: bool
    retry_after_s: int


def throttles_for(
    default_override: tuple[int, int] | None, window_ms: int | None = None
) -> tuple[Throttle, Throttle]:
    """The route's two throttlers; with `window_ms`, every window scaled so that a minute
    becomes `window_ms`."""
    limit, ttl = default_override or DEFAULT_LIMIT
    strict_limit, strict_ttl = STRICT_LIMIT
    if window_ms is not None:
        ttl = max(1, round(ttl * window_ms / 60_000))
        strict_ttl = max(1, round(strict_ttl * window_ms / 60_000))
    return Throttle("default", limit, ttl), Throttle("strict", strict_limit, strict_ttl)


class RateLimiter:
    """In-memory hit counters; a counter starts with its first hit and expires after its window."""

    def __init__(
        self, enforce: bool = False, clock=time.monotonic, window_ms: int | None = None
    ) -> None:
        self.enforce = enforce
        self.window_ms = window_ms
        self._clock = clock
        self._lock = threading.Lock()
        self._hits: dict[tuple[str, str, str], tuple[int, float]] = {}

    def hit(
        self, client: str, route_key: str, throttles: tuple[Throttle, ...]
    ) -> list[ThrottleOutcome]:
        now = self._clock()
        outcomes: list[ThrottleOutcome] = []
        with self._lock:
            for throttle in throttles:
                key = (client, route_key, throttle.name)
                count, expires = self._hits.get(key, (0, 0.0))
                if expires <= now:
                    count, expires = 0, now + throttle.ttl_ms / 1000
                blocked = self.enforce and count >= throttle.limit
                if not blocked:
                    count += 1
                self._hits[key] = (count, expires)
                outcomes.append(
                    ThrottleOutcome(
                        throttle=throttle,
                        remaining=max(0, throttle.limit - count),
                        blocked=blocked,
                        retry_after_s=max(1, math.ceil(expires - now)),
                    )
                )
            if len(self._hits) > 50_000:
                self._hits = {k: v for k, v in self._hits.items() if v[1] > now}
        return outcomes


def rate_limit_headers(outcomes: list[ThrottleOutcome]) -> list[tuple[str, str]]:
    """`X-RateLimit-Limit/Remaining/Reset` (+ `-strict`); Reset is the window in ms, as observed."""
    headers: list[tuple[str, str]] = []
    for outcome in outcomes:
        t = outcome.throttle
        headers += [
            (f"X-RateLimit-Limit{t.suffix}", str(t.limit)),
            (f"X-RateLimit-Remaining{t.suffix}", str(outcome.remaining)),
            (f"X-RateLimit-Reset{t.suffix}", str(t.ttl_ms)),
        ]
    blocked = [o for o in outcomes if o.blocked]
    if blocked:
        headers.append(("Retry-After", str(max(o.retry_after_s for o in blocked))))
        for outcome in blocked:
            if outcome.throttle.suffix:
                headers.append(
                    (f"Retry-After{outcome.throttle.suffix}", str(outcome.retry_after_s))
                )
    return headers

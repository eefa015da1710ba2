"""Pacing to the server's rate limits: a budget per route and throttler, kept from the
`X-RateLimit-*` headers of every answer and from the `Retry-After` of a 429.

The server counts per client IP, per route handler and per throttler (`default`, `strict`);
`Reset` is the window's length, not the time left, and a counter starts with its first hit
(contract §3.7). So the window of a route is taken to start with the answer that shows a full
budget less one (or with the first answer seen, which only makes the estimate later, never
earlier), and to end `Reset` after it. When a route's budget is used up, the next request on it
waits for that end instead of being sent to be refused (on a server that enforces) or to spend
the budget everyone behind the same address shares (on one that never does). A 429 blocks the
route until its `Retry-After` has passed, whatever the pacing setting says.

Waits up to `inline_wait_limit()` are slept in the requesting thread; longer ones raise
`RateLimited` without sending anything, so a caller such as the sync can go on with other
routes and come back later. Sign-in, registration and refresh are never retried automatically:
their budgets (5 sign-ins per 15 minutes) belong to the person typing.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from viva_desktop.services.remote.api.error_mapping import parse_retry_after
from viva_desktop.services.remote.api.ratelimit import _bucket, _rate_limit_values

NO_AUTOMATIC_RETRY = frozenset({"/auth/login", "/auth/register", "/auth/refresh"})
"""Routes whose budget a person spends by hand: a failure goes back to them, never repeated."""

NOT_PACED = frozenset({"/auth/login", "/auth/register", "/auth/refresh", "/auth/logout"})
"""Routes sent when a person asks, never held back by pacing (a 429 still blocks them)."""

MARGIN_S = 0.05
"""Added to every estimated window end: the server's clock starts the window a little after
this machine sent the request that opened it."""

_inline_wait: ContextVar[float | None] = ContextVar("viva_inline_rate_wait", default=None)

_ID_SEGMENT = re.compile(
    r"^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    r"|\d+|[0-9a-fA-F]{24,}|c[a-z0-9]{20,})$"
)


def inline_wait_limit() -> float | None:
    """The longest rate-limit wait this thread sleeps through (None: the retry policy's)."""
    return _inline_wait.get()


@contextmanager
def waits_up_to(seconds: float) -> Iterator[None]:
    """Within the block, longer rate-limit waits raise `RateLimited` instead of sleeping."""
    token = _inline_wait.set(seconds)
    try:
        yield
    finally:
        _inline_wait.reset(token)


def route_key(method: str, path: str) -> str:
    """The route handler a path reaches, as far as the client can tell: ids become `{id}`."""
    path = path.split("?", 1)[0]
    parts = ["{id}" if _ID_SEGMENT.match(p) else p for p in path.strip("/").split("/")]
    return f"{method.upper()} /{'/'.join(parts)}"


@dataclass
class _Budget:
    """One throttler's counter on one route."""

    limit: int | None = None
    remaining: int | None = None
    window_s: float | None = None
    window_end: float | None = None  # monotonic estimate of the reset
    blocked_until: float | None = None  # from a 429's Retry-After

    def wait(self, now: float, paced: bool) -> float:
        waits = [0.0]
        if self.blocked_until is not None:
            waits.append(self.blocked_until - now)
        used_up = self.remaining is not None and self.remaining <= 0
        if paced and used_up and self.window_end is not None:
            waits.append(self.window_end - now)
        return max(waits)


@dataclass(frozen=True)
class PacingWait:
    """What holds a route back: how long, and which throttler."""

    seconds: float
    route: str
    throttler: str
    refused: bool  # the server answered 429 (else: the budget is known to be used up)


@dataclass(frozen=True)
class RouteBudget:
    """A route's budget as last seen, for estimates: requests left and when it renews."""

    route: str
    throttler: str
    limit: int | None
    remaining: int | None
    window_s: float | None
    resets_in: float | None


class Pacer:
    """Budgets of one server (thread-safe). `enabled` False: no waiting for used-up budgets
    on a server that never refuses; the waits a 429 asks for stay."""

    def __init__(self, *, enabled: bool = True, clock: Callable[[], float] = time.monotonic):
        self.enabled = enabled
        self._clock = clock
        self._lock = threading.Lock()
        self._budgets: dict[tuple[str, str], _Budget] = {}

    # ------------------------------------------------------------------ before a request

    def wait_before(self, method: str, path: str) -> PacingWait | None:
        """How long a request must wait so as not to be refused, or None to send it now."""
        route = route_key(method, path)
        paced = self.enabled and path.split("?", 1)[0] not in NOT_PACED
        now = self._clock()
        worst: PacingWait | None = None
        with self._lock:
            for throttler in ("default", "strict"):
                budget = self._budgets.get((route, throttler))
                if budget is None:
                    continue
                seconds = budget.wait(now, paced)
                if seconds > 0 and (worst is None or seconds > worst.seconds):
                    refused = budget.blocked_until is not None and budget.blocked_until > now
                    worst = PacingWait(seconds, route, throttler, refused)
        return worst

    # ------------------------------------------------------------------ after an answer

    def note_answer(
        self, method: str, path: str, status: int, headers: Mapping[str, str], sent_at: float
    ) -> None:
        """Update the route's budgets from an answer to a request sent at `sent_at`."""
        values = _rate_limit_values(headers)
        retry_after = _retry_after(headers) if status == 429 else None
        if not values and retry_after is None:
            return
        route = route_key(method, path)
        now = self._clock()
        with self._lock:
            for throttler, suffix in (("default", ""), ("strict", "-strict")):
                seen = _bucket(values, f"limit{suffix}", f"remaining{suffix}", f"reset{suffix}")
                own_wait = _retry_after(headers, suffix) if suffix and status == 429 else None
                if seen is None and own_wait is None:
                    continue
                budget = self._budgets.setdefault((route, throttler), _Budget())
                if seen is not None:
                    self._update(budget, seen.limit, seen.remaining, seen.reset_seconds, now)
                if status == 429:
                    wait = own_wait
                    if wait is None and (budget.remaining is None or budget.remaining <= 0):
                        wait = retry_after
                    if wait is not None:
                        budget.blocked_until = now + wait + MARGIN_S
                        budget.remaining = 0
                        budget.window_end = max(budget.window_end or 0.0, budget.blocked_until)
            if status == 429 and retry_after is not None:
                refused = [self._budgets.get((route, t)) for t in ("default", "strict")]
                if not any(b is not None and b.blocked_until for b in refused):
                    budget = self._budgets.setdefault((route, "default"), _Budget())
                    budget.blocked_until = now + retry_after + MARGIN_S

    @staticmethod
    def _update(
        budget: _Budget,
        limit: int | None,
        remaining: int | None,
        window_s: float | None,
        now: float,
    ) -> None:
        renewed = (
            budget.remaining is None
            or budget.window_end is None
            or now >= budget.window_end
            or (remaining is not None and remaining > budget.remaining)
            or (limit is not None and remaining is not None and remaining >= limit - 1)
        )
        budget.limit, budget.remaining = limit, remaining
        if window_s is not None:
            budget.window_s = window_s
            if renewed:
                budget.window_end = now + window_s + MARGIN_S
        if budget.blocked_until is not None and budget.blocked_until <= now:
            budget.blocked_until = None

    # ------------------------------------------------------------------ reading

    def budget(self, method: str, path: str) -> list[RouteBudget]:
        """The known budgets of a route (for the sync's time-left estimate)."""
        route = route_key(method, path)
        now = self._clock()
        with self._lock:
            found = []
            for throttler in ("default", "strict"):
                b = self._budgets.get((route, throttler))
                if b is None:
                    continue
                expired = b.window_end is not None and now >= b.window_end
                found.append(
                    RouteBudget(
                        route,
                        throttler,
                        b.limit,
                        b.limit if expired else b.remaining,
                        b.window_s,
                        None if b.window_end is None else max(0.0, b.window_end - now),
                    )
                )
            return found

    def forget(self) -> None:
        with self._lock:
            self._budgets.clear()


def _retry_after(headers: Mapping[str, str], suffix: str = "") -> float | None:
    """Seconds from `Retry-After` (`suffix` "-strict": only that throttler's twin)."""
    value = headers.get(f"Retry-After{suffix}") or headers.get(f"retry-after{suffix}")
    if value is None:
        return None
    return parse_retry_after({"retry-after": value})


def extra_requests_wait(budgets: list[RouteBudget], requests: int) -> float:
    """Seconds of rate-limit waiting that `requests` more requests on a route will need, from
    its budgets: every full window of requests beyond what is left costs one window."""
    worst = 0.0
    for b in budgets:
        if not b.limit or b.window_s is None or b.remaining is None:
            continue
        beyond = requests - max(0, b.remaining)
        if beyond <= 0:
            continue
        windows = -(-beyond // b.limit)  # ceil
        wait = (b.resets_in or 0.0) + (windows - 1) * b.window_s
        worst = max(worst, wait)
    return worst

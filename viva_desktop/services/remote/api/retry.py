"""When and how long to wait before repeating a request (tenacity underneath).

Only failures that cannot have changed anything, or requests that are safe to repeat, are
retried: connection failures before sending, and for idempotent requests also timeouts, dropped
connections and 502/503/504. A 429 is retried for any method because the server refused the
request before running it, but only when the wait it asks for fits within `max_wait`;
otherwise the `RateLimited` error goes straight back to the caller, who can schedule a later
attempt instead of blocking a worker thread for a minute (a caller can lower that limit for
its own thread with `pacing.waits_up_to`).

The retries of one request share a deadline (`deadline`, 45 s by default): no attempt starts
after it, and the client shortens the last attempt's timeout to end with it, so a server that
accepts connections and never answers costs one deadline, not attempts × timeout.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import tenacity

from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.services.remote.api.errors import (
    Cancelled,
    NetworkUnreachable,
    RateLimited,
    RequestTimeout,
    ServerError,
)
from viva_desktop.services.remote.api.pacing import inline_wait_limit

log = logging.getLogger("viva.api")

Sleep = Callable[[float], None]
T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 4
    initial_wait: float = 0.5  # first exponential back-off step, seconds
    max_backoff: float = 8.0  # cap of one exponential step
    jitter: float = 0.5  # up to this many seconds added at random
    max_wait: float = 30.0  # longest server-directed wait (Retry-After) we sleep through
    retry_statuses: frozenset[int] = frozenset({429, 502, 503, 504})
    sleep: Sleep | None = None  # injectable for tests; the default sleeps on the cancel token
    deadline: float | None = 45.0  # seconds all attempts of one request share (None: no limit)

    @property
    def wait_limit(self) -> float:
        """The longest server-directed wait slept through in this thread."""
        limit = inline_wait_limit()
        return self.max_wait if limit is None else min(self.max_wait, limit)

    def deadline_from(self, start: float) -> float | None:
        """The monotonic time after which no attempt of a request started at `start` runs."""
        return None if self.deadline is None else start + self.deadline

    def should_retry(self, error: BaseException) -> bool:
        if isinstance(error, RateLimited):
            if error.details.status is None:  # held back by pacing, never sent
                return False
            return 429 in self.retry_statuses and error.retry_after <= self.wait_limit
        if isinstance(error, ServerError):
            status = error.details.status
            if status not in self.retry_statuses:
                return False
            return error.retry_after is None or error.retry_after <= self.wait_limit
        # By construction a NetworkUnreachable or RequestTimeout of a non-idempotent request
        # means it never left (otherwise it would be an UnknownOutcome).
        return isinstance(error, NetworkUnreachable | RequestTimeout) and error.retryable

    def wait_for(self, error: BaseException | None, attempt: int) -> float:
        """Seconds to wait before attempt number `attempt + 1`."""
        if isinstance(error, RateLimited):
            return error.retry_after
        if isinstance(error, ServerError) and error.retry_after is not None:
            return error.retry_after
        return self._backoff(attempt)

    def _backoff(self, attempt: int) -> float:
        strategy = tenacity.wait_exponential_jitter(
            multiplier=self.initial_wait, max=self.max_backoff, jitter=self.jitter
        )
        state = tenacity.RetryCallState(None, None, (), {})
        state.attempt_number = attempt
        return strategy(state)

    def run(
        self,
        attempt: Callable[[], T],
        cancel: CancelToken,
        *,
        enabled: bool = True,
        deadline_at: float | None = None,
    ) -> T:
        """`attempt()` under this policy, exactly as `retrying(cancel, enabled=enabled)` would
        run it, but the first try runs bare: nearly every request succeeds at once, and building
        and driving a tenacity controller would cost more than the rest of the client's work.
        Only a failure worth retrying pays for the machinery."""
        try:
            return attempt()
        except Exception as exc:
            if not enabled or self.max_attempts <= 1 or not self.should_retry(exc):
                raise
            first_failure = exc
        replayed = False

        def again() -> T:
            # Tenacity sees the failure that already happened as its first attempt, so waits,
            # logging and attempt numbers are the same as if it had run it.
            nonlocal replayed
            if not replayed:
                replayed = True
                raise first_failure
            return attempt()

        return self.retrying(cancel, enabled=enabled, deadline_at=deadline_at)(again)

    def retrying(
        self, cancel: CancelToken, *, enabled: bool = True, deadline_at: float | None = None
    ) -> tenacity.Retrying:
        """A tenacity controller whose waits end early, with `Cancelled`, when `cancel` fires."""

        def sleep(seconds: float) -> None:
            if cancel.cancelled:
                raise Cancelled
            if self.sleep is not None:
                self.sleep(seconds)
            elif cancel.wait(seconds):
                raise Cancelled
            if cancel.cancelled:
                raise Cancelled

        def wait(state: tenacity.RetryCallState) -> float:
            error = state.outcome.exception() if state.outcome else None
            return self.wait_for(error, state.attempt_number)

        def before_sleep(state: tenacity.RetryCallState) -> None:
            error = state.outcome.exception() if state.outcome else None
            details = getattr(error, "details", None)
            log.info(
                "retrying %s %s in %.1f s after %s (attempt %d of %d)",
                getattr(details, "method", "?"),
                getattr(details, "path", "?"),
                state.upcoming_sleep,
                type(error).__name__,
                state.attempt_number,
                self.max_attempts,
                extra={"request_id": getattr(details, "request_id", None)},
            )

        stop = tenacity.stop_after_attempt(max(1, self.max_attempts) if enabled else 1)
        if deadline_at is not None:

            def past_deadline(state: tenacity.RetryCallState) -> bool:
                error = state.outcome.exception() if state.outcome else None
                if isinstance(error, RateLimited):
                    return False  # a wait the server asked for, not a silent server
                return time.monotonic() + (state.upcoming_sleep or 0.0) >= deadline_at

            stop = tenacity.stop_any(stop, past_deadline)
        return tenacity.Retrying(
            stop=stop,
            wait=wait,
            retry=tenacity.retry_if_exception(self.should_retry),
            sleep=sleep,
            before_sleep=before_sleep,
            reraise=True,
        )

"""Requests still waiting for an answer, so a screen can say "no answer for 20 s — retrying
until 12:04" while a server is silent (the client itself stays synchronous)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


@dataclass(frozen=True)
class Stall:
    """The longest-waiting request: for how long, and until when it is retried (None: it is
    not repeated, it fails with its timeout)."""

    method: str
    path: str
    waiting_s: float
    retry_until: datetime | None


class InFlight:
    """Start times of the requests in progress. Plain dict operations, atomic under the GIL:
    every request passes here, so no lock is taken."""

    def __init__(self) -> None:
        self._running: dict[str, tuple[float, float | None, str, str]] = {}

    def start(self, request_id: str, method: str, path: str, deadline_at: float | None) -> None:
        self._running[request_id] = (time.monotonic(), deadline_at, method, path)

    def finish(self, request_id: str) -> None:
        self._running.pop(request_id, None)

    def stalled(self, after_s: float = 10.0) -> Stall | None:
        """The request waiting longest, once it has waited `after_s` seconds."""
        now = time.monotonic()
        oldest = None
        for started, deadline_at, method, path in list(self._running.values()):
            if oldest is None or started < oldest[0]:
                oldest = (started, deadline_at, method, path)
        if oldest is None or now - oldest[0] < after_s:
            return None
        started, deadline_at, method, path = oldest
        until = None
        if deadline_at is not None:
            until = datetime.now(UTC) + timedelta(seconds=max(0.0, deadline_at - now))
        return Stall(method, path, now - started, until)

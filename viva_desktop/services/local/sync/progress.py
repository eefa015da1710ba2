"""One entity's run as this session sees it: counters, the resume marker, and the rate and
time-left estimate reported after each page."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from viva_desktop.services.local.store.syncstate import SyncState
from viva_desktop.services.local.store.types import parse_timestamp
from viva_desktop.services.local.sync.report import EntityResult, SyncProgress
from viva_desktop.services.local.sync.sources import Source
from viva_desktop.services.remote.api.errors import ApiError


class EntityRun:
    """One entity's run as this session sees it: counters, marker, timing."""

    def __init__(self, source: Source, state: SyncState, resumed: bool) -> None:
        self.source = source
        self.state = state
        self.resumed = resumed
        self.marker: dict[str, Any] = dict(state.marker or {"part": 0, "page": {}})
        self.pages = state.pages
        self.items = state.items
        self.total = state.total
        self.newest = parse_timestamp(self.marker.get("newest"))
        self._started = time.monotonic()
        self._items_at_start = state.items
        self._waited = 0.0  # seconds of rate-limit waiting in this session (not work time)
        self.page_size: int | None = None
        # Seconds of rate-limit waiting that N more requests need (from the pacer's budget).
        self.waits_for: Callable[[int], float] | None = None

    def note_wait(self, seconds: float) -> None:
        """Time spent waiting for the rate limit: left out of the rate, counted in the ETA."""
        self._waited += max(0.0, seconds)

    def note_times(
        self, wire: list[dict[str, Any]], key: str | None, stop_before: datetime | None
    ) -> bool:
        """Track the newest record seen; True when the page is entirely older than
        `stop_before` (an incremental walk has caught up with the last run)."""
        if key is None:
            return False
        times = [t for t in (parse_timestamp(r.get(key)) for r in wire) if t is not None]
        if not times:
            return False
        newest = max(times)
        self.newest = newest if self.newest is None else max(self.newest, newest)
        return stop_before is not None and newest < stop_before

    def progress(self, *, done: bool) -> SyncProgress:
        elapsed = max(time.monotonic() - self._started - self._waited, 1e-6)
        rate = (self.items - self._items_at_start) / elapsed
        eta = None
        if self.total is not None and rate > 0:
            left = max(0, self.total - self.items)
            eta = left / rate
            if self.waits_for is not None and self.page_size:
                eta += self.waits_for(math.ceil(left / self.page_size))
        return SyncProgress(
            self.source.entity,
            self.pages,
            self.items,
            self.total,
            rate,
            0.0 if done else eta,
            done,
            self.resumed,
        )

    def result(
        self,
        status: str,
        *,
        gone: int = 0,
        error: ApiError | None = None,
        resume_at: datetime | None = None,
    ) -> EntityResult:
        return EntityResult(
            self.source.entity,
            status,
            self.pages,
            self.items,
            gone,
            self.state.full_pass,
            self.resumed,
            error,
            resume_at,
        )

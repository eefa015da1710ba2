"""Honest availability: the share of *observed* time during which a deployment was usable.

    availability = (healthy time + degraded time) / observed time

- Each check's state stands from that check until the next one, but never longer than
  `max_gap` (three intervals, at least a few minutes). Beyond that nobody was watching: the
  time is *no data*, counted neither way and drawn as a gap.
- An ongoing outage counts up to now (as long as checks still come), so availability falls
  while it lasts, not only after recovery.
- `unknown` (the server answered without a verdict) is no data too.
- Degraded time is reported beside the figure: "99.2 % up, 31 % of it degraded".

The history is kept as *runs* of one state (consecutive checks of one state, no gap between
them), so thirty days of a mostly healthy deployment are a handful of runs, and availability
over any window costs as many steps as there were state changes.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from viva_desktop.services.common.i18n import translate
from viva_desktop.services.monitoring.health import HealthState

_UP = frozenset({HealthState.HEALTHY, HealthState.DEGRADED})
_NO_DATA = frozenset({HealthState.UNKNOWN})


def max_gap_for(interval_s: float) -> timedelta:
    """How long one check's state may stand for: three intervals, at least two minutes."""
    return max(timedelta(minutes=2), timedelta(seconds=3 * interval_s))


@dataclass(frozen=True)
class Segment:
    """A stretch of watched time in one state; what lies between segments is no data."""

    start: datetime
    end: datetime
    state: HealthState

    @property
    def seconds(self) -> float:
        return max(0.0, (self.end - self.start).total_seconds())


@dataclass(frozen=True)
class Availability:
    """Seconds per kind of time in one window; `ratio` is None when nothing was observed."""

    observed_s: float = 0.0
    healthy_s: float = 0.0
    degraded_s: float = 0.0

    @property
    def up_s(self) -> float:
        return self.healthy_s + self.degraded_s

    @property
    def ratio(self) -> float | None:
        return self.up_s / self.observed_s if self.observed_s > 0 else None

    @property
    def percent(self) -> float | None:
        ratio = self.ratio
        if ratio is None:
            return None
        percent = round(ratio * 100.0, 3)
        return min(percent, 99.999) if ratio < 1.0 else percent  # an outage never rounds away

    @property
    def degraded_share(self) -> float | None:
        """Share of the up time that was degraded."""
        return self.degraded_s / self.up_s if self.up_s > 0 else None

    def text(self) -> str:
        """ "99.2 % up, 31 % of it degraded", or "no data"."""
        ratio = self.ratio
        if ratio is None:
            return translate("Availability", "no data")
        up = translate("Availability", "{percent} % up").format(percent=_percent(ratio))
        share = self.degraded_share
        if share is None or share <= 0:
            return up
        return translate("Availability", "{up}, {share} % of it degraded").format(
            up=up, share=f"{share * 100:.0f}"
        )


def _percent(ratio: float) -> str:
    """Never rounds an outage away: 99.996 % shows as 99.99, not 100."""
    if ratio >= 1.0:
        return "100"
    text = f"{ratio * 100:.2f}"
    return "99.99" if text == "100.00" else text


class _Run:
    __slots__ = ("last", "start", "state")

    def __init__(self, start: datetime, state: HealthState) -> None:
        self.start = start
        self.last = start
        self.state = state


class Timeline:
    """One deployment's states over time, as runs; thread-safe."""

    def __init__(self, max_gap: timedelta) -> None:
        self.max_gap = max_gap
        self._runs: list[_Run] = []
        self._lock = threading.Lock()

    def add(self, at: datetime, state: HealthState) -> None:
        """One check; checks older than the newest one are ignored (the watcher is ordered)."""
        with self._lock:
            if self._runs:
                last = self._runs[-1]
                if at < last.last:
                    return
                if state is last.state and at - last.last <= self.max_gap:
                    last.last = at
                    return
            self._runs.append(_Run(at, state))

    def add_run(self, start: datetime, last: datetime, state: HealthState) -> None:
        """A whole run read back from the store (`fleet_tables.read_runs`), oldest first."""
        with self._lock:
            if self._runs and start < self._runs[-1].last:
                return
            run = _Run(start, state)
            run.last = last
            self._runs.append(run)

    def extend(self, checks: Iterable[tuple[datetime, HealthState]]) -> None:
        for at, state in sorted(checks, key=lambda c: c[0]):
            self.add(at, state)

    def prune(self, before: datetime) -> None:
        """Forget runs that ended before `before`."""
        with self._lock:
            keep = 0
            while keep < len(self._runs) and self._runs[keep].last + self.max_gap < before:
                keep += 1
            del self._runs[:keep]

    @property
    def last_check(self) -> datetime | None:
        with self._lock:
            return self._runs[-1].last if self._runs else None

    def segments(self, start: datetime, end: datetime) -> list[Segment]:
        """The watched stretches within `[start, end]`, oldest first (gaps are no data)."""
        with self._lock:
            runs = list(self._runs)
        first = max(0, bisect.bisect_left([r.last for r in runs], start - self.max_gap) - 1)
        out: list[Segment] = []
        for index in range(first, len(runs)):
            run = runs[index]
            if run.start > end:
                break
            stop = run.last + self.max_gap
            if index + 1 < len(runs):
                stop = min(stop, runs[index + 1].start)
            stop = min(stop, end)
            lo = max(run.start, start)
            if stop > lo:
                out.append(Segment(lo, stop, run.state))
        return out

    def availability(self, start: datetime, end: datetime) -> Availability:
        healthy = degraded = observed = 0.0
        for segment in self.segments(start, end):
            if segment.state in _NO_DATA:
                continue
            seconds = segment.seconds
            observed += seconds
            if segment.state is HealthState.HEALTHY:
                healthy += seconds
            elif segment.state is HealthState.DEGRADED:
                degraded += seconds
        return Availability(observed, healthy, degraded)

    def availability_over(self, window: timedelta, now: datetime) -> Availability:
        return self.availability(now - window, now)


WINDOWS: dict[str, timedelta] = {
    "24h": timedelta(hours=24),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
}


def availability_percents(timeline: Timeline, now: datetime) -> dict[str, float | None]:
    """{"24h": percent or None, "7d": ..., "30d": ...}: the CLI's and the fleet table's figures."""
    return {key: timeline.availability_over(window, now).percent for key, window in WINDOWS.items()}


def is_up(state: HealthState) -> bool:
    return state in _UP

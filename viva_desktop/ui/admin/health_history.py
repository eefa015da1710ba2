"""The health history a page shows: samples from the store, incidents and uptime over them.

Plain Python (no Qt): `load_history` runs on a worker thread, and `HealthHistory.with_sample`
folds each live sample in on the GUI thread without going back to the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any, Protocol

from viva_desktop.services.common.i18n import QT_TRANSLATE_NOOP, translate
from viva_desktop.services.monitoring.health import (
    HealthSample,
    Incident,
    incidents,
    severity,
    uptime_ratio,
)
from viva_desktop.services.monitoring.history_rows import sample_from_row

DAY = timedelta(days=1)
WEEK = timedelta(days=7)
RETENTION = timedelta(days=30)
"""How long samples stay in the store: the charts need a week; a month leaves room to look back
at an incident report."""


class HistoryRange(Enum):
    """The chart's time windows; the value is (length, label marked for translation)."""

    HOUR = (timedelta(hours=1), QT_TRANSLATE_NOOP("HealthRange", "Last hour"))
    DAY = (DAY, QT_TRANSLATE_NOOP("HealthRange", "Last 24 hours"))
    WEEK = (WEEK, QT_TRANSLATE_NOOP("HealthRange", "Last 7 days"))

    @property
    def window(self) -> timedelta:
        return self.value[0]

    @property
    def label(self) -> str:
        return translate("HealthRange", self.value[1])


class SampleSource(Protocol):
    """What `load_history` needs from the store."""

    def health_samples(
        self, profile: str, *, since: datetime | None = None
    ) -> list[dict[str, Any]]: ...


def max_gap_for(poll_interval_s: float) -> timedelta:
    """How long one sample's state may stand for: beyond it, nobody was watching."""
    return max(timedelta(minutes=10), timedelta(seconds=3 * poll_interval_s))


@dataclass(frozen=True)
class HealthHistory:
    """A week of samples of one profile, with what the health page derives from them."""

    profile: str
    now: datetime
    samples: tuple[HealthSample, ...]  # the last 7 days, oldest first
    all_incidents: tuple[Incident, ...]
    uptime_24h: float | None
    uptime_7d: float | None
    max_gap: timedelta = timedelta(minutes=10)

    @classmethod
    def build(
        cls,
        profile: str,
        samples: Iterable[HealthSample],
        now: datetime,
        *,
        max_gap: timedelta = timedelta(minutes=10),
    ) -> HealthHistory:
        ordered = sorted((s for s in samples if s.taken_at >= now - WEEK), key=lambda s: s.taken_at)
        return cls(
            profile=profile,
            now=now,
            samples=tuple(ordered),
            all_incidents=tuple(incidents(ordered)),
            uptime_24h=uptime_ratio(ordered, DAY, now, max_gap=max_gap),
            uptime_7d=uptime_ratio(ordered, WEEK, now, max_gap=max_gap),
            max_gap=max_gap,
        )

    def with_sample(self, sample: HealthSample, now: datetime | None = None) -> HealthHistory:
        """This history plus one newer sample (older or duplicate samples are ignored)."""
        if sample.profile != self.profile:
            return self
        if self.samples and sample.taken_at <= self.samples[-1].taken_at:
            return replace(self, now=max(self.now, now or self.now))
        return HealthHistory.build(
            self.profile,
            (*self.samples, sample),
            max(now or sample.taken_at, sample.taken_at),
            max_gap=self.max_gap,
        )

    def in_window(self, window: timedelta) -> list[HealthSample]:
        start = self.now - window
        return [s for s in self.samples if s.taken_at >= start]

    def incidents_in(self, window: timedelta) -> list[Incident]:
        """Incidents that overlap the window, newest first."""
        start = self.now - window
        found = [i for i in self.all_incidents if i.end is None or i.end >= start]
        return sorted(found, key=lambda i: i.start, reverse=True)

    @property
    def latest(self) -> HealthSample | None:
        return self.samples[-1] if self.samples else None


def load_history(
    store: SampleSource,
    profile: str,
    *,
    now: datetime | None = None,
    max_gap: timedelta = timedelta(minutes=10),
) -> HealthHistory:
    """Read the last week of `profile`'s samples from the store (blocking: use the worker)."""
    moment = now or datetime.now(UTC)
    rows = store.health_samples(profile, since=moment - WEEK)
    return HealthHistory.build(profile, (sample_from_row(r) for r in rows), moment, max_gap=max_gap)


def downsample(samples: Sequence[HealthSample], max_points: int) -> list[HealthSample]:
    """At most `max_points` samples for a chart, keeping in each time bucket the worst one.

    A week at a 15 s interval is 40 000 samples; plotting them all is slow and shows no more
    than this: an outage never disappears into an average.
    """
    if len(samples) <= max_points or max_points < 1:
        return list(samples)
    start = samples[0].taken_at
    span = (samples[-1].taken_at - start).total_seconds() or 1.0
    buckets: dict[int, HealthSample] = {}
    for sample in samples:
        index = min(
            max_points - 1, int((sample.taken_at - start).total_seconds() / span * max_points)
        )
        current = buckets.get(index)
        if current is None or _weight(sample) > _weight(current):
            buckets[index] = sample
    return [buckets[i] for i in sorted(buckets)]


def _weight(sample: HealthSample) -> tuple[int, float]:
    return severity(sample.state), sample.http_latency_ms or 0.0

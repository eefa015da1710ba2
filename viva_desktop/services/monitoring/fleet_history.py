"""One deployment's history over a chosen range, for the detail view and its CSV export:
samples, the cause of every non-healthy one, incidents with their worst state and cause, the
alert-state changes (silenced ones marked), the watched stretches and the availability.

Read on a worker thread (`load_detail` blocks on the store)."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from viva_desktop.services.local.store import Store, fleet_tables
from viva_desktop.services.monitoring.availability import Availability, Segment, Timeline
from viva_desktop.services.monitoring.causes import Cause, cause_of
from viva_desktop.services.monitoring.health import (
    HealthSample,
    HealthState,
    HealthThresholds,
    incidents,
    samples_to_csv,
    severity,
)
from viva_desktop.services.monitoring.history_rows import sample_from_row


@dataclass(frozen=True)
class Problem:
    """A non-healthy sample and why."""

    sample: HealthSample
    cause: Cause | None
    detail: str


@dataclass(frozen=True)
class IncidentSummary:
    start: datetime
    end: datetime | None  # None while it lasts
    duration: timedelta  # up to the end, or up to `now` while it lasts
    worst_state: HealthState
    cause: Cause | None
    samples: int


@dataclass(frozen=True)
class FleetDetail:
    profile: str
    start: datetime
    end: datetime
    samples: tuple[HealthSample, ...]
    problems: tuple[Problem, ...]
    incidents: tuple[IncidentSummary, ...]  # newest first
    events: tuple[dict[str, Any], ...]  # alert-state changes, newest first
    segments: tuple[Segment, ...]
    availability: Availability

    @property
    def first_sample(self) -> datetime | None:
        return self.samples[0].taken_at if self.samples else None


def problems_of(
    samples: Iterable[HealthSample], thresholds: HealthThresholds | None = None
) -> list[Problem]:
    limits = thresholds or HealthThresholds()
    out = []
    for sample in samples:
        if sample.state is HealthState.HEALTHY:
            continue
        detail = " ".join(limits.concerns(sample)) or (sample.error or "")
        out.append(Problem(sample, cause_of(sample, limits), detail))
    return out


def incident_summaries(samples: Sequence[HealthSample], now: datetime) -> list[IncidentSummary]:
    """Incidents (stretches of non-healthy samples), newest first, each with the cause of its
    worst sample; an ongoing one lasts up to `now`."""
    times = [s.taken_at for s in samples]
    out = []
    for incident in incidents(samples):
        lo = bisect.bisect_left(times, incident.start)
        hi = bisect.bisect_left(times, incident.end) if incident.end else len(samples)
        stretch = [s for s in samples[lo:hi] if s.state is not HealthState.HEALTHY]
        worst = max(stretch, key=lambda s: severity(s.state)) if stretch else None
        duration = incident.duration if incident.end else now - incident.start
        out.append(
            IncidentSummary(
                incident.start,
                incident.end,
                duration,
                incident.worst_state,
                cause_of(worst) if worst is not None else None,
                incident.samples,
            )
        )
    out.reverse()
    return out


def load_detail(
    store: Store,
    profile: str,
    *,
    window: timedelta,
    now: datetime,
    max_gap: timedelta,
    thresholds: HealthThresholds | None = None,
) -> FleetDetail:
    start = now - window
    rows = store.health_samples(profile, since=start - max_gap, until=now)
    samples = [sample_from_row(r) for r in rows]
    timeline = Timeline(max_gap)
    for sample in samples:
        timeline.add(sample.taken_at, sample.state)
    in_range = tuple(s for s in samples if s.taken_at >= start)
    with store.read() as conn:
        events = fleet_tables.read_events(conn, profile, since=start)
    return FleetDetail(
        profile=profile,
        start=start,
        end=now,
        samples=in_range,
        problems=tuple(problems_of(in_range, thresholds)),
        incidents=tuple(incident_summaries(in_range, now)),
        events=tuple(events),
        segments=tuple(timeline.segments(start, now)),
        availability=timeline.availability(start, now),
    )


def detail_to_csv(samples: Iterable[HealthSample], file: str | Path | TextIO) -> int:
    """Every sample of the range, one column per field plus its cause; returns the rows."""
    return samples_to_csv(samples, file, {"cause": _cause_text})


def _cause_text(sample: HealthSample) -> str:
    cause = cause_of(sample)
    return cause.value if cause else ""

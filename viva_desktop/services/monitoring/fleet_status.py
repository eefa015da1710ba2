"""What the fleet watcher knows about each deployment, and the snapshot it hands out.

`Deployment` says what to watch and how; `DeploymentStatus` is an immutable snapshot for the
fleet table, the tray and the `watch` command's JSON (`as_json`); `Tracked` is the watcher's
own mutable state of one deployment (used under its lock, on worker threads).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from viva_desktop.services.common.config.sections import profile_display_name
from viva_desktop.services.monitoring.alerts import AlertPolicy, AlertState, AlertTracker
from viva_desktop.services.monitoring.availability import (
    WINDOWS,
    Availability,
    Timeline,
    max_gap_for,
)
from viva_desktop.services.monitoring.causes import Cause, cause_of
from viva_desktop.services.monitoring.health import HealthSample, HealthState, severity
from viva_desktop.services.monitoring.signed_in import SignedInCheck

HEARTBEATS = 50  # checks in the heartbeat bar and the latency sparkline


@dataclass(frozen=True)
class Deployment:
    """One deployment to watch: a server profile with its own interval and channels."""

    profile: str
    url: str
    interval_s: float = 15.0
    timeout_s: float = 5.0
    verify_tls: bool | str = True  # True, False, or the path of a CA bundle
    tags: tuple[str, ...] = ()
    channels: frozenset[str] = frozenset({"desktop", "webhook", "email"})
    # Where a session exists: the signed-in extra of each check (see `signed_in.py`).
    signed_in: Callable[[], SignedInCheck] | None = field(default=None, compare=False)
    builtin_sandbox: bool = False  # the app's own sandbox profile (its name is translated)

    @property
    def display_name(self) -> str:
        """The name people read (the profile name stays the key everywhere else)."""
        return profile_display_name(self.profile, self.builtin_sandbox)

    @property
    def max_gap(self) -> timedelta:
        return max_gap_for(self.interval_s)


@dataclass(frozen=True)
class Heartbeat:
    at: datetime
    state: HealthState
    latency_ms: float | None
    cause: Cause | None


@dataclass(frozen=True)
class CurrentIncident:
    since: datetime
    state: HealthState  # the worst state so far
    cause: Cause | None

    def duration(self, now: datetime) -> timedelta:
        return max(timedelta(0), now - self.since)


@dataclass(frozen=True)
class DeploymentStatus:
    deployment: Deployment
    latest: HealthSample | None
    heartbeats: tuple[Heartbeat, ...]
    alert_state: AlertState
    incident: CurrentIncident | None
    availability: dict[str, Availability]
    tls_days_left: float | None
    silenced: str | None = None
    now: datetime | None = None
    signed_in: SignedInCheck | None = None

    @property
    def profile(self) -> str:
        return self.deployment.profile

    @property
    def state(self) -> HealthState:
        return self.latest.state if self.latest is not None else HealthState.UNKNOWN

    @property
    def last_check(self) -> datetime | None:
        return self.latest.taken_at if self.latest is not None else None

    @property
    def trouble(self) -> bool:
        """Unhealthy or down: what makes the `watch` command exit 1 and the tray red."""
        return self.state in (HealthState.UNHEALTHY, HealthState.DOWN)

    def rank(self) -> tuple[int, int, str]:
        """Sort key, worst first: firing alerts, then the worse state, then the name."""
        firing = 0 if self.alert_state.firing else 1
        return (firing, -severity(self.state), self.profile.lower())

    def as_json(self) -> dict[str, Any]:
        """The object the `watch --json` command prints for this deployment."""
        latest = self.latest
        incident = None
        if self.incident is not None:
            incident = {
                "since": self.incident.since.isoformat(),
                "state": self.incident.state.value,
                "cause": self.incident.cause.value if self.incident.cause else None,
            }
        return {
            "profile": self.profile,
            "url": self.deployment.url,
            "state": self.state.value,
            "latency_ms": (
                None
                if latest is None or latest.http_latency_ms is None
                else round(latest.http_latency_ms, 1)
            ),
            "availability": {key: self.availability[key].percent for key in WINDOWS},
            "incident": incident,
            "alert_state": self.alert_state.value,
            "last_check": latest.taken_at.isoformat() if latest is not None else None,
            "tls_days_left": None if self.tls_days_left is None else round(self.tls_days_left, 1),
            "signed_in": None if self.signed_in is None else self.signed_in.as_json(),
        }


@dataclass
class Tracked:
    """The watcher's state of one deployment."""

    deployment: Deployment
    policy: AlertPolicy
    timeline: Timeline = field(init=False)
    tracker: AlertTracker = field(init=False)
    heartbeats: deque[Heartbeat] = field(default_factory=lambda: deque(maxlen=HEARTBEATS))
    latest: HealthSample | None = None
    incident: CurrentIncident | None = None
    tls_days_left: float | None = None
    tls_checked_at: datetime | None = None
    loaded: bool = False
    signed_in: SignedInCheck | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    checking: threading.Lock = field(default_factory=threading.Lock)  # one check at a time

    def __post_init__(self) -> None:
        self.timeline = Timeline(self.deployment.max_gap)
        self.tracker = AlertTracker(self.deployment.profile, self.deployment.url, self.policy)

    def note(self, sample: HealthSample) -> None:
        """Fold one check into the heartbeats, the timeline and the current incident."""
        cause = cause_of(sample)
        self.heartbeats.append(
            Heartbeat(sample.taken_at, sample.state, sample.http_latency_ms, cause)
        )
        self.timeline.add(sample.taken_at, sample.state)
        self.latest = sample
        if sample.state is HealthState.HEALTHY:
            self.incident = None
        elif self.incident is None:
            self.incident = CurrentIncident(sample.taken_at, sample.state, cause)
        elif severity(sample.state) >= severity(self.incident.state):
            self.incident = CurrentIncident(self.incident.since, sample.state, cause)

    def load(
        self, runs: Iterable[tuple[datetime, datetime, HealthState]], recent: Iterable[HealthSample]
    ) -> None:
        """Seed from the stored history (once, before the first live check): the runs of the
        retention period, then the last checks for the heartbeat bar."""
        for start, last, state in runs:
            self.timeline.add_run(start, last, state)
        for sample in recent:
            self.note(sample)
        self.latest = None  # a stored check is history, not this run's state
        self.loaded = True

    def snapshot(self, now: datetime, silenced: str | None = None) -> DeploymentStatus:
        return DeploymentStatus(
            deployment=self.deployment,
            latest=self.latest,
            heartbeats=tuple(self.heartbeats),
            alert_state=self.tracker.state,
            incident=self.incident,
            availability={k: self.timeline.availability(now - w, now) for k, w in WINDOWS.items()},
            tls_days_left=self.tls_days_left,
            silenced=silenced,
            now=now,
            signed_in=self.signed_in,
        )

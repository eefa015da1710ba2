"""Server health: one poll gives one sample; samples give states, transitions, incidents, uptime.

The server answers `/health/status` with HTTP 200 whatever its state, so the state is read from
the body. A refused or timed-out connection is a different thing ("backend down") from a body
saying the database is down ("unhealthy"); the dashboard must tell them apart.
"""

from __future__ import annotations

import csv
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, TextIO

import httpx

from viva_desktop.services.common.i18n import translate


class HealthState(StrEnum):
    HEALTHY = "healthy"
    DEGRADED = "degraded"
    UNHEALTHY = "unhealthy"  # the server answers, its database does not
    DOWN = "down"  # no valid answer at all: refused, timed out, proxy error, not JSON
    UNKNOWN = "unknown"  # the server answers but does not say how it is (rate limited, odd body)


# How bad a state is, for "worst state of an incident"; UNKNOWN ranks below the real problems.
_SEVERITY: dict[HealthState, int] = {
    HealthState.HEALTHY: 0,
    HealthState.UNKNOWN: 1,
    HealthState.DEGRADED: 2,
    HealthState.UNHEALTHY: 3,
    HealthState.DOWN: 4,
}

# States in which the service is usable by its users, for the uptime ratio.
_AVAILABLE = frozenset({HealthState.HEALTHY, HealthState.DEGRADED})


def severity(state: HealthState) -> int:
    """Rank of `state` from 0 (healthy) to 4 (down)."""
    return _SEVERITY[state]


def state_label(state: HealthState) -> str:
    """The state's name for people."""
    labels = {
        HealthState.HEALTHY: translate("Health", "Healthy"),
        HealthState.DEGRADED: translate("Health", "Degraded"),
        HealthState.UNHEALTHY: translate("Health", "Unhealthy (database down)"),
        HealthState.DOWN: translate("Health", "Backend down"),
        HealthState.UNKNOWN: translate("Health", "Unknown"),
    }
    return labels[state]


@dataclass(frozen=True)
class HealthSample:
    """One poll of one server profile; the store keeps exactly these fields."""

    profile: str
    taken_at: datetime
    state: HealthState
    http_latency_ms: float | None = None
    db_status: str | None = None
    db_latency_ms: int | None = None
    db_error: str | None = None
    version: str | None = None
    environment: str | None = None
    uptime_s: int | None = None
    rss_mb: int | None = None
    heap_used_mb: int | None = None
    heap_total_mb: int | None = None
    load_1m: float | None = None
    system_free_mb: int | None = None
    system_total_mb: int | None = None
    error: str | None = None  # why DOWN or UNKNOWN

    @property
    def heap_ratio(self) -> float | None:
        if self.heap_used_mb is None or not self.heap_total_mb:
            return None
        return self.heap_used_mb / self.heap_total_mb

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


SAMPLE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(HealthSample))


@dataclass(frozen=True)
class HealthThresholds:
    """Client-side limits on top of the server's own verdict.

    The server calls itself healthy as long as `SELECT 1` is fast, yet users feel the HTTP
    latency: a sample slower than `latency_warning_ms` counts as degraded.
    """

    latency_warning_ms: float = 2000.0
    db_latency_warning_ms: int = 1000  # the server's own "degraded" threshold
    heap_warning_ratio: float = 0.9  # the server's own heap rule
    memory_free_warning_ratio: float = 0.05

    def effective_state(self, sample: HealthSample) -> HealthState:
        """The server's state, escalated from HEALTHY to DEGRADED when the answer was slow."""
        if (
            sample.state is HealthState.HEALTHY
            and sample.http_latency_ms is not None
            and sample.http_latency_ms > self.latency_warning_ms
        ):
            return HealthState.DEGRADED
        return sample.state

    def concerns(self, sample: HealthSample) -> list[str]:
        """Short sentences saying what in `sample` deserves attention (empty when nothing)."""
        out: list[str] = []
        if sample.state in (HealthState.DOWN, HealthState.UNKNOWN) and sample.error:
            out.append(sample.error)
        if sample.db_status == "down":
            text = translate("Health", "The database is down.")
            if sample.db_error:
                text += " " + sample.db_error
            out.append(text)
        if sample.http_latency_ms is not None and sample.http_latency_ms > self.latency_warning_ms:
            out.append(
                translate("Health", "Slow answer: {latency:.0f} ms (limit {limit:.0f} ms).").format(
                    latency=sample.http_latency_ms, limit=self.latency_warning_ms
                )
            )
        if sample.db_latency_ms is not None and sample.db_latency_ms > self.db_latency_warning_ms:
            out.append(
                translate("Health", "Slow database: {latency} ms for SELECT 1.").format(
                    latency=sample.db_latency_ms
                )
            )
        ratio = sample.heap_ratio
        if ratio is not None and ratio > self.heap_warning_ratio:
            out.append(
                translate("Health", "Heap almost full: {used} of {total} MB.").format(
                    used=sample.heap_used_mb, total=sample.heap_total_mb
                )
            )
        if (
            sample.system_free_mb is not None
            and sample.system_total_mb
            and sample.system_free_mb / sample.system_total_mb < self.memory_free_warning_ratio
        ):
            out.append(
                translate("Health", "Little free memory on the host: {free} of {total} MB.").format(
                    free=sample.system_free_mb, total=sample.system_total_mb
                )
            )
        return out


# --------------------------------------------------------------------------- probing


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return round(value)
    return None


def _as_float(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _as_str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


_SERVER_STATES = {
    "healthy": HealthState.HEALTHY,
    "degraded": HealthState.DEGRADED,
    "unhealthy": HealthState.UNHEALTHY,
}


def sample_from_status_body(
    body: object,
    *,
    profile: str,
    taken_at: datetime,
    http_latency_ms: float | None,
) -> HealthSample:
    """Read a `/health/status` body (contract section 4) into a sample; tolerant of gaps."""
    data = _mapping(body)
    status = _as_str(data.get("status"))
    state = _SERVER_STATES.get(status or "", HealthState.UNKNOWN)
    database = _mapping(_mapping(data.get("services")).get("database"))
    process = _mapping(data.get("process"))
    memory = _mapping(process.get("memory"))
    system = _mapping(data.get("system"))
    load = system.get("loadAverage")
    load_1m = _as_float(load[0]) if isinstance(load, list) and load else None
    error = None
    if state is HealthState.UNKNOWN:
        error = translate(
            "Health", "The server answered without a known status ({status})."
        ).format(status=status if status is not None else translate("Health", "none"))
    return HealthSample(
        profile=profile,
        taken_at=taken_at,
        state=state,
        http_latency_ms=http_latency_ms,
        db_status=_as_str(database.get("status")),
        db_latency_ms=_as_int(database.get("latency")),
        db_error=_as_str(database.get("error")),
        version=_as_str(data.get("version")),
        environment=_as_str(data.get("environment")),
        uptime_s=_as_int(data.get("uptime")),
        rss_mb=_as_int(memory.get("rss")),
        heap_used_mb=_as_int(memory.get("heapUsed")),
        heap_total_mb=_as_int(memory.get("heapTotal")),
        load_1m=load_1m,
        system_free_mb=_as_int(system.get("freeMemory")),
        system_total_mb=_as_int(system.get("totalMemory")),
        error=error,
    )


def describe_transport_error(exc: httpx.TransportError, url: str) -> str:
    """One line for people saying why `url` gave no answer."""
    if isinstance(exc, httpx.ConnectTimeout):
        return translate("Health", "No connection to {url} within the timeout.").format(url=url)
    if isinstance(exc, httpx.TimeoutException):
        return translate("Health", "{url} did not answer within the timeout.").format(url=url)
    if isinstance(exc, httpx.ConnectError):
        reason = str(exc) or type(exc).__name__
        return translate("Health", "Cannot connect to {url}: {reason}").format(
            url=url, reason=reason
        )
    if isinstance(exc, httpx.RemoteProtocolError):
        return translate("Health", "{url} closed the connection without a valid answer.").format(
            url=url
        )
    return translate("Health", "Request to {url} failed: {reason}").format(
        url=url, reason=str(exc) or type(exc).__name__
    )


class HealthProbe:
    """Polls one server's health, once per call, never retrying: a retry would hide an outage.

    Give it the profile's shared `httpx.Client` (any client works: absolute URLs are used, so a
    client `base_url` does not matter). Safe to call from any one worker thread at a time per
    client, as httpx clients are.
    """

    def __init__(
        self,
        http: httpx.Client,
        base_url: str,
        profile: str,
        timeout: float = 5.0,
        thresholds: HealthThresholds | None = None,
    ) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self.profile = profile
        self.timeout = timeout
        self.thresholds = thresholds or HealthThresholds()

    @property
    def status_url(self) -> str:
        return self._base + "/health/status"

    @property
    def liveness_url(self) -> str:
        return self._base + "/health"

    def poll(self) -> HealthSample:
        """One `GET /health/status` (plus `GET /health` when the first gives no verdict)."""
        taken_at = datetime.now(UTC)
        url = self.status_url
        started = time.perf_counter()
        try:
            response = self._get(url)
            latency = (time.perf_counter() - started) * 1000.0
        except httpx.TransportError as exc:
            return HealthSample(
                self.profile, taken_at, HealthState.DOWN, error=describe_transport_error(exc, url)
            )
        if response.status_code == 200:
            try:
                body = response.json()
            except ValueError:
                return self._without_verdict(
                    taken_at,
                    latency,
                    translate("Health", "{url} answered 200 but not with JSON.").format(url=url),
                )
            if not isinstance(body, Mapping):
                return self._without_verdict(
                    taken_at,
                    latency,
                    translate("Health", "{url} answered 200 with unexpected JSON.").format(url=url),
                )
            sample = sample_from_status_body(
                body, profile=self.profile, taken_at=taken_at, http_latency_ms=latency
            )
            state = self.thresholds.effective_state(sample)
            if state is not sample.state:
                sample = _replace(sample, state=state)
            return sample
        reason = translate("Health", "{url} answered HTTP {code}.").format(
            url=url, code=response.status_code
        )
        if response.status_code == 429:
            reason = translate(
                "Health", "{url} refused the poll: rate limited (HTTP 429). Poll less often."
            ).format(url=url)
        return self._without_verdict(taken_at, latency, reason)

    def _get(self, url: str) -> httpx.Response:
        try:
            return self._http.get(url, timeout=self.timeout, headers={"Accept": "application/json"})
        except httpx.HTTPStatusError as exc:  # a shared client may raise on error statuses
            return exc.response

    def _without_verdict(self, taken_at: datetime, latency: float, reason: str) -> HealthSample:
        """`/health/status` gave no usable verdict: ask `/health` whether the process lives."""
        try:
            response = self._get(self.liveness_url)
            body = response.json() if response.status_code == 200 else None
        except (httpx.TransportError, ValueError):
            body = None
        alive = isinstance(body, Mapping) and body.get("status") == "ok"
        if not alive:
            return HealthSample(
                self.profile, taken_at, HealthState.DOWN, http_latency_ms=latency, error=reason
            )
        assert isinstance(body, Mapping)
        uptime = _as_float(body.get("uptime"))
        return HealthSample(
            self.profile,
            taken_at,
            HealthState.UNKNOWN,
            http_latency_ms=latency,
            uptime_s=None if uptime is None else int(uptime),
            error=reason + " " + translate("Health", "The process answers /health."),
        )


def _replace(sample: HealthSample, **changes: Any) -> HealthSample:
    values = sample.as_dict()
    values.update(changes)
    return HealthSample(**values)


# --------------------------------------------------------------------------- transitions


@dataclass(frozen=True)
class Transition:
    previous: HealthState | None  # None for the first state ever seen
    current: HealthState
    at: datetime  # when the new state was first observed
    sample: HealthSample  # the sample that confirmed it


class StateTracker:
    """Turns a stream of samples into state changes, optionally debounced.

    With `debounce=N` a new state is reported only after N consecutive samples agree, so one
    lost poll does not wake the administrator. Thread-safe.
    """

    def __init__(self, debounce: int = 1) -> None:
        if debounce < 1:
            raise ValueError("debounce must be at least 1")
        self.debounce = debounce
        self._lock = threading.Lock()
        self._current: HealthState | None = None
        self._pending: HealthState | None = None
        self._pending_since: datetime | None = None
        self._pending_count = 0

    @property
    def current(self) -> HealthState | None:
        with self._lock:
            return self._current

    def reset(self) -> None:
        with self._lock:
            self._current = None
            self._pending = None
            self._pending_since = None
            self._pending_count = 0

    def feed(self, sample: HealthSample) -> Transition | None:
        """Take one sample; returns the transition it confirms, if any."""
        with self._lock:
            if sample.state is self._current:
                self._pending, self._pending_since, self._pending_count = None, None, 0
                return None
            if sample.state is self._pending:
                self._pending_count += 1
            else:
                self._pending = sample.state
                self._pending_since = sample.taken_at
                self._pending_count = 1
            if self._pending_count < self.debounce:
                return None
            assert self._pending_since is not None
            transition = Transition(self._current, sample.state, self._pending_since, sample)
            self._current = sample.state
            self._pending, self._pending_since, self._pending_count = None, None, 0
            return transition

    def feed_all(self, samples: Iterable[HealthSample]) -> list[Transition]:
        return [t for t in (self.feed(s) for s in samples) if t is not None]


# --------------------------------------------------------------------------- history


@dataclass(frozen=True)
class Incident:
    start: datetime
    end: datetime | None  # the first healthy sample after it; None while it lasts
    worst_state: HealthState
    duration: timedelta  # up to `end`, or up to the last sample while it lasts
    samples: int = 0

    @property
    def ongoing(self) -> bool:
        return self.end is None


def _ordered(samples: Iterable[HealthSample]) -> list[HealthSample]:
    return sorted(samples, key=lambda s: s.taken_at)


def incidents(samples: Iterable[HealthSample]) -> list[Incident]:
    """Contiguous stretches of non-healthy samples, oldest first."""
    out: list[Incident] = []
    start: HealthSample | None = None
    last: HealthSample | None = None
    worst = HealthState.HEALTHY
    count = 0
    for sample in _ordered(samples):
        if sample.state is HealthState.HEALTHY:
            if start is not None:
                out.append(
                    Incident(
                        start.taken_at,
                        sample.taken_at,
                        worst,
                        sample.taken_at - start.taken_at,
                        count,
                    )
                )
                start, worst, count = None, HealthState.HEALTHY, 0
        else:
            if start is None:
                start = sample
            count += 1
            if severity(sample.state) > severity(worst):
                worst = sample.state
        last = sample
    if start is not None and last is not None:
        out.append(Incident(start.taken_at, None, worst, last.taken_at - start.taken_at, count))
    return out


def uptime_ratio(
    samples: Sequence[HealthSample] | Iterable[HealthSample],
    window: timedelta,
    now: datetime,
    *,
    max_gap: timedelta = timedelta(minutes=10),
) -> float | None:
    """Share of the watched time in `[now - window, now]` during which the server was usable.

    Each sample's state holds until the next sample, but never longer than `max_gap`: time when
    nobody was polling (the app was closed) counts neither for nor against. UNKNOWN time is left
    out too. HEALTHY and DEGRADED count as up. None when nothing in the window was watched.
    """
    start = now - window
    ordered = _ordered(samples)
    up = watched = 0.0
    for index, sample in enumerate(ordered):
        span_end = sample.taken_at + max_gap
        if index + 1 < len(ordered):
            span_end = min(span_end, ordered[index + 1].taken_at)
        else:
            span_end = min(span_end, now)
        lo, hi = max(sample.taken_at, start), min(span_end, now)
        if hi <= lo or sample.state is HealthState.UNKNOWN:
            continue
        seconds = (hi - lo).total_seconds()
        watched += seconds
        if sample.state in _AVAILABLE:
            up += seconds
    if watched <= 0:
        return None
    return up / watched


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".")
    return str(value)


def samples_to_csv(
    samples: Iterable[HealthSample],
    file: str | Path | TextIO,
    extra: Mapping[str, Callable[[HealthSample], str]] | None = None,
) -> int:
    """Write the samples as CSV, one column per field and then one per `extra` column (its
    name and how to read it off a sample); returns the number of rows."""
    if isinstance(file, str | Path):
        with open(file, "w", encoding="utf-8", newline="") as handle:
            return samples_to_csv(samples, handle, extra)
    extra = extra or {}
    writer = csv.writer(file)
    writer.writerow([*SAMPLE_FIELDS, *extra])
    count = 0
    for sample in samples:
        writer.writerow(
            [_csv_value(getattr(sample, name)) for name in SAMPLE_FIELDS]
            + [read(sample) for read in extra.values()]
        )
        count += 1
    return count

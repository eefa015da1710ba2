"""Health polling against the sandbox and its faults, and the history arithmetic on samples."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.sandboxes import free_port, start_sandbox
from viva_desktop.services.monitoring.health import (
    SAMPLE_FIELDS,
    HealthProbe,
    HealthSample,
    HealthState,
    HealthThresholds,
    Incident,
    StateTracker,
    incidents,
    sample_from_status_body,
    samples_to_csv,
    state_label,
    uptime_ratio,
)

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def at(minutes: float, state: HealthState, **extra: Any) -> HealthSample:
    return HealthSample("prod", T0 + timedelta(minutes=minutes), state, **extra)


# --------------------------------------------------------------------------- against the sandbox


def probe_for(server: Any, http: httpx.Client, **kwargs: Any) -> HealthProbe:
    return HealthProbe(http, server.url, "sandbox", **kwargs)


def test_a_healthy_server_gives_a_full_sample(readonly_sandbox: Any, http: httpx.Client) -> None:
    sample = probe_for(readonly_sandbox, http).poll()
    assert sample.state is HealthState.HEALTHY
    assert sample.profile == "sandbox"
    assert sample.taken_at.tzinfo is UTC
    assert sample.error is None
    assert sample.db_status == "up"
    assert sample.db_latency_ms is not None
    assert sample.db_latency_ms >= 0
    assert sample.http_latency_ms is not None
    assert sample.http_latency_ms > 0
    assert sample.version == "1.0.0"
    assert sample.environment == "development"
    for value in (
        sample.uptime_s,
        sample.rss_mb,
        sample.heap_used_mb,
        sample.heap_total_mb,
        sample.system_free_mb,
        sample.system_total_mb,
    ):
        assert isinstance(value, int)
    assert isinstance(sample.load_1m, float)


def test_database_down_is_unhealthy_not_backend_down(sandbox: Any, http: httpx.Client) -> None:
    sandbox.set_faults(db_down=True)
    sample = probe_for(sandbox, http).poll()
    assert sample.state is HealthState.UNHEALTHY
    assert sample.db_status == "down"
    assert sample.db_error
    assert sample.db_latency_ms is None
    assert any("database is down" in c for c in HealthThresholds().concerns(sample))


def test_slow_database_is_degraded(sandbox: Any, http: httpx.Client) -> None:
    sandbox.set_faults(db_latency_ms=1500)
    sample = probe_for(sandbox, http).poll()
    assert sample.state is HealthState.DEGRADED
    assert sample.db_status == "degraded"
    assert sample.db_latency_ms is not None
    assert sample.db_latency_ms > 1000


def test_heap_pressure_is_degraded_even_with_the_database_down(
    sandbox: Any, http: httpx.Client
) -> None:
    sandbox.set_faults(heap_pressure=True, db_down=True)
    sample = probe_for(sandbox, http).poll()
    assert sample.state is HealthState.DEGRADED  # the server's heap rule is applied last
    assert sample.db_status == "down"
    assert any("Heap" in c for c in HealthThresholds().concerns(sample))


def test_slow_answers_are_degraded_by_the_client_threshold(
    sandbox: Any, http: httpx.Client
) -> None:
    sandbox.set_faults(latency_ms=150, paths=["/health/status"])
    relaxed = probe_for(sandbox, http).poll()
    assert relaxed.state is HealthState.HEALTHY
    strict = probe_for(sandbox, http, thresholds=HealthThresholds(latency_warning_ms=50)).poll()
    assert strict.state is HealthState.DEGRADED
    assert strict.http_latency_ms is not None
    assert strict.http_latency_ms >= 150


def test_a_timeout_is_backend_down(sandbox: Any, http: httpx.Client) -> None:
    sandbox.set_faults(latency_ms=600)
    sample = probe_for(sandbox, http, timeout=0.1).poll()
    assert sample.state is HealthState.DOWN
    assert sample.error is not None
    assert "timeout" in sample.error
    assert sample.http_latency_ms is None


def test_a_refused_connection_is_backend_down(http: httpx.Client) -> None:
    sample = HealthProbe(http, f"http://127.0.0.1:{free_port()}", "gone").poll()
    assert sample.state is HealthState.DOWN
    assert sample.error is not None
    assert "Cannot connect" in sample.error


def test_a_stopped_server_goes_down(http: httpx.Client) -> None:
    server = start_sandbox()
    probe = probe_for(server, http)
    try:
        assert probe.poll().state is HealthState.HEALTHY
    finally:
        server.stop()
    assert probe.poll().state is HealthState.DOWN


def test_dropped_connections_are_backend_down(sandbox: Any, http: httpx.Client) -> None:
    sandbox.set_faults(drop_rate=1.0)
    sample = probe_for(sandbox, http).poll()
    assert sample.state is HealthState.DOWN
    assert sample.error


def test_error_statuses_everywhere_are_backend_down(sandbox: Any, http: httpx.Client) -> None:
    sandbox.set_faults(error_rate=1.0, error_status=502)
    sample = probe_for(sandbox, http).poll()
    assert sample.state is HealthState.DOWN
    assert sample.error is not None
    assert "502" in sample.error


def test_a_broken_status_route_with_a_live_process_is_unknown(
    sandbox: Any, http: httpx.Client
) -> None:
    sandbox.set_faults(error_rate=1.0, error_status=500, paths=["/health/status"])
    sample = probe_for(sandbox, http).poll()
    assert sample.state is HealthState.UNKNOWN
    assert sample.error is not None
    assert "500" in sample.error
    assert sample.uptime_s is not None  # taken from /health


def test_an_enforced_rate_limit_makes_the_state_unknown(http: httpx.Client) -> None:
    server = start_sandbox(enforce_rate_limits=True)
    try:
        probe = probe_for(server, http)
        states = [probe.poll().state for _ in range(11)]  # the strict budget is 10 a minute
    finally:
        server.stop()
    assert states[:10] == [HealthState.HEALTHY] * 10
    assert states[10] is HealthState.UNKNOWN


def test_faults_switched_on_and_off_give_transitions(sandbox: Any, http: httpx.Client) -> None:
    probe = probe_for(sandbox, http)
    tracker = StateTracker()
    seen = []
    for faults in ({}, {"db_down": True}, {"db_down": False}, {"db_down": False}):
        sandbox.set_faults(**faults) if faults else None
        transition = tracker.feed(probe.poll())
        seen.append(None if transition is None else (transition.previous, transition.current))
    assert seen == [
        (None, HealthState.HEALTHY),
        (HealthState.HEALTHY, HealthState.UNHEALTHY),
        (HealthState.UNHEALTHY, HealthState.HEALTHY),
        None,
    ]


def test_the_probe_uses_no_retries_and_tolerates_a_raising_client(sandbox: Any) -> None:
    calls: list[str] = []

    def record(request: httpx.Request) -> None:
        calls.append(request.url.path)

    def raise_on_error(response: httpx.Response) -> None:
        response.raise_for_status()

    sandbox.set_faults(error_rate=1.0, error_status=503)
    hooks = {"request": [record], "response": [raise_on_error]}
    with httpx.Client(event_hooks=hooks) as client:
        sample = HealthProbe(client, sandbox.url + "/", "p").poll()
    assert sample.state is HealthState.DOWN
    assert calls == ["/health/status", "/health"]  # one try each, nothing repeated


# --------------------------------------------------------------------------- reading bodies


def test_the_captured_real_body_reads_completely(status_sample_body: dict[str, Any]) -> None:
    sample = sample_from_status_body(
        status_sample_body, profile="p", taken_at=T0, http_latency_ms=12.5
    )
    assert sample == HealthSample(
        profile="p",
        taken_at=T0,
        state=HealthState.HEALTHY,
        http_latency_ms=12.5,
        db_status="up",
        db_latency_ms=5,
        db_error=None,
        version="1.0.0",
        environment="development",
        uptime_s=133,
        rss_mb=173,
        heap_used_mb=68,
        heap_total_mb=77,
        load_1m=0.52,
        system_free_mb=23410,
        system_total_mb=24152,
        error=None,
    )


@pytest.mark.parametrize(
    ("body", "state"),
    [
        ({"status": "degraded"}, HealthState.DEGRADED),
        (
            {"status": "unhealthy", "services": {"database": {"status": "down"}}},
            HealthState.UNHEALTHY,
        ),
        ({"status": "maintenance"}, HealthState.UNKNOWN),
        ({}, HealthState.UNKNOWN),
        (
            {"status": "healthy", "uptime": "long", "system": {"loadAverage": []}},
            HealthState.HEALTHY,
        ),
    ],
)
def test_odd_bodies_are_read_without_crashing(body: dict[str, Any], state: HealthState) -> None:
    sample = sample_from_status_body(body, profile="p", taken_at=T0, http_latency_ms=None)
    assert sample.state is state
    assert (sample.error is not None) is (state is HealthState.UNKNOWN)
    assert sample.uptime_s is None or isinstance(sample.uptime_s, int)


def test_every_state_has_a_label() -> None:
    assert {state_label(s) for s in HealthState} == {
        "Healthy",
        "Degraded",
        "Unhealthy (database down)",
        "Backend down",
        "Unknown",
    }


# --------------------------------------------------------------------------- transitions


def test_tracker_reports_only_changes() -> None:
    tracker = StateTracker()
    states = ["healthy", "healthy", "down", "down", "healthy", "degraded", "degraded"]
    transitions = tracker.feed_all(at(i, HealthState(s)) for i, s in enumerate(states))
    assert [(t.previous, t.current, t.at) for t in transitions] == [
        (None, HealthState.HEALTHY, T0),
        (HealthState.HEALTHY, HealthState.DOWN, T0 + timedelta(minutes=2)),
        (HealthState.DOWN, HealthState.HEALTHY, T0 + timedelta(minutes=4)),
        (HealthState.HEALTHY, HealthState.DEGRADED, T0 + timedelta(minutes=5)),
    ]
    assert tracker.current is HealthState.DEGRADED


def test_debouncing_ignores_single_blips_and_dates_the_change_from_its_start() -> None:
    tracker = StateTracker(debounce=3)
    states = ["healthy"] * 3 + ["down"] + ["healthy"] * 2 + ["down"] * 3 + ["healthy"]
    transitions = tracker.feed_all(at(i, HealthState(s)) for i, s in enumerate(states))
    assert [(t.previous, t.current) for t in transitions] == [
        (None, HealthState.HEALTHY),
        (HealthState.HEALTHY, HealthState.DOWN),
    ]
    assert transitions[1].at == T0 + timedelta(minutes=6)  # first of the three DOWN samples
    assert transitions[1].sample.taken_at == T0 + timedelta(minutes=8)
    tracker.reset()
    assert tracker.current is None


def test_debounce_must_be_positive() -> None:
    with pytest.raises(ValueError):
        StateTracker(debounce=0)


# --------------------------------------------------------------------------- history


def test_incidents_are_stretches_of_non_healthy_samples() -> None:
    samples = [
        at(0, HealthState.HEALTHY),
        at(1, HealthState.DEGRADED),
        at(2, HealthState.DOWN),
        at(3, HealthState.UNHEALTHY),
        at(4, HealthState.HEALTHY),
        at(10, HealthState.UNKNOWN),
        at(12, HealthState.HEALTHY),
        at(20, HealthState.UNHEALTHY),
        at(25, HealthState.UNHEALTHY),
    ]
    found = incidents(reversed(samples))  # order of the input does not matter
    assert found == [
        Incident(T0 + timedelta(minutes=1), T0 + timedelta(minutes=4), HealthState.DOWN,
                 timedelta(minutes=3), 3),
        Incident(T0 + timedelta(minutes=10), T0 + timedelta(minutes=12), HealthState.UNKNOWN,
                 timedelta(minutes=2), 1),
        Incident(T0 + timedelta(minutes=20), None, HealthState.UNHEALTHY, timedelta(minutes=5), 2),
    ]  # fmt: skip
    assert found[-1].ongoing
    assert incidents([]) == []
    assert incidents([at(0, HealthState.HEALTHY)]) == []


def test_uptime_is_time_weighted_and_ignores_unwatched_time() -> None:
    samples = [
        at(0, HealthState.HEALTHY),  # 0-30 up
        at(30, HealthState.DOWN),  # 30-40 down
        at(40, HealthState.DEGRADED),  # 40-60 up: degraded still serves
        at(60, HealthState.UNKNOWN),  # 60-70 not counted
        at(70, HealthState.UNHEALTHY),  # 70-80 down
        at(80, HealthState.HEALTHY),  # 80-110 up, then nobody polled until 300
        at(300, HealthState.HEALTHY),  # 300-330 up, then nothing until "now" at 360
    ]
    now = T0 + timedelta(minutes=360)
    ratio = uptime_ratio(samples, timedelta(hours=24), now, max_gap=timedelta(minutes=30))
    assert ratio == pytest.approx((30 + 20 + 30 + 30) / (30 + 10 + 20 + 10 + 30 + 30))
    # A window that starts inside the last stretch only sees that stretch.
    assert uptime_ratio(samples, timedelta(minutes=30), now, max_gap=timedelta(hours=2)) == 1.0


def test_uptime_window_clips_spans_that_started_before_it() -> None:
    samples = [at(0, HealthState.DOWN), at(60, HealthState.HEALTHY)]
    now = T0 + timedelta(minutes=90)
    ratio = uptime_ratio(samples, timedelta(minutes=60), now, max_gap=timedelta(hours=2))
    assert ratio == pytest.approx(30 / 60)


def test_uptime_of_nothing_is_none() -> None:
    now = T0 + timedelta(days=30)
    assert uptime_ratio([], timedelta(days=1), now) is None
    assert uptime_ratio([at(0, HealthState.HEALTHY)], timedelta(days=1), now) is None
    assert (
        uptime_ratio([at(0, HealthState.UNKNOWN)], timedelta(days=1), T0 + timedelta(minutes=5))
        is None
    )


def test_csv_export_round_trips(tmp_path: Path) -> None:
    samples = [
        at(0, HealthState.HEALTHY, http_latency_ms=12.25, db_status="up", db_latency_ms=3),
        at(1, HealthState.DOWN, error="Cannot connect, really"),
    ]
    path = tmp_path / "health.csv"
    assert samples_to_csv(samples, path) == 2
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert tuple(rows[0]) == SAMPLE_FIELDS
    assert rows[0]["state"] == "healthy"
    assert rows[0]["http_latency_ms"] == "12.25"
    assert rows[0]["taken_at"] == T0.isoformat()
    assert rows[1]["error"] == "Cannot connect, really"
    assert rows[1]["db_latency_ms"] == ""
    buffer = io.StringIO()
    samples_to_csv(samples[:1], buffer)
    assert buffer.getvalue().splitlines()[0].startswith("profile,taken_at,state")

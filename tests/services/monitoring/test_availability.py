"""Honest availability: an ongoing outage counts up to now; unwatched time is no data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from viva_desktop.services.monitoring.availability import (
    Availability,
    Timeline,
    availability_percents,
)
from viva_desktop.services.monitoring.health import HealthState

T0 = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
GAP = timedelta(minutes=2)
H, D, U, X = HealthState.HEALTHY, HealthState.DEGRADED, HealthState.UNHEALTHY, HealthState.DOWN


def timeline(checks: list[tuple[int, HealthState]]) -> Timeline:
    """Checks at `T0 + seconds`."""
    line = Timeline(GAP)
    for seconds, state in checks:
        line.add(T0 + timedelta(seconds=seconds), state)
    return line


def test_an_ongoing_outage_counts_up_to_now() -> None:
    # 10 minutes healthy, then down and still down at every check since
    checks = [(s, H) for s in range(0, 600, 15)] + [(s, X) for s in range(600, 900, 15)]
    line = timeline(checks)
    now = T0 + timedelta(seconds=900)
    result = line.availability(T0, now)
    assert result.observed_s == pytest.approx(900)
    assert result.up_s == pytest.approx(600)
    assert result.percent == pytest.approx(66.667, abs=0.01)
    # a minute later, one more failing check: the figure keeps falling while it lasts
    line.add(now, X)
    later = line.availability(T0, now + timedelta(seconds=60))
    assert later.percent is not None
    assert later.percent < result.percent


def test_unwatched_time_is_no_data_and_drawn_as_a_gap() -> None:
    # watched 0..300 s, app closed for an hour, watched again 3900..4200 s
    checks = [(s, H) for s in range(0, 301, 15)] + [(s, U) for s in range(3900, 4201, 15)]
    line = timeline(checks)
    now = T0 + timedelta(seconds=4200)
    result = line.availability(T0, now)
    # the last check before the gap stands for at most GAP (120 s), then nothing
    assert result.observed_s == pytest.approx(300 + 120 + 300)
    assert result.up_s == pytest.approx(420)
    segments = line.segments(T0, now)
    assert [(s.state, s.seconds) for s in segments] == [(H, 420.0), (U, 300.0)]
    assert segments[0].end < segments[1].start  # the gap


def test_degraded_time_is_up_and_reported_beside_it() -> None:
    line = timeline([(s, H) for s in range(0, 700, 10)] + [(s, D) for s in range(700, 1000, 10)])
    result = line.availability(T0, T0 + timedelta(seconds=1000))
    assert result.percent == 100.0
    assert result.degraded_share == pytest.approx(0.3)
    assert result.text() == "100 % up, 30 % of it degraded"


def test_text_never_rounds_an_outage_away() -> None:
    assert Availability(observed_s=100_000, healthy_s=99_996).text() == "99.99 % up"
    assert Availability().text() == "no data"
    assert Availability().percent is None


def test_windows_and_unknown() -> None:
    line = timeline([(0, HealthState.UNKNOWN), (15, HealthState.UNKNOWN)])
    assert availability_percents(line, T0 + timedelta(seconds=30)) == {
        "24h": None,
        "7d": None,
        "30d": None,
    }


def test_prune_forgets_old_runs() -> None:
    line = timeline([(0, H), (15, H), (500, U), (515, U)])
    line.prune(T0 + timedelta(seconds=400))
    assert [s.state for s in line.segments(T0, T0 + timedelta(seconds=530))] == [U]


def test_the_json_percent_never_rounds_an_outage_away() -> None:
    assert Availability(observed_s=1_000_000, healthy_s=999_999).percent == 99.999
    assert Availability(observed_s=10, healthy_s=10).percent == 100.0


def test_runs_read_back_from_the_store_give_the_same_availability(store_url: str) -> None:
    """The store keeps only each run's first and last checks (window functions); the
    timeline built from them equals the one built from every check."""
    from viva_desktop.services.local.store import fleet_tables, open_store
    from viva_desktop.services.monitoring.health import HealthSample

    now = datetime.now(UTC).replace(microsecond=0)
    base = now - timedelta(hours=3)
    plan = (
        [(s, H) for s in range(0, 1800, 15)]
        + [(s, D) for s in range(1800, 2400, 15)]
        + [(s, X) for s in range(2400, 2700, 15)]
        # the app was closed for an hour
        + [(s, H) for s in range(6300, 7200, 15)]
        + [(7215, U), (7230, H)]
    )
    samples = [HealthSample("p", base + timedelta(seconds=s), st) for s, st in plan]
    every = Timeline(GAP)
    for sample in samples:
        every.add(sample.taken_at, sample.state)
    with open_store(store_url) as store:
        store.add_health_samples(samples)
        with store.read() as conn:
            runs = fleet_tables.read_runs(
                conn, "p", since=now - timedelta(days=1), max_gap_s=GAP.total_seconds()
            )
    assert len(runs) == 6  # healthy, degraded, down, healthy (after the gap), unhealthy, healthy
    rebuilt = Timeline(GAP)
    for start, last, state in runs:
        rebuilt.add_run(start, last, HealthState(state))
    end = base + timedelta(seconds=7300)
    assert rebuilt.segments(base, end) == every.segments(base, end)
    assert rebuilt.availability(base, end) == every.availability(base, end)

"""The alert lifecycle, driven by checks with made-up times (no sleeping)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from viva_desktop.services.monitoring.alerts import (
    AlertPolicy,
    AlertState,
    AlertTracker,
    duration_words,
)
from viva_desktop.services.monitoring.causes import Cause, cause_of, verdict
from viva_desktop.services.monitoring.health import HealthSample, HealthState

T0 = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
STEP = timedelta(seconds=15)


def check(n: int, state: HealthState, **fields: object) -> HealthSample:
    if state is HealthState.UNHEALTHY:
        fields.setdefault("db_status", "down")
    return HealthSample("prod", T0 + n * STEP, state, http_latency_ms=5.0, **fields)  # type: ignore[arg-type]


def run(tracker: AlertTracker, states: list[HealthState]):
    return [tracker.feed(check(i, s)) for i, s in enumerate(states)]


H, D, U, X = HealthState.HEALTHY, HealthState.DEGRADED, HealthState.UNHEALTHY, HealthState.DOWN


def test_pending_then_firing_after_the_pending_period() -> None:
    tracker = AlertTracker("prod", "http://x", AlertPolicy(pending_checks=2, keep_firing_s=30))
    events = run(tracker, [H, U, U, U])
    assert events[0] is None
    assert events[1] is not None
    assert events[1].alert_state is AlertState.PENDING
    assert not events[1].notify
    firing = events[2]
    assert firing is not None
    assert firing.alert_state is AlertState.FIRING
    assert firing.notify
    assert firing.kind == "firing"
    assert firing.since == T0 + STEP  # the first bad check, not the confirming one
    assert firing.previous_state is H
    assert firing.state is U
    assert firing.cause is Cause.DATABASE_DOWN
    assert "prod" in firing.message
    assert "database down" in firing.message
    assert events[3] is None  # still firing: nothing new


def test_one_bad_check_goes_back_to_normal_without_a_message() -> None:
    tracker = AlertTracker("prod", "http://x", AlertPolicy(pending_checks=2))
    events = run(tracker, [H, U, H, H])
    assert events[1] is not None
    assert events[1].alert_state is AlertState.PENDING
    assert events[2] is not None
    assert events[2].alert_state is AlertState.NORMAL
    assert not any(e.notify for e in events if e is not None)


def test_recovering_keeps_firing_then_recovers_with_the_outage_length() -> None:
    tracker = AlertTracker("prod", "http://x", AlertPolicy(pending_checks=2, keep_firing_s=30))
    # bad from check 1 to 4, good from check 5: the outage is 4 checks = 60 s
    events = run(tracker, [H, U, U, U, U, H, H, H])
    assert events[5] is not None
    assert events[5].alert_state is AlertState.RECOVERING
    assert not events[5].notify
    assert events[6] is None  # 15 s into the 30 s keep-firing period
    recovered = events[7]
    assert recovered is not None
    assert recovered.alert_state is AlertState.NORMAL
    assert recovered.notify
    assert recovered.kind == "resolved"
    assert recovered.outage_s == 60.0
    assert recovered.previous_state is U  # the worst state of the outage
    assert recovered.since == T0 + 5 * STEP
    assert "1 min" in recovered.message


def test_flapping_sends_one_alert_and_one_recovery() -> None:
    tracker = AlertTracker("prod", "http://x", AlertPolicy(pending_checks=2, keep_firing_s=60))
    states = [H, U, U, H, U, H, U, H, U, H, H, H, H, H]
    events = [e for e in run(tracker, states) if e is not None]
    notified = [e for e in events if e.notify]
    assert [e.kind for e in notified] == ["firing", "resolved"]
    # Every change is still there for the history.
    assert [e.alert_state for e in events].count(AlertState.RECOVERING) == 4


def test_no_data_is_distinct_from_a_reported_bad_state() -> None:
    tracker = AlertTracker("prod", "http://x", AlertPolicy(pending_checks=2, keep_firing_s=0))
    events = run(tracker, [H, X, X])
    assert events[2] is not None
    assert events[2].alert_state is AlertState.NO_DATA
    assert events[2].cause is Cause.NO_ANSWER
    # the server answers again, its database down: the alert changes flavour, quietly
    change = tracker.feed(check(3, U))
    assert change is not None
    assert change.alert_state is AlertState.FIRING
    assert not change.notify
    # keep-firing 0: the first good check recovers at once
    back = tracker.feed(check(4, H))
    assert back is not None
    assert back.alert_state is AlertState.NORMAL
    assert back.notify
    assert back.outage_s == 45.0


def test_degraded_alerts_only_when_asked() -> None:
    quiet = AlertTracker("prod", "http://x", AlertPolicy(pending_checks=1))
    assert all(e is None for e in run(quiet, [H, D, D, D]))
    loud = AlertTracker("prod", "http://x", AlertPolicy(pending_checks=1, alert_on_degraded=True))
    events = run(loud, [H, D])
    assert events[1] is not None
    assert events[1].alert_state is AlertState.FIRING


def test_database_down_behind_the_heap_rule_still_fires() -> None:
    # The server applies its heap rule last: "degraded" although the database is down.
    sample = HealthSample("prod", T0, D, db_status="down", heap_used_mb=95, heap_total_mb=100)
    assert verdict(sample).state is U
    assert cause_of(sample) is Cause.DATABASE_DOWN
    tracker = AlertTracker("prod", "http://x", AlertPolicy(pending_checks=1))
    event = tracker.feed(sample)
    assert event is not None
    assert event.alert_state is AlertState.FIRING


def test_causes_of_degraded_samples() -> None:
    assert cause_of(check(0, D, heap_used_mb=95, heap_total_mb=100)) is Cause.HEAP
    assert cause_of(check(0, D, db_latency_ms=1500)) is Cause.DATABASE_SLOW
    assert cause_of(HealthSample("p", T0, D, http_latency_ms=5000)) is Cause.SLOW_ANSWER
    assert cause_of(check(0, H)) is None
    assert cause_of(check(0, HealthState.UNKNOWN)) is Cause.NO_VERDICT


def test_duration_words() -> None:
    assert duration_words(45) == "45 s"
    assert duration_words(200) == "3 min 20 s"
    assert duration_words(3900) == "1 h 5 min"

"""Health state changes reach the log (issue 17, defect 4): the first state, a change for the
worse as a warning, a recovery as information, with the reason the poll gave."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from viva_desktop.services.monitoring.health import HealthSample, HealthState, StateTracker
from viva_desktop.ui.admin.health_monitor import log_transition


def sample(state: HealthState, error: str | None = None) -> HealthSample:
    return HealthSample("Sandbox", datetime.now(UTC), state, error=error)


def test_state_changes_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    tracker = StateTracker()
    caplog.set_level(logging.INFO, logger="viva.ui.health")
    for state, error in (
        (HealthState.HEALTHY, None),
        (HealthState.HEALTHY, None),
        (HealthState.DOWN, "Connection refused"),
        (HealthState.HEALTHY, None),
    ):
        transition = tracker.feed(sample(state, error))
        if transition is not None:
            log_transition("Sandbox", transition)
    records = [(r.levelname, r.getMessage()) for r in caplog.records]
    assert records == [
        ("INFO", "health of Sandbox: (first sample) -> healthy"),
        ("WARNING", "health of Sandbox: healthy -> down (Connection refused)"),
        ("INFO", "health of Sandbox: down -> healthy"),
    ]

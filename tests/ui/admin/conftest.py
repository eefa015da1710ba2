"""Fixtures of the administrators' pages: a context connected to a test sandbox, with health
polling driven by the tests (a long interval, so no timer poll races them)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from viva_desktop.services.health import HealthSample
from viva_desktop.ui.context import AppContext
from viva_desktop.ui.health_monitor import HealthMonitor

from ..conftest import add_profile

WAIT_MS = 10_000


@pytest.fixture
def quiet_polling(settings) -> None:
    """Only the tests poll: the timer's interval is an hour."""
    settings.health.poll_interval_s = 3600


@pytest.fixture
def connected(quiet_polling, qtbot, context: AppContext, sandbox) -> AppContext:
    """The context with the test sandbox as its active, connected profile."""
    profile = add_profile(context.settings, sandbox.url)
    context.activate_profile(profile)
    return context


def poll_once(qtbot, monitor: HealthMonitor) -> HealthSample:
    """Wait for any poll in flight, then poll once and return the sample."""
    qtbot.waitUntil(lambda: not monitor.polling, timeout=WAIT_MS)
    with qtbot.waitSignal(monitor.sampled, timeout=WAIT_MS) as blocker:
        monitor.poll_now()
    return blocker.args[0]


@pytest.fixture
def poll(qtbot) -> Callable[[HealthMonitor], HealthSample]:
    return lambda monitor: poll_once(qtbot, monitor)

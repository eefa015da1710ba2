"""Fixtures of the administrators' pages: a context connected to a test sandbox, with health
polling driven by the tests (a long interval, so no timer poll races them)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest

from tests.support.postgres import plain
from tests.ui.conftest import add_profile
from viva_desktop.services.monitoring.health import HealthSample
from viva_desktop.ui.admin.health_monitor import HealthMonitor
from viva_desktop.ui.common.context import AppContext

WAIT_MS = 10_000


@pytest.fixture
def quiet_polling(settings) -> None:
    """Only the tests poll: the timer's interval is an hour."""
    settings.health.poll_interval_s = 3600
    settings.fleet.interval_s = 3600  # the fleet watch too


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


# --------------------------------------------------------------------------- PostgreSQL

PASSWORD = "monitor-Pa55word"


@pytest.fixture
def admin(pg_url: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(plain(pg_url), autocommit=True) as conn:
        conn.execute("CREATE TABLE accounts (id int PRIMARY KEY, note text)")
        conn.execute("INSERT INTO accounts SELECT g, 'x' FROM generate_series(1, 2000) AS g")
        conn.execute("ANALYZE accounts")
        yield conn


@pytest.fixture
def monitoring_dsn(pg_url: str, admin) -> Iterator[str]:
    """A login role in pg_monitor, as the panel asks administrators to create; its DSN
    carries the password, as an administrator might paste it."""
    role = f"viva_monitor_{uuid.uuid4().hex[:8]}"
    admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{PASSWORD}' IN ROLE pg_monitor")
    host_part = plain(pg_url).split("@", 1)[1]
    try:
        yield f"postgresql://{role}:{PASSWORD}@{host_part}"
    finally:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (role,)
        )
        admin.execute(f"DROP ROLE IF EXISTS {role}")


@pytest.fixture(autouse=True)
def _forget_ui_state() -> Iterator[None]:
    """Windows built here save their page and geometry on close; the next test's window
    must not open where this one left off."""
    yield
    from PySide6.QtCore import QSettings

    state = QSettings()
    state.remove("window")
    state.remove("admin")
    state.sync()

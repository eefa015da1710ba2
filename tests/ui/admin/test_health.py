"""The health dashboard and page against the real sandbox: every state by its fault switches,
samples in the store, incidents with durations, tray notifications (and muting them), the
chart's series, the CSV export, and polling that goes on while the window is hidden."""

from __future__ import annotations

import csv
import re

from viva_desktop.services.monitoring.health import SAMPLE_FIELDS, HealthState
from viva_desktop.ui.admin.health_history import HistoryRange
from viva_desktop.ui.common.timefmt import time_format
from viva_desktop.ui.pages.dashboard import DashboardPage
from viva_desktop.ui.pages.health import HealthPage
from viva_desktop.ui.shell.main_window import MainWindow

from .conftest import WAIT_MS

STATE_TEXT = {
    HealthState.HEALTHY: "Healthy",
    HealthState.DEGRADED: "Degraded",
    HealthState.UNHEALTHY: "Unhealthy (database down)",
    HealthState.DOWN: "Backend down",
}


def make_health_page(qtbot, context) -> HealthPage:
    page = HealthPage(context)
    qtbot.addWidget(page)
    page.activate()
    qtbot.waitUntil(lambda: page.watch.history is not None, timeout=WAIT_MS)
    return page


def test_every_state_is_shown_stored_and_charted(qtbot, connected, sandbox, poll, tmp_path):
    context = connected
    page = make_health_page(qtbot, context)
    dashboard = DashboardPage(context)
    qtbot.addWidget(dashboard)
    monitor = page.monitor

    steps = [
        ({}, HealthState.HEALTHY),
        ({"db_latency_ms": 1500}, HealthState.DEGRADED),  # SELECT 1 slower than 1 s
        ({"db_latency_ms": 0, "db_down": True}, HealthState.UNHEALTHY),
        ({"heap_pressure": True}, HealthState.DEGRADED),  # the heap rule overrides the db
        (None, HealthState.HEALTHY),  # all faults off
    ]
    for faults, expected in steps:
        if faults is None:
            sandbox.clear_faults()
        elif faults:
            sandbox.set_faults(**faults)
        sample = poll(monitor)
        assert sample.state is expected
        assert page.badge.text() == STATE_TEXT[expected]
        assert page.badge.chip.property("state") == expected.value
        assert not page.badge.icon_label.pixmap().isNull()  # not colour alone
        assert dashboard.badge.text() == STATE_TEXT[expected]
        if expected is HealthState.UNHEALTHY:
            assert dashboard._rows["database"][1].text() == "down"
        if faults == {"db_latency_ms": 1500}:
            assert dashboard._rows["database"][1].text().startswith("slow · 1")

    sandbox.stop()
    assert poll(monitor).state is HealthState.DOWN
    assert page.badge.text() == "Backend down"
    assert "Cannot connect" in dashboard.concerns.text()

    # every sample is in the store, and in the page's history
    stored = context.store.health_samples(context.profile_name)
    assert len(stored) >= 6
    assert [row["state"] for row in stored[-6:]] == [
        "healthy", "degraded", "unhealthy", "degraded", "healthy", "down",
    ]  # fmt: skip
    qtbot.waitUntil(lambda: len(page.watch.history.samples) == len(stored), timeout=WAIT_MS)

    # two incidents, newest first: the ongoing outage, then the finished degradation
    table = page.incidents
    assert table.rowCount() == 2
    assert table.item(0, 0).text() == "Backend down"
    assert table.item(0, 2).text() == "ongoing"
    assert table.item(1, 0).text() == "Unhealthy (database down)"
    assert table.item(1, 2).text() != "ongoing"
    assert table.item(1, 4).text() == "3"
    assert table.item(1, 3).data(0x0100) > 0  # the duration in seconds (UserRole)
    assert re.fullmatch(r"\d+ (s|min)", table.item(1, 3).text())
    assert page.stat_values["incidents"].text() == "2"
    assert page.stat_values["uptime_24h"].text().endswith("%")
    assert dashboard._rows["incident"][1].text().startswith("Backend down for ")

    # the chart has the latency line and the state band
    chart = page.chart
    with_latency = [r for r in stored if r["http_latency_ms"] is not None]
    assert chart.latency_series.count() == len(with_latency) == len(stored) - 1  # not "down"
    with_db = [r for r in stored if r["db_latency_ms"] is not None]
    assert chart.db_latency_series.count() == len(with_db) == len(stored) - 3  # nor db down
    levels = {point.y() for point in chart.state_line.points()}
    assert {0.0, 2.0, 3.0, 4.0} <= levels
    page.set_range(HistoryRange.WEEK)
    assert chart.axis_time.format() == f"d MMM {time_format()}"  # the UI language's clock

    # CSV export of the period
    target = tmp_path / "exports" / "health.csv"
    with qtbot.waitSignal(page.exported, timeout=WAIT_MS) as blocker:
        page.save_csv(target)
    assert blocker.args == [str(target), len(stored)]
    with target.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == SAMPLE_FIELDS
    assert [r[SAMPLE_FIELDS.index("state")] for r in rows[-2:]] == ["healthy", "down"]
    assert page.status_label.text() == f"Saved {len(stored)} samples to {target}."


def test_an_alert_is_notified_unless_muted(qtbot, connected, sandbox):
    """The active server is one of the fleet: its alert lifecycle notifies (after the pending
    period of two bad checks), and the page's switch is the tray's mute."""
    context = connected
    context.settings.fleet.keep_firing_s = 0  # the first good check sends the recovery
    page = make_health_page(qtbot, context)
    fleet = page.fleet_watch
    fleet.reconfigure()
    profile = context.profile_name

    def check_once() -> None:
        before = fleet.status(profile).last_check if fleet.status(profile) else None
        fleet.check_now(profile)
        qtbot.waitUntil(
            lambda: (s := fleet.status(profile)) is not None and s.last_check != before,
            timeout=WAIT_MS,
        )

    check_once()
    sandbox.set_faults(db_down=True)
    check_once()
    with qtbot.waitSignal(context.notification, timeout=WAIT_MS) as blocker:
        check_once()
    title, text = blocker.args
    assert title == f"Alert: {profile}"
    assert "database down" in text

    assert page.notify_box.isChecked()
    page.notify_box.setChecked(False)  # the page's switch is the tray's mute
    assert context.notifications_muted
    sandbox.clear_faults()
    recoveries = []
    fleet.alerted.connect(lambda event: recoveries.append(event) if event.notify else None)
    with qtbot.assertNotEmitted(context.notification):
        check_once()  # recovered: an alert event, but muted on the desktop
    assert fleet.status(profile).state is HealthState.HEALTHY
    assert [e.kind for e in recoveries] == ["resolved"]
    page.notify_box.setChecked(True)
    assert not context.notifications_muted


def test_polling_goes_on_while_the_window_is_hidden(qtbot, connected, settings):
    settings.health.poll_interval_s = 1
    context = connected
    context.settings_changed.emit()
    window = MainWindow(context)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.first_shown, timeout=WAIT_MS):
        window.show()
    window.hide()  # as when minimised to the tray
    monitor = window.page("dashboard").monitor
    seen = []
    monitor.sampled.connect(seen.append)
    qtbot.waitUntil(lambda: len(seen) >= 2, timeout=WAIT_MS)
    assert not window.isVisible()
    assert len(context.store.health_samples(context.profile_name)) >= 2

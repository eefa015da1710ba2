"""The fleet overview, its model and the tray, against three real sandboxes (one broken at
run time), under pytest-qt with Qt's model tester."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow

from tests.support.sandboxes import start_sandbox
from viva_desktop.services.common.config import ServerProfile
from viva_desktop.services.common.config.fleet import DeploymentWatch
from viva_desktop.services.monitoring.alerts import AlertState
from viva_desktop.services.monitoring.health import HealthState
from viva_desktop.ui.admin.fleet_view import FleetOverview
from viva_desktop.ui.admin.fleet_watch import FleetWatch
from viva_desktop.ui.common.context import AppContext
from viva_desktop.ui.models.fleet_model import PROFILE, Column, FleetModel
from viva_desktop.ui.shell.tray import TrayIcon

WAIT_MS = 15_000


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, Any]]:
    started = {name: start_sandbox(seed=False) for name in ("alpha", "beta", "gamma")}
    try:
        yield started
    finally:
        for server in started.values():
            server.stop()


@pytest.fixture
def fleet_context(context: AppContext, servers: dict[str, Any]) -> AppContext:
    settings = context.settings
    settings.profiles = [
        *settings.profiles,
        *(ServerProfile(name=name, url=server.url) for name, server in servers.items()),
    ]
    settings.fleet.interval_s = 3600  # only the tests check
    settings.fleet.keep_firing_s = 0
    settings.fleet.deployments = {"gamma": DeploymentWatch(tags=["staging", "eu"])}
    return context


@pytest.fixture
def watch(fleet_context: AppContext) -> Iterator[FleetWatch]:
    fleet = FleetWatch(fleet_context, start=False)
    try:
        yield fleet
    finally:
        fleet.close()


def check(qtbot, watch: FleetWatch) -> None:
    """One check of every deployment, waited for on the GUI side."""
    seen: set[str] = set()
    expected = {d.profile for d in watch.watcher.deployments()}

    def note() -> None:
        seen.update(s.profile for s in watch.statuses if s.latest is not None)

    watch.changed.connect(note)
    before = {s.profile: s.last_check for s in watch.statuses}
    watch.check_now()
    qtbot.waitUntil(
        lambda: all(
            (s := watch.status(p)) is not None and s.last_check not in (None, before.get(p))
            for p in expected
        ),
        timeout=WAIT_MS,
    )
    qtbot.waitUntil(lambda: watch.settled, timeout=WAIT_MS)  # the views have been told
    watch.changed.disconnect(note)


def test_three_sandboxes_one_broken_turns_red_everywhere(
    qtbot, qtmodeltester, watch: FleetWatch, fleet_context: AppContext, servers
) -> None:
    overview = FleetOverview(watch)
    qtbot.addWidget(overview)
    window = QMainWindow()
    qtbot.addWidget(window)
    tray = TrayIcon(fleet_context, window)
    tray.watch_fleet(watch)
    notes: list[tuple[str, str]] = []
    fleet_context.notification.connect(lambda title, text: notes.append((title, text)))

    check(qtbot, watch)
    assert overview.model.rowCount() == 3
    assert tray.fleet_colour == "green"
    qtmodeltester.check(overview.model)
    qtmodeltester.check(overview.proxy)

    servers["beta"].set_faults(db_down=True)
    try:
        check(qtbot, watch)  # pending
        assert watch.status("beta").alert_state is AlertState.PENDING
        assert notes == []
        check(qtbot, watch)  # the pending period (2 checks) is over: firing
        model, shown = overview.model, overview.proxy
        assert shown.index(0, 0).data(PROFILE) == "beta"  # worst first
        assert [shown.index(r, 0).data(PROFILE) for r in (1, 2)] == ["alpha", "gamma"]
        assert shown.index(0, Column.STATE).data().startswith("Unhealthy")
        assert "Firing" in shown.index(0, Column.STATE).data()
        assert "database down" in shown.index(0, Column.INCIDENT).data()
        up = model.status_at(model.row_of("beta")).availability["24h"].ratio
        assert up is not None
        assert up < 1.0  # counted while it lasts
        assert shown.index(0, Column.UP_24H).data() != "100 %"
        assert shown.index(0, Column.HEARTBEAT).data() == "2 of 3 checks failed"
        assert tray.fleet_colour == "red"
        assert "beta" in tray.tooltip_text
        assert "alpha" not in tray.tooltip_text
        assert notes[-1][0] == "Alert: beta"
        qtmodeltester.check(model)
    finally:
        servers["beta"].clear_faults()
    check(qtbot, watch)
    assert watch.status("beta").alert_state is AlertState.NORMAL
    assert notes[-1][0] == "Recovered: beta"
    assert "after" in notes[-1][1]
    assert tray.fleet_colour == "green"


def test_filter_by_name_or_tag_and_selection(qtbot, watch: FleetWatch) -> None:
    overview = FleetOverview(watch)
    qtbot.addWidget(overview)
    check(qtbot, watch)
    overview.filter_box.setText("stag")
    assert overview.proxy.rowCount() == 1
    assert overview.proxy.index(0, 0).data(PROFILE) == "gamma"
    assert overview.proxy.index(0, 0).data() == "gamma (eu, staging)"
    overview.filter_box.setText("ALP")
    assert overview.proxy.rowCount() == 1
    with qtbot.waitSignal(overview.selected, timeout=WAIT_MS) as chosen:
        assert overview.select("alpha")
    assert chosen.args == ["alpha"]
    overview.filter_box.clear()
    assert overview.proxy.rowCount() == 3
    check(qtbot, watch)
    assert overview.selected_profile == "alpha"  # kept across refreshes


def test_compact_overview_hides_detail_columns(qtbot, watch: FleetWatch) -> None:
    overview = FleetOverview(watch, compact=True)
    qtbot.addWidget(overview)
    assert overview.table.isColumnHidden(Column.TLS)
    assert not overview.table.isColumnHidden(Column.HEARTBEAT)


def test_an_empty_model_passes_the_model_tester(qtmodeltester) -> None:
    qtmodeltester.check(FleetModel())


def test_unwatched_states_read_as_words(qtbot, watch: FleetWatch) -> None:
    overview = FleetOverview(watch)
    qtbot.addWidget(overview)
    assert overview.model.index(0, Column.STATE).data() == "Not checked yet"
    assert watch.worst_state() is None
    check(qtbot, watch)
    assert watch.worst_state() is HealthState.HEALTHY


def test_detail_ranges_causes_incidents_silences_and_csv(
    qtbot, qtmodeltester, watch: FleetWatch, servers, tmp_path
) -> None:
    from viva_desktop.ui.admin.fleet_detail import FleetDetailView
    from viva_desktop.ui.admin.fleet_ranges import FleetRange

    detail = FleetDetailView(watch)
    qtbot.addWidget(detail)
    detail.show()
    check(qtbot, watch)
    servers["gamma"].set_faults(db_down=True)
    try:
        check(qtbot, watch)
        check(qtbot, watch)
    finally:
        servers["gamma"].clear_faults()
    watch.watcher.flush()
    with qtbot.waitSignal(detail.loaded, timeout=WAIT_MS):
        detail.show_deployment("gamma")
    data = detail.detail
    assert data is not None
    assert len(data.samples) == 3
    # the cause of every non-healthy sample
    assert detail.problems.rowCount() == 2
    assert detail.problems.index(0, 2).data() == "database down"
    # one incident, still going
    assert detail.incidents.rowCount() == 1
    assert detail.incidents.index(0, 2).data().startswith("Unhealthy")
    assert "so far" in detail.incidents.index(0, 1).data()
    # the alert history: pending, then firing (sent)
    alerts = [detail.alerts.index(r, 1).data() for r in range(detail.alerts.rowCount())]
    assert alerts == ["Firing · sent", "Pending"]
    assert "up" in detail.availability_label.text()
    # a separate state timeline, and the chart fitted to the samples there are
    assert {s.state.value for s in detail.timeline.segments} == {"healthy", "unhealthy"}
    assert detail.latency.series_count >= 1
    assert detail.latency.ticks
    ticks = detail.latency.ticks
    step = ticks[1] - ticks[0]
    assert step.total_seconds() in (10, 30, 60, 120, 300)
    for tick in ticks:  # round times: whole multiples of the step since midnight
        midnight = tick.replace(hour=0, minute=0, second=0, microsecond=0)
        assert (tick - midnight) % step == timedelta(0)
    for model in (detail.problems, detail.incidents, detail.alerts):
        qtmodeltester.check(model)

    for choice in FleetRange:
        with qtbot.waitSignal(detail.loaded, timeout=WAIT_MS):
            detail.set_range(choice)
        assert detail.detail is not None
        assert len(detail.detail.samples) == 3

    # silence it for an hour: shown, and kept in the store
    with qtbot.waitSignal(watch.changed, timeout=WAIT_MS):
        detail.silence_for(timedelta(hours=1))
    qtbot.waitUntil(lambda: bool(watch.status("gamma").silenced), timeout=WAIT_MS)
    assert "silenced until" in detail.silence_label.text() or watch.status("gamma").silenced
    watch.end_silences("gamma")
    qtbot.waitUntil(lambda: not watch.status("gamma").silenced, timeout=WAIT_MS)

    target = tmp_path / "gamma.csv"
    with qtbot.waitSignal(detail.exported, timeout=WAIT_MS) as saved:
        detail.save_csv(target)
    assert saved.args[1] == 3
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0].endswith(",cause")
    assert sum(1 for line in lines if line.endswith(",database_down")) == 2


def test_the_dashboard_row_opens_the_detail_on_the_health_page(
    qtbot, fleet_context: AppContext
) -> None:
    from viva_desktop.ui.admin.fleet_watch import fleet_watch_of
    from viva_desktop.ui.shell.main_window import MainWindow

    window = MainWindow(fleet_context)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.first_shown, timeout=WAIT_MS):
        window.show()
    watch = fleet_watch_of(fleet_context)
    assert window.tray._fleet is watch  # the tray follows the same fleet
    check(qtbot, watch)
    dashboard = window.page("dashboard")
    assert dashboard.fleet.compact
    assert dashboard.fleet.model.rowCount() == 3
    dashboard.fleet.select("beta")
    assert window.current_key == "health"
    health = window.page("health")
    assert health.detail.profile == "beta"
    assert health.fleet.selected_profile == "beta"
    qtbot.waitUntil(lambda: health.detail.detail is not None, timeout=WAIT_MS)


def test_new_channels_apply_without_a_restart(
    qtbot, watch: FleetWatch, fleet_context: AppContext, servers
) -> None:
    from tests.support.alert_receivers import WebhookReceiver

    receiver = WebhookReceiver().start()
    try:
        fleet_context.settings.fleet.webhooks = [receiver.url]
        fleet_context.settings.fleet.pending_checks = 1
        fleet_context.settings_changed.emit()
        assert [n.name for n in watch.watcher.notifiers] == ["webhook"]
        servers["alpha"].set_faults(db_down=True)
        check(qtbot, watch)
        assert receiver.wait_for(lambda bodies: len(bodies) == 1)
        assert receiver.bodies[0]["profile"] == "alpha"
    finally:
        servers["alpha"].clear_faults()
        receiver.stop()


def test_a_degraded_deployment_turns_the_tray_amber(
    qtbot, watch: FleetWatch, fleet_context: AppContext, servers
) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    tray = TrayIcon(fleet_context, window)
    tray.watch_fleet(watch)
    servers["gamma"].set_faults(heap_pressure=True)
    try:
        check(qtbot, watch)
    finally:
        servers["gamma"].clear_faults()
    assert tray.fleet_colour == "amber"
    assert tray.tooltip_text == "Up, but degraded: gamma"
    status = watch.status("gamma")
    assert status.alert_state is AlertState.NORMAL  # degraded alone does not alert
    assert status.incident is not None
    assert status.incident.cause.value == "heap"


def test_the_live_monitors_check_of_the_active_server_is_its_rows_check(
    qtbot, watch: FleetWatch, fleet_context: AppContext, servers
) -> None:
    """The row of the server the app is signed in to shows the live monitor's check as soon
    as it comes, instead of "Not checked yet" until the fleet's own first round; and the
    fleet does not ask that server again within its interval."""
    import httpx

    from viva_desktop.services.monitoring.health import HealthProbe
    from viva_desktop.ui.admin.health_monitor import health_monitor_of

    overview = FleetOverview(watch)
    qtbot.addWidget(overview)
    with httpx.Client() as http:
        sample = HealthProbe(http, servers["alpha"].url, "alpha").poll()
    health_monitor_of(fleet_context).sampled.emit(sample)
    qtbot.waitUntil(
        lambda: (status := watch.status("alpha")) is not None and status.latest is not None,
        timeout=WAIT_MS,
    )
    qtbot.waitUntil(lambda: watch.settled, timeout=WAIT_MS)
    texts = {
        overview.proxy.index(r, 0).data(PROFILE): overview.proxy.index(r, Column.STATE).data()
        for r in range(overview.proxy.rowCount())
    }
    assert texts["alpha"] == "Healthy"
    assert texts["beta"] == "Not checked yet"
    assert (watch.watcher.next_check_in("alpha") or 0.0) > 3000.0


def test_the_heartbeat_title_is_never_cut(qtbot, watch: FleetWatch) -> None:
    """The heartbeat column stretches into the room the others leave, but not below its
    title: in a narrow window it keeps that width and the table scrolls sideways."""
    from PySide6.QtGui import QFont, QFontMetrics
    from PySide6.QtWidgets import QHeaderView

    overview = FleetOverview(watch)
    qtbot.addWidget(overview)
    check(qtbot, watch)
    header = overview.table.horizontalHeader()
    bold = QFont(header.font())
    bold.setBold(True)
    title = str(overview.model.headerData(Column.HEARTBEAT, Qt.Orientation.Horizontal))
    need = QFontMetrics(bold).horizontalAdvance(title)

    overview.resize(500, 300)
    overview.show()
    qtbot.waitExposed(overview)
    qtbot.waitUntil(lambda: overview.table.columnWidth(Column.HEARTBEAT) > need, timeout=WAIT_MS)
    assert header.sectionResizeMode(Column.HEARTBEAT) == QHeaderView.ResizeMode.Interactive

    overview.resize(2400, 300)
    qtbot.waitUntil(
        lambda: header.sectionResizeMode(Column.HEARTBEAT) == QHeaderView.ResizeMode.Stretch,
        timeout=WAIT_MS,
    )
    assert overview.table.columnWidth(Column.HEARTBEAT) > need

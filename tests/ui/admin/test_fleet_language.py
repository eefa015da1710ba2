"""A language switch re-produces the Health page's fleet table and deployment detail already on
screen (issue 17 item 7): states, summary, headers, causes, incidents, alert history, the
silence note and the range's figures speak the new language without a new check."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from viva_desktop.ui.admin.fleet_detail import FleetDetailView
from viva_desktop.ui.admin.fleet_view import FleetOverview
from viva_desktop.ui.admin.fleet_watch import FleetWatch
from viva_desktop.ui.models.fleet_model import PROFILE, Column

from .test_fleet import WAIT_MS, check, fleet_context, servers, watch  # noqa: F401


def row_texts(overview: FleetOverview, profile: str) -> list[str]:
    proxy = overview.proxy
    for row in range(proxy.rowCount()):
        if proxy.index(row, 0).data(PROFILE) == profile:
            return [str(proxy.index(row, c).data() or "") for c in range(proxy.columnCount())]
    raise AssertionError(f"{profile} is not in the table")


def detail_texts(detail: FleetDetailView) -> dict[str, object]:
    def column(model, number: int) -> list[str]:
        return [str(model.index(r, number).data()) for r in range(model.rowCount())]

    return {
        "availability": detail.availability_label.text(),
        "silence": detail.silence_label.text(),
        "status": detail.status_label.text(),
        "range": detail.range_box.currentText(),
        "tabs": [detail.tabs.tabText(i) for i in range(detail.tabs.count())],
        "causes": column(detail.problems, 2),
        "incidents": column(detail.incidents, 2),
        "alerts": column(detail.alerts, 1),
        "check": detail.check_button.text(),
    }


def test_a_language_switch_redraws_the_fleet_table_and_detail(
    qtbot,
    watch: FleetWatch,  # noqa: F811  (the fixtures of test_fleet, imported above)
    servers,  # noqa: F811
    translations,
) -> None:
    page = QWidget()  # the Health page's pair: the table above, the detail below
    overview, detail = FleetOverview(watch), FleetDetailView(watch)
    layout = QVBoxLayout(page)
    layout.addWidget(overview)
    layout.addWidget(detail)
    qtbot.addWidget(page)
    page.show()
    check(qtbot, watch)
    servers["gamma"].set_faults(db_down=True)
    try:
        check(qtbot, watch)
    finally:
        servers["gamma"].clear_faults()
    watch.watcher.flush()
    with qtbot.waitSignal(detail.loaded, timeout=WAIT_MS):
        detail.show_deployment("gamma")
    with qtbot.waitSignal(watch.changed, timeout=WAIT_MS):
        detail.silence_for(timedelta(hours=1))
    qtbot.waitUntil(lambda: bool(watch.status("gamma").silenced), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: detail.silence_label.text().startswith("silenced"), timeout=WAIT_MS)

    english_row = row_texts(overview, "gamma")
    english = detail_texts(detail)
    english_header = overview.model.headerData(Column.STATE, Qt.Orientation.Horizontal)
    english_summary = overview.summary.text()
    english_tip = overview.proxy.index(0, Column.STATE).data(Qt.ItemDataRole.ToolTipRole)
    assert english["causes"] == ["database down"]
    assert english_summary.startswith("In trouble")

    translations.set_language("es")
    qtbot.waitUntil(lambda: detail.check_button.text() != english["check"], timeout=WAIT_MS)
    spanish_row = row_texts(overview, "gamma")
    spanish = detail_texts(detail)
    # the table: the state cell, the heartbeat summary, the header and the summary line
    assert spanish_row[Column.STATE] != english_row[Column.STATE]
    assert spanish_row[Column.HEARTBEAT] != english_row[Column.HEARTBEAT]
    assert overview.model.headerData(Column.STATE, Qt.Orientation.Horizontal) != english_header
    assert overview.summary.text() != english_summary
    tip = overview.proxy.index(0, Column.STATE).data(Qt.ItemDataRole.ToolTipRole)
    assert tip != english_tip  # "silenced until…", said again in Spanish
    # the detail: every text already shown
    for key in ("availability", "silence", "status", "range", "tabs", "causes", "alerts"):
        assert spanish[key] != english[key], key
    assert spanish["incidents"] != english["incidents"]


def test_the_built_in_sandbox_reads_its_name_in_the_ui_language(qtbot, translations) -> None:
    """Its row, like the status bar, says "Sandbox (integrado)" in Spanish; other profiles
    keep the name they were given, and the profile name stays the key."""
    from datetime import UTC, datetime

    from viva_desktop.services.common.config import SANDBOX_PROFILE_NAME
    from viva_desktop.services.monitoring.alerts import AlertState
    from viva_desktop.services.monitoring.availability import Availability
    from viva_desktop.services.monitoring.fleet_status import Deployment, DeploymentStatus
    from viva_desktop.services.monitoring.health import HealthSample, HealthState
    from viva_desktop.ui.models.fleet_model import FleetModel

    def status(deployment: Deployment) -> DeploymentStatus:
        sample = HealthSample(deployment.profile, datetime.now(UTC), HealthState.HEALTHY)
        windows = {name: Availability() for name in ("24h", "7d", "30d")}
        return DeploymentStatus(deployment, sample, (), AlertState.NORMAL, None, windows, None)

    sandbox = Deployment(SANDBOX_PROFILE_NAME, "http://127.0.0.1:1", builtin_sandbox=True)
    named = Deployment(SANDBOX_PROFILE_NAME, "http://127.0.0.1:2")  # a user's own profile
    translations.set_language("es")
    model = FleetModel()
    model.set_statuses([status(sandbox)])
    assert model.index(0, Column.NAME).data() == "Sandbox (integrado)"
    assert model.index(0, Column.NAME).data(PROFILE) == SANDBOX_PROFILE_NAME
    assert named.display_name == SANDBOX_PROFILE_NAME
    translations.set_language("en")
    model.retranslate()
    assert model.index(0, Column.NAME).data() == SANDBOX_PROFILE_NAME

"""Health: every configured deployment at a glance, and each one's state over time.

The fleet table on top lists every watched deployment, worst first (`FleetOverview`); picking
one opens its detail below (`FleetDetailView`: latency, state timeline, causes, incidents,
alert history, silences, CSV). The second tab is the live view of the active server:

The chart plots response times and the state band over the last hour, day or week; under it,
the availability over 24 hours and 7 days and the incidents (stretches of not-healthy samples)
with their durations. Everything comes from the shared `HealthWatch`: its history is read from
the store once, then every live sample is folded in, so the page never polls on its own and
keeps nothing the store does not also keep. State changes are notified through the system tray
unless muted here (the same switch as the tray's menu). The history exports as CSV.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from viva_desktop.services.monitoring.health import HealthSample, Incident, samples_to_csv
from viva_desktop.services.monitoring.health import state_label as health_state_label
from viva_desktop.ui.admin.badges import StateBadge, state_icon
from viva_desktop.ui.admin.files import with_suffix_if_missing, write_atomically
from viva_desktop.ui.admin.fleet_detail import FleetDetailView
from viva_desktop.ui.admin.fleet_view import FleetOverview
from viva_desktop.ui.admin.fleet_watch import fleet_watch_of
from viva_desktop.ui.admin.health_chart import HealthChart
from viva_desktop.ui.admin.health_history import HistoryRange
from viva_desktop.ui.admin.health_watch import health_watch_of
from viva_desktop.ui.admin.log_links import ensure_log_links
from viva_desktop.ui.common.context import AppContext
from viva_desktop.ui.common.formatting import clock_text, duration_text
from viva_desktop.ui.common.icons import icon
from viva_desktop.ui.common.layouts import vertical_split
from viva_desktop.ui.common.timefmt import datetime_text, percent_text
from viva_desktop.ui.common.worker import run_task
from viva_desktop.ui.pages.base import Page

log = logging.getLogger("viva.ui.health")

INCIDENT_COLUMNS = 5


def export_samples(samples: list[HealthSample], path: str) -> tuple[str, int]:
    """Write `samples` as CSV to `path` (worker thread); returns (path, rows)."""
    count = 0

    def write(handle: TextIO) -> None:
        nonlocal count
        count = samples_to_csv(samples, handle)

    target = write_atomically(path, write)
    return str(target), count


class HealthPage(Page):
    exported = Signal(str, int)  # (path, rows)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("HealthPage")
        ensure_log_links(context)  # "Show in logs" in error dialogs
        self.watch = health_watch_of(context)
        self.monitor = self.watch.monitor

        self.title = QLabel()
        self.title.setObjectName("PageTitle")
        self.badge = StateBadge()
        self.checked_label = QLabel()
        self.checked_label.setObjectName("Muted")
        self.range_box = QComboBox()
        for item in HistoryRange:
            self.range_box.addItem("", item)
        self.range_box.setCurrentIndex(0)
        self.range_box.currentIndexChanged.connect(self._render)
        self.check_button = QPushButton(icon("refresh"), "")
        self.check_button.clicked.connect(self.refresh)
        self.export_button = QPushButton(icon("export"), "")
        self.export_button.clicked.connect(self.export_csv)
        self.notify_box = QCheckBox()
        self.notify_box.setChecked(not context.notifications_muted)
        self.notify_box.toggled.connect(self._notify_toggled)

        header = QHBoxLayout()
        header.addWidget(self.badge)
        header.addWidget(self.checked_label)
        header.addStretch(1)
        header.addWidget(self.range_box)
        header.addWidget(self.check_button)
        header.addWidget(self.export_button)

        self.stat_names: dict[str, QLabel] = {}
        self.stat_values: dict[str, QLabel] = {}
        stats = QGridLayout()
        for column, key in enumerate(("uptime_24h", "uptime_7d", "samples", "incidents")):
            name, value = QLabel(), QLabel("—")
            name.setObjectName("Muted")
            value.setObjectName("Headline")
            stats.addWidget(name, 0, column)
            stats.addWidget(value, 1, column)
            self.stat_names[key], self.stat_values[key] = name, value
        stats_card = QFrame()
        stats_card.setObjectName("Card")
        stats_card.setLayout(stats)

        self.chart = HealthChart()
        self.incidents_title = QLabel()
        self.incidents_title.setObjectName("Headline")
        self.incidents = QTableWidget(0, INCIDENT_COLUMNS)
        self.incidents.setObjectName("IncidentTable")
        self.incidents.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.incidents.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.incidents.verticalHeader().hide()
        self.incidents.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.no_incidents = QLabel()
        self.no_incidents.setObjectName("Muted")
        self.status_label = QLabel()
        self.status_label.setObjectName("Muted")
        self.status_label.setWordWrap(True)

        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.incidents_title)
        lower_layout.addWidget(self.no_incidents)
        lower_layout.addWidget(self.incidents, 1)
        splitter = vertical_split(self.chart, lower, stretch=(3, 2))

        # The fleet on top (every configured deployment, worst first); under it, the detail
        # of the deployment picked there, and the live view of the active server.
        self.fleet_watch = fleet_watch_of(context)
        self.fleet = FleetOverview(self.fleet_watch)
        self.detail = FleetDetailView(self.fleet_watch)
        self.fleet.selected.connect(self.show_deployment)
        active = QWidget()
        active_layout = QVBoxLayout(active)
        active_layout.setContentsMargins(0, 0, 0, 0)
        active_layout.addLayout(header)
        active_layout.addWidget(self.notify_box)
        active_layout.addWidget(stats_card)
        active_layout.addWidget(splitter, 1)
        active_layout.addWidget(self.status_label)
        self.lower_tabs = QTabWidget()
        self.lower_tabs.addTab(self.detail, "")
        self.lower_tabs.addTab(active, "")

        self.alert_settings_button = QPushButton(icon("settings"), "")
        self.alert_settings_button.clicked.connect(self.edit_alert_settings)
        title_row = QHBoxLayout()
        title_row.addWidget(self.title, 1)
        title_row.addWidget(self.alert_settings_button)

        layout = QVBoxLayout(self)
        layout.addLayout(title_row)
        layout.addWidget(vertical_split(self.fleet, self.lower_tabs, stretch=(3, 5)), 1)

        self.watch.history_changed.connect(self._render)
        self.watch.history_failed.connect(self._history_failed)
        self.monitor.sampled.connect(self._show_latest)
        self.monitor.polling_changed.connect(self._polling_changed)
        context.settings_changed.connect(self._settings_changed)
        context.profile_changed.connect(self._render)
        self._clock = QTimer(self)
        self._clock.setInterval(60_000)  # the window slides even when no sample comes
        self._clock.timeout.connect(self._render)
        self.retranslate()

    # ------------------------------------------------------------------ Page hooks

    def activate(self) -> None:
        super().activate()
        self.watch.ensure_polling()
        self.watch.request_history()
        self._clock.start()
        self._render()
        worst = self.fleet_watch.statuses[:1]
        if self.detail.profile is None and worst:  # open on the deployment that needs it most
            self.show_deployment(worst[0].profile)

    def deactivate(self) -> None:
        super().deactivate()
        self._clock.stop()

    def refresh(self) -> None:
        """Poll now (the active server and every deployment); read the history again (F5)."""
        self.monitor.poll_now()
        self.fleet_watch.check_now()
        self.watch.request_history(reload=True)

    def is_loading(self) -> bool:
        return self.watch.loading

    @property
    def selected_range(self) -> HistoryRange:
        value = self.range_box.currentData()
        return value if isinstance(value, HistoryRange) else HistoryRange.HOUR

    def set_range(self, value: HistoryRange) -> None:
        self.range_box.setCurrentIndex(self.range_box.findData(value))

    def show_deployment(self, profile: str) -> None:
        """Open the detail of `profile` (from the fleet table or another page)."""
        if self.fleet.selected_profile != profile:
            self.fleet.select(profile)
        self.detail.show_deployment(profile)
        self.lower_tabs.setCurrentWidget(self.detail)

    def edit_alert_settings(self) -> None:
        """Intervals, alert periods, channels and maintenance windows of the fleet."""
        from viva_desktop.ui.dialogs.fleet_settings import FleetSettingsDialog

        dialog = FleetSettingsDialog(self.context.settings, self)
        if dialog.exec() == FleetSettingsDialog.DialogCode.Accepted:
            dialog.apply(self.context)
        dialog.deleteLater()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Health"))
        self.alert_settings_button.setText(self.tr("Alert settings…"))
        self.alert_settings_button.setToolTip(
            self.tr("Check intervals, alert periods, webhooks, e-mail and maintenance windows")
        )
        self.lower_tabs.setTabText(0, self.tr("Deployment detail"))
        self.lower_tabs.setTabText(1, self.tr("Active server, live"))
        for index in range(self.range_box.count()):
            value = self.range_box.itemData(index)
            self.range_box.setItemText(index, value.label)
        self.check_button.setText(self.tr("Check now"))
        self.check_button.setToolTip(self.tr("Poll the server's health now (F5)"))
        self.export_button.setText(self.tr("Export CSV…"))
        self.export_button.setToolTip(self.tr("Save the samples of the chosen period as CSV"))
        self.notify_box.setText(self.tr("Notify me of state changes (system tray)"))
        names = {
            "uptime_24h": self.tr("Availability, 24 hours"),
            "uptime_7d": self.tr("Availability, 7 days"),
            "samples": self.tr("Samples in the period"),
            "incidents": self.tr("Incidents in the period"),
        }
        for key, label in self.stat_names.items():
            label.setText(names[key])
        self.incidents_title.setText(self.tr("Incidents"))
        self.incidents.setAccessibleName(self.tr("Incidents"))
        self.incidents.setHorizontalHeaderLabels(
            [
                self.tr("Worst state"),
                self.tr("Started"),
                self.tr("Ended"),
                self.tr("Duration"),
                self.tr("Samples"),
            ]
        )
        self.no_incidents.setText(self.tr("No incident in this period."))
        self._render()

    # ------------------------------------------------------------------ rendering

    def _show_latest(self, _sample: HealthSample) -> None:
        self._render_header()

    def _polling_changed(self, polling: bool) -> None:
        self.check_button.setEnabled(not polling and self.context.services is not None)

    def _settings_changed(self) -> None:
        muted = self.context.notifications_muted
        if self.notify_box.isChecked() == muted:
            self.notify_box.blockSignals(True)
            self.notify_box.setChecked(not muted)
            self.notify_box.blockSignals(False)

    def _notify_toggled(self, checked: bool) -> None:
        self.context.set_notifications_muted(not checked)

    def _history_failed(self, exc: BaseException) -> None:
        self.status_label.setText(self.tr("The history could not be read from the local store."))
        if self.active:
            self.context.report_error(exc, parent=self)

    def _render(self, *_args: object) -> None:
        self._render_header()
        history = self.watch.history
        online = self.context.services is not None and not self.context.offline_mode
        if history is None or history.profile != self.context.profile_name:
            self.chart.set_samples(
                [], datetime.now(UTC), self.selected_range.window, self.watch.max_gap
            )
            for value in self.stat_values.values():
                value.setText("—")
            self.incidents.setRowCount(0)
            self.no_incidents.setVisible(True)
            if self.context.profile is None:
                self.status_label.setText(self.tr("Connect to a server to watch its health."))
            elif self.watch.loading:
                self.status_label.setText(self.tr("Reading the history…"))
            return
        window = self.selected_range.window
        now = max(datetime.now(UTC), history.now)
        in_window = history.in_window(window)
        found = history.incidents_in(window)
        self.chart.set_samples(history.samples, now, window, history.max_gap)
        self.stat_values["uptime_24h"].setText(percent_text(history.uptime_24h))
        self.stat_values["uptime_7d"].setText(percent_text(history.uptime_7d))
        self.stat_values["samples"].setText(str(len(in_window)))
        self.stat_values["incidents"].setText(str(len(found)))
        self._fill_incidents(found)
        if not online:
            self.status_label.setText(
                self.tr("Not connected: showing the stored history; no new samples are taken.")
            )
        else:
            self.status_label.setText(
                self.tr("Polling every {seconds} s; the history is kept for 30 days.").format(
                    seconds=f"{self.context.settings.health.poll_interval_s:g}"
                )
            )

    def _render_header(self) -> None:
        sample = self.monitor.latest
        if sample is None:
            self.badge.set_state(None, self.tr("Not checked"))
            self.checked_label.setText("")
        else:
            self.badge.set_state(sample.state)
            self.checked_label.setText(
                self.tr("Checked at {time}").format(time=clock_text(sample.taken_at))
            )
        online = self.context.services is not None and not self.context.offline_mode
        self.check_button.setEnabled(online and not self.monitor.polling)
        history = self.watch.history
        self.export_button.setEnabled(history is not None and bool(history.samples))

    def _fill_incidents(self, found: list[Incident]) -> None:
        self.no_incidents.setVisible(not found)
        self.incidents.setRowCount(len(found))
        for row, incident in enumerate(found):
            state = QTableWidgetItem(
                state_icon(incident.worst_state), health_state_label(incident.worst_state)
            )
            ended = (
                self.tr("ongoing")
                if incident.ongoing
                else datetime_text(incident.end, seconds=True)
            )
            duration = duration_text(incident.duration.total_seconds())
            if incident.ongoing:
                duration = self.tr("{duration} so far").format(duration=duration)
            cells = [
                state,
                QTableWidgetItem(datetime_text(incident.start, seconds=True)),
                QTableWidgetItem(ended),
                QTableWidgetItem(duration),
                QTableWidgetItem(str(incident.samples)),
            ]
            cells[3].setData(Qt.ItemDataRole.UserRole, incident.duration.total_seconds())
            for column, item in enumerate(cells):
                self.incidents.setItem(row, column, item)

    # ------------------------------------------------------------------ export

    def export_csv(self) -> None:
        """Ask where to save, then write the chosen period's samples as CSV."""
        profile = (self.context.profile_name or "server").replace("/", "-").replace(" ", "-")
        stamp = datetime.now().strftime("%Y%m%d-%H%M")
        path, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Export the health history"),
            str(Path.home() / f"health-{profile}-{stamp}.csv"),
            self.tr("CSV files (*.csv)"),
        )
        if path:
            self.save_csv(with_suffix_if_missing(path, ".csv"))

    def save_csv(self, path: str | Path) -> None:
        history = self.watch.history
        if history is None:
            return
        samples = history.in_window(self.selected_range.window)
        self.export_button.setEnabled(False)
        run_task(
            export_samples,
            samples,
            str(path),
            on_done=self._exported,
            on_error=self._export_failed,
            parent=self,
            name="export health history",
        )

    def _exported(self, result: tuple[str, int]) -> None:
        path, count = result
        self.export_button.setEnabled(True)
        self.status_label.setText(
            self.tr("Saved %n sample(s) to {path}.", "", count).format(path=path)
        )
        log.info("exported %s health samples to %s", count, path)
        self.exported.emit(path, count)

    def _export_failed(self, exc: BaseException) -> None:
        self.export_button.setEnabled(True)
        self.context.report_error(exc, retry=self.export_csv, parent=self)

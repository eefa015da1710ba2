"""The detail of one deployment: latency chart and state timeline over 15 min … 30 days, the
cause of every non-healthy sample, incidents, alert history, silences and CSV export.

Everything is read from the store on a worker thread (`load_detail`) when the deployment or
the range changes, and again as new checks arrive (at most once every few seconds for short
ranges, once a minute for the long ones)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

from PySide6.QtCore import QDateTime, QRectF, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from viva_desktop.services.monitoring.fleet_history import FleetDetail, detail_to_csv, load_detail
from viva_desktop.ui.admin.files import with_suffix_if_missing, write_atomically
from viva_desktop.ui.admin.fleet_charts import LatencyChart, StateTimeline
from viva_desktop.ui.admin.fleet_ranges import FleetRange, fitted_span
from viva_desktop.ui.admin.fleet_watch import FleetWatch
from viva_desktop.ui.common.icons import icon
from viva_desktop.ui.common.retranslate import Retranslating
from viva_desktop.ui.common.worker import TaskHandle, run_task
from viva_desktop.ui.models.fleet_detail_models import (
    AlertHistoryModel,
    IncidentsModel,
    ProblemsModel,
)

SHORT_RELOAD_S = 5.0
LONG_RELOAD_S = 60.0


def export_detail(detail: FleetDetail, path: str) -> tuple[str, int]:
    """Write the range's samples as CSV (worker thread); returns (path, rows)."""
    count = 0

    def write(handle: TextIO) -> None:
        nonlocal count
        count = detail_to_csv(detail.samples, handle)

    return str(write_atomically(path, write)), count


class FleetDetailView(Retranslating, QWidget):
    loaded = Signal()
    exported = Signal(str, int)

    def __init__(self, watch: FleetWatch, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FleetDetail")
        self.watch = watch
        self.profile: str | None = None
        self.detail: FleetDetail | None = None
        self._task: TaskHandle | None = None
        self._again = False
        self._loaded_at = 0.0

        self.title = QLabel()
        self.title.setObjectName("Headline")
        self.availability_label = QLabel()
        self.silence_label = QLabel()
        self.silence_label.setObjectName("Muted")
        self.range_box = QComboBox()
        for item in FleetRange:
            self.range_box.addItem("", item)
        self.range_box.setCurrentIndex(1)
        self.range_box.currentIndexChanged.connect(lambda *_: self.reload())
        self.check_button = QPushButton(icon("refresh"), "")
        self.check_button.clicked.connect(self._check_now)
        self.silence_button = QToolButton()
        self.silence_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.silence_menu = QMenu(self.silence_button)
        self.silence_button.setMenu(self.silence_menu)
        self.silence_actions = {
            "1h": self.silence_menu.addAction("", lambda: self.silence_for(timedelta(hours=1))),
            "4h": self.silence_menu.addAction("", lambda: self.silence_for(timedelta(hours=4))),
            "until": self.silence_menu.addAction("", self._silence_until),
            "custom": self.silence_menu.addAction("", self._silence_custom),
            "end": self.silence_menu.addAction("", self._end_silence),
        }
        self.export_button = QPushButton(icon("export"), "")
        self.export_button.clicked.connect(self.export_csv)

        self.latency = LatencyChart()
        self.timeline = StateTimeline()
        # The timeline draws time under the chart's plot area, so the two line up.
        self.latency.chart().plotAreaChanged.connect(self._line_up)
        self.problems = ProblemsModel(self)
        self.incidents = IncidentsModel(self)
        self.alerts = AlertHistoryModel(self)
        self.tabs = QTabWidget()
        self.tables: list[QTableView] = []
        for model in (self.problems, self.incidents, self.alerts):
            view = QTableView()
            view.setModel(model)
            view.verticalHeader().hide()
            view.horizontalHeader().setStretchLastSection(True)
            view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
            self.tables.append(view)
            self.tabs.addTab(view, "")
        self.status_label = QLabel()
        self.status_label.setObjectName("Muted")
        self.status_label.setWordWrap(True)

        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.range_box)
        header.addWidget(self.check_button)
        header.addWidget(self.silence_button)
        header.addWidget(self.export_button)
        facts = QHBoxLayout()
        facts.addWidget(self.availability_label, 1)
        facts.addWidget(self.silence_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addLayout(facts)
        layout.addWidget(self.latency, 3)
        layout.addWidget(self.timeline)
        layout.addWidget(self.tabs, 2)
        layout.addWidget(self.status_label)
        watch.changed.connect(self._watch_changed)
        self.retranslate()
        self._enable()

    # ------------------------------------------------------------------ public

    @property
    def selected_range(self) -> FleetRange:
        value = self.range_box.currentData()
        return value if isinstance(value, FleetRange) else FleetRange.HOUR_1

    def set_range(self, value: FleetRange) -> None:
        self.range_box.setCurrentIndex(self.range_box.findData(value))

    def show_deployment(self, profile: str) -> None:
        if profile != self.profile:
            self.profile = profile
            self.detail = None
        self.reload()

    @property
    def loading(self) -> bool:
        return self._task is not None and self._task.running

    def reload(self) -> None:
        store = self.watch.context_store
        if self.profile is None or store is None:
            self._render()
            return
        if self.loading:
            self._again = True
            return
        status = self.watch.status(self.profile)
        max_gap = status.deployment.max_gap if status is not None else timedelta(minutes=2)
        self._loaded_at = time.monotonic()
        self._task = run_task(
            load_detail,
            store,
            self.profile,
            window=self.selected_range.window,
            now=datetime.now(UTC),
            max_gap=max_gap,
            on_done=self._loaded,
            on_error=self._failed,
            parent=self,
            name="load a deployment's history",
        )

    def retranslate(self) -> None:
        for index in range(self.range_box.count()):
            self.range_box.setItemText(index, self.range_box.itemData(index).label)
        self.range_box.setAccessibleName(self.tr("Time range"))
        self.check_button.setText(self.tr("Check now"))
        self.check_button.setAccessibleName(self.tr("Check this deployment now"))
        self.silence_button.setText(self.tr("Silence"))
        self.silence_button.setAccessibleName(self.tr("Silence this deployment's alerts"))
        texts = {
            "1h": self.tr("For 1 hour"),
            "4h": self.tr("For 4 hours"),
            "until": self.tr("Until…"),
            "custom": self.tr("Custom…"),
            "end": self.tr("End the silence"),
        }
        for key, action in self.silence_actions.items():
            action.setText(texts[key])
        self.export_button.setText(self.tr("Export CSV…"))
        self.export_button.setAccessibleName(self.tr("Export this range as CSV"))
        self.latency.setAccessibleName(self.tr("Response times"))
        self.timeline.setAccessibleName(self.tr("State over time"))
        for index, name in enumerate(
            (self.tr("Problems"), self.tr("Incidents"), self.tr("Alert history"))
        ):
            self.tabs.setTabText(index, name)
            self.tables[index].setAccessibleName(name)
        self._render()

    # ------------------------------------------------------------------ silences

    def silence_for(self, duration: timedelta) -> None:
        if self.profile is not None:
            self.watch.silence(self.profile, duration=duration)

    def silence_until(self, until: datetime) -> None:
        if self.profile is not None:
            self.watch.silence(self.profile, until=until)

    def _silence_until(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("Silence until"))
        edit = QDateTimeEdit(QDateTime.currentDateTime().addSecs(3600), dialog)
        edit.setCalendarPopup(True)
        edit.setAccessibleName(self.tr("End of the silence"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        box = QVBoxLayout(dialog)
        box.addWidget(edit)
        box.addWidget(buttons)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.silence_until(edit.dateTime().toPython().astimezone(UTC))

    def _silence_custom(self) -> None:
        minutes, ok = QInputDialog.getInt(
            self, self.tr("Silence"), self.tr("Minutes:"), 30, 1, 60 * 24 * 30
        )
        if ok:
            self.silence_for(timedelta(minutes=minutes))

    def _end_silence(self) -> None:
        if self.profile is not None:
            self.watch.end_silences(self.profile)

    # ------------------------------------------------------------------ export

    def export_csv(self) -> None:
        if self.detail is None:
            return
        stamp = datetime.now().strftime("%Y%m%d-%H%M")
        name = (self.profile or "deployment").replace("/", "-").replace(" ", "-")
        path, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Export the deployment's history"),
            str(Path.home() / f"health-{name}-{stamp}.csv"),
            self.tr("CSV files (*.csv)"),
        )
        if path:
            self.save_csv(with_suffix_if_missing(path, ".csv"))

    def save_csv(self, path: str | Path) -> None:
        if self.detail is None:
            return
        run_task(
            export_detail,
            self.detail,
            str(path),
            on_done=self._exported,
            on_error=self._failed,
            parent=self,
            name="export a deployment's history",
        )

    def _exported(self, result: tuple[str, int]) -> None:
        path, count = result
        self.status_label.setText(
            self.tr("Samples saved to {path}: {count}").format(path=path, count=count)
        )
        self.exported.emit(path, count)

    # ------------------------------------------------------------------ internals

    def _check_now(self) -> None:
        if self.profile is not None:
            self.watch.check_now(self.profile)

    def _watch_changed(self) -> None:
        if self.profile is None or not self.isVisible():
            self._render_header()
            return
        pause = (
            SHORT_RELOAD_S if self.selected_range.window <= timedelta(hours=6) else LONG_RELOAD_S
        )
        if time.monotonic() - self._loaded_at >= pause:
            self.reload()
        else:
            self._render_header()

    def _loaded(self, detail: FleetDetail) -> None:
        self._task = None
        if detail.profile == self.profile:
            self.detail = detail
            self._render()
            self.loaded.emit()
        if self._again:
            self._again = False
            self.reload()

    def _failed(self, exc: BaseException) -> None:
        self._task = None
        self.status_label.setText(
            self.tr("The history could not be read: {error}").format(error=exc)
        )

    def _line_up(self, plot: QRectF) -> None:
        self.timeline.set_inset(plot.left(), self.latency.width() - plot.right())

    def _enable(self) -> None:
        chosen = self.profile is not None
        for widget in (self.check_button, self.silence_button):
            widget.setEnabled(chosen)
        self.export_button.setEnabled(self.detail is not None and bool(self.detail.samples))

    def _render_header(self) -> None:
        status = self.watch.status(self.profile) if self.profile else None
        if status is None:
            self.title.setText(self.tr("Choose a deployment above to see its history."))
            self.silence_label.setText("")
        else:
            self.title.setText(f"{status.deployment.display_name} — {status.deployment.url}")
            self.silence_label.setText(status.silenced or "")
        self._enable()

    def _render(self) -> None:
        self._render_header()
        detail = self.detail
        if detail is None or detail.profile != self.profile:
            self.availability_label.setText("")
            for model in (self.problems, self.incidents, self.alerts):
                model.set_rows([])
            return
        start, end = fitted_span(detail.start, detail.end, detail.first_sample)
        status = self.watch.status(detail.profile)
        max_gap = status.deployment.max_gap if status is not None else timedelta(minutes=2)
        self.latency.set_data(detail.samples, start, end, max_gap)
        self.timeline.set_data(detail.segments, start, end)
        self.availability_label.setText(
            self.tr("Availability in this range: {text}").format(text=detail.availability.text())
        )
        self.problems.set_problems(detail.problems)
        self.incidents.set_incidents(detail.incidents)
        self.alerts.set_rows(detail.events)
        self.status_label.setText(
            self.tr("Checks in this range: {count}").format(count=len(detail.samples))
        )

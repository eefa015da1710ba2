"""The fleet overview: every watched deployment in one table, worst first, with a filter by
name or tag. The Health page shows it in full; the Dashboard shows a compact version. Picking
a row emits `selected` with the deployment's profile name."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from viva_desktop.ui.admin.fleet_delegates import HeartbeatDelegate, SparklineDelegate
from viva_desktop.ui.admin.fleet_watch import FleetWatch
from viva_desktop.ui.common.retranslate import Retranslating
from viva_desktop.ui.models.fleet_model import (
    COMPACT_COLUMNS,
    PROFILE,
    Column,
    FleetFilter,
    FleetModel,
)

CELL_PADDING = 14  # pixels: the cell's margins and a little air
ICON_ROOM = 24  # pixels: the state icon before its text
SPARKLINE_WIDTH = 120  # pixels: room for the latency line beside its figure
HEARTBEAT_MIN_WIDTH = 2 * 50 + 8  # pixels: two per check of the bar, and its margins


class FleetOverview(Retranslating, QWidget):
    selected = Signal(str)  # profile name

    def __init__(
        self, watch: FleetWatch, *, compact: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("FleetOverview")
        self.watch = watch
        self.compact = compact
        self.model = FleetModel(self)
        self.proxy = FleetFilter(self)
        self.proxy.setSourceModel(self.model)
        self.filter_box = QLineEdit()
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.textChanged.connect(self.proxy.set_text)
        self.summary = QLabel()
        self.summary.setObjectName("Muted")
        self.table = QTableView()
        self.table.setObjectName("FleetTable")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setItemDelegateForColumn(Column.HEARTBEAT, HeartbeatDelegate(self.table))
        self.table.setItemDelegateForColumn(Column.LATENCY, SparklineDelegate(self.table))
        header = self.table.horizontalHeader()
        # Fitted to the contents when the rows change, not on every check: ResizeToContents
        # would measure every cell of every column at each refresh.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.HEARTBEAT, QHeaderView.ResizeMode.Stretch)
        self.model.modelReset.connect(self._fit_columns)
        self.table.viewport().installEventFilter(self)
        if compact:
            for column in Column:
                self.table.setColumnHidden(column, column not in COMPACT_COLUMNS)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        top = QHBoxLayout()
        top.addWidget(self.filter_box, 1)
        top.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

        self._checked = -1
        watch.changed.connect(self.refresh)
        self.refresh()
        self._texts_set = False
        self.retranslate()

    def retranslate(self) -> None:
        if self._texts_set and shiboken6.isValid(self.watch):  # a language switch: the
            self.watch.restate()  # statuses' own texts too (it refreshes this view)
        self._texts_set = True
        self.filter_box.setPlaceholderText(self.tr("Filter by name or tag"))
        self.filter_box.setAccessibleName(self.tr("Filter deployments"))
        self.table.setAccessibleName(self.tr("Deployments"))
        self.model.retranslate()
        self._fit_columns()
        self._update_summary()

    @property
    def selected_profile(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return str(rows[0].data(PROFILE)) if rows else None

    def select(self, profile: str) -> bool:
        """Select the row of `profile` (False when it is not shown)."""
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(PROFILE) == profile:
                self.table.selectionModel().select(
                    index,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
                return True
        return False

    def refresh(self) -> None:
        """Take the watch's latest statuses, keeping the selection."""
        chosen = self.selected_profile
        statuses = self.watch.statuses
        self.table.selectionModel().blockSignals(True)
        try:
            self.model.set_statuses(statuses)
            if chosen is not None and self.selected_profile != chosen:  # lost in a reset
                self.select(chosen)
        finally:
            self.table.selectionModel().blockSignals(False)
        checked = sum(1 for status in statuses if status.latest is not None)
        if checked != self._checked:  # first checks in: the cells' texts got their width
            self._checked = checked
            self._fit_columns()
        self._update_summary()

    def _fit_columns(self) -> None:
        """Widen each column to its longest text, measured directly from the model's texts:
        `resizeColumnToContents` asks every cell for its size hint through the style (some
        4 ms a column for 50 rows), which stalled the GUI when the first checks of a fleet
        came in."""
        metrics = self.table.fontMetrics()
        for column in Column:
            if column is Column.HEARTBEAT or self.table.isColumnHidden(column):
                continue
            header = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
            widths = [metrics.horizontalAdvance(t) for t in self.model.column_texts(column)]
            widest = max([self._header_width(header), *widths])
            width = widest + CELL_PADDING
            if column is Column.STATE:
                width += ICON_ROOM
            elif column is Column.LATENCY:
                width = max(width, SPARKLINE_WIDTH)
            if self.table.columnWidth(column) != width:
                self.table.setColumnWidth(column, width)
        self._fit_heartbeat()

    def _fit_heartbeat(self) -> None:
        """The heartbeat bar takes the room the other columns leave, but never less than its
        title and a readable bar: below that it keeps that width and the table scrolls
        sideways (a stretched section would cut its title, as it did in Spanish)."""
        header = self.table.horizontalHeader()
        title = str(self.model.headerData(Column.HEARTBEAT, Qt.Orientation.Horizontal) or "")
        need = max(self._header_width(title) + CELL_PADDING, HEARTBEAT_MIN_WIDTH)
        others = sum(
            self.table.columnWidth(column)
            for column in Column
            if column is not Column.HEARTBEAT and not self.table.isColumnHidden(column)
        )
        fits = self.table.viewport().width() - others >= need
        mode = QHeaderView.ResizeMode.Stretch if fits else QHeaderView.ResizeMode.Interactive
        if header.sectionResizeMode(Column.HEARTBEAT) != mode:
            header.setSectionResizeMode(Column.HEARTBEAT, mode)
        if not fits and self.table.columnWidth(Column.HEARTBEAT) != need:
            self.table.setColumnWidth(Column.HEARTBEAT, need)

    def _header_width(self, text: str) -> int:
        """A title's width in bold, which is how a style may draw it (never too narrow)."""
        font = QFont(self.table.horizontalHeader().font())
        font.setBold(True)
        return QFontMetrics(font).horizontalAdvance(text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_heartbeat()
        return super().eventFilter(watched, event)

    def _update_summary(self) -> None:
        statuses = self.watch.statuses
        trouble = [s for s in statuses if s.trouble or s.alert_state.firing]
        if not statuses:
            self.summary.setText(self.tr("No deployment with an http(s) address to watch."))
        elif trouble:
            self.summary.setText(
                self.tr("In trouble: {count} of {total}").format(
                    count=len(trouble), total=len(statuses)
                )
            )
        else:
            self.summary.setText(self.tr("All fine ({count})").format(count=len(statuses)))

    def _selection_changed(self, *_args: object) -> None:
        profile = self.selected_profile
        if profile is not None:
            self.selected.emit(profile)

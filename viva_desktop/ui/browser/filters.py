"""Facet and date-range filters of a browser, feeding a `StoreTableModel`'s query.

Facet values (with their counts) are read from the store on the worker pool, over the whole
local copy of the entity, so the choices stay put while the user narrows the view.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QLocale, Qt, QTime, QTimeZone, Signal
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QWidget,
)

from viva_desktop.services.local.store import Range, Store
from viva_desktop.ui.common.worker import run_task
from viva_desktop.ui.models.columns import ColumnDef, Kind, display_value

ALL = object()  # the "no filter" choice of a facet
_NONE_KEY = "\x00none"


@dataclass(frozen=True)
class FacetValues:
    values: list[tuple[Any, int]]
    names: dict[str, str]


def read_facet(
    store: Store, entity: str, profile: str, column: ColumnDef, account: str | None = None
) -> FacetValues:
    """A facet's values and counts, with display names for community/user ids (worker); a
    per-caller entity's in `account`'s scope."""
    values = store.facets(entity, column.key, profile=profile, account=account)
    names: dict[str, str] = {}
    lookup = {Kind.COMMUNITY: "communities", Kind.USER: "users"}.get(column.kind)
    ids = sorted(str(v) for v, _n in values if v)
    if lookup and ids:
        for row in store.query(lookup, profile=profile, filters={"id": ids}, limit=len(ids)):
            if row.values.get("name"):
                names[row.id] = str(row.values["name"])
    return FacetValues(values, names)


class FacetFilter(QComboBox):
    """One facet: "Any …" or one value (with how many records have it). All facets of a row
    are the same width whatever their values, and a text too long for the box is elided
    (with the whole text as the tooltip) rather than cut off mid-letter; the list that drops
    down is as wide as its longest value."""

    value_changed = Signal(str, object)  # (column, value or ALL)

    def __init__(self, column: ColumnDef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.column = column
        self.setObjectName(f"Facet_{column.key}")
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(12)
        self._values: FacetValues = FacetValues([], {})
        self._selected: Any = ALL
        self._loading = False
        self.currentIndexChanged.connect(self._picked)
        self._rebuild()

    @property
    def selected(self) -> Any:
        return self._selected

    @property
    def loading(self) -> bool:
        return self._loading

    def load(
        self, store: Store | None, entity: str, profile: str | None, account: str | None = None
    ) -> None:
        if store is None or profile is None:
            self._show(FacetValues([], {}))
            return
        self._loading = True
        run_task(
            read_facet,
            store,
            entity,
            profile,
            self.column,
            account,
            on_done=self._show,
            on_error=lambda _exc: self._show(FacetValues([], {})),
            parent=self,
            name=f"facet {entity}.{self.column.key}",
        )

    def select(self, value: Any) -> None:
        """Choose `value` (ALL for no filter), as if the user had picked it."""
        for index in range(self.count()):
            if self._value_at(index) == value or (value is ALL and index == 0):
                self.setCurrentIndex(index)
                return

    def preset(self, value: Any) -> None:
        """Choose `value` (ALL for none) without announcing it, even before the values are
        read (a saved view being applied; the caller updates the query once)."""
        self._selected = value
        self._rebuild()

    def reset(self) -> None:
        """Back to "All" without announcing it (the caller updates the query once)."""
        self.blockSignals(True)
        self.setCurrentIndex(0)
        self._selected = ALL
        self.blockSignals(False)

    def values(self) -> list[Any]:
        return [self._value_at(i) for i in range(1, self.count())]

    def retranslate(self) -> None:
        self._rebuild()

    def _show(self, values: FacetValues) -> None:
        self._loading = False
        self._values = values
        self._rebuild()

    def _rebuild(self) -> None:
        self.blockSignals(True)
        self.clear()
        title = self.column.display_title()
        locale = QLocale()
        self.addItem(
            self.tr("Any {facet_lower}").format(
                facet=title, facet_lower=title[:1].lower() + title[1:]
            ),
            ALL,
        )
        chosen = 0
        for value, count in self._values.values:
            if (value is None or value == "") and self.column.key == "local_changes":
                label = self.tr("As on the server")  # no change made here
            elif value is None or value == "":
                label = self.tr("(none)")
            else:
                label = display_value(self.column, value, self._values.names)
            self.addItem(
                f"{label} ({locale.toString(count)})", _NONE_KEY if value is None else value
            )
            if value == self._selected or (value is None and self._selected is None):
                chosen = self.count() - 1
        if self._selected is not ALL and chosen == 0:
            # The chosen value is no longer in the data: keep filtering on it, visibly.
            shown = display_value(self.column, self._selected, self._values.names)
            self.addItem(f"{shown} (0)", self._selected)
            chosen = self.count() - 1
        self.setCurrentIndex(chosen)
        self.blockSignals(False)
        popup = self.view()
        popup.setMinimumWidth(popup.sizeHintForColumn(0) + 2 * popup.frameWidth() + 8)
        self._update_tooltip()

    def _update_tooltip(self) -> None:
        self.setToolTip(self.currentText())

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        field = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox,
            option,
            QStyle.SubControl.SC_ComboBoxEditField,
            self,
        )
        option.currentText = self.fontMetrics().elidedText(
            option.currentText, Qt.TextElideMode.ElideRight, max(0, field.width() - 4)
        )
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)

    def _value_at(self, index: int) -> Any:
        data = self.itemData(index)
        if index == 0:
            return ALL
        return None if data == _NONE_KEY else data

    def _picked(self, index: int) -> None:
        self._update_tooltip()
        self._selected = self._value_at(index)
        self.value_changed.emit(self.column.key, self._selected)


def _start_of_day(day: QDate) -> datetime:
    moment = QDateTime(day, QTime(0, 0), QTimeZone.systemTimeZone())
    return datetime.fromtimestamp(moment.toSecsSinceEpoch(), UTC)


def _end_of_day(day: QDate) -> datetime:
    moment = QDateTime(day, QTime(23, 59, 59, 999), QTimeZone.systemTimeZone())
    return datetime.fromtimestamp(moment.toMSecsSinceEpoch() / 1000, UTC)


class DateRangeFilter(QWidget):
    """A date column and an inclusive from/to range in local days; either end may be open."""

    range_changed = Signal(str, object)  # (column, Range or None)
    OPEN = QDate(2000, 1, 1)

    def __init__(self, columns: list[ColumnDef], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DateRange")
        self.columns = columns
        self.column_box = QComboBox()
        self.column_box.setVisible(len(columns) > 1)
        self.label = QLabel()
        self.start = self._date_edit()
        self.end = self._date_edit()
        self.dash = QLabel("–")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.column_box)
        layout.addWidget(self.start)
        layout.addWidget(self.dash)
        layout.addWidget(self.end)
        self._column = columns[0].key if columns else ""
        self.column_box.currentIndexChanged.connect(self._column_picked)
        self.start.dateChanged.connect(lambda _d: self._emit())
        self.end.dateChanged.connect(lambda _d: self._emit())
        self.retranslate()

    def _date_edit(self) -> QDateEdit:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setMinimumDate(self.OPEN)
        edit.setDate(self.OPEN)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    @property
    def column(self) -> str:
        return self._column

    def current_range(self) -> Range | None:
        start = self.start.date() if self.start.date() != self.OPEN else None
        end = self.end.date() if self.end.date() != self.OPEN else None
        if start is None and end is None:
            return None
        return Range(
            _start_of_day(start) if start is not None else None,
            _end_of_day(end) if end is not None else None,
        )

    def set_range(self, column: str, start: QDate | None, end: QDate | None) -> None:
        for index, definition in enumerate(self.columns):
            if definition.key == column:
                self.column_box.setCurrentIndex(index)
        self.start.blockSignals(True)
        self.start.setDate(start or self.OPEN)
        self.start.blockSignals(False)
        self.end.setDate(end or self.OPEN)
        self._emit()

    def clear(self) -> None:
        self.set_range(self._column, None, None)

    def retranslate(self) -> None:
        self.label.setText(self.tr("Dates:"))
        self.start.setSpecialValueText(self.tr("from any day"))
        self.end.setSpecialValueText(self.tr("to any day"))
        self.start.setToolTip(self.tr("First day to show (the earliest date means no limit)"))
        self.end.setToolTip(self.tr("Last day to show (the earliest date means no limit)"))
        self.start.setAccessibleName(self.tr("From date"))
        self.end.setAccessibleName(self.tr("To date"))
        self.column_box.setAccessibleName(self.tr("Date column"))
        current = self.column_box.currentIndex()
        self.column_box.blockSignals(True)
        self.column_box.clear()
        for definition in self.columns:
            self.column_box.addItem(definition.display_title(), definition.key)
        self.column_box.setCurrentIndex(max(0, current))
        self.column_box.blockSignals(False)

    def _column_picked(self, index: int) -> None:
        previous = self._column
        self._column = self.column_box.itemData(index) or previous
        if previous != self._column:
            self.range_changed.emit(previous, None)
        self._emit()

    def _emit(self) -> None:
        self.range_changed.emit(self._column, self.current_range())


__all__ = ["ALL", "DateRangeFilter", "FacetFilter", "FacetValues", "read_facet"]

"""Choosing a report's period: the last month, quarter or year up to today, or two dates."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QWidget

from viva_desktop.services.reports import Period, PeriodKind

KINDS = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR, PeriodKind.CUSTOM)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class PeriodPicker(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self.kind = QComboBox()
        self.kind.setObjectName("ReportPeriodKind")
        for kind in KINDS:
            self.kind.addItem("", kind.value)
        self.kind.setCurrentIndex(KINDS.index(PeriodKind.YEAR))
        self.first = QDateEdit()
        self.last = QDateEdit()
        self.dash = QLabel("–")
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(lambda _d: self.changed.emit())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.kind)
        layout.addWidget(self.first)
        layout.addWidget(self.dash)
        layout.addWidget(self.last)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self.retranslate()

    def today(self) -> date:
        return self._today or date.today()

    def period(self) -> Period:
        """The chosen period (custom dates in the wrong order are swapped)."""
        kind = PeriodKind(self.kind.currentData())
        if kind is not PeriodKind.CUSTOM:
            return Period.last_of(kind, self.today())
        first, last = _date(self.first.date()), _date(self.last.date())
        return Period(min(first, last), max(first, last))

    def set_period(self, period: Period) -> None:
        self.kind.setCurrentIndex(KINDS.index(PeriodKind.CUSTOM))
        self.first.setDate(_qdate(period.first))
        self.last.setDate(_qdate(period.last))

    def _kind_changed(self, *_args: object) -> None:
        kind = PeriodKind(self.kind.currentData())
        custom = kind is PeriodKind.CUSTOM
        if not custom:
            shown = Period.last_of(kind, self.today())
        else:
            shown = Period(self.today() - timedelta(days=29), self.today())
        for edit, day in ((self.first, shown.first), (self.last, shown.last)):
            edit.blockSignals(True)
            edit.setDate(_qdate(day))
            edit.setEnabled(custom)
            edit.blockSignals(False)
        self.changed.emit()

    def retranslate(self) -> None:
        names = {
            PeriodKind.MONTH: self.tr("Last month"),
            PeriodKind.QUARTER: self.tr("Last quarter"),
            PeriodKind.YEAR: self.tr("Last year"),
            PeriodKind.CUSTOM: self.tr("From… to…"),
        }
        for index, kind in enumerate(KINDS):
            self.kind.setItemText(index, names[kind])
        self.kind.setAccessibleName(self.tr("Period"))
        self.first.setAccessibleName(self.tr("First day"))
        self.last.setAccessibleName(self.tr("Last day"))

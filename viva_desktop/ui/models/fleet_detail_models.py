"""Tables of the deployment detail: every non-healthy sample with its cause, the incidents,
and the alert-state history (silenced alerts marked as such)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from viva_desktop.services.monitoring.alerts import AlertState, alert_label
from viva_desktop.services.monitoring.causes import Cause, cause_label
from viva_desktop.services.monitoring.fleet_history import IncidentSummary, Problem
from viva_desktop.services.monitoring.health import state_label as health_state_label
from viva_desktop.ui.common.formatting import duration_text
from viva_desktop.ui.common.timefmt import datetime_text
from viva_desktop.ui.models.roles import Roles

Index = QModelIndex | QPersistentModelIndex


class _ListModel(QAbstractTableModel):
    """Rows of one kind, a text per cell and the raw value under `Roles.VALUE`."""

    headers: Sequence[str] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns())

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        columns = self._columns()
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(columns)
        ):
            return columns[section][0]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        columns = self._columns()
        if not 0 <= index.column() < len(columns):
            return None
        _name, text, value = columns[index.column()]
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return text(row)
        if role == Roles.VALUE:
            return value(row)
        return None

    def _columns(
        self,
    ) -> list[tuple[str, Callable[[Any], str], Callable[[Any], object]]]:
        raise NotImplementedError


def _cause(cause: Cause | None) -> str:
    return cause_label(cause) if cause is not None else ""


class ProblemsModel(_ListModel):
    """Every non-healthy sample of the range, newest first."""

    def set_problems(self, problems: Sequence[Problem]) -> None:
        self.set_rows(sorted(problems, key=lambda p: p.sample.taken_at, reverse=True))

    def _columns(self):
        return [
            (
                self.tr("Time"),
                lambda p: datetime_text(p.sample.taken_at, seconds=True),
                lambda p: p.sample.taken_at,
            ),
            (
                self.tr("State"),
                lambda p: health_state_label(p.sample.state),
                lambda p: p.sample.state.value,
            ),
            (self.tr("Cause"), lambda p: _cause(p.cause), lambda p: p.cause),
            (self.tr("Details"), lambda p: p.detail, lambda p: p.detail),
        ]


class IncidentsModel(_ListModel):
    def set_incidents(self, found: Sequence[IncidentSummary]) -> None:
        self.set_rows(found)

    def _columns(self):
        return [
            (self.tr("Started"), lambda i: datetime_text(i.start, seconds=True), lambda i: i.start),
            (self.tr("Duration"), self._duration, lambda i: i.duration.total_seconds()),
            (
                self.tr("Worst state"),
                lambda i: health_state_label(i.worst_state),
                lambda i: i.worst_state.value,
            ),
            (self.tr("Cause"), lambda i: _cause(i.cause), lambda i: i.cause),
            (self.tr("Checks"), lambda i: str(i.samples), lambda i: i.samples),
        ]

    def _duration(self, incident: IncidentSummary) -> str:
        text = duration_text(incident.duration.total_seconds())
        if incident.end is None:
            return self.tr("{duration} so far").format(duration=text)
        return text


class AlertHistoryModel(_ListModel):
    """Alert-state changes as the store keeps them (dict rows), newest first."""

    def _columns(self):
        return [
            (self.tr("Time"), lambda e: _when(e.get("at")), lambda e: e.get("at")),
            (self.tr("Alert"), self._alert, lambda e: e.get("alert_state")),
            (self.tr("Message"), lambda e: str(e.get("message") or ""), lambda e: e.get("message")),
        ]

    def _alert(self, event: dict[str, Any]) -> str:
        try:
            text = alert_label(AlertState(str(event.get("alert_state"))))
        except ValueError:
            text = str(event.get("alert_state"))
        if event.get("silenced"):
            text += " · " + self.tr("silenced")
        elif event.get("notified"):
            text += " · " + self.tr("sent")
        return text


def _when(value: object) -> str:
    return datetime_text(value, seconds=True) if isinstance(value, datetime) else ""

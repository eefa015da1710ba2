"""The fleet table: one row per watched deployment, worst first, and its name/tag filter.

Cells show words, never colour alone: the state by name (and icon), the heartbeat bar and the
latency sparkline as data for their delegates (`HEARTBEATS` and `LATENCIES` roles) with a text
summary for screen readers, availability as honest percentages with the degraded share in the
tooltip, the current incident with its duration, TLS days left and the last check.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import IntEnum

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from viva_desktop.services.monitoring.alerts import alert_label
from viva_desktop.services.monitoring.availability import Availability
from viva_desktop.services.monitoring.causes import cause_label
from viva_desktop.services.monitoring.fleet_status import DeploymentStatus
from viva_desktop.services.monitoring.health import severity
from viva_desktop.services.monitoring.health import state_label as health_state_label
from viva_desktop.ui.common.formatting import duration_text
from viva_desktop.ui.common.timefmt import clock_text
from viva_desktop.ui.models.roles import Roles

_BASE = int(Qt.ItemDataRole.UserRole) + 40
HEARTBEATS = _BASE + 1  # list of (HealthState) for the heartbeat bar
LATENCIES = _BASE + 2  # list of float | None for the sparkline
PROFILE = _BASE + 3  # the deployment's profile name (str), every column
RANK = _BASE + 4  # sort key, worst first
TAGS = _BASE + 5  # the deployment's tags (list of str)

Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    NAME = 0
    STATE = 1
    HEARTBEAT = 2
    LATENCY = 3
    UP_24H = 4
    UP_7D = 5
    UP_30D = 6
    INCIDENT = 7
    TLS = 8
    CHECKED = 9


COMPACT_COLUMNS = (Column.NAME, Column.STATE, Column.HEARTBEAT, Column.UP_24H, Column.INCIDENT)
_WINDOW = {Column.UP_24H: "24h", Column.UP_7D: "7d", Column.UP_30D: "30d"}


def availability_text(availability: Availability) -> str:
    """ "99.24 %", never "100.00 %" for less than all of it; "—" without data."""
    ratio = availability.ratio
    if ratio is None:
        return "—"
    if ratio >= 1.0:
        return "100 %"
    return f"{min(ratio * 100.0, 99.99):.2f} %"


def _shown(status: DeploymentStatus) -> tuple[object, ...]:
    """What a row shows, to tell whether it changed (its `now` alone does not count)."""
    return (
        status.latest,
        status.heartbeats,
        status.alert_state,
        status.incident,
        tuple((name, availability.ratio) for name, availability in status.availability.items()),
        status.tls_days_left,
        status.silenced,
        status.signed_in,
    )


class FleetModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[DeploymentStatus] = []
        self.now: datetime | None = None  # for durations; None: the wall clock

    def set_statuses(self, statuses: list[DeploymentStatus]) -> None:
        """Replace the rows, worst first. When the order is unchanged (the usual case: a new
        check of a healthy fleet) the cells are updated in place, which keeps the selection
        and the scroll position and repaints only what is visible."""
        rows = sorted(statuses, key=DeploymentStatus.rank)
        if [s.profile for s in rows] == [s.profile for s in self._rows]:
            old, self._rows = self._rows, rows
            # Only the rows that changed are repainted: with 50 deployments a refresh usually
            # brings one new check, and repainting every painted cell stalls the GUI.
            for row, (before, after) in enumerate(zip(old, rows, strict=True)):
                if _shown(before) != _shown(after):
                    self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def status_at(self, row: int) -> DeploymentStatus | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, profile: str) -> int:
        return next((i for i, s in enumerate(self._rows) if s.profile == profile), -1)

    # ------------------------------------------------------------------ Qt model

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < len(Column):
            return None
        names = {
            Column.NAME: self.tr("Deployment"),
            Column.STATE: self.tr("State"),
            Column.HEARTBEAT: self.tr("Last 50 checks"),
            Column.LATENCY: self.tr("Latency"),
            Column.UP_24H: self.tr("24 h"),
            Column.UP_7D: self.tr("7 d"),
            Column.UP_30D: self.tr("30 d"),
            Column.INCIDENT: self.tr("Incident"),
            Column.TLS: self.tr("TLS"),
            Column.CHECKED: self.tr("Checked"),
        }
        return names[Column(section)]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        status = self._rows[index.row()]
        column = Column(index.column())
        if role == PROFILE:
            return status.profile
        if role == RANK:
            return list(status.rank())
        if role == TAGS:
            return list(status.deployment.tags)
        if role == HEARTBEATS:
            return [h.state for h in status.heartbeats]
        if role == LATENCIES:
            return [h.latency_ms for h in status.heartbeats]
        if role == Roles.VALUE:
            return self._value(status, column)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(status, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(status, column)
        if role == Qt.ItemDataRole.DecorationRole and column is Column.STATE:
            from viva_desktop.ui.common.icons import icon

            names = {0: "check", 1: "question", 2: "warning", 3: "error", 4: "offline"}
            return icon(names[severity(status.state)] if status.latest else "question")
        return None

    # ------------------------------------------------------------------ cells

    def _now(self) -> datetime:
        return self.now or datetime.now(UTC)

    def _value(self, status: DeploymentStatus, column: Column) -> object:
        if column in _WINDOW:
            return status.availability[_WINDOW[column]].ratio
        if column is Column.LATENCY:
            return None if status.latest is None else status.latest.http_latency_ms
        if column is Column.TLS:
            return status.tls_days_left
        if column is Column.CHECKED:
            return status.last_check
        if column is Column.INCIDENT:
            return None if status.incident is None else status.incident.since
        return status.profile if column is Column.NAME else status.state.value

    def _text(self, status: DeploymentStatus, column: Column) -> str:
        if column is Column.NAME:
            tags = ", ".join(status.deployment.tags)
            return f"{status.profile} ({tags})" if tags else status.profile
        if column is Column.STATE:
            if status.latest is None:
                return self.tr("Not checked yet")
            text = health_state_label(status.state)
            if status.alert_state.value != "normal":
                text += " · " + alert_label(status.alert_state)
            if status.silenced:
                text += " · " + self.tr("silenced")
            return text
        if column is Column.HEARTBEAT:
            beats = [h.state for h in status.heartbeats]
            bad = sum(1 for s in beats if severity(s) >= 3)
            return self.tr("{bad} of {count} checks failed").format(bad=bad, count=len(beats))
        if column is Column.LATENCY:
            latency = None if status.latest is None else status.latest.http_latency_ms
            return "—" if latency is None else f"{latency:.0f} ms"
        if column in _WINDOW:
            return availability_text(status.availability[_WINDOW[column]])
        if column is Column.INCIDENT:
            incident = status.incident
            if incident is None:
                return ""
            cause = cause_label(incident.cause) if incident.cause else incident.state.value
            return self.tr("{cause}, {duration}").format(
                cause=cause, duration=duration_text(incident.duration(self._now()).total_seconds())
            )
        if column is Column.TLS:
            days = status.tls_days_left
            if days is None:
                return "—" if status.deployment.url.startswith("https") else ""
            return self.tr("{days} d").format(days=int(days))
        return clock_text(status.last_check) if status.last_check else "—"

    def _tooltip(self, status: DeploymentStatus, column: Column) -> str | None:
        if column in _WINDOW:
            return status.availability[_WINDOW[column]].text()
        if column is Column.STATE:
            lines = [status.silenced] if status.silenced else []
            if status.signed_in is not None:
                lines.append(status.signed_in.detail)
            return "\n".join(lines) or None
        if column is Column.NAME:
            return status.deployment.url
        if column is Column.INCIDENT and status.incident is not None:
            return self.tr("Since {time}, worst state: {state}").format(
                time=clock_text(status.incident.since),
                state=health_state_label(status.incident.state),
            )
        return None


class FleetFilter(QSortFilterProxyModel):
    """Rows whose name or one of whose tags contains the text (case-insensitive)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._text = ""

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._text = text.strip().lower()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._text:
            return True
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        name = str(model.data(index, PROFILE) or "").lower()
        tags = [str(t).lower() for t in (model.data(index, TAGS) or [])]
        return self._text in name or any(self._text in tag for tag in tags)

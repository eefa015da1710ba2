"""The fleet table: one row per watched deployment, worst first, and its name/tag filter.

Cells show words, never colour alone: the state by name (and icon), the heartbeat bar and the
latency sparkline as data for their delegates (`HEARTBEATS` and `LATENCIES` roles) with a text
summary for screen readers, availability as honest percentages with the degraded share in the
tooltip, the current incident with its duration, TLS days left and the last check.

The cells are kept in Qt's own item model, worked out once when a deployment's status changes:
painting the table then asks no Python code for its data. A Python `data()` answered some 2,000
calls per repaint, each of which had to take the interpreter lock from the threads of a
running sync, and that made the GUI miss frames while a fleet was watched. The rows stay in
name order; the filter model shows them worst first (`RANK`) and filters on `SEARCH`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import IntEnum

from PySide6.QtCore import QObject, QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

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
HEARTBEATS = _BASE + 1  # tuple of HealthState for the heartbeat bar (heartbeat column)
LATENCIES = _BASE + 2  # tuple of float | None for the sparkline (latency column)
PROFILE = _BASE + 3  # the deployment's profile name (str), every column
RANK = _BASE + 4  # sort key, worst first (str: firing, severity, then the name)
TAGS = _BASE + 5  # the deployment's tags (tuple of str), first column
SEARCH = _BASE + 6  # what the filter looks in: the name and the tags (str), first column

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_VALUE = int(Roles.VALUE)
_FLAGS = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
_ICONS = {0: "check", 1: "question", 2: "warning", 3: "error", 4: "offline"}
_FIELD = "\x1f"  # between the name and the tags in SEARCH: no filter text matches across


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
        status.deployment.tags,
    )


class FleetModel(QStandardItemModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(0, len(Column), parent)
        self._rows: list[DeploymentStatus] = []  # in row order (by name)
        self._shown: list[tuple[object, ...]] = []
        self.now: datetime | None = None  # for durations; None: the wall clock
        self.retranslate_headers()

    def set_statuses(self, statuses: list[DeploymentStatus]) -> None:
        """Take new statuses. When the deployments are the same ones (the usual case: a new
        check) only the rows that changed are rewritten, which keeps the selection and the
        scroll position and repaints only those rows; the filter model moves a row whose rank
        changed."""
        rows = sorted(statuses, key=lambda s: (s.profile.lower(), s.profile))
        if [s.profile for s in rows] != [s.profile for s in self._rows]:
            self._rebuild(rows)
            return
        for number, status in enumerate(rows):
            shown = _shown(status)
            if shown != self._shown[number] or status.incident is not None:
                self._write_row(number, status, shown)

    def retranslate(self) -> None:
        """Say every cell and header again in the current language."""
        self.retranslate_headers()
        for number, status in enumerate(self._rows):
            self._write_row(number, status, _shown(status))

    def retranslate_headers(self) -> None:
        self.setHorizontalHeaderLabels(
            [
                self.tr("Deployment"),
                self.tr("State"),
                self.tr("Last 50 checks"),
                self.tr("Latency"),
                self.tr("24 h"),
                self.tr("7 d"),
                self.tr("30 d"),
                self.tr("Incident"),
                self.tr("TLS"),
                self.tr("Checked"),
            ]
        )

    def status_at(self, row: int) -> DeploymentStatus | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, profile: str) -> int:
        return next((i for i, s in enumerate(self._rows) if s.profile == profile), -1)

    def column_texts(self, column: Column) -> list[str]:
        """Every row's text in `column` (what the view measures to fit its columns)."""
        return [self.item(row, column).text() for row in range(self.rowCount())]

    # ------------------------------------------------------------------ rows

    def _rebuild(self, rows: list[DeploymentStatus]) -> None:
        self.beginResetModel()
        blocked = self.blockSignals(True)  # one reset, not a signal per item
        try:
            self.setRowCount(0)
            self._rows, self._shown = [], []
            for status in rows:
                items = []
                for _column in Column:
                    item = QStandardItem()
                    item.setFlags(_FLAGS)
                    items.append(item)
                self.appendRow(items)
                self._rows.append(status)
                self._shown.append(())
            for number, status in enumerate(rows):
                self._write_row(number, status, _shown(status))
        finally:
            self.blockSignals(blocked)
        self.endResetModel()

    def _write_row(self, number: int, status: DeploymentStatus, shown: tuple[object, ...]) -> None:
        self._rows[number] = status
        self._shown[number] = shown
        for column in Column:
            roles = self._cell(status, column)
            self.setItemData(self.index(number, column), roles)

    def _cell(self, status: DeploymentStatus, column: Column) -> dict[int, object]:
        text = self._text(status, column)
        roles: dict[int, object] = {
            _DISPLAY: text,
            _ACCESSIBLE: text,
            PROFILE: status.profile,
        }
        value = self._value(status, column)
        if value is not None:
            roles[_VALUE] = value
        tooltip = self._tooltip(status, column)
        if tooltip:
            roles[_TOOLTIP] = tooltip
        if column is Column.NAME:
            firing = 0 if status.alert_state.firing else 1
            roles[RANK] = f"{firing}{4 - severity(status.state)}{status.profile.lower()}"
            roles[TAGS] = tuple(status.deployment.tags)
            roles[SEARCH] = _FIELD.join((status.profile, *status.deployment.tags))
        elif column is Column.STATE:
            from viva_desktop.ui.common.icons import icon

            level = severity(status.state) if status.latest else 1
            roles[_DECORATION] = icon(_ICONS[level])
        elif column is Column.HEARTBEAT:
            roles[HEARTBEATS] = tuple(h.state for h in status.heartbeats)
        elif column is Column.LATENCY:
            roles[LATENCIES] = tuple(h.latency_ms for h in status.heartbeats)
        return roles

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
        if column is Column.HEARTBEAT:
            return None
        return status.profile if column is Column.NAME else status.state.value

    def _text(self, status: DeploymentStatus, column: Column) -> str:
        if column is Column.NAME:
            name, tags = status.deployment.display_name, ", ".join(status.deployment.tags)
            return f"{name} ({tags})" if tags else name
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
    """The rows worst first, and only those whose name or one of whose tags contains the
    text (case-insensitive). Sorting and filtering are Qt's own, on the `RANK` and `SEARCH`
    roles, so neither calls back into Python."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(RANK)
        self.setFilterRole(SEARCH)
        self.setFilterKeyColumn(Column.NAME)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setDynamicSortFilter(True)
        self.sort(Column.NAME, Qt.SortOrder.AscendingOrder)

    def set_text(self, text: str) -> None:
        self.setFilterFixedString(text.strip())

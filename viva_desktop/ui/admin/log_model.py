"""The log viewer's data: records from the live `LogBuffer` as a table model, a filter by
level, module, text and request id, and the pipe that brings new records to the GUI thread."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections import deque
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QFont, QGuiApplication, QPalette

from viva_desktop.ui.common import timefmt

Entry = dict[str, Any]
Index = QModelIndex | QPersistentModelIndex

TIME, LEVEL, MODULE, REQUEST, MESSAGE = range(5)
COLUMNS = 5
CAPACITY = 5000  # the buffer's own size: the viewer never holds more than the app keeps
ENTRY_ROLE = Qt.ItemDataRole.UserRole
REQUEST_ROLE = Qt.ItemDataRole.UserRole + 1
NO_REQUEST = "-"


def level_number(name: str) -> int:
    value = logging.getLevelName(str(name).upper())
    return value if isinstance(value, int) else logging.INFO


def request_id_of(entry: Entry) -> str | None:
    value = entry.get("request_id")
    return value if isinstance(value, str) and value and value != NO_REQUEST else None


def local_time(entry: Entry) -> str:
    try:
        stamp = datetime.fromisoformat(str(entry.get("time")))
    except ValueError:
        return str(entry.get("time", ""))
    return timefmt.clock_text(stamp, seconds=True, zone=False)


def short_request(request_id: str) -> str:
    return request_id[:12] + "…" if len(request_id) > 13 else request_id


class LogTableModel(QAbstractTableModel):
    """The newest `capacity` records, oldest first."""

    def __init__(self, parent: QObject | None = None, capacity: int = CAPACITY) -> None:
        super().__init__(parent)
        self.capacity = capacity
        self._entries: list[Entry] = []
        self.loggers: set[str] = set()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMNS

    def entry(self, row: int) -> Entry:
        return self._entries[row]

    def entries(self) -> list[Entry]:
        return list(self._entries)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self._entries[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == TIME:
                return local_time(entry)
            if column == LEVEL:
                return entry.get("level", "")
            if column == MODULE:
                return entry.get("logger", "")
            if column == REQUEST:
                request = request_id_of(entry)
                return short_request(request) if request else ""
            message = str(entry.get("message", ""))
            return message.splitlines()[0] if message else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == REQUEST and request_id_of(entry):
                return QCoreApplication.translate(
                    "LogViewer", "Request {id}: click to show all its records"
                ).format(id=request_id_of(entry))
            if column == MESSAGE:
                return str(entry.get("message", ""))
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            palette = QGuiApplication.palette()
            if column == REQUEST and request_id_of(entry):
                return QBrush(palette.color(QPalette.ColorRole.Link))
            level = level_number(str(entry.get("level", "")))
            if level >= logging.ERROR:
                return QBrush(Qt.GlobalColor.red)
            if level <= logging.DEBUG:
                return QBrush(palette.color(QPalette.ColorRole.PlaceholderText))
            return None
        if role == Qt.ItemDataRole.FontRole:
            if column == REQUEST and request_id_of(entry):
                font = QFont()
                font.setUnderline(True)
                return font
            if column == LEVEL and level_number(str(entry.get("level", ""))) >= logging.WARNING:
                font = QFont()
                font.setBold(True)
                return font
            return None
        if role == ENTRY_ROLE:
            return entry
        if role == REQUEST_ROLE:
            return request_id_of(entry)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = [
            QCoreApplication.translate("LogViewer", "Time"),
            QCoreApplication.translate("LogViewer", "Level"),
            QCoreApplication.translate("LogViewer", "Module"),
            QCoreApplication.translate("LogViewer", "Request"),
            QCoreApplication.translate("LogViewer", "Message"),
        ]
        zone = timefmt.zone_label()
        if zone:  # the times are in a chosen zone, not this computer's: say which
            titles[TIME] = f"{titles[TIME]} ({zone})"
        return titles[section] if 0 <= section < COLUMNS else None

    def append(self, entries: list[Entry]) -> None:
        """Add new records at the end, dropping the oldest beyond the capacity."""
        if not entries:
            return
        entries = entries[-self.capacity :]
        overflow = len(self._entries) + len(entries) - self.capacity
        if overflow > 0:
            self.beginRemoveRows(QModelIndex(), 0, overflow - 1)
            del self._entries[:overflow]
            self.endRemoveRows()
        first = len(self._entries)
        self.beginInsertRows(QModelIndex(), first, first + len(entries) - 1)
        self._entries.extend(entries)
        self.endInsertRows()
        self.loggers.update(str(e.get("logger", "")) for e in entries)

    def clear(self) -> None:
        self.beginResetModel()
        self._entries = []
        self.endResetModel()


class LogFilter(QSortFilterProxyModel):
    """Records at or above a level, from a module (logger name prefix), containing a text;
    or, when a request id is set, every record of that request whatever its level."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.min_level = logging.DEBUG
        self.module = ""
        self.text = ""
        self.request_id: str | None = None

    def set_min_level(self, level: int) -> None:
        self._change("min_level", level)

    def set_module(self, module: str) -> None:
        self._change("module", module.strip())

    def set_text(self, text: str) -> None:
        self._change("text", text.strip().lower())

    def set_request_id(self, request_id: str | None) -> None:
        self._change("request_id", request_id or None)

    def _change(self, name: str, value: object) -> None:
        if getattr(self, name) == value:
            return
        self.beginFilterChange()
        setattr(self, name, value)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, LogTableModel):
            return True
        entry = model.entry(source_row)
        if self.request_id is not None:
            return request_id_of(entry) == self.request_id
        if level_number(str(entry.get("level", ""))) < self.min_level:
            return False
        if self.module:
            name = str(entry.get("logger", ""))
            if name != self.module and not name.startswith(self.module + "."):
                return False
        if self.text:
            haystack = " ".join(
                str(entry.get(key, ""))
                for key in ("message", "logger", "request_id", "exception", "profile")
            ).lower()
            if self.text not in haystack:
                return False
        return True


class LogPipe(QObject):
    """Subscribes to a `LogBuffer` and delivers new records to the GUI thread in batches.

    The buffer calls `receive` on whatever thread logged; records wait in a queue until the
    GUI thread drains it, so a burst of logging costs one repaint, not one per record.
    """

    records = Signal(list)
    _wake = Signal()

    def __init__(self, buffer: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._queue: deque[Entry] = deque(maxlen=CAPACITY)
        self._scheduled = False
        self._wake.connect(self._drain, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe: Callable[[], None] | None = None
        if buffer is not None:
            self._unsubscribe = buffer.subscribe(self.receive)
            # Stop listening when the pipe dies, without the callback keeping it alive.
            self.destroyed.connect(_unsubscriber(self._unsubscribe))

    def receive(self, entry: Entry) -> None:
        """Called on the logging thread."""
        with self._lock:
            self._queue.append(entry)
            if self._scheduled:
                return
            self._scheduled = True
        with contextlib.suppress(RuntimeError):  # the viewer is being destroyed
            self._wake.emit()

    def flush(self) -> None:
        """Deliver the records waiting for the GUI thread now (before a filter is applied)."""
        self._drain()

    def _drain(self) -> None:
        with self._lock:
            batch = list(self._queue)
            self._queue.clear()
            self._scheduled = False
        if batch:
            self.records.emit(batch)

    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None


def _unsubscriber(unsubscribe: Callable[[], None]) -> Callable[..., None]:
    def run(*_args: object) -> None:
        unsubscribe()

    return run

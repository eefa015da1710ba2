"""`RecordsModel`: a small table over a list of plain records (dicts).

For what the store does not keep and the server returns whole in one answer: membership
requests, pool requests, the outbox and the sync state. Those lists are short (the server
never pages them), so they are held in memory and sorted in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from viva_desktop.services.common.i18n import QT_TRANSLATE_NOOP
from viva_desktop.ui.models.columns import ColumnDef, Kind, display_value
from viva_desktop.ui.models.roles import Roles

ModelIndex = QModelIndex | QPersistentModelIndex
Record = Mapping[str, Any]


def value_at(record: Record, path: str) -> Any:
    """`record["User"]["name"]` for the path "User.name" (None where anything is missing)."""
    value: Any = record
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _sort_key(value: Any) -> tuple[int, Any]:
    """Missing values last; numbers, dates and text each compared among themselves."""
    if value is None or value == "":
        return (3, "")
    if isinstance(value, bool):
        return (0, int(value))
    if isinstance(value, int | float):
        return (0, value)
    if isinstance(value, datetime):
        return (1, value.timestamp())
    return (2, str(value).casefold())


class RecordsModel(QAbstractTableModel):
    """Subclasses set `COLUMNS` (keys are dotted paths into the records)."""

    COLUMNS: ClassVar[tuple[ColumnDef, ...]] = ()
    ID_KEY: ClassVar[str] = "id"

    def __init__(
        self,
        records: Iterable[Record] = (),
        *,
        names: Mapping[str, str] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._records: list[dict[str, Any]] = [dict(r) for r in records]
        self._names: dict[str, str] = dict(names or {})
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self.decorate: Callable[[Record], Any] | None = None
        self.tooltip: Callable[[Record], str | None] | None = None

    # ------------------------------------------------------------------ contents

    def set_records(
        self, records: Iterable[Record], *, names: Mapping[str, str] | None = None
    ) -> None:
        self.beginResetModel()
        self._records = [dict(r) for r in records]
        if names is not None:
            self._names = dict(names)
        if self._sort is not None:
            self._sort_in_place(*self._sort)
        self.endResetModel()

    @property
    def names(self) -> dict[str, str]:
        """Display names of the people and communities the records reference."""
        return dict(self._names)

    def records(self) -> list[dict[str, Any]]:
        return list(self._records)

    def record_at(self, row: int) -> dict[str, Any] | None:
        return self._records[row] if 0 <= row < len(self._records) else None

    def record_id(self, row: int) -> str | None:
        record = self.record_at(row)
        value = value_at(record, self.ID_KEY) if record is not None else None
        return str(value) if value is not None else None

    def row_of(self, record_id: str) -> int:
        for number in range(len(self._records)):
            if self.record_id(number) == record_id:
                return number
        return -1

    def remove_ids(self, record_ids: Iterable[str]) -> None:
        """Drop records (decided requests) without reloading the list."""
        wanted = set(record_ids)
        for number in reversed(range(len(self._records))):
            if self.record_id(number) in wanted:
                self.beginRemoveRows(QModelIndex(), number, number)
                del self._records[number]
                self.endRemoveRows()

    # ------------------------------------------------------------------ Qt model API

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.COLUMNS):
            return None
        column = self.COLUMNS[section]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return column.display_title()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.alignment
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        if not 0 <= index.column() < len(self.COLUMNS):
            return None
        record = self._records[index.row()]
        column = self.COLUMNS[index.column()]
        value = self._value(record, column)
        if role == Qt.ItemDataRole.DisplayRole:
            return display_value(column, value, self._names)
        if role == Qt.ItemDataRole.ToolTipRole:
            if self.tooltip is not None:
                return self.tooltip(record)
            text = display_value(column, value, self._names)
            return text if len(text) > 40 else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.alignment
        if role == Qt.ItemDataRole.DecorationRole and index.column() == 0:
            return self.decorate(record) if self.decorate is not None else None
        if role == Roles.RECORD_ID:
            return self.record_id(index.row())
        if role in (Roles.RAW, Roles.ROW):
            return record
        if role == Roles.VALUE:
            return value
        return None

    def _value(self, record: Record, column: ColumnDef) -> Any:
        value = value_at(record, column.key)
        if column.kind is Kind.DATETIME and isinstance(value, str):
            from viva_desktop.services.local.store.types import parse_timestamp

            return parse_timestamp(value)
        return value

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.COLUMNS):
            self._sort = None
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        before = [(p.row(), p.column()) for p in persistent]
        moved = [self._records[row] for row, _ in before]
        self._sort_in_place(column, order)
        positions = {id(record): number for number, record in enumerate(self._records)}
        self.changePersistentIndexList(
            persistent,
            [
                self.index(positions[id(record)], col)
                for record, (_row, col) in zip(moved, before, strict=True)
            ],
        )
        self.layoutChanged.emit()

    def _sort_in_place(self, column: int, order: Qt.SortOrder) -> None:
        definition = self.COLUMNS[column]
        self._records.sort(
            key=lambda r: _sort_key(self._value(r, definition)),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )


class MembershipRequestsModel(RecordsModel):
    """Pending requests to join one community (`GET .../membership-requests`)."""

    COLUMNS = (
        ColumnDef("userId", QT_TRANSLATE_NOOP("Columns", "Person"), Kind.USER, width=200),
        ColumnDef("message", QT_TRANSLATE_NOOP("Columns", "Message"), width=320),
        ColumnDef("createdAt", QT_TRANSLATE_NOOP("Columns", "Requested"), Kind.DATETIME),
    )


class PoolRequestsModel(RecordsModel):
    """Economic pool requests (`GET /flow-economics/pool-requests`), for the admin review."""

    COLUMNS = (
        ColumnDef("User.name", QT_TRANSLATE_NOOP("Columns", "Person"), width=180),
        ColumnDef("amount", QT_TRANSLATE_NOOP("Columns", "Amount"), Kind.INTEGER),
        ColumnDef("reason", QT_TRANSLATE_NOOP("Columns", "Reason"), width=280),
        ColumnDef("status", QT_TRANSLATE_NOOP("Columns", "Status"), Kind.ENUM),
        ColumnDef("createdAt", QT_TRANSLATE_NOOP("Columns", "Requested"), Kind.DATETIME),
    )

    def _value(self, record: Record, column: ColumnDef) -> Any:
        value = super()._value(record, column)
        if column.key == "User.name" and not value:
            return self._names.get(str(record.get("userId") or ""), record.get("userId"))
        return value


class OutboxModel(RecordsModel):
    """Queued edits (one record per outbox entry, see the Sync page)."""

    COLUMNS = (
        ColumnDef("summary", QT_TRANSLATE_NOOP("Columns", "Change"), width=300),
        ColumnDef("state_label", QT_TRANSLATE_NOOP("Columns", "State")),
        ColumnDef("attempts", QT_TRANSLATE_NOOP("Columns", "Attempts"), Kind.INTEGER),
        ColumnDef("last_error", QT_TRANSLATE_NOOP("Columns", "Last error"), width=280),
        ColumnDef("created_at", QT_TRANSLATE_NOOP("Columns", "Queued"), Kind.DATETIME),
    )
    ID_KEY = "seq"


class SyncStatesModel(RecordsModel):
    """One row per synced entity: how it stands, live progress during a run, and age."""

    COLUMNS = (
        ColumnDef("entity_label", QT_TRANSLATE_NOOP("Columns", "Data"), width=170),
        ColumnDef("status_label", QT_TRANSLATE_NOOP("Columns", "Last run"), width=170),
        ColumnDef("items", QT_TRANSLATE_NOOP("Columns", "Records"), Kind.INTEGER),
        ColumnDef("pages", QT_TRANSLATE_NOOP("Columns", "Pages"), Kind.INTEGER),
        ColumnDef("run_items", QT_TRANSLATE_NOOP("Columns", "This run"), Kind.INTEGER),
        ColumnDef("rate", QT_TRANSLATE_NOOP("Columns", "Rate")),
        ColumnDef("eta", QT_TRANSLATE_NOOP("Columns", "Time left")),
        ColumnDef(
            "last_complete_at",
            QT_TRANSLATE_NOOP("Columns", "Complete as of"),
            Kind.DATETIME,
            width=150,
        ),
        ColumnDef("age", QT_TRANSLATE_NOOP("Columns", "Age")),
        ColumnDef("last_error", QT_TRANSLATE_NOOP("Columns", "Problem"), width=260),
    )
    ID_KEY = "entity"


__all__ = [
    "MembershipRequestsModel",
    "OutboxModel",
    "PoolRequestsModel",
    "RecordsModel",
    "SyncStatesModel",
    "value_at",
]

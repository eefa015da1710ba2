"""`StoreTableModel`: a lazily loaded, sortable, filterable table over one store entity.

Why the store and not the network: every browser then works offline and can say how old its
data is. Why lazy: a deployment may hold 100 000 offers, so the model knows the total from
`Store.count` and holds only the pages the view has asked for through `canFetchMore` /
`fetchMore`.

Every read (count, page, name look-ups) runs on the worker pool, never on the GUI thread. The
reads themselves are index-backed and fast (a page of 200 rows over 100 000 takes a few
milliseconds on SQLite, see `benchmarks/bench_browser_model.py`), but a shared PostgreSQL store
can be a network hop away, or briefly locked by a sync, and the GUI must not freeze for that.
The price is that rows arrive asynchronously: `loading_changed` and `loaded` tell views when.
Answers to an older query are dropped (a generation counter), so typing fast in the search box
never shows stale rows.

Rows are held compactly (`rowstore.RowStore`: a tuple of values and the unparsed server JSON
per row); `row_at` builds a full `Row` when a page, the detail pane or an editor needs one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QIcon

from viva_desktop.services.local.store import LocalChange, Row, Store, spec_for
from viva_desktop.services.local.store.queries import CompactRows, compact_page
from viva_desktop.ui.common.worker import TaskHandle, run_task
from viva_desktop.ui.models import columns as cells
from viva_desktop.ui.models.columns import ColumnDef, Kind, display_value, local_datetime_text
from viva_desktop.ui.models.query import ViewQuery
from viva_desktop.ui.models.roles import Roles
from viva_desktop.ui.models.rowstore import RowStore, ValuePool

ModelIndex = QModelIndex | QPersistentModelIndex

MAX_PAGE = 5_000  # the store's own cap on one read

DISPLAY = int(Qt.ItemDataRole.DisplayRole)
DECORATION = int(Qt.ItemDataRole.DecorationRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
FONT = int(Qt.ItemDataRole.FontRole)
ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_ROLES = frozenset({DISPLAY, DECORATION, TOOLTIP, FONT, ALIGNMENT, *(int(r) for r in Roles)})
_HEADER_ROLES = frozenset({DISPLAY, TOOLTIP, ALIGNMENT})
ROW_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
)
_LOOKUPS = {Kind.COMMUNITY: "communities", Kind.USER: "users"}


@dataclass
class PageResult:
    rows: CompactRows
    offset: int
    total: int | None  # None: not counted with this page
    names: dict[str, str] = field(default_factory=dict)
    # Of `total`: records made here that are not on the server (yet, or ever).
    local_only: int = 0


def read_page(
    store: Store,
    entity: str,
    profile: str,
    query: ViewQuery,
    offset: int,
    limit: int,
    *,
    count: bool,
    lookups: tuple[tuple[str, str], ...] = (),
    pool: ValuePool | None = None,
    account: str | None = None,
) -> PageResult:
    """One page of a view, optionally with the view's total and the display names of the ids
    it references (`lookups`: (column, entity) pairs). Runs on a worker thread. Per-caller
    entities are read in `account`'s scope (empty without one)."""
    kwargs = query.store_kwargs()
    total = None
    if count:
        total = store.count(
            entity,
            profile=profile,
            search=kwargs["search"],
            filters=kwargs["filters"],
            account=account,
        )
    local_only = 0
    if count and total and entity in LOCAL_CREATABLE:
        local_only = store.count(
            entity,
            profile=profile,
            search=kwargs["search"],
            filters={**(kwargs["filters"] or {}), "local_changes": list(LocalChange.LOCAL_ONLY)},
            account=account,
        )
    spec = spec_for(entity)
    with store.read() as conn:
        rows = compact_page(
            spec,
            conn,
            profile=profile,
            offset=offset,
            limit=limit,
            share=pool.share if pool is not None else None,
            account=account,
            **kwargs,
        )
    positions = {name: number for number, name in enumerate(rows.columns)}
    referenced = (
        (entity, (values[positions[column]] for values in rows.values))
        for column, entity in lookups
        if column in positions
    )
    names = resolve_names(store, profile, referenced)
    return PageResult(rows, offset, total, names, local_only)


def resolve_names(
    store: Store, profile: str, referenced: Iterable[tuple[str, Iterable[Any]]]
) -> dict[str, str]:
    """Display names of the communities and users whose ids are `referenced` ((entity,
    ids) pairs)."""
    names: dict[str, str] = {}
    by_entity: dict[str, set[str]] = {}
    for entity, values in referenced:
        ids = by_entity.setdefault(entity, set())
        ids.update(str(value) for value in values if value)
    for entity, ids in by_entity.items():
        if not ids:
            continue
        found = store.query(entity, profile=profile, filters={"id": sorted(ids)}, limit=len(ids))
        for row in found:
            name = row.values.get("name")
            if name:
                names[row.id] = str(name)
    return names


class _Cache:
    """Fonts and icons are made once (the GUI calls `data()` thousands of times)."""

    italic: QFont | None = None
    struck: QFont | None = None
    icons: ClassVar[dict[str, QIcon]] = {}

    @classmethod
    def font(cls, change: str | None, gone: bool) -> QFont | None:
        if change == LocalChange.DELETED or gone:
            if cls.struck is None:
                cls.struck = QFont()
                cls.struck.setStrikeOut(True)
                cls.struck.setItalic(True)
            return cls.struck
        if change:
            if cls.italic is None:
                cls.italic = QFont()
                cls.italic.setItalic(True)
            return cls.italic
        return None

    @classmethod
    def icon(cls, name: str) -> QIcon:
        if name not in cls.icons:
            from viva_desktop.ui.common.icons import icon

            cls.icons[name] = icon(name)
        return cls.icons[name]


LOCAL_CREATABLE = frozenset({"offers", "events", "posts", "comments"})
"""Entities with records made here before the server has them (kept out of its counts)."""


def local_change_text(change: str | None) -> str:
    if change == LocalChange.CREATED:
        return QCoreApplication.translate("Browser", "Not on the server yet: waiting to be sent")
    if change == LocalChange.FAILED:
        return QCoreApplication.translate(
            "Browser", "Could not be created: see the Failed list on the Sync page"
        )
    if change == LocalChange.UPDATED:
        return QCoreApplication.translate("Browser", "Edited offline: waiting to be sent")
    if change == LocalChange.DELETED:
        return QCoreApplication.translate("Browser", "Deleted offline: waiting to be sent")
    return ""


class StoreTableModel(QAbstractTableModel):
    """Subclasses set `ENTITY` (a store entity) and `COLUMNS` (store columns to show)."""

    ENTITY: ClassVar[str] = ""
    COLUMNS: ClassVar[tuple[ColumnDef, ...]] = ()
    FIXED_FILTERS: ClassVar[tuple[tuple[str, Any], ...]] = ()  # always applied (not shown)
    INITIAL_SORT: ClassVar[tuple[str, bool] | None] = None  # (column, ascending); None: default

    loading_changed = Signal(bool)
    loaded = Signal()  # a (re)load finished: rows, total and names are new
    failed = Signal(object)  # the exception of a failed read

    def __init__(
        self,
        store: Store | None,
        profile: str | None,
        *,
        page_size: int = 200,
        autoload: bool = True,
        account: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        if not self.ENTITY or not self.COLUMNS:
            raise TypeError(f"{type(self).__name__} must set ENTITY and COLUMNS")
        self._store = store
        self._profile = profile
        # The signed-in (or reviewed) account: per-caller entities show only its records.
        self._account = account
        self._page_size = max(1, min(page_size, MAX_PAGE))
        self._query = ViewQuery()
        spec = spec_for(self.ENTITY)
        self._rows = RowStore(self.ENTITY, spec.columns)
        self._pool = ValuePool(len(spec.columns))
        # Per shown column, its place in a row's values (-1: not a store column).
        self._positions = tuple(self._rows.position.get(c.key, -1) for c in self.COLUMNS)
        self._total = 0
        self.local_only = 0  # of the total: records made here, not on the server
        self._names: dict[str, str] = {}
        self._generation = 0
        self._reload_task: TaskHandle | None = None
        self._fetch_task: TaskHandle | None = None
        self._loaded_once = False
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        if self.INITIAL_SORT is not None:
            key, ascending = self.INITIAL_SORT
            self._sort_column = self.column_index(key)
            self._sort_order = (
                Qt.SortOrder.AscendingOrder if ascending else Qt.SortOrder.DescendingOrder
            )
            self._query = self._query.with_sort(((key, ascending),))
        self.last_error: BaseException | None = None
        if autoload:
            self.reload()

    # ------------------------------------------------------------------ the query

    @property
    def entity(self) -> str:
        return self.ENTITY

    @property
    def profile(self) -> str | None:
        return self._profile

    @property
    def store(self) -> Store | None:
        return self._store

    @property
    def account(self) -> str | None:
        return self._account

    @property
    def query(self) -> ViewQuery:
        """The user's query (search, facet and date filters, sort)."""
        return self._query

    @property
    def effective_query(self) -> ViewQuery:
        """What is sent to the store: the user's query plus the model's fixed filters."""
        query = self._query
        for column, value in self.FIXED_FILTERS:
            if column not in query.filter_map:
                query = query.with_filter(column, value)
        return query

    def set_source(
        self, store: Store | None, profile: str | None, account: str | None = None
    ) -> None:
        """Read `profile` of `store` as `account` (another account's rows are dropped at
        once, before the new ones arrive)."""
        if store is self._store and profile == self._profile and account == self._account:
            return
        changed_account = account != self._account
        self._store, self._profile, self._account = store, profile, account
        if changed_account:
            self._generation += 1
            self._replace(None)
        self.reload()

    def set_query(self, query: ViewQuery) -> None:
        if query != self._query:
            self._query = query
            self.reload()

    def set_search(self, text: str) -> None:
        self.set_query(self._query.with_search(text))

    def set_filter(self, column: str, value: Any) -> None:
        self.set_query(self._query.with_filter(column, value))

    def clear_filter(self, column: str) -> None:
        self.set_query(self._query.without_filter(column))

    def column_index(self, key: str) -> int:
        for number, column in enumerate(self.COLUMNS):
            if column.key == key:
                return number
        return -1

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting happens in the store query (an index walk), never in memory; column -1
        goes back to the entity's default order."""
        if column >= len(self.COLUMNS):
            return
        self._sort_column, self._sort_order = column, order
        if column < 0:
            sort: tuple[tuple[str, bool], ...] = ()
        else:
            sort = ((self.COLUMNS[column].key, order == Qt.SortOrder.AscendingOrder),)
        self.set_query(self._query.with_sort(sort))

    @property
    def sort_column(self) -> int:
        return self._sort_column

    @property
    def sort_order(self) -> Qt.SortOrder:
        return self._sort_order

    # ------------------------------------------------------------------ loading

    @property
    def loading(self) -> bool:
        return self._reload_task is not None

    @property
    def fetching(self) -> bool:
        return self._fetch_task is not None

    @property
    def loaded_once(self) -> bool:
        return self._loaded_once

    @property
    def total(self) -> int:
        """How many records match the query (rows not yet fetched included)."""
        return self._total

    def _lookups(self) -> tuple[tuple[str, str], ...]:
        return tuple(
            (column.key, _LOOKUPS[column.kind])
            for column in self.COLUMNS
            if column.kind in _LOOKUPS
        )

    def reload(self) -> None:
        """Read the current query again from the first page (keeping as many rows loaded as
        before, so a refresh does not lose the user's scroll position)."""
        self._generation += 1
        generation = self._generation
        self._fetch_task = None
        store, profile = self._store, self._profile
        if store is None or profile is None:
            self._reload_task = None
            self._replace(None)
            self.loading_changed.emit(False)
            self.loaded.emit()
            return
        limit = min(max(self._page_size, len(self._rows)), MAX_PAGE)
        was_loading = self.loading
        # A fresh pool per generation: the rows of the old one are about to go.
        self._pool = ValuePool(len(self._rows.columns))
        self._reload_task = run_task(
            read_page,
            store,
            self.ENTITY,
            profile,
            self.effective_query,
            0,
            limit,
            count=True,
            lookups=self._lookups(),
            pool=self._pool,
            account=self._account,
            on_done=lambda result: self._reloaded(generation, result),
            on_error=lambda exc: self._failed(generation, exc),
            parent=self,
            name=f"read {self.ENTITY}",
        )
        if not was_loading:
            self.loading_changed.emit(True)

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid() or self.loading or self.fetching:
            return False
        return len(self._rows) < self._total

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        store, profile = self._store, self._profile
        if store is None or profile is None:
            return
        generation, offset = self._generation, len(self._rows)
        self._fetch_task = run_task(
            read_page,
            store,
            self.ENTITY,
            profile,
            self.effective_query,
            offset,
            self._page_size,
            count=False,
            lookups=self._lookups(),
            pool=self._pool,
            account=self._account,
            on_done=lambda result: self._fetched(generation, result),
            on_error=lambda exc: self._failed(generation, exc),
            parent=self,
            name=f"read more {self.ENTITY}",
        )

    def _reloaded(self, generation: int, result: PageResult) -> None:
        if generation != self._generation:
            return
        self._reload_task = None
        self.last_error = None
        self._replace(result)
        self._loaded_once = True
        self.loading_changed.emit(False)
        self.loaded.emit()

    def _replace(self, result: PageResult | None) -> None:
        self.beginResetModel()
        if result is None:
            self._rows.clear()
            self._total = 0
            self._names = {}
            self.local_only = 0
        else:
            self._rows.replace(result.rows)
            self._total = max(result.total or 0, len(self._rows))
            self._names = dict(result.names)
            self.local_only = result.local_only
        self.endResetModel()

    def _fetched(self, generation: int, result: PageResult) -> None:
        if generation != self._generation:
            return
        self._fetch_task = None
        if result.offset != len(self._rows):
            return
        self._names.update(result.names)
        added = len(result.rows.values)
        if not added:
            self._total = len(self._rows)  # the selection shrank since it was counted
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + added - 1)
        self._rows.extend(result.rows)
        self._total = max(self._total, len(self._rows))
        self.endInsertRows()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        was_loading = self.loading
        self._reload_task = None
        self._fetch_task = None
        self.last_error = exc
        if was_loading:
            self.loading_changed.emit(False)
        self.failed.emit(exc)

    # ------------------------------------------------------------------ access

    def row_at(self, row: int) -> Row | None:
        """The full `Row` (server JSON included) at `row`, built from the compact copy."""
        return self._rows.row(row) if 0 <= row < len(self._rows) else None

    def rows(self) -> list[Row]:
        """The rows loaded so far, as full `Row`s (costly for very many: prefer `row_at`)."""
        return self._rows.rows()

    def record_ids(self) -> list[str]:
        return self._rows.record_ids()

    def row_of(self, record_id: str) -> int:
        return self._rows.find(record_id)

    @property
    def names(self) -> dict[str, str]:
        """Display names of the communities and users the loaded rows reference."""
        return dict(self._names)

    def name_of(self, record_id: str | None) -> str | None:
        """A community's or user's display name, when a loaded row referenced it."""
        return self._names.get(record_id) if record_id else None

    # ------------------------------------------------------------------ Qt model API

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        return ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if role not in _HEADER_ROLES or orientation != Qt.Orientation.Horizontal:
            return None
        if section < 0 or section >= len(self.COLUMNS):
            return None
        column = self.COLUMNS[section]
        return column.alignment if role == ALIGNMENT else column.display_title()

    def data(self, index: ModelIndex, role: int = DISPLAY) -> Any:
        # Called thousands of times per repaint: plain int comparisons, few calls into Qt.
        if role not in _ROLES:
            return None
        number = index.row()  # -1 for an invalid index
        if number < 0 or number >= len(self._rows):
            return None
        position = index.column()
        if position < 0 or position >= len(self.COLUMNS):
            return None
        rows = self._rows
        if role == DISPLAY:
            column = self.COLUMNS[position]
            if column.counted is not None:  # the rows stored here, and the server's counter
                stored = rows.values(number)[rows.position[column.counted]]
                return cells.counted_text(self._value(number, position), stored)
            return display_value(column, self._value(number, position), self._names)
        if role == ALIGNMENT:
            return self.COLUMNS[position].alignment
        if role == FONT:
            change, gone = rows.local_changes(number), rows.gone_at(number)
            return _Cache.font(change, gone is not None) if change or gone else None
        if role == DECORATION:
            if position != 0:
                return None
            change = rows.local_changes(number)
            if change == LocalChange.FAILED:
                return _Cache.icon("error")
            if change:
                return _Cache.icon("pending")
            if rows.gone_at(number) is not None:
                return _Cache.icon("warning")
            return None
        if role == TOOLTIP:
            return self._tooltip(number, self.COLUMNS[position], self._value(number, position))
        if role == Roles.RECORD_ID:
            return rows.record_id(number)
        if role == Roles.RAW:
            return rows.row(number).raw
        if role == Roles.ROW:
            return rows.row(number)
        if role == Roles.VALUE:
            return self._value(number, position)
        if role == Roles.LOCAL_CHANGE:
            return rows.local_changes(number)
        return None

    def _value(self, number: int, position: int) -> Any:
        place = self._positions[position]
        return self._rows.values(number)[place] if place >= 0 else None

    def _tooltip(self, number: int, column: ColumnDef, value: Any) -> str | None:
        lines = []
        text = display_value(column, value, self._names)
        if text and (len(text) > 40 or column.kind in (Kind.COMMUNITY, Kind.USER)):
            lines.append(text)
        change, gone = self._rows.local_changes(number), self._rows.gone_at(number)
        if change:
            lines.append(local_change_text(change))
        if gone is not None:
            lines.append(
                QCoreApplication.translate(
                    "Browser", "No longer on the server (noticed {time})"
                ).format(time=local_datetime_text(gone))
            )
        return "\n".join(lines) if lines else None

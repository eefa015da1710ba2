"""`EntityBrowser`: the one widget every entity page is built from.

Search box (the page's Ctrl+F target), facet filters, a date range, the table (sortable, with
columns the user can show, hide and reorder, remembered between runs), multi-selection, a
detail pane (narrow, and folded away with "Details" when the table needs the room; both
remembered), "data as of …", a sentence in the empty table saying why it is empty, and CSV
export of exactly the current view. Pages put their own action buttons into `actions_bar` and
react to `selection_changed`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QDate,
    QItemSelectionModel,
    QModelIndex,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from viva_desktop.services.local.store import ExportFormat, Row, Store
from viva_desktop.services.local.store.entities import spec_for
from viva_desktop.ui.browser.cells import install_cell_delegate
from viva_desktop.ui.browser.columns import ColumnLayout, settings_flag
from viva_desktop.ui.browser.detail import Describer, DetailPane
from viva_desktop.ui.browser.empty_state import EmptyState
from viva_desktop.ui.browser.filters import ALL, DateRangeFilter, FacetFilter
from viva_desktop.ui.common.changes import DataChanges, data_changes_of
from viva_desktop.ui.common.formatting import age_text
from viva_desktop.ui.common.icons import icon
from viva_desktop.ui.common.progress import ProgressStrip
from viva_desktop.ui.common.worker import TaskHandle, run_task
from viva_desktop.ui.models.columns import local_datetime_text
from viva_desktop.ui.models.query import ViewQuery
from viva_desktop.ui.models.store_model import StoreTableModel

SEARCH_DELAY_MS = 250
DETAIL_WIDTH = 280  # pixels: the detail pane's first width; the table gets the rest


@dataclass(frozen=True)
class DataAgeInfo:
    complete_at: datetime | None  # the last complete sync of the entity
    newest: datetime | None  # the most recently synced record
    count: int


def read_data_age(store: Store, entity: str, profile: str) -> DataAgeInfo:
    """How old the local copy of `entity` is (worker thread)."""
    state = store.sync_state(profile, entity)
    age = store.data_age(entity, profile)
    return DataAgeInfo(state.last_complete_at if state else None, age.newest, age.count)


def export_view(
    store: Store,
    entity: str,
    profile: str,
    query: ViewQuery,
    columns: Sequence[str],
    path: Path,
    progress: Any = None,
    cancel: Any = None,
) -> int:
    """Write the view (same selection, same order, the shown columns) as CSV; the count."""
    options: dict[str, Any] = {}
    if progress is not None:
        options["progress"] = progress
    if cancel is not None:
        options["cancel"] = cancel
    return store.export(
        entity,
        path,
        format=ExportFormat.CSV,
        profile=profile,
        columns=list(columns),
        **query.store_kwargs(),
        **options,
    )


class EntityBrowser(QWidget):
    selection_changed = Signal()
    row_activated = Signal(object)  # the Row double-clicked or opened with Enter
    exported = Signal(int, object)  # (records written, Path)

    def __init__(
        self,
        context: Any,  # AppContext
        model: StoreTableModel,
        *,
        key: str,
        facets: Sequence[str] = (),
        dates: Sequence[str] = (),
        describe: Describer | None = None,
        age_entity: str | None = None,
        hidden: Collection[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"Browser_{key}")
        self.context = context
        self.model = model
        self.key = key
        self.age_entity = age_entity or model.entity
        self._stale = False
        self._selected_ids: list[str] = []
        self._reveal_ids: list[str] = []
        self._age: DataAgeInfo | None = None
        self._age_pending = False  # read in the background; the empty state waits for it
        self._empty_text: str | None = None
        model.setParent(self)
        spec = spec_for(model.entity)

        # --- filters row
        self.search: QLineEdit | None = None
        if spec.searchable:
            self.search = QLineEdit()
            self.search.setObjectName("BrowserSearch")
            self.search.setClearButtonEnabled(True)
            self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
            self.search.setMinimumWidth(180)
            self._search_timer = QTimer(self)
            self._search_timer.setSingleShot(True)
            self._search_timer.setInterval(SEARCH_DELAY_MS)
            self._search_timer.timeout.connect(self._apply_search)
            self.search.textChanged.connect(lambda _t: self._search_timer.start())
            self.search.returnPressed.connect(self._apply_search)
        by_key = {c.key: c for c in model.COLUMNS}
        self.facets: dict[str, FacetFilter] = {}
        for name in facets:
            definition = by_key.get(name)
            if definition is None:
                raise ValueError(f"{model.entity} has no column {name!r} to facet on")
            facet = FacetFilter(definition)
            facet.value_changed.connect(self._facet_changed)
            self.facets[name] = facet
        self.dates: DateRangeFilter | None = None
        if dates:
            self.dates = DateRangeFilter([by_key[name] for name in dates])
            self.dates.range_changed.connect(self._date_changed)
        self.clear_button = QPushButton(icon("remove"), "")
        self.clear_button.clicked.connect(self.clear_filters)
        self.columns_button = QPushButton(icon("columns"), "")
        self.columns_button.clicked.connect(self._columns_menu)
        self.export_button = QPushButton(icon("export"), "")
        self.export_button.clicked.connect(lambda: self.export_csv())
        self.details_button = QPushButton(icon("details"), "")
        self.details_button.setObjectName("DetailsToggle")
        self.details_button.setCheckable(True)
        self.details_button.setChecked(True)

        # Two rows, so pages with many facets stay narrow enough for a laptop screen and never
        # squeeze the sidebar: what to look for, then the date range and the view's tools.
        filters = QVBoxLayout()
        criteria = QHBoxLayout()
        if self.search is not None:
            criteria.addWidget(self.search, 1 if len(self.facets) > 2 else 2)
        for facet in self.facets.values():
            criteria.addWidget(facet, 1)
        criteria.addWidget(self.clear_button)
        tools = QHBoxLayout()
        if self.dates is not None:
            tools.addWidget(self.dates)
        tools.addStretch(1)
        tools.addWidget(self.columns_button)
        tools.addWidget(self.details_button)
        tools.addWidget(self.export_button)
        filters.addLayout(criteria)
        filters.addLayout(tools)

        # --- actions row and status
        self.actions_bar = QHBoxLayout()
        self.hint = QLabel()
        self.hint.setObjectName("Muted")
        self.hint.setWordWrap(True)
        self.count_label = QLabel()
        self.count_label.setObjectName("BrowserCount")
        self.age_label = QLabel()
        self.age_label.setObjectName("Muted")
        self.hint.hide()
        actions_row = QHBoxLayout()
        actions_row.addLayout(self.actions_bar)
        actions_row.addStretch(1)
        actions_row.addWidget(self.count_label)
        actions_row.addSpacing(8)
        actions_row.addWidget(self.age_label)
        # The reason an action is unavailable gets a line of its own: squeezed between the
        # buttons and the count it was cut off after two lines.
        actions = QVBoxLayout()
        actions.setSpacing(2)
        actions.addLayout(actions_row)
        actions.addWidget(self.hint)

        # --- table and detail
        self.view = QTableView()
        self.view.setObjectName("BrowserTable")
        self.view.setModel(model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(26)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setSortIndicator(model.sort_column, model.sort_order)
        install_cell_delegate(self.view)
        self.columns = ColumnLayout(self.view, model.COLUMNS, key, hidden=hidden)
        self.columns.restore()
        self.empty_state = EmptyState(self.view)
        self.view.setSortingEnabled(True)
        self.view.doubleClicked.connect(self._activated)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        open_row = QShortcut(QKeySequence(Qt.Key.Key_Return), self.view)
        open_row.setContext(Qt.ShortcutContext.WidgetShortcut)
        open_row.activated.connect(lambda: self._activated(self.view.currentIndex()))
        self.detail = DetailPane(model.COLUMNS, describe=describe)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("BrowserSplitter")
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setCollapsible(0, False)
        self.splitter.setSizes([1000, DETAIL_WIDTH])
        self._restore_detail_layout()
        self.details_button.toggled.connect(self.set_details_visible)
        self.splitter.splitterMoved.connect(self._splitter_moved)

        self.notice = QLabel()
        self.notice.setObjectName("Banner")
        self.notice.setProperty("kind", "info")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.progress = ProgressStrip()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.notice)
        layout.addWidget(self.progress)

        model.loading_changed.connect(lambda _loading: self._update_count())
        model.loaded.connect(self._loaded)
        model.modelAboutToBeReset.connect(self._remember_selection)
        model.failed.connect(self._read_failed)
        model.rowsInserted.connect(lambda *_: self._update_count())
        self._hub: DataChanges = data_changes_of(context)
        self._hub.changed.connect(self._data_changed)
        context.profile_changed.connect(self._profile_changed)
        self.retranslate()
        self._order_tabs()
        self._load_side_data()

    # ------------------------------------------------------------------ public

    def search_box(self) -> QLineEdit | None:
        return self.search

    def selected_rows(self) -> list[Row]:
        """The selected records, in table order."""
        selection = self.view.selectionModel()
        numbers = sorted(index.row() for index in selection.selectedRows())
        rows = [self.model.row_at(number) for number in numbers]
        return [row for row in rows if row is not None]

    def current_row(self) -> Row | None:
        rows = self.selected_rows()
        return rows[0] if len(rows) == 1 else None

    def select_ids(self, record_ids: Sequence[str]) -> None:
        selection = self.view.selectionModel()
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        first: QModelIndex | None = None
        for record_id in record_ids:
            number = self.model.row_of(record_id)
            if number >= 0:
                index = self.model.index(number, 0)
                selection.select(index, flags)
                first = first or index
        if first is not None:
            selection.setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)
            self.view.scrollTo(first)

    def reveal(self, record_ids: Sequence[str]) -> None:
        """Select these records once the current (re)load has landed (a record just saved)."""
        self._reveal_ids = list(record_ids)
        if not self.model.loading:
            self.select_ids(self._reveal_ids)
            self._reveal_ids = []

    def add_action(self, widget: QWidget) -> None:
        self.actions_bar.addWidget(widget)
        self._order_tabs()

    def _order_tabs(self) -> None:
        """Tab goes through the controls in reading order: the filters, the view's tools, the
        page's actions (added after the table was made), the table, then the detail pane."""
        chain: list[QWidget] = []
        if self.search is not None:
            chain.append(self.search)
        chain += [*self.facets.values(), self.clear_button]
        if self.dates is not None:
            chain += [self.dates.column_box, self.dates.start, self.dates.end]
        chain += [self.columns_button, self.details_button, self.export_button]
        for index in range(self.actions_bar.count()):
            widget = self.actions_bar.itemAt(index).widget()
            if widget is not None:
                chain.append(widget)
        chain += [self.view, self.detail.raw_toggle]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def set_hint(self, text: str) -> None:
        """A line under the actions: why an action is unavailable, what is queued…"""
        self.hint.setText(text)
        self.hint.setVisible(bool(text))

    def show_notice(self, text: str, kind: str = "info") -> None:
        self.notice.setProperty("kind", kind)
        self.notice.style().unpolish(self.notice)
        self.notice.style().polish(self.notice)
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def refresh(self) -> None:
        """Read everything again: rows, facet values and the data age."""
        self._stale = False
        self.model.reload()
        self._load_side_data()

    def is_loading(self) -> bool:
        return self.model.loading or any(f.loading for f in self.facets.values())

    def details_visible(self) -> bool:
        return not self.detail.isHidden() and self.splitter.sizes()[1] > 0

    def set_details_visible(self, visible: bool) -> None:
        """Show or fold away the detail pane; remembered for this browser."""
        if self.details_button.isChecked() != visible:
            self.details_button.setChecked(visible)  # comes back here through `toggled`
            return
        self.detail.setVisible(visible)
        if visible and self.splitter.sizes()[1] == 0:
            total = sum(self.splitter.sizes()) or self.width()
            self.splitter.setSizes([max(1, total - DETAIL_WIDTH), DETAIL_WIDTH])
        self._save_detail_layout()

    def set_empty_text(self, text: str | None) -> None:
        """What the empty table says, instead of the generic sentences (None: those)."""
        self._empty_text = text
        self._update_empty_state()

    def clear_filters(self) -> None:
        query = self.model.query
        for facet in self.facets.values():
            facet.reset()
            query = query.without_filter(facet.column.key)
        if self.dates is not None:
            self.dates.blockSignals(True)
            self.dates.clear()
            self.dates.blockSignals(False)
            for column in self.dates.columns:
                query = query.without_filter(column.key)
        if self.search is not None:
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            query = query.with_search("")
        self.model.set_query(query)

    def set_date_range(self, column: str, start: QDate | None, end: QDate | None) -> None:
        if self.dates is not None:
            self.dates.set_range(column, start, end)

    def export_csv(self, path: Path | str | None = None) -> TaskHandle | None:
        """Export the current view (filters, order and shown columns) to a CSV file, asking
        where when no `path` is given."""
        store, profile = self.model.store, self.model.profile
        if store is None or profile is None:
            return None
        if path is None:
            path = self._ask_export_path()
            if path is None:
                return None
        target = Path(path)
        handle = run_task(
            export_view,
            store,
            self.model.entity,
            profile,
            self.model.effective_query,
            self.columns.visible_keys(),
            target,
            on_done=lambda count: self._exported(count, target),
            parent=self,
            name=f"export {self.model.entity}",
        )
        self.progress.attach(handle, self.tr("Exporting to {file}…").format(file=target.name))
        return handle

    def retranslate(self) -> None:
        if self.search is not None:
            self.search.setPlaceholderText(self.tr("Search (Ctrl+F)"))
            self.search.setToolTip(
                self.tr("Full-text search in the local copy; all words must match.")
            )
        for facet in self.facets.values():
            facet.retranslate()
        if self.dates is not None:
            self.dates.retranslate()
        self.clear_button.setText(self.tr("Clear filters"))
        self.columns_button.setText(self.tr("Columns…"))
        self.columns_button.setToolTip(
            self.tr("Show, hide or reset columns; drag a column header to move it.")
        )
        self.export_button.setText(self.tr("Export CSV…"))
        self.export_button.setToolTip(
            self.tr("Save the rows matching the current filters, in this order, as CSV.")
        )
        self.details_button.setText(self.tr("Details"))
        self.details_button.setToolTip(
            self.tr("Show or hide the pane with every field of the selected record.")
        )
        self.detail.retranslate()
        self.model.headerDataChanged.emit(
            Qt.Orientation.Horizontal, 0, max(0, self.model.columnCount() - 1)
        )
        self._update_count()
        self._update_age()

    # ------------------------------------------------------------------ events

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _data_changed(self, entities: frozenset[str]) -> None:
        if not DataChanges.touches(entities, self.model.entity):
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def _profile_changed(self, *_args: object) -> None:
        self.model.set_source(self.context.store, self.context.profile_name)
        self._load_side_data()

    def _apply_search(self) -> None:
        if self.search is not None:
            self._search_timer.stop()
            self.model.set_search(self.search.text())

    def _facet_changed(self, column: str, value: Any) -> None:
        if value is ALL:
            self.model.clear_filter(column)
        else:
            self.model.set_filter(column, value)

    def _date_changed(self, column: str, value: Any) -> None:
        if value is None:
            self.model.clear_filter(column)
        else:
            self.model.set_filter(column, value)

    def _columns_menu(self) -> None:
        menu = self.columns.menu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.columns_button.mapToGlobal(self.columns_button.rect().bottomLeft()))

    def _activated(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row()) if index.isValid() else None
        if row is not None:
            self.row_activated.emit(row)

    def _remember_selection(self) -> None:
        self._selected_ids = [row.id for row in self.selected_rows()]

    def _loaded(self) -> None:
        wanted, self._reveal_ids = self._reveal_ids or self._selected_ids, []
        if wanted:
            self.select_ids(wanted)
        self.columns.fit_once()
        self._update_count()
        self._selection_changed()

    def _selection_changed(self, *_args: object) -> None:
        row = self.current_row()
        self.detail.show_row(row, self.model.names if row is not None else None)
        self.selection_changed.emit()

    def _read_failed(self, exc: BaseException) -> None:
        self._update_count()
        self.context.report_error(exc, retry=self.model.reload, parent=self)

    def _exported(self, count: int, path: Path) -> None:
        self.show_notice(
            self.tr("Exported %n record(s) to {file}.", "", count).format(file=str(path))
        )
        self.exported.emit(count, path)

    def _ask_export_path(self) -> Path | None:
        default = Path.home() / f"{self.key}-{datetime.now().strftime('%Y-%m-%d')}.csv"
        chosen, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Export the current view"),
            str(default),
            self.tr("CSV files (*.csv)"),
        )
        if not chosen:
            return None
        path = Path(chosen)
        return path if path.suffix else path.with_suffix(".csv")

    # ------------------------------------------------------------------ status

    def _load_side_data(self) -> None:
        store, profile = self.model.store, self.model.profile
        for facet in self.facets.values():
            facet.load(store, self.model.entity, profile)
        if store is None or profile is None:
            self._age = None
            self._update_age()
            return
        self._age_pending = True
        run_task(
            read_data_age,
            store,
            self.age_entity,
            profile,
            on_done=self._show_age,
            on_error=lambda _exc: self._show_age(None),
            parent=self,
            name=f"data age {self.age_entity}",
        )

    def _show_age(self, info: DataAgeInfo | None) -> None:
        self._age = info
        self._age_pending = False
        self._update_age()
        self._update_empty_state()

    def _update_count(self) -> None:
        model = self.model
        if model.store is None:
            self.count_label.setText(self.tr("No local store"))
        elif model.profile is None:
            self.count_label.setText(self.tr("No server chosen"))
        elif model.loading and not model.loaded_once:
            self.count_label.setText(self.tr("Loading…"))
        else:
            text = self.tr("%Ln record(s)", "", model.total)
            if model.loading:
                text += " " + self.tr("(updating…)")
            self.count_label.setText(text)
        self._update_empty_state()

    def _filtered(self) -> bool:
        """Whether the user narrowed the view (the model's fixed filters do not count)."""
        query = self.model.query
        return bool(query.search or query.filters)

    def _update_empty_state(self) -> None:
        model = self.model
        if (
            model.store is None
            or model.profile is None
            or (model.loading and not model.loaded_once)
        ):
            text = ""  # the count label says why; a sentence here would only repeat it
        elif self._age_pending and self._empty_text is None and not self._filtered():
            # Whether this server was ever synced decides the sentence: none until known, so
            # that a generic one does not flash before the one that says what to do.
            text = ""
        elif self._empty_text is not None:
            text = self._empty_text
        elif self._filtered():
            text = self.tr(
                "No record matches the search and filters. “Clear filters” shows them all again."
            )
        elif self._age is not None and self._age.complete_at is None and self._age.newest is None:
            text = self.tr(
                "Nothing has been downloaded from this server yet. Open the Sync page and press "
                "“Sync now” to fill the local copy."
            )
        else:
            text = self.tr("There is nothing here yet.")
        self.empty_state.set_message(text)

    # ------------------------------------------------------------------ detail pane layout

    def _restore_detail_layout(self) -> None:
        settings = QSettings()
        sizes = settings.value(f"browsers/{self.key}/splitter")
        if isinstance(sizes, QByteArray | bytes) and sizes:
            self.splitter.restoreState(QByteArray(sizes))
        shown = settings.value(f"browsers/{self.key}/details")
        visible = shown is None or settings_flag(shown)
        self.detail.setVisible(visible)
        self.details_button.setChecked(visible)

    def _save_detail_layout(self) -> None:
        settings = QSettings()
        settings.setValue(f"browsers/{self.key}/splitter", self.splitter.saveState())
        settings.setValue(f"browsers/{self.key}/details", self.details_visible())

    def _splitter_moved(self, *_args: object) -> None:
        collapsed = self.splitter.sizes()[1] == 0
        if collapsed and self.details_button.isChecked():
            self.details_button.blockSignals(True)
            self.details_button.setChecked(False)
            self.details_button.blockSignals(False)
        self._save_detail_layout()

    def _update_age(self) -> None:
        info = self._age
        when = None
        if info is not None:
            when = info.complete_at or info.newest
        if when is None:
            self.age_label.setText(self.tr("Not synced yet"))
            self.age_label.setToolTip(self.tr("Open the Sync page to download this server's data."))
            return
        self.age_label.setText(
            self.tr("Data as of {time} ({age})").format(
                time=local_datetime_text(when), age=age_text(when)
            )
        )
        self.age_label.setToolTip(
            self.tr("The local copy was last updated from the server at {time}.").format(
                time=local_datetime_text(when)
            )
        )

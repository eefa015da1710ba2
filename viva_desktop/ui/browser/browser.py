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
from itertools import pairwise
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from viva_desktop.services.local.store import Row
from viva_desktop.ui.browser.columns import ColumnLayout
from viva_desktop.ui.browser.data_age import DataAgeInfo, age_texts, read_data_age
from viva_desktop.ui.browser.detail import Describer, DetailPane
from viva_desktop.ui.browser.detail_layout import (
    DETAIL_WIDTH,
    restore_detail_layout,
    save_detail_layout,
)
from viva_desktop.ui.browser.empty_state import EmptyState
from viva_desktop.ui.browser.export import ExportRequest, ask_export_path, export_view, headers_of
from viva_desktop.ui.browser.export_menu import ExportMenu
from viva_desktop.ui.browser.filter_controls import FilterControls
from viva_desktop.ui.browser.history import RecordHistory
from viva_desktop.ui.browser.notice import Notice
from viva_desktop.ui.browser.saved_views import SavedViews
from viva_desktop.ui.browser.status_text import count_text, empty_text, is_filtered
from viva_desktop.ui.browser.table import make_table
from viva_desktop.ui.common.changes import DataChanges, data_changes_of
from viva_desktop.ui.common.formatting import path_text
from viva_desktop.ui.common.icons import icon
from viva_desktop.ui.common.progress import ProgressStrip
from viva_desktop.ui.common.worker import TaskHandle, run_task
from viva_desktop.ui.models.store_model import StoreTableModel


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
        self.filters = FilterControls(model, facets, dates, self)
        self.search = self.filters.search
        self.facets = self.filters.facets
        self.dates = self.filters.dates
        self.clear_button = QPushButton(icon("remove"), "")
        self.clear_button.clicked.connect(self.clear_filters)
        self.columns_button = QPushButton(icon("columns"), "")
        self.columns_button.clicked.connect(self._columns_menu)
        self.export_button = QPushButton(icon("export"), "")
        self.export_menu = ExportMenu(lambda: len(self.selected_rows()), self)
        self.export_menu.chosen.connect(lambda raw, only: self.export_csv(raw=raw, selection=only))
        self.export_button.setMenu(self.export_menu)
        self.views_button = QPushButton(icon("folder"), "")
        self.views_button.setObjectName("SavedViewsButton")
        self.saved_views = SavedViews(self)
        self.views_button.setMenu(self.saved_views.menu)
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
        tools.addWidget(self.views_button)
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
        self.view = make_table(model)
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
        self.history = RecordHistory()  # this app's writes and upstream changes of the record
        self.detail.add_section(self.history)
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

        self.notice = Notice()  # goes away by itself, and when it is no longer true
        context.offline_mode_changed.connect(self.notice.dismiss)
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
        # Another account's per-caller rows must never stay on screen after a sign-out.
        context.scope_changed.connect(self._profile_changed)
        self.retranslate()
        self._order_tabs()
        self._load_side_data()
        self.saved_views.reload()

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
        chain: list[QWidget] = [*self.filters.widgets(), self.clear_button]
        if self.dates is not None:
            chain += [self.dates.column_box, self.dates.start, self.dates.end]
        chain += [self.views_button, self.columns_button, self.details_button, self.export_button]
        for index in range(self.actions_bar.count()):
            widget = self.actions_bar.itemAt(index).widget()
            if widget is not None:
                chain.append(widget)
        chain += [self.view, *self.detail.tab_chain()]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def set_hint(self, text: str) -> None:
        """A line under the actions: why an action is unavailable, what is queued…"""
        self.hint.setText(text)
        self.hint.setVisible(bool(text))

    def show_notice(self, text: str, kind: str = "info") -> None:
        self.notice.say(text, kind)

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
        self.filters.clear()

    def set_date_range(self, column: str, start: QDate | None, end: QDate | None) -> None:
        if self.dates is not None:
            self.dates.set_range(column, start, end)

    def export_csv(
        self, path: Path | str | None = None, *, raw: bool = False, selection: bool = False
    ) -> TaskHandle | None:
        """Export the current view (filters, order and shown columns) to a CSV file, asking
        where when no `path` is given: as shown (titles and labels on screen, local dates) or
        `raw` (stored keys and values); every row of the view or only the `selection`."""
        store, profile = self.model.store, self.model.profile
        if store is None or profile is None:
            return None
        if path is None:
            path = ask_export_path(self, self.key)
            if path is None:
                return None
        target = Path(path)
        by_key = {column.key: column for column in self.model.COLUMNS}
        columns = tuple(by_key[key] for key in self.columns.visible_keys())
        request = ExportRequest(
            self.model.entity,
            profile,
            self.model.effective_query,
            columns,
            headers_of(columns),
            raw=raw,
            selected=tuple(r.values for r in self.selected_rows()) if selection else None,
            names=self.model.names if selection else {},
            account=self.model.account,
        )
        handle = run_task(
            export_view,
            store,
            request,
            target,
            on_done=lambda count: self._exported(count, target),
            parent=self,
            name=f"export {self.model.entity}",
        )
        self.progress.attach(handle, self.tr("Exporting to {file}…").format(file=target.name))
        return handle

    def retranslate(self) -> None:
        self.notice.dismiss()  # said in the previous language
        self.filters.retranslate()
        self.view.setAccessibleName(self.tr("Records"))
        self.view.setAccessibleDescription(
            self.tr("Enter opens the selected record; the detail pane shows all its fields.")
        )
        self.clear_button.setText(self.tr("Clear filters"))
        self.views_button.setText(self.tr("Views"))
        self.views_button.setToolTip(
            self.tr("Save this search, filters, dates, columns and sort under a name, or use one.")
        )
        self.columns_button.setText(self.tr("Columns…"))
        self.columns_button.setToolTip(
            self.tr("Show, hide or reset columns; drag a column header to move it.")
        )
        self.export_button.setText(self.tr("Export CSV…"))
        self.export_button.setToolTip(
            self.tr("Save the rows matching the current filters, in this order, as CSV.")
        )
        self.export_menu.retranslate()
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
        self.notice.dismiss()  # "Exported…" no longer matches what the table shows
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def _profile_changed(self, *_args: object) -> None:
        self.model.set_source(
            self.context.store, self.context.profile_name, self.context.scope_account
        )
        self.detail.show_row(None, None)
        self.history.clear()
        self.notice.dismiss()  # said about the previous profile or account's rows
        self._load_side_data()
        self.saved_views.reload()

    def _apply_search(self) -> None:
        self.filters.apply_search()

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
        self.history.show_record(self.model.store, self.model.profile, row, self.model.account)
        self.selection_changed.emit()

    def _read_failed(self, exc: BaseException) -> None:
        self._update_count()
        self.context.report_error(exc, retry=self.model.reload, parent=self)

    def _exported(self, count: int, path: Path) -> None:
        self.show_notice(
            self.tr("Exported %n record(s) to {file}.", "", count).format(file=path_text(path))
        )
        self.exported.emit(count, path)

    # ------------------------------------------------------------------ status

    def _load_side_data(self) -> None:
        store, profile = self.model.store, self.model.profile
        self.filters.load(store, profile)
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
            self.model.account,
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
        self.count_label.setText(count_text(self.model))
        self._update_empty_state()

    def _filtered(self) -> bool:
        return is_filtered(self.model)

    def _update_empty_state(self) -> None:
        self.empty_state.set_message(
            empty_text(self.model, self._age, self._age_pending, self._empty_text)
        )

    # ------------------------------------------------------------------ detail pane layout

    def _restore_detail_layout(self) -> None:
        visible = restore_detail_layout(self.key, self.splitter)
        self.detail.setVisible(visible)
        self.details_button.setChecked(visible)

    def _save_detail_layout(self) -> None:
        save_detail_layout(self.key, self.splitter, self.details_visible())

    def _splitter_moved(self, *_args: object) -> None:
        collapsed = self.splitter.sizes()[1] == 0
        if collapsed and self.details_button.isChecked():
            self.details_button.blockSignals(True)
            self.details_button.setChecked(False)
            self.details_button.blockSignals(False)
        self._save_detail_layout()

    def _update_age(self) -> None:
        text, tooltip = age_texts(self._age)
        self.age_label.setText(text)
        self.age_label.setToolTip(tooltip)

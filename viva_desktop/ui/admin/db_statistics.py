"""The statistics of the database panel: an overview card (size, cache hit ratio, connections,
commits / rollbacks, deadlocks, uptime) and four tables (connections by state, long-running
queries, lock waits, largest tables), filled from one `Reading`."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from viva_desktop.services.admin.dbmonitor import format_bytes
from viva_desktop.ui.admin.db_connection import Reading
from viva_desktop.ui.browser.cells import install_cell_delegate
from viva_desktop.ui.browser.empty_state import EmptyState
from viva_desktop.ui.common.formatting import duration_text, number_text
from viva_desktop.ui.common.timefmt import percent_text

STAT_KEYS = ("size", "hit_ratio", "connections", "transactions", "deadlocks", "uptime")


def _item(text: object, *, align_right: bool = False, tooltip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem("—" if text is None else str(text))
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if tooltip:
        item.setToolTip(tooltip)
    return item


def _table(columns: int, name: str) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.setObjectName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(26)
    install_cell_delegate(table)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list[QTableWidgetItem]]) -> None:
    table.setRowCount(len(rows))
    for row, cells in enumerate(rows):
        for column, item in enumerate(cells):
            table.setItem(row, column, item)
    table.resizeColumnsToContents()


class DbStatisticsView(QWidget):
    """The overview card above the tabs of tables; `show_reading` fills both, `clear` empties
    them (and says why the tables are empty)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DbStatisticsView")
        self.stat_names: dict[str, QLabel] = {}
        self.stat_values: dict[str, QLabel] = {}
        grid = QGridLayout()
        for index, key in enumerate(STAT_KEYS):
            name, value = QLabel(), QLabel("—")
            name.setObjectName("Muted")
            value.setObjectName("Headline")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(name, (index // 3) * 2, index % 3)
            grid.addWidget(value, (index // 3) * 2 + 1, index % 3)
            self.stat_names[key], self.stat_values[key] = name, value
        self.overview = QFrame()
        self.overview.setObjectName("Card")
        self.overview.setLayout(grid)

        self.connections_table = _table(2, "ConnectionsTable")
        self.queries_table = _table(7, "LongQueriesTable")
        self.locks_table = _table(8, "LocksTable")
        self.tables_table = _table(5, "LargestTablesTable")
        self.tables = (
            self.connections_table,
            self.queries_table,
            self.locks_table,
            self.tables_table,
        )
        self.tabs = QTabWidget()
        for table in self.tables:
            self.tabs.addTab(table, "")
        self.empty_states = {table: EmptyState(table) for table in self.tables}

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.overview)
        layout.addWidget(self.tabs, 1)

    def retranslate(self) -> None:
        names = {
            "size": self.tr("Database size"),
            "hit_ratio": self.tr("Cache hit ratio"),
            "connections": self.tr("Connections"),
            "transactions": self.tr("Commits / rollbacks"),
            "deadlocks": self.tr("Deadlocks"),
            "uptime": self.tr("Server up for"),
        }
        for key, label in self.stat_names.items():
            label.setText(names[key])
        self.tabs.setTabText(0, self.tr("Connections by state"))
        self.tabs.setTabText(1, self.tr("Long-running queries"))
        self.tabs.setTabText(2, self.tr("Locks"))
        self.tabs.setTabText(3, self.tr("Largest tables"))
        self.connections_table.setHorizontalHeaderLabels([self.tr("State"), self.tr("Sessions")])
        for index, table in enumerate(self.tables):
            table.setAccessibleName(self.tabs.tabText(index))
        self.queries_table.setHorizontalHeaderLabels(
            [
                self.tr("PID"),
                self.tr("Running for"),
                self.tr("State"),
                self.tr("User"),
                self.tr("Application"),
                self.tr("Waiting on"),
                self.tr("Query"),
            ]
        )
        self.locks_table.setHorizontalHeaderLabels(
            [
                self.tr("Blocked PID"),
                self.tr("Blocked user"),
                self.tr("Blocked by PID"),
                self.tr("Blocking user"),
                self.tr("Waiting for"),
                self.tr("Relation"),
                self.tr("Waiting"),
                self.tr("Blocked query"),
            ]
        )
        self.tables_table.setHorizontalHeaderLabels(
            [
                self.tr("Table"),
                self.tr("Total"),
                self.tr("Data"),
                self.tr("Indexes"),
                self.tr("Rows (estimate)"),
            ]
        )

    def clear(self) -> None:
        """No reading: dashes, empty tables, and "connect above" in each."""
        for value in self.stat_values.values():
            value.setText("—")
        for table in self.tables:
            table.setRowCount(0)
        self._empty_texts(connected=False)

    def _empty_texts(self, *, connected: bool) -> None:
        if not connected:
            text = self.tr("Connect above to read the server's statistics.")
            for state in self.empty_states.values():
                state.set_message(text)
            return
        texts = {
            self.connections_table: self.tr("No session is connected."),
            self.queries_table: self.tr("No query has been running for longer than the limit."),
            self.locks_table: self.tr("No session is waiting for a lock."),
            self.tables_table: self.tr("The database has no tables yet."),
        }
        for table, text in texts.items():
            self.empty_states[table].set_message(text)

    def show_reading(self, reading: Reading) -> None:
        """The statistics of `reading` in the card and the tables."""
        self._empty_texts(connected=True)
        snap = reading.snapshot
        self.stat_values["size"].setText(format_bytes(snap.database_size_bytes))
        self.stat_values["hit_ratio"].setText(percent_text(snap.cache_hit_ratio))
        self.stat_values["connections"].setText(
            self.tr("{count} of {max}").format(
                count=snap.total_connections, max=snap.max_connections
            )
        )
        self.stat_values["transactions"].setText(
            f"{number_text(snap.commits)} / {number_text(snap.rollbacks)}"
        )
        self.stat_values["deadlocks"].setText(number_text(snap.deadlocks))
        self.stat_values["uptime"].setText(duration_text(snap.uptime_s))
        _fill(
            self.connections_table,
            [
                [_item(self._state_name(state)), _item(count, align_right=True)]
                for state, count in snap.connections_by_state.items()
            ],
        )
        _fill(
            self.queries_table,
            [
                [
                    _item(q.pid, align_right=True),
                    _item(duration_text(q.duration_s), align_right=True),
                    _item(self._state_name(q.state or "")),
                    _item(q.user),
                    _item(q.application),
                    _item(q.wait_event),
                    _item(self._query_text(q.query), tooltip=q.query or ""),
                ]
                for q in snap.long_queries
            ],
        )
        _fill(
            self.locks_table,
            [
                [
                    _item(lock.blocked_pid, align_right=True),
                    _item(lock.blocked_user),
                    _item(lock.blocking_pid, align_right=True),
                    _item(lock.blocking_user),
                    _item(lock.mode),
                    _item(lock.relation),
                    _item(duration_text(lock.waiting_s), align_right=True),
                    _item(self._query_text(lock.blocked_query), tooltip=lock.blocked_query or ""),
                ]
                for lock in snap.locks
            ],
        )
        _fill(
            self.tables_table,
            [
                [
                    _item(f"{t.schema}.{t.name}"),
                    _item(format_bytes(t.total_bytes), align_right=True),
                    _item(format_bytes(t.table_bytes), align_right=True),
                    _item(format_bytes(t.index_bytes), align_right=True),
                    self._rows_item(t.estimated_rows, t.analysed),
                ]
                for t in snap.largest_tables
            ],
        )
        self.tabs.setTabText(
            1, self.tr("Long-running queries ({count})").format(count=len(snap.long_queries))
        )
        self.tabs.setTabText(2, self.tr("Locks ({count})").format(count=len(snap.locks)))

    def _rows_item(self, rows: int | None, analysed: bool) -> QTableWidgetItem:
        """The row estimate; for a table never analysed (no estimate), the statistics' count
        of live rows, marked as such, or the reason there is no number."""
        if analysed:
            return _item(f"{rows:,}" if rows is not None else None, align_right=True)
        tooltip = self.tr(
            "PostgreSQL has not analysed this table yet, so it has no estimate; the number "
            "is the live rows its statistics counted. ANALYZE gives a real estimate."
        )
        text = (
            self.tr("{rows} (not analysed)").format(rows=f"{rows:,}")
            if rows is not None
            else self.tr("not analysed yet")
        )
        return _item(text, align_right=True, tooltip=tooltip)

    def _state_name(self, state: str) -> str:
        names = {
            "active": self.tr("active"),
            "idle": self.tr("idle"),
            "idle in transaction": self.tr("idle in transaction"),
            "idle in transaction (aborted)": self.tr("idle in transaction (aborted)"),
            "fastpath function call": self.tr("fast-path function call"),
            "disabled": self.tr("disabled"),
            "unknown": self.tr("unknown"),
        }
        return names.get(state, state)

    def _query_text(self, query: str | None) -> str:
        if query is None:
            return self.tr("(hidden: needs pg_monitor)")
        return " ".join(query.split())

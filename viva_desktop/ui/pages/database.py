"""Database: the deployment's PostgreSQL seen through a read-only monitoring account.

The administrator gives a connection string and a password; the password is kept in the system
keyring (service `viva-desktop:db:<profile>`) only when asked, otherwise in memory for the
session, and never in the settings or the connection string saved for next time. Connecting
retries with backoff on the worker and can be cancelled; then the panel shows connections by
state, long-running queries, lock waits, the database's and the largest tables' sizes and the
cache hit ratio, refreshed on demand or on a timer while the page is shown. The monitor's
session is read-only (`default_transaction_read_only`), so nothing here can write.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from viva_desktop.services.admin.dbmonitor import DatabaseMonitor, DbSnapshot, format_bytes
from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.ui.admin.db_credentials import PasswordKeeper, keeper_for, split_password
from viva_desktop.ui.admin.log_links import ensure_log_links
from viva_desktop.ui.browser.cells import install_cell_delegate
from viva_desktop.ui.browser.empty_state import EmptyState
from viva_desktop.ui.common.context import AppContext
from viva_desktop.ui.common.formatting import clock_text, duration_text, number_text
from viva_desktop.ui.common.icons import icon
from viva_desktop.ui.common.timefmt import percent_text
from viva_desktop.ui.common.worker import TaskHandle, run_task
from viva_desktop.ui.pages.base import Page

log = logging.getLogger("viva.ui.database")

AUTO_REFRESH_S = (0, 10, 30, 60, 300)
DEFAULT_LONG_QUERY_S = 30.0


@dataclass(frozen=True)
class Reading:
    """One refresh: the round trip of `SELECT 1` and the statistics."""

    ping_ms: float
    snapshot: DbSnapshot
    read_only: bool


def read_statistics(monitor: DatabaseMonitor, long_query_s: float) -> Reading:
    """Ping and snapshot (worker thread)."""
    ping = monitor.ping()
    snapshot = monitor.snapshot(long_query_seconds=long_query_s)
    return Reading(ping, snapshot, monitor.is_read_only())


def open_monitor(
    dsn: str,
    password: str | None,
    long_query_s: float,
    cancel: CancelToken,
    *,
    attempts: int = 3,
    delay: float = 1.0,
) -> tuple[DatabaseMonitor, Reading]:
    """Connect (retrying with backoff, cancellable) and take the first reading."""
    monitor = DatabaseMonitor(
        dsn, password=password or None, cancel=cancel, connect_attempts=attempts, delay=delay
    )
    try:
        monitor.connect()
        return monitor, read_statistics(monitor, long_query_s)
    except BaseException:
        monitor.close()
        raise


class _Session:
    """The open monitor, kept outside the page so the page's `destroyed` signal can close it
    without keeping the page alive."""

    def __init__(self) -> None:
        self.monitor: DatabaseMonitor | None = None

    def close(self, *_args: object) -> None:
        monitor, self.monitor = self.monitor, None
        if monitor is not None:
            monitor.close()


def _settings_key(profile: str, name: str) -> str:
    return f"admin/database/{profile}/{name}"


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


class DatabasePage(Page):
    connected_changed = Signal(bool)
    refreshed = Signal(object)  # Reading

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("DatabasePage")
        ensure_log_links(context)  # "Show in logs" in error dialogs
        self.keeper: PasswordKeeper = keeper_for(context.vault.vault)
        self._session = _Session()
        self.reading: Reading | None = None
        self._connect_task: TaskHandle | None = None
        self._refresh_task: TaskHandle | None = None
        self._loaded_profile: str | None = None
        # Someone is waiting at the screen: a few quick attempts, not the service's patience.
        self.connect_attempts = 3
        self.retry_delay = 1.0

        self.title = QLabel()
        self.title.setObjectName("PageTitle")
        self.intro = QLabel()
        self.intro.setObjectName("Muted")
        self.intro.setWordWrap(True)

        self.dsn_edit = QLineEdit()
        self.dsn_edit.setClearButtonEnabled(True)
        self.dsn_edit.returnPressed.connect(self.connect_database)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.returnPressed.connect(self.connect_database)
        self.remember_box = QCheckBox()
        password_row = QHBoxLayout()
        password_row.addWidget(self.password_edit, 1)
        password_row.addWidget(self.remember_box)
        self.form = QFormLayout()
        self.dsn_label, self.password_label = QLabel(), QLabel()
        self.form.addRow(self.dsn_label, self.dsn_edit)
        self.form.addRow(self.password_label, password_row)

        self.connect_button = QPushButton(icon("login"), "")
        self.connect_button.clicked.connect(self.connect_database)
        self.cancel_button = QPushButton(icon("stop"), "")
        self.cancel_button.clicked.connect(self.cancel_connect)
        self.disconnect_button = QPushButton(icon("disconnect"), "")
        self.disconnect_button.clicked.connect(self.disconnect_database)
        self.refresh_button = QPushButton(icon("refresh"), "")
        self.refresh_button.clicked.connect(self.refresh)
        self.auto_label = QLabel()
        self.auto_box = QComboBox()
        for seconds in AUTO_REFRESH_S:
            self.auto_box.addItem("", seconds)
        self.auto_box.setCurrentIndex(AUTO_REFRESH_S.index(30))
        self.auto_box.currentIndexChanged.connect(self._apply_timer)
        self.long_label = QLabel()
        self.long_spin = QDoubleSpinBox()
        self.long_spin.setRange(0.5, 3600.0)
        self.long_spin.setDecimals(1)
        self.long_spin.setValue(DEFAULT_LONG_QUERY_S)
        self.long_spin.setSuffix(" s")
        buttons = QHBoxLayout()
        for widget in (
            self.connect_button,
            self.cancel_button,
            self.disconnect_button,
            self.refresh_button,
        ):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        for widget in (self.auto_label, self.auto_box, self.long_label, self.long_spin):
            buttons.addWidget(widget)

        self.status_label = QLabel()
        self.status_label.setObjectName("Headline")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note_label = QLabel()
        self.note_label.setObjectName("Muted")
        self.note_label.setWordWrap(True)

        self.stat_names: dict[str, QLabel] = {}
        self.stat_values: dict[str, QLabel] = {}
        grid = QGridLayout()
        keys = ("size", "hit_ratio", "connections", "transactions", "deadlocks", "uptime")
        for index, key in enumerate(keys):
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
        self.tabs = QTabWidget()
        for table in (
            self.connections_table,
            self.queries_table,
            self.locks_table,
            self.tables_table,
        ):
            self.tabs.addTab(table, "")
        self.empty_states = {
            table: EmptyState(table)
            for table in (
                self.connections_table,
                self.queries_table,
                self.locks_table,
                self.tables_table,
            )
        }

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addLayout(buttons)
        layout.addWidget(self.status_label)
        layout.addWidget(self.note_label)
        layout.addWidget(self.overview)
        layout.addWidget(self.tabs, 1)

        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        context.profile_changed.connect(self._profile_changed)
        self.destroyed.connect(self._session.close)
        self._load_saved_connection()
        self.retranslate()
        self._update_buttons()

    # ------------------------------------------------------------------ Page hooks

    def activate(self) -> None:
        super().activate()
        self._apply_timer()
        if self.monitor is not None:
            self.refresh()

    def deactivate(self) -> None:
        super().deactivate()
        self._timer.stop()  # somebody else's production database: only watch while looked at

    def is_loading(self) -> bool:
        return self.connecting or self.refreshing

    @property
    def monitor(self) -> DatabaseMonitor | None:
        """The connected read-only session, if any."""
        return self._session.monitor

    @property
    def connecting(self) -> bool:
        return self._connect_task is not None and self._connect_task.running

    @property
    def refreshing(self) -> bool:
        return self._refresh_task is not None and self._refresh_task.running

    @property
    def profile_key(self) -> str:
        return self.context.profile_name or "default"

    def retranslate(self) -> None:
        self.title.setText(self.tr("Database"))
        self.intro.setText(
            self.tr(
                "Connect straight to the deployment's PostgreSQL with a read-only monitoring "
                "account (CONNECT on the database and membership of pg_monitor). The session is "
                "read-only: nothing on this page can change data."
            )
        )
        self.dsn_label.setText(self.tr("Connection:"))
        self.dsn_edit.setPlaceholderText("postgresql://monitor@db.example.org:5432/comunidad_viva")
        self.password_label.setText(self.tr("Password:"))
        self.password_edit.setPlaceholderText(self.tr("not saved unless you tick the box"))
        self.remember_box.setText(self.tr("Remember in the system keyring"))
        self.remember_box.setToolTip(
            self.tr("Stored under “{service}” in the keyring, never in a file.").format(
                service=f"viva-desktop:db:{self.profile_key}"
            )
            if self.keeper.persistent
            else self.tr("No secure system keyring: the password is kept for this session only.")
        )
        self.remember_box.setEnabled(self.keeper.persistent)
        self.connect_button.setText(self.tr("Connect"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.disconnect_button.setText(self.tr("Disconnect"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.auto_label.setText(self.tr("Refresh every"))
        for index, seconds in enumerate(AUTO_REFRESH_S):
            self.auto_box.setItemText(
                index, self.tr("never") if seconds == 0 else duration_text(seconds)
            )
        self.long_label.setText(self.tr("Long-running after"))
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
        self._render()

    # ------------------------------------------------------------------ saved connection

    def _load_saved_connection(self) -> None:
        """The connection string (never with a password) remembered for this profile, and
        the password from the keyring if it was remembered."""
        profile = self.profile_key
        self._loaded_profile = profile
        state = QSettings()
        dsn = state.value(_settings_key(profile, "dsn"), "")
        remember = state.value(_settings_key(profile, "remember"), False)
        self.dsn_edit.setText(dsn if isinstance(dsn, str) else "")
        self.remember_box.setChecked(remember in (True, "true") and self.keeper.persistent)
        self.password_edit.clear()
        if self.remember_box.isChecked() and self.dsn_edit.text():
            run_task(
                self.keeper.recall,
                profile,
                self.dsn_edit.text(),
                on_done=self._password_recalled,
                on_error=lambda exc: log.warning("keyring lookup failed: %s", exc),
                parent=self,
                name="recall database password",
            )

    def _password_recalled(self, password: object) -> None:
        if isinstance(password, str) and password and not self.password_edit.text():
            self.password_edit.setText(password)
            self.note_label.setText(self.tr("Password filled in from the system keyring."))

    def _save_connection(self, dsn: str, password: str) -> None:
        profile = self.profile_key
        state = QSettings()
        state.setValue(_settings_key(profile, "dsn"), dsn)
        remember = self.remember_box.isChecked() and self.keeper.persistent
        state.setValue(_settings_key(profile, "remember"), remember)
        if remember and password:
            run_task(
                self.keeper.remember,
                profile,
                dsn,
                password,
                on_done=lambda _r: self.note_label.setText(
                    self.tr("The password is stored in the system keyring.")
                ),
                on_error=self._keyring_failed,
                parent=self,
                name="remember database password",
            )
        elif not remember:
            run_task(
                self.keeper.forget,
                profile,
                dsn,
                on_error=self._keyring_failed,
                parent=self,
                name="forget database password",
            )

    def _keyring_failed(self, exc: BaseException) -> None:
        log.warning("keyring: %s", exc)
        self.note_label.setText(
            self.tr("The keyring did not accept the password: it is kept for this session only.")
        )

    def _profile_changed(self, *_args: object) -> None:
        if self.profile_key == self._loaded_profile:
            return
        self.disconnect_database()
        self._load_saved_connection()
        self.retranslate()

    # ------------------------------------------------------------------ connecting

    def connect_database(self) -> None:
        if self.connecting:
            return
        dsn, embedded = split_password(self.dsn_edit.text())
        if not dsn:
            self.status_label.setText(self.tr("Enter a connection string first."))
            self.dsn_edit.setFocus()
            return
        if embedded is not None:  # keep the password out of the saved connection string
            self.dsn_edit.setText(dsn)
            if not self.password_edit.text():
                self.password_edit.setText(embedded)
        self._close_monitor()
        password = self.password_edit.text()
        self.status_label.setText(self.tr("Connecting…"))
        self._connect_task = run_task(
            open_monitor,
            dsn,
            password,
            self.long_spin.value(),
            attempts=self.connect_attempts,
            delay=self.retry_delay,
            on_done=lambda result: self._connected(result, dsn, password),
            on_error=self._connect_failed,
            on_cancelled=self._connect_cancelled,
            parent=self,
            name="connect to the database",
        )
        self._update_buttons()

    def cancel_connect(self) -> None:
        if self._connect_task is not None and self._connect_task.running:
            self._connect_task.cancel()

    def _connected(self, result: tuple[DatabaseMonitor, Reading], dsn: str, password: str) -> None:
        monitor, reading = result
        self._session.monitor = monitor
        self._save_connection(dsn, password)
        log.info("database monitor connected to %s", monitor.target)
        self._show_reading(reading)
        self._apply_timer()
        self._update_buttons()
        self.connected_changed.emit(True)

    def _connect_failed(self, exc: BaseException) -> None:
        self._update_buttons()
        self.status_label.setText(self.tr("Not connected."))
        self.context.report_error(exc, retry=self.connect_database, parent=self)

    def _connect_cancelled(self) -> None:
        self._update_buttons()
        self.status_label.setText(self.tr("Connecting was cancelled."))

    def disconnect_database(self) -> None:
        self._timer.stop()
        self.cancel_connect()
        was_connected = self.monitor is not None
        self._close_monitor()
        self.reading = None
        self._render()
        self._update_buttons()
        if was_connected:
            self.connected_changed.emit(False)

    def _close_monitor(self) -> None:
        monitor, self._session.monitor = self._session.monitor, None
        if monitor is not None:
            run_task(monitor.close, on_error=lambda _e: None, name="close database monitor")

    # ------------------------------------------------------------------ refreshing

    def refresh(self) -> None:
        """Read the statistics again (F5, the timer, or the button)."""
        monitor = self.monitor
        if monitor is None or self.refreshing:
            return
        self._refresh_task = run_task(
            read_statistics,
            monitor,
            self.long_spin.value(),
            on_done=self._refreshed,
            on_error=self._refresh_failed,
            parent=self,
            name="database statistics",
        )
        self._update_buttons()

    def _refreshed(self, reading: Reading) -> None:
        self._show_reading(reading)
        self._update_buttons()

    def _refresh_failed(self, exc: BaseException) -> None:
        self._timer.stop()
        self._update_buttons()
        self.status_label.setText(self.tr("The last refresh failed; automatic refresh stopped."))
        self.context.report_error(exc, retry=self.refresh, parent=self)

    def _apply_timer(self, *_args: object) -> None:
        seconds = self.auto_box.currentData()
        if self.monitor is not None and self.active and seconds:
            self._timer.start(int(seconds) * 1000)
        else:
            self._timer.stop()

    def _update_buttons(self) -> None:
        connected = self.monitor is not None
        self.connect_button.setVisible(not self.connecting)
        self.cancel_button.setVisible(self.connecting)
        self.disconnect_button.setEnabled(connected)
        self.refresh_button.setEnabled(connected and not self.refreshing)
        self.dsn_edit.setEnabled(not self.connecting)
        self.password_edit.setEnabled(not self.connecting)

    # ------------------------------------------------------------------ rendering

    def _show_reading(self, reading: Reading) -> None:
        self.reading = reading
        self._render()
        self.refreshed.emit(reading)

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

    def _render(self) -> None:
        reading = self.reading
        monitor = self.monitor
        self.overview.setEnabled(reading is not None)
        if reading is None or monitor is None:
            for value in self.stat_values.values():
                value.setText("—")
            for table in (
                self.connections_table,
                self.queries_table,
                self.locks_table,
                self.tables_table,
            ):
                table.setRowCount(0)
            if not self.connecting:
                self.status_label.setText(self.tr("Not connected."))
            self._empty_texts(connected=False)
            return
        self._empty_texts(connected=True)
        snap = reading.snapshot
        self.status_label.setText(
            self.tr(
                "Connected to {target} · PostgreSQL {version} · SELECT 1 in {ping} · {mode} · "
                "read at {time}"
            ).format(
                target=monitor.target,
                version=snap.server_version,
                ping=number_text(round(reading.ping_ms, 1), "ms"),
                mode=self.tr("read-only") if reading.read_only else self.tr("NOT read-only"),
                time=clock_text(snap.taken_at),
            )
        )
        self.note_label.setVisible(True)
        if not snap.full_visibility:
            self.note_label.setText(
                self.tr(
                    "This account sees only its own queries. Grant it pg_monitor to see every "
                    "session's query text."
                )
            )
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
                    _item(
                        f"{t.estimated_rows:,}" if t.estimated_rows is not None else None,
                        align_right=True,
                    ),
                ]
                for t in snap.largest_tables
            ],
        )
        self.tabs.setTabText(
            1, self.tr("Long-running queries ({count})").format(count=len(snap.long_queries))
        )
        self.tabs.setTabText(2, self.tr("Locks ({count})").format(count=len(snap.locks)))

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

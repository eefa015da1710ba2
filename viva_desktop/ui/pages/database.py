"""Database: the deployment's PostgreSQL seen through a read-only monitoring account.

The administrator gives a connection string and a password; the password is kept in the system
keyring (service `viva-desktop:db:<profile>/<account>`, one per signed-in administrator) only
when asked, otherwise in memory for the session, and never in the settings or the connection
string saved for next time. Connecting retries with backoff on the worker and can be
cancelled; then the panel shows connections by state, long-running queries, lock waits, the
database's and the largest tables' sizes and the cache hit ratio, refreshed on demand or on a
timer while the page is shown. The monitor's session is read-only
(`default_transaction_read_only`), so nothing here can write.

The page holds the connection form, the buttons and the saved connection; its building blocks
are in `ui.admin`: `db_connection` (the worker-side connect and read), `db_statistics` (the
overview card and the tables) and `db_credentials` (the password's keeping).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viva_desktop.services.admin.dbmonitor import DatabaseMonitor
from viva_desktop.ui.admin.db_connection import (
    MonitorSession,
    Reading,
    open_monitor,
    read_statistics,
)
from viva_desktop.ui.admin.db_credentials import (
    PasswordKeeper,
    keeper_for,
    service_name,
    split_password,
)
from viva_desktop.ui.admin.db_statistics import DbStatisticsView
from viva_desktop.ui.admin.log_links import ensure_log_links
from viva_desktop.ui.common.context import AppContext
from viva_desktop.ui.common.formatting import clock_text, duration_text, number_text
from viva_desktop.ui.common.icons import icon
from viva_desktop.ui.common.worker import TaskHandle, run_task
from viva_desktop.ui.pages.base import Page

log = logging.getLogger("viva.ui.database")

AUTO_REFRESH_S = (0, 10, 30, 60, 300)
DEFAULT_LONG_QUERY_S = 30.0


def _settings_key(profile: str, account: str | None, name: str) -> str:
    """Where a saved-connection setting lives: per profile and signed-in account; the
    per-profile key (no account) holds only a connection string, never a password."""
    if account is None:
        return f"admin/database/{profile}/{name}"
    return f"admin/database/{profile}/accounts/{account}/{name}"


class DatabasePage(Page):
    connected_changed = Signal(bool)
    refreshed = Signal(object)  # Reading

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("DatabasePage")
        ensure_log_links(context)  # "Show in logs" in error dialogs
        self.keeper: PasswordKeeper = keeper_for(context.vault.vault)
        self._session = MonitorSession()
        self.reading: Reading | None = None
        self._connect_task: TaskHandle | None = None
        self._refresh_task: TaskHandle | None = None
        self._loaded_profile: str | None = None
        self._loaded_account: str | None = None
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

        self.statistics = DbStatisticsView()
        # The statistics' parts, by the names the page has always had.
        self.stat_values = self.statistics.stat_values
        self.overview = self.statistics.overview
        self.tabs = self.statistics.tabs
        self.connections_table = self.statistics.connections_table
        self.queries_table = self.statistics.queries_table
        self.locks_table = self.statistics.locks_table
        self.tables_table = self.statistics.tables_table
        self.empty_states = self.statistics.empty_states  # what each empty table says

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addLayout(buttons)
        layout.addWidget(self.status_label)
        layout.addWidget(self.note_label)
        layout.addWidget(self.statistics, 1)

        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        context.profile_changed.connect(self._profile_changed)
        # Signed out, or another account: close the connection, forget the typed password.
        context.scope_changed.connect(self._scope_changed)
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

    @property
    def account_key(self) -> str | None:
        """The signed-in account (user id) whose remembered password the page may use; None
        when nobody is signed in: then nothing is recalled from or saved to the keyring."""
        info = self.context.session_info
        return info.user_id if info is not None else None

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
        self.dsn_edit.setAccessibleName(self.tr("Connection string"))
        self.password_edit.setAccessibleName(self.tr("Database password"))
        self.dsn_edit.setPlaceholderText("postgresql://monitor@db.example.org:5432/comunidad_viva")
        self.password_label.setText(self.tr("Password:"))
        self.password_edit.setPlaceholderText(self.tr("not saved unless you tick the box"))
        self.remember_box.setText(self.tr("Remember in the system keyring"))
        account = self.account_key
        if not self.keeper.persistent:
            tip = self.tr("No secure system keyring: the password is kept for this session only.")
        elif account is None:
            tip = self.tr(
                "Sign in as an administrator to remember the password: it is kept per account."
            )
        else:
            tip = self.tr(
                "Stored under “{service}” in the keyring, for this account only, never in a file."
            ).format(service=service_name(self.profile_key, account))
        self.remember_box.setToolTip(tip)
        self.remember_box.setStatusTip(tip)
        self.remember_box.setEnabled(self.keeper.persistent and account is not None)
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
        self.long_spin.setAccessibleName(self.tr("Long-running after (seconds)"))
        self.statistics.retranslate()
        self._render()

    # ------------------------------------------------------------------ saved connection

    def _load_saved_connection(self) -> None:
        """The connection string (never with a password) remembered for this profile and
        account, and that account's password from the keyring if it was remembered."""
        profile, account = self.profile_key, self.account_key
        self._loaded_profile, self._loaded_account = profile, account
        state = QSettings()
        if account is not None:
            self._drop_legacy_password(state, profile)
        dsn = state.value(_settings_key(profile, account, "dsn"), "")
        if account is not None and not dsn:  # the deployment's address, as a starting point
            dsn = state.value(_settings_key(profile, None, "dsn"), "")
        remember = account is not None and state.value(
            _settings_key(profile, account, "remember"), False
        ) in (True, "true")
        self.dsn_edit.setText(dsn if isinstance(dsn, str) else "")
        self.remember_box.setChecked(remember and self.keeper.persistent)
        self.password_edit.clear()
        if account is not None and self.remember_box.isChecked() and self.dsn_edit.text():
            run_task(
                self.keeper.recall,
                profile,
                account,
                self.dsn_edit.text(),
                on_done=self._password_recalled,
                on_error=lambda exc: log.warning("keyring lookup failed: %s", exc),
                parent=self,
                name="recall database password",
            )

    def _drop_legacy_password(self, state: QSettings, profile: str) -> None:
        """Earlier versions kept one password per profile, whoever saved it. Nobody can tell
        which administrator that was, so it is deleted, not handed to the first account that
        looks (which could be another administrator): its owner types it once more."""
        legacy = _settings_key(profile, None, "remember")
        if state.value(legacy, False) not in (True, "true"):
            return
        state.remove(legacy)
        dsn = state.value(_settings_key(profile, None, "dsn"), "")
        if not isinstance(dsn, str) or not dsn:
            return
        run_task(
            self.keeper.drop_legacy,
            profile,
            dsn,
            on_error=lambda exc: log.warning("keyring delete failed: %s", exc),
            parent=self,
            name="forget per-profile database password",
        )
        self.note_label.setText(
            self.tr(
                "A database password remembered for the whole profile was removed from the "
                "keyring: passwords are now kept per account. Type it once more and tick the box."
            )
        )

    def _password_recalled(self, password: object) -> None:
        if isinstance(password, str) and password and not self.password_edit.text():
            self.password_edit.setText(password)
            self.note_label.setText(self.tr("Password filled in from the system keyring."))

    def _save_connection(self, dsn: str, password: str) -> None:
        profile, account = self.profile_key, self.account_key
        state = QSettings()
        state.setValue(_settings_key(profile, account, "dsn"), dsn)
        if account is None:  # nobody to keep a password for: memory only
            return
        remember = self.remember_box.isChecked() and self.keeper.persistent
        state.setValue(_settings_key(profile, account, "remember"), remember)
        if remember and password:
            run_task(
                self.keeper.remember,
                profile,
                account,
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
                account,
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

    def _scope_changed(self, *_args: object) -> None:
        """The previous account's connection, password and connection string never outlive
        its session; an administrator signing in gets their own remembered connection back."""
        self.disconnect_database()
        self.password_edit.clear()
        self.note_label.clear()
        self._load_saved_connection()  # the new account's (nobody's: no password at all)
        self.retranslate()  # the keyring box names (or waits for) the account

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

    def _render(self) -> None:
        reading = self.reading
        monitor = self.monitor
        self.overview.setEnabled(reading is not None)
        if reading is None or monitor is None:
            self.statistics.clear()
            if not self.connecting:
                self.status_label.setText(self.tr("Not connected."))
            return
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
        self.statistics.show_reading(reading)

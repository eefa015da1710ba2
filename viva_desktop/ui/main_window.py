"""The main window: sidebar of registered pages, the page area, menus, shortcuts, status bar
and tray icon.

Pages are built the first time they are shown, so start-up costs one page. The window also
owns the login dialog's re-opening: when the context reports an expired session (a 401 that
no refresh could cure) or a page asks for a login, the dialog opens over the window.
"""

from __future__ import annotations

import logging

import shiboken6
from PySide6.QtCore import QByteArray, QEvent, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from viva_desktop import __version__
from viva_desktop.ui.admin.health_watch import health_watch_of
from viva_desktop.ui.admin.log_links import ensure_log_links
from viva_desktop.ui.context import AppContext
from viva_desktop.ui.editors.queue import outbox_of
from viva_desktop.ui.icons import app_icon, icon
from viva_desktop.ui.login import LoginDialog, LoginOutcome
from viva_desktop.ui.pages import PageSpec, page_spec, pages
from viva_desktop.ui.pages.base import Page
from viva_desktop.ui.settings_dialog import SettingsDialog
from viva_desktop.ui.status_bar import AppStatusBar
from viva_desktop.ui.tray import TrayIcon
from viva_desktop.ui.worker import run_task

log = logging.getLogger("viva.ui.window")

KEY_ROLE = Qt.ItemDataRole.UserRole


def ui_state() -> QSettings:
    """Window geometry and similar per-user UI state (not configuration)."""
    return QSettings()


class MainWindow(QMainWindow):
    first_shown = Signal()
    closed = Signal()
    page_changed = Signal(str)
    login_finished = Signal(object)  # LoginOutcome

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.setWindowIcon(app_icon())
        self.context = context
        self.specs: list[PageSpec] = pages()
        self._pages: dict[str, Page] = {}
        self._current: str | None = None
        self._shown_once = False
        self.login_dialog: LoginDialog | None = None
        self._first_sync_checked: set[str] = set()
        self.settings_dialog: SettingsDialog | None = None

        self.sidebar = QListWidget()
        self.sidebar.setObjectName("Sidebar")
        self.sidebar.setIconSize(QSize(20, 20))
        self.sidebar.setUniformItemSizes(True)
        for spec in self.specs:
            item = QListWidgetItem(icon(spec.icon), spec.display_title())
            item.setData(KEY_ROLE, spec.key)
            self.sidebar.addItem(item)
        self.sidebar.currentRowChanged.connect(self._row_changed)
        self.stack = QStackedWidget()
        self.stack.setObjectName("PageStack")
        self.splitter = QSplitter()
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([200, 900])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

        # Background services of the window, whatever page is shown: health polling with the
        # user's thresholds and stored history, request-id links from error dialogs to the log
        # viewer, and the profile's outbox (status-bar count, replay on reconnect).
        self.health = health_watch_of(context).monitor
        ensure_log_links(context)
        outbox_of(context)
        self.status = AppStatusBar(context, self)
        self.setStatusBar(self.status)
        self.tray = TrayIcon(context, self)
        self.tray.quit_requested.connect(self.quit)

        self._build_actions()
        self._build_menus()
        context.session_changed.connect(self._session_changed)
        context.session_expired.connect(self.open_login)
        context.login_requested.connect(self.open_login)
        context.profile_changed.connect(lambda *_: self._update_title())
        context.profile_changed.connect(lambda *_: outbox_of(context))
        context.session_changed.connect(lambda *_: outbox_of(context))
        context.offline_mode_changed.connect(lambda *_: self._update_title())
        self.resize(1200, 780)
        self._restore_state()
        self.retranslate()
        self._update_access()

    # ------------------------------------------------------------------ actions and menus

    def _build_actions(self) -> None:
        self.connect_action = QAction(icon("login"), "", self)
        self.connect_action.triggered.connect(lambda: self.open_login(""))
        self.logout_action = QAction(icon("quit"), "", self)
        self.logout_action.triggered.connect(self.logout)
        self.settings_action = QAction(icon("settings"), "", self)
        self.settings_action.setShortcut(QKeySequence.StandardKey.Preferences)
        self.settings_action.triggered.connect(self.open_settings)
        self.quit_action = QAction(icon("quit"), "", self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.quit_action.triggered.connect(self.quit)
        self.refresh_action = QAction(icon("refresh"), "", self)
        self.refresh_action.setShortcut(QKeySequence("F5"))
        self.refresh_action.triggered.connect(self.refresh_page)
        self.find_action = QAction(icon("search"), "", self)
        self.find_action.setShortcut(QKeySequence("Ctrl+F"))
        self.find_action.triggered.connect(self.focus_search)
        self.about_action = QAction(icon("info"), "", self)
        self.about_action.triggered.connect(self.show_about)
        self.page_actions: list[QAction] = []
        for index, spec in enumerate(self.specs[:9]):
            action = QAction(icon(spec.icon), "", self)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _checked=False, key=spec.key: self.open_page(key))
            self.page_actions.append(action)
        for action in (
            self.quit_action,
            self.refresh_action,
            self.find_action,
            self.settings_action,
            *self.page_actions,
        ):
            self.addAction(action)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.file_menu.addAction(self.connect_action)
        self.file_menu.addAction(self.logout_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.settings_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.view_menu = bar.addMenu("")
        for action in self.page_actions:
            self.view_menu.addAction(action)
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.refresh_action)
        self.view_menu.addAction(self.find_action)
        self.help_menu = bar.addMenu("")
        self.help_menu.addAction(self.about_action)

    # ------------------------------------------------------------------ texts

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        for row, spec in enumerate(self.specs):
            item = self.sidebar.item(row)
            item.setText(spec.display_title())
        self._fit_sidebar()
        for action, spec in zip(self.page_actions, self.specs, strict=False):
            action.setText(spec.display_title())
        self.file_menu.setTitle(self.tr("&File"))
        self.view_menu.setTitle(self.tr("&View"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.connect_action.setText(self.tr("&Connect to a server…"))
        self.logout_action.setText(self.tr("Sign &out"))
        self.settings_action.setText(self.tr("&Settings…"))
        self.quit_action.setText(self.tr("&Quit"))
        self.refresh_action.setText(self.tr("&Refresh"))
        self.find_action.setText(self.tr("&Find"))
        self.about_action.setText(self.tr("&About Viva Desktop"))
        self.tray.retranslate()
        self._update_title()
        self._update_access()

    def _update_title(self) -> None:
        profile = self.context.profile
        title = self.tr("Viva Desktop")
        if profile is not None:
            title += " — " + profile.name
        if self.context.offline_mode:
            title += " " + self.tr("(offline)")
        self.setWindowTitle(title)

    def _fit_sidebar(self) -> None:
        """Never narrower than its longest title: a wide page must not squeeze the sidebar."""
        width = self.sidebar.sizeHintForColumn(0) + 2 * self.sidebar.frameWidth() + 24
        self.sidebar.setMinimumWidth(max(160, width))

    def _session_changed(self, *_args: object) -> None:
        self._update_access()
        self.logout_action.setEnabled(self.context.session_info is not None)
        self._first_sync_if_needed()

    def _first_sync_if_needed(self) -> None:
        """The browsers read the local copy: on the first sign-in to a profile whose data was
        never synced, start the first sync at once (on the Sync page, so it shows progress and
        can be cancelled) instead of showing empty tables."""
        context = self.context
        store, profile = context.store, context.profile_name
        if context.session_info is None or context.offline_mode or store is None or not profile:
            return
        if page_spec("sync") is None or profile in self._first_sync_checked:
            return
        self._first_sync_checked.add(profile)
        run_task(
            lambda: not store.sync_states(profile),
            on_done=lambda never: self._start_first_sync(profile) if never else None,
            on_error=lambda exc: log.info("cannot read the sync state: %s", exc),
            parent=self,
            name="first sync check",
        )

    def _start_first_sync(self, profile: str) -> None:
        if self.context.profile_name != profile or self.context.session_info is None:
            return
        log.info("no local copy of %s yet: starting the first sync", profile)
        sync_page = self.page("sync")
        start = getattr(sync_page, "start_sync", None)
        if start is not None:
            start()

    def _update_access(self) -> None:
        """Admin pages stay listed but disabled, with the reason, for other roles."""
        admin = self.context.is_admin
        for row, spec in enumerate(self.specs):
            item = self.sidebar.item(row)
            allowed = admin or not spec.admin_only
            flags = item.flags()
            if allowed:
                item.setFlags(flags | Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip("")
            else:
                item.setFlags(flags & ~Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip(self.tr("Needs an administrator account"))
        self.logout_action.setEnabled(self.context.session_info is not None)

    # ------------------------------------------------------------------ pages

    def page(self, key: str) -> Page:
        """The page registered under `key`, built on first use."""
        page = self._pages.get(key)
        if page is None:
            spec = next(s for s in self.specs if s.key == key)
            page = spec.factory(self.context)
            page.setObjectName(page.objectName() or f"page-{key}")
            self._pages[key] = page
            self.stack.addWidget(page)
        return page

    def current_page(self) -> Page | None:
        return self._pages.get(self._current) if self._current else None

    @property
    def current_key(self) -> str | None:
        return self._current

    def open_page(self, key: str) -> Page:
        row = next(i for i, s in enumerate(self.specs) if s.key == key)
        if self.sidebar.currentRow() != row:
            self.sidebar.setCurrentRow(row)
        return self.page(key)

    def _row_changed(self, row: int) -> None:
        if row < 0:
            return
        spec = self.specs[row]
        if spec.admin_only and not self.context.is_admin:
            return
        previous = self.current_page()
        if previous is not None and self._current != spec.key:
            previous.deactivate()
        page = self.page(spec.key)
        self.stack.setCurrentWidget(page)
        if self._current != spec.key or not page.active:
            self._current = spec.key
            page.activate()
            self.page_changed.emit(spec.key)

    def refresh_page(self) -> None:
        page = self.current_page()
        if page is not None:
            page.refresh()

    def focus_search(self) -> None:
        page = self.current_page()
        box = page.search_box() if page is not None else None
        if box is not None:
            box.setFocus(Qt.FocusReason.ShortcutFocusReason)
            box.selectAll()

    # ------------------------------------------------------------------ dialogs

    def open_login(self, message: str = "") -> LoginDialog:
        """Open the login over the window (one at a time)."""
        dialog = self.login_dialog
        if dialog is not None and shiboken6.isValid(dialog) and dialog.isVisible():
            if message:
                dialog.message_banner.setText(message)
                dialog.message_banner.show()
            dialog.raise_()
            return dialog
        dialog = LoginDialog(self.context, self, message=message)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: self._login_closed(dialog))
        self.login_dialog = dialog
        dialog.open()
        return dialog

    def _login_closed(self, dialog: LoginDialog) -> None:
        outcome = dialog.outcome
        if outcome is LoginOutcome.NONE and self.context.session_info is None:
            # Closing the login without signing in: keep working on the local data.
            self.context.enter_offline_mode(self.context.profile)
        self.login_finished.emit(outcome)
        page = self.current_page()
        if page is not None and outcome is not LoginOutcome.NONE:
            page.refresh()

    def open_settings(self) -> SettingsDialog:
        dialog = self.settings_dialog
        if dialog is not None and shiboken6.isValid(dialog) and dialog.isVisible():
            dialog.raise_()
            return dialog
        dialog = SettingsDialog(self.context, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.settings_dialog = dialog
        dialog.open()
        return dialog

    def show_about(self) -> None:
        box = QMessageBox(self)
        box.setIconPixmap(app_icon().pixmap(64, 64))
        box.setWindowTitle(self.tr("About Viva Desktop"))
        box.setText(
            self.tr(
                "<b>Viva Desktop {version}</b><br>A desktop companion for coordinators and "
                "administrators of Comunidad Viva deployments: review and edit community data, "
                "work offline, watch the server's health and audit its configuration."
            ).format(version=__version__)
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def logout(self) -> None:
        self.context.logout()
        self.open_login(self.tr("You signed out."))

    # ------------------------------------------------------------------ window state

    def _restore_state(self) -> None:
        state = ui_state()
        geometry = state.value("window/geometry")
        if isinstance(geometry, QByteArray | bytes) and geometry:
            self.restoreGeometry(QByteArray(geometry))
        window_state = state.value("window/state")
        if isinstance(window_state, QByteArray | bytes) and window_state:
            self.restoreState(QByteArray(window_state))
        splitter = state.value("window/splitter")
        if isinstance(splitter, QByteArray | bytes) and splitter:
            self.splitter.restoreState(QByteArray(splitter))
        key = state.value("window/page")
        keys = [s.key for s in self.specs]
        self._initial_key = key if isinstance(key, str) and key in keys else keys[0]

    def save_state(self) -> None:
        state = ui_state()
        state.setValue("window/geometry", self.saveGeometry())
        state.setValue("window/state", self.saveState())
        state.setValue("window/splitter", self.splitter.saveState())
        if self._current:
            state.setValue("window/page", self._current)
        state.sync()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            if self._current is None:
                self.open_page(self._initial_key)
            if self.health.latest is None:
                self.health.start()
            self.first_shown.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        page = self.current_page()
        if page is not None:
            page.deactivate()
        self.tray.hide()
        super().closeEvent(event)
        self.closed.emit()

    def quit(self) -> None:
        self.close()
        QApplication.quit()

"""The main window: sidebar of registered pages, the page area, menus, shortcuts, status bar
and tray icon.

It is built in two steps, so that it is on screen a few tens of milliseconds after the process
starts: the shell (sidebar, menus, the first page's frame with a "Starting…" note and a status
bar) needs nothing but Qt, and `attach(context)` adds everything that needs the settings, the
store and the services once the start-up has them. Built with a context, the window does both
at once. `ready` tells when the start-up is over and the window is ready for work.

Pages are built the first time they are shown, so start-up costs one page. The window also
owns the login dialog's re-opening: when the context reports an expired session (a 401 that
no refresh could cure) or a page asks for a login, the dialog opens over the window.

Beside it in `ui.shell`: the starting frame (`starting_page`), the window state kept between
runs (`window_state`), the first sync of a never-synced profile (`first_sync`) and the about
box (`about`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QSize, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QStatusBar,
    QWidget,
)

from viva_desktop.ui.common.icons import icon
from viva_desktop.ui.common.retranslate import Retranslating
from viva_desktop.ui.common.shortcuts import COMMANDS, ShortcutAction, effective, page_actions
from viva_desktop.ui.pages import PageSpec, pages
from viva_desktop.ui.shell.first_sync import FirstSync
from viva_desktop.ui.shell.starting_page import StartingPage
from viva_desktop.ui.shell.window_state import restore_window_state, save_window_state, ui_state

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QPaintEvent, QShowEvent

    from viva_desktop.ui.admin.health_monitor import HealthMonitor
    from viva_desktop.ui.common.context import AppContext
    from viva_desktop.ui.dialogs.login import LoginDialog
    from viva_desktop.ui.dialogs.settings import SettingsDialog
    from viva_desktop.ui.dialogs.shortcuts import ShortcutsDialog
    from viva_desktop.ui.pages.base import Page
    from viva_desktop.ui.shell.tray import TrayIcon

log = logging.getLogger("viva.ui.window")

# `Qt.ItemDataRole.UserRole` by value. The shell is built before the first paint, which does
# not wait for PySide to create the `Qt` namespace's Python enums (15–20 ms, see `ui.theme`):
# the methods that run later import `Qt` where they use it.
KEY_ROLE = 0x0100


__all__ = ["KEY_ROLE", "MainWindow", "StartingPage", "ui_state"]


class MainWindow(Retranslating, QMainWindow):
    first_shown = Signal()
    first_painted = Signal()  # on screen: start-up work may begin without delaying it
    attached = Signal()  # the window has its context
    ready = Signal()  # the start-up is over: the window is ready for work
    closed = Signal()
    page_changed = Signal(str)
    login_finished = Signal(object)  # LoginOutcome

    specs: list[PageSpec]
    """The pages of the sidebar; set once the window is ready (scripts wait for it)."""

    def __init__(self, context: AppContext | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MainWindow")  # its icon is the application's
        self.context: AppContext | None = None
        self.health: HealthMonitor | None = None
        self.tray: TrayIcon | None = None
        self._registry: list[PageSpec] = pages()
        self._pages: dict[str, Page] = {}
        self._current: str | None = None
        self._shown_once = False
        self._painted = False
        self._ready = False
        self._starting_text = ""
        self.login_dialog: LoginDialog | None = None
        self._first_sync = FirstSync()
        self.settings_dialog: SettingsDialog | None = None

        self.sidebar = QListWidget()
        self.sidebar.setObjectName("Sidebar")
        self.sidebar.setIconSize(QSize(20, 20))
        self.sidebar.setUniformItemSizes(True)
        for spec in self._registry:
            item = QListWidgetItem(icon(spec.icon), "")  # titles: `retranslate`
            item.setData(KEY_ROLE, spec.key)
            self.sidebar.addItem(item)
        self.sidebar.currentRowChanged.connect(self._row_changed)
        self.stack = QStackedWidget()
        self.stack.setObjectName("PageStack")
        self.starting_page: StartingPage | None = StartingPage()
        self.stack.addWidget(self.starting_page)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([200, 900])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        # Replaced by the real status bar (`AppStatusBar`) when the context is attached.
        self.status: QStatusBar = QStatusBar()
        self.status.setObjectName("StartingStatusBar")
        self.setStatusBar(self.status)

        self._build_actions()
        self._build_menus()
        self.resize(1200, 780)
        self._restore_state()
        self.retranslate()
        if context is not None:
            self.attach(context)
            self.mark_ready()

    # ------------------------------------------------------------------ start-up

    def attach(self, context: AppContext) -> None:
        """Give the window its context: status bar, tray, background services, pages."""
        if self.context is not None:
            raise RuntimeError("the main window already has a context")
        from viva_desktop.ui.admin.fleet_watch import fleet_watch_of
        from viva_desktop.ui.admin.health_watch import health_watch_of
        from viva_desktop.ui.admin.log_links import ensure_log_links
        from viva_desktop.ui.common.timefmt import set_time_zone
        from viva_desktop.ui.editors.queue import outbox_of
        from viva_desktop.ui.shell.config_banner import install_config_banner
        from viva_desktop.ui.shell.offline_account import install_offline_account_chooser
        from viva_desktop.ui.shell.sign_out import install_sign_out_clearing
        from viva_desktop.ui.shell.status_bar import AppStatusBar
        from viva_desktop.ui.shell.tray import TrayIcon
        from viva_desktop.ui.shell.views_panel import install_views_panel

        self.context = context
        # Background services of the window, whatever page is shown: health polling with the
        # user's thresholds and stored history, request-id links from error dialogs to the log
        # viewer, and the profile's outbox (status-bar count, replay on reconnect).
        self.health = health_watch_of(context).monitor
        ensure_log_links(context)
        outbox_of(context)
        status = AppStatusBar(context, self)
        self.setStatusBar(status)  # deletes the start-up one
        self.status = status
        self.tray = TrayIcon(context, self)
        self.tray.quit_requested.connect(self.quit)
        # Every configured deployment is watched, window shown or hidden in the tray.
        self.tray.watch_fleet(fleet_watch_of(context))

        install_views_panel(self, context)  # the saved views, under the sidebar's pages
        context.session_changed.connect(self._session_changed)
        context.session_expired.connect(self.open_login)
        context.login_requested.connect(self.open_login)
        context.profile_changed.connect(lambda *_: self._update_title())
        context.profile_changed.connect(lambda *_: outbox_of(context))
        context.session_changed.connect(lambda *_: outbox_of(context))
        context.offline_mode_changed.connect(lambda *_: self._update_title())
        for action in (self.connect_action, self.settings_action):
            action.setEnabled(True)
        self.apply_shortcuts(context.settings.ui.shortcuts)
        set_time_zone(context.settings.ui.time_zone)
        install_config_banner(self, context)
        install_offline_account_chooser(self, context)
        install_sign_out_clearing(self, context)
        self._make_quit_global()
        self.retranslate()
        if self._shown_once and self.health.latest is None:
            self.health.start()
        self.attached.emit()

    def mark_ready(self) -> None:
        """The start-up is over (signed in, or working offline): the selected page replaces
        the starting frame."""
        if self._ready:
            return
        if self.context is None:
            raise RuntimeError("the main window is ready once it has its context")
        self._ready = True
        self.specs = self._registry
        self.show_progress("")
        self._show_selected()
        self.ready.emit()

    @property
    def is_ready(self) -> bool:
        return self._ready

    @property
    def is_admin(self) -> bool:
        return self.context is not None and self.context.is_admin

    def show_progress(self, text: str) -> None:
        """What the start-up is doing (the starting page and the status bar say it); "" when
        it is done."""
        self._starting_text = text
        if text:
            self.status.showMessage(text)
        else:
            self.status.clearMessage()
        self._render_starting_page()

    def _render_starting_page(self) -> None:
        page = self.starting_page
        if page is None:
            return
        row = self.sidebar.currentRow()
        spec = self._registry[row] if row >= 0 else None
        title = spec.display_title() if spec is not None else self.tr("Viva Desktop")
        if not self._ready:
            text = self._starting_text or self.tr("Starting Viva Desktop…")
            page.show_state(title, text, busy=True)
        elif spec is not None and spec.admin_only and not self.is_admin:
            page.show_state(title, self.tr("Needs an administrator account"), busy=False)
        else:
            page.show_state(title, "", busy=False)

    # ------------------------------------------------------------------ actions and menus

    def _build_actions(self) -> None:
        # `setShortcuts(list)`, not `setShortcut(sequence)`: choosing among the latter's
        # overloads creates the `Qt` namespace, which the first paint does not wait for.
        self.connect_action = QAction(icon("login"), "", self)
        self.connect_action.triggered.connect(lambda: self.open_login(""))
        self.logout_action = QAction(icon("quit"), "", self)
        self.logout_action.triggered.connect(self.logout)
        self.settings_action = QAction(icon("settings"), "", self)
        self.settings_action.triggered.connect(self.open_settings)
        for action in (self.connect_action, self.settings_action, self.logout_action):
            action.setEnabled(False)  # until the window has its context
        self.quit_action = QAction(icon("quit"), "", self)
        self.quit_action.triggered.connect(self.quit)
        self.refresh_action = QAction(icon("refresh"), "", self)
        self.refresh_action.triggered.connect(self.refresh_page)
        self.find_action = QAction(icon("search"), "", self)
        self.find_action.triggered.connect(self.focus_search)
        self.about_action = QAction(icon("info"), "", self)
        self.about_action.triggered.connect(self.show_about)
        self.shortcuts_action = QAction(icon("key"), "", self)
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        self.page_actions: list[QAction] = []
        for spec in self._registry:  # every page has a shortcut (`ui.common.shortcuts`)
            action = QAction(icon(spec.icon), "", self)
            action.triggered.connect(lambda _checked=False, key=spec.key: self._select(key))
            self.page_actions.append(action)
        for action in (
            self.quit_action,
            self.refresh_action,
            self.find_action,
            self.settings_action,
            self.connect_action,
            self.shortcuts_action,
            *self.page_actions,
        ):
            self.addAction(action)
        self.apply_shortcuts({})

    def shortcut_actions(self) -> list[ShortcutAction]:
        """Every action with a shortcut, in the order *Help → Keyboard shortcuts* lists them."""
        pages = page_actions([(spec.key, spec.title) for spec in self._registry])
        return [*pages, *COMMANDS]

    def bound_actions(self) -> dict[str, QAction]:
        """Shortcut action id -> the window's action."""
        bound = {f"page.{s.key}": a for s, a in zip(self._registry, self.page_actions, strict=True)}
        bound.update(
            refresh=self.refresh_action,
            find=self.find_action,
            settings=self.settings_action,
            connect=self.connect_action,
            shortcuts=self.shortcuts_action,
            quit=self.quit_action,
        )
        return bound

    def apply_shortcuts(self, overrides: Mapping[str, str]) -> None:
        """Bind the defaults with the user's changes (`ui.shortcuts`) on top."""
        chosen = effective(self.shortcut_actions(), overrides)
        for action_id, action in self.bound_actions().items():
            sequence = chosen.get(action_id, "")
            action.setShortcuts([QKeySequence(sequence)] if sequence else [])

    def show_shortcuts(self) -> ShortcutsDialog:
        """*Help → Keyboard shortcuts*: the list, and where to change them."""
        from viva_desktop.ui.dialogs.shortcuts import ShortcutsDialog

        context = self.context
        if context is None:
            raise RuntimeError("the shortcuts need the main window's context")
        dialog = ShortcutsDialog(context, self.shortcut_actions(), self)
        dialog.saved.connect(lambda _chosen: self.apply_shortcuts(context.settings.ui.shortcuts))
        dialog.setModal(True)
        dialog.show()
        self.shortcuts_dialog = dialog
        return dialog

    def _make_quit_global(self) -> None:
        """Ctrl+Q from any window of the application, dialogs included (bound with the
        context, after the first paint)."""
        from PySide6.QtCore import Qt

        self.quit_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)

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
        self.help_menu.addAction(self.shortcuts_action)
        self.help_menu.addAction(self.about_action)

    # ------------------------------------------------------------------ texts

    def retranslate(self) -> None:
        for row, spec in enumerate(self._registry):
            item = self.sidebar.item(row)
            item.setText(spec.display_title())
        self._fit_sidebar()
        for action, spec in zip(self.page_actions, self._registry, strict=False):
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
        self.shortcuts_action.setText(self.tr("&Keyboard shortcuts"))
        if self.tray is not None:
            self.tray.retranslate()
        self._update_title()
        self._update_access()
        self._render_starting_page()

    def _update_title(self) -> None:
        context = self.context
        profile = context.profile if context is not None else None
        title = self.tr("Viva Desktop")
        if profile is not None:
            title += " — " + profile.display_name
        if context is not None and context.offline_mode:
            title += " " + self.tr("(offline)")
        self.setWindowTitle(title)

    def _fit_sidebar(self) -> None:
        """Never narrower than its longest title: a wide page must not squeeze the sidebar."""
        width = self.sidebar.sizeHintForColumn(0) + 2 * self.sidebar.frameWidth() + 24
        self.sidebar.setMinimumWidth(max(160, width))

    def _session_changed(self, *_args: object) -> None:
        self._update_access()
        self._show_selected()  # an administrator's page chosen before the sign-in
        self._first_sync.start_if_needed(self)

    def _update_access(self) -> None:
        """Admin pages stay listed but disabled, with the reason, for other roles. Until the
        window has its context nobody is signed in yet, and no page is marked."""
        context = self.context
        if context is None:
            return
        from PySide6.QtCore import Qt

        admin = self.is_admin
        for row, spec in enumerate(self._registry):
            item = self.sidebar.item(row)
            allowed = admin or not spec.admin_only
            flags = item.flags()
            if allowed:
                item.setFlags(flags | Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip("")
            else:
                item.setFlags(flags & ~Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip(self.tr("Needs an administrator account"))
        self.logout_action.setEnabled(context.session_info is not None)

    # ------------------------------------------------------------------ pages

    def page(self, key: str) -> Page:
        """The page registered under `key`, built on first use (the window needs its
        context)."""
        page = self._pages.get(key)
        if page is None:
            context = self.context
            if context is None:
                raise RuntimeError("pages are built once the main window has its context")
            spec = next(s for s in self._registry if s.key == key)
            page = spec.factory(context)
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
        self._select(key)
        return self.page(key)

    def _select(self, key: str) -> None:
        row = next(i for i, s in enumerate(self._registry) if s.key == key)
        if self.sidebar.currentRow() != row:
            self.sidebar.setCurrentRow(row)

    def _row_changed(self, row: int) -> None:
        if row < 0:
            return
        spec = self._registry[row]
        if not self._ready or (spec.admin_only and not self.is_admin):
            if self._current is None:  # nothing to show yet: the page's frame
                self._render_starting_page()
                if self.starting_page is not None:
                    self.stack.setCurrentWidget(self.starting_page)
            return
        previous = self.current_page()
        if previous is not None and self._current != spec.key:
            previous.deactivate()
        page = self.page(spec.key)
        self.stack.setCurrentWidget(page)
        self._drop_starting_page()
        if self._current != spec.key or not page.active:
            self._current = spec.key
            page.activate()
            self.page_changed.emit(spec.key)

    def _show_selected(self) -> None:
        """Show the page selected in the sidebar if it is not shown yet (at the end of the
        start-up, or after a sign-in that opened an administrator's page)."""
        row = self.sidebar.currentRow()
        if row >= 0 and self._ready and self._registry[row].key != self._current:
            self._row_changed(row)

    def _drop_starting_page(self) -> None:
        page, self.starting_page = self.starting_page, None
        if page is not None:
            self.stack.removeWidget(page)
            page.deleteLater()

    def refresh_page(self) -> None:
        page = self.current_page()
        if page is not None:
            page.refresh()

    def focus_search(self) -> None:
        page = self.current_page()
        box = page.search_box() if page is not None else None
        if box is not None:
            from PySide6.QtCore import Qt

            box.setFocus(Qt.FocusReason.ShortcutFocusReason)
            box.selectAll()

    # ------------------------------------------------------------------ dialogs

    def open_login(self, message: str = "") -> LoginDialog:
        """Open the login over the window (one at a time)."""
        from PySide6.QtCore import Qt

        from viva_desktop.ui.dialogs.login import LoginDialog

        context = self.context
        if context is None:
            raise RuntimeError("the login needs the main window's context")
        dialog = self.login_dialog
        if dialog is not None and shiboken6.isValid(dialog) and dialog.isVisible():
            if message:
                dialog.message_banner.setText(message)
                dialog.message_banner.show()
            dialog.raise_()
            return dialog
        dialog = LoginDialog(context, self, message=message)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: self._login_closed(dialog))
        self.login_dialog = dialog
        dialog.open()
        return dialog

    def _login_closed(self, dialog: LoginDialog) -> None:
        from viva_desktop.ui.dialogs.login import LoginOutcome

        context = self.context
        assert context is not None
        outcome = dialog.outcome
        if outcome is LoginOutcome.NONE and context.session_info is None:
            # Closing the login without signing in: keep working on the local data.
            context.enter_offline_mode(context.profile)
        self.login_finished.emit(outcome)
        page = self.current_page()
        if page is not None and outcome is not LoginOutcome.NONE:
            page.refresh()

    def open_settings(self) -> SettingsDialog:
        from PySide6.QtCore import Qt

        from viva_desktop.ui.dialogs.settings import SettingsDialog

        context = self.context
        if context is None:
            raise RuntimeError("the settings need the main window's context")
        dialog = self.settings_dialog
        if dialog is not None and shiboken6.isValid(dialog) and dialog.isVisible():
            dialog.raise_()
            return dialog
        dialog = SettingsDialog(context, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.settings_dialog = dialog
        dialog.open()
        return dialog

    def show_about(self) -> None:
        from viva_desktop.ui.shell.about import show_about

        show_about(self)

    def logout(self) -> None:
        if self.context is None:
            return
        self.context.logout()
        self.open_login(self.tr("You signed out."))

    # ------------------------------------------------------------------ window state

    def _restore_state(self) -> None:
        keys = [s.key for s in self._registry]
        self._initial_key = restore_window_state(self, self.splitter, keys)

    def save_state(self) -> None:
        save_window_state(self, self.splitter, self._current)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            if self._current is None:
                self._select(self._initial_key)
            if self.health is not None and self.health.latest is None:
                self.health.start()
            self.first_shown.emit()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            # Queued: the frame reaches the screen before whoever waits for it starts work.
            QTimer.singleShot(0, self, self.first_painted.emit)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        page = self.current_page()
        if page is not None:
            page.deactivate()
        if self.tray is not None:
            self.tray.hide()
        super().closeEvent(event)
        self.closed.emit()

    def quit(self) -> None:
        self.close()
        QApplication.quit()

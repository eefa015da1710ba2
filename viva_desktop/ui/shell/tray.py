"""The system tray icon: show or hide the window, mute notifications, quit; and the balloon
messages behind `AppContext.notify`.

Many sessions have no tray (offscreen, some Wayland desktops): then `available` is False, no
icon is created, and the status bar shows notifications instead.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QSystemTrayIcon

from viva_desktop.ui.common.context import AppContext
from viva_desktop.ui.common.icons import app_icon, icon


class TrayIcon(QObject):
    quit_requested = Signal()

    def __init__(self, context: AppContext, window: QMainWindow) -> None:
        super().__init__(window)
        self._context = context
        self._window = window
        self._tray: QSystemTrayIcon | None = None
        self.available = QSystemTrayIcon.isSystemTrayAvailable()
        self.toggle_action = QAction(icon("window"), "", self)
        self.toggle_action.triggered.connect(self.toggle_window)
        self.mute_action = QAction(icon("notifications"), "", self)
        self.mute_action.setCheckable(True)
        self.mute_action.setChecked(context.notifications_muted)
        self.mute_action.toggled.connect(context.set_notifications_muted)
        self.quit_action = QAction(icon("quit"), "", self)
        self.quit_action.triggered.connect(self.quit_requested)
        self.menu = QMenu(window)
        self.menu.addAction(self.toggle_action)
        self.menu.addAction(self.mute_action)
        self.menu.addSeparator()
        self.menu.addAction(self.quit_action)
        if self.available:
            self._tray = QSystemTrayIcon(app_icon(), self)
            self._tray.setContextMenu(self.menu)
            self._tray.activated.connect(self._activated)
            self._tray.show()
        context.notification.connect(self.show_message)
        context.settings_changed.connect(
            lambda: self.mute_action.setChecked(context.notifications_muted)
        )
        self.retranslate()

    def retranslate(self) -> None:
        self.toggle_action.setText(
            QCoreApplication.translate("Tray", "Hide window")
            if self._window.isVisible()
            else QCoreApplication.translate("Tray", "Show window")
        )
        self.mute_action.setText(QCoreApplication.translate("Tray", "Mute notifications"))
        self.quit_action.setText(QCoreApplication.translate("Tray", "Quit"))
        if self._tray is not None:
            self._tray.setToolTip(QCoreApplication.translate("Tray", "Viva Desktop"))

    def toggle_window(self) -> None:
        if self._window.isVisible() and not self._window.isMinimized():
            self._window.hide()
        else:
            self._window.showNormal()
            self._window.raise_()
            self._window.activateWindow()
        self.retranslate()

    def show_message(self, title: str, text: str) -> None:
        if self._tray is not None and self._tray.supportsMessages():
            self._tray.showMessage(title, text, app_icon(), 10_000)

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.toggle_window()

    def hide(self) -> None:
        if self._tray is not None:
            self._tray.hide()

"""The system tray icon: show or hide the window, mute notifications, quit; and the balloon
messages behind `AppContext.notify`.

Many sessions have no tray (offscreen, some Wayland desktops): then `available` is False, no
icon is created, and the status bar shows notifications instead.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPen
from PySide6.QtWidgets import QMainWindow, QMenu, QSystemTrayIcon

from viva_desktop.services.monitoring.health import HealthState
from viva_desktop.services.monitoring.health import state_label as health_state_label
from viva_desktop.ui.admin.fleet_watch import FleetWatch
from viva_desktop.ui.common.context import AppContext
from viva_desktop.ui.common.icons import app_icon, icon

_TRAY_COLOURS = {
    HealthState.HEALTHY: "green",
    HealthState.DEGRADED: "amber",
    HealthState.UNKNOWN: "amber",
    HealthState.UNHEALTHY: "red",
    HealthState.DOWN: "red",
}
_HEX = {"green": "#2e7d32", "amber": "#f9a825", "red": "#c62828"}


def _state_icon(colour: str | None) -> QIcon:
    """The app icon with a dot of the fleet's colour in its lower right corner."""
    base = app_icon()
    if colour is None:
        return base
    pixmap = base.pixmap(64, 64)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(QPen(QColor("white"), 3))
    painter.setBrush(QColor(_HEX[colour]))
    painter.drawEllipse(34, 34, 28, 28)
    painter.end()
    return QIcon(pixmap)


class TrayIcon(QObject):
    quit_requested = Signal()

    def __init__(self, context: AppContext, window: QMainWindow) -> None:
        super().__init__(window)
        self._context = context
        self._window = window
        self._tray: QSystemTrayIcon | None = None
        self._fleet: FleetWatch | None = None
        self.fleet_colour: str | None = None  # "green", "amber" or "red" once checked
        self.tooltip_text = ""
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
        if self._fleet is not None:
            self._fleet_changed()
        elif self._tray is not None:
            self._tray.setToolTip(QCoreApplication.translate("Tray", "Viva Desktop"))

    # ------------------------------------------------------------------ fleet state

    def watch_fleet(self, watch: FleetWatch) -> None:
        """Show the fleet's worst state in the icon and name the deployments in trouble in
        the tooltip, from now on."""
        self._fleet = watch
        watch.changed.connect(self._fleet_changed)
        self._fleet_changed()

    def _fleet_changed(self) -> None:
        watch = self._fleet
        if watch is None:
            return
        worst = watch.worst_state()
        self.fleet_colour = None if worst is None else _TRAY_COLOURS[worst]
        trouble = watch.in_trouble()
        if trouble:
            names = ", ".join(
                f"{s.deployment.display_name} ({health_state_label(s.state)})" for s in trouble[:8]
            )
            text = QCoreApplication.translate("Tray", "In trouble: {names}").format(names=names)
        elif worst is None:
            text = QCoreApplication.translate("Tray", "Viva Desktop")
        elif worst is not HealthState.HEALTHY:
            names = ", ".join(
                s.deployment.display_name
                for s in watch.statuses
                if s.state is not HealthState.HEALTHY
            )
            text = QCoreApplication.translate("Tray", "Up, but degraded: {names}").format(
                names=names
            )
        else:
            text = QCoreApplication.translate("Tray", "Viva Desktop: every deployment is up")
        self.tooltip_text = text
        if self._tray is not None:
            self._tray.setToolTip(text)
            self._tray.setIcon(_state_icon(self.fleet_colour))

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

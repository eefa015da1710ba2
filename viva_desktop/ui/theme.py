"""Light and dark themes that follow the system unless the user picks one.

The palette is set explicitly (on the Fusion style) rather than left to the platform theme, so
both themes look the same everywhere, offscreen included; a small style sheet from
`resources/styles/` adds the accents the palette cannot express.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from functools import cache

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from viva_desktop.ui.resources import style_path

log = logging.getLogger(__name__)


class Theme(StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


@cache
def style_sheet(name: str) -> str:
    try:
        return style_path(name).read_text(encoding="utf-8")
    except OSError:
        log.warning("style sheet %s is missing", name)
        return ""


def _palette(dark: bool) -> QPalette:
    p = QPalette()
    role = QPalette.ColorRole
    group = QPalette.ColorGroup
    if dark:
        colours = {
            role.Window: "#262a28",
            role.WindowText: "#e6e8e6",
            role.Base: "#1c1f1d",
            role.AlternateBase: "#232725",
            role.ToolTipBase: "#323734",
            role.ToolTipText: "#e6e8e6",
            role.PlaceholderText: "#8d948f",
            role.Text: "#e6e8e6",
            role.Button: "#303532",
            role.ButtonText: "#e6e8e6",
            role.BrightText: "#ffffff",
            role.Light: "#3c423e",
            role.Midlight: "#343a36",
            role.Mid: "#4a514c",
            role.Dark: "#151816",
            role.Shadow: "#000000",
            role.Highlight: "#3f9a66",
            role.HighlightedText: "#ffffff",
            role.Link: "#7cc8a0",
            role.LinkVisited: "#a7b9e8",
        }
        disabled = "#6b716d"
    else:
        colours = {
            role.Window: "#f6f7f6",
            role.WindowText: "#1d211f",
            role.Base: "#ffffff",
            role.AlternateBase: "#f1f4f2",
            role.ToolTipBase: "#ffffff",
            role.ToolTipText: "#1d211f",
            role.PlaceholderText: "#6d746f",
            role.Text: "#1d211f",
            role.Button: "#eceeed",
            role.ButtonText: "#1d211f",
            role.BrightText: "#ffffff",
            role.Light: "#ffffff",
            role.Midlight: "#f2f3f2",
            role.Mid: "#c9cecb",
            role.Dark: "#9aa19c",
            role.Shadow: "#4b504d",
            role.Highlight: "#2e7d52",
            role.HighlightedText: "#ffffff",
            role.Link: "#1f6b45",
            role.LinkVisited: "#4b3d8f",
        }
        disabled = "#a3a9a5"
    for colour_role, value in colours.items():
        p.setColor(colour_role, QColor(value))
    for colour_role in (role.WindowText, role.Text, role.ButtonText, role.PlaceholderText):
        p.setColor(group.Disabled, colour_role, QColor(disabled))
    return p


def system_prefers_dark() -> bool:
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


class ThemeManager(QObject):
    """Applies the chosen theme and re-applies it when the system scheme changes."""

    changed = Signal(str)  # the effective theme: "light" or "dark"

    def __init__(self, app: QApplication, theme: Theme | str = Theme.SYSTEM) -> None:
        super().__init__(app)
        self._app = app
        self._theme = Theme(theme)
        self._effective: str | None = None
        fusion = QStyleFactory.create("Fusion")
        if fusion is not None:
            app.setStyle(fusion)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_system_change)

    @property
    def theme(self) -> Theme:
        return self._theme

    @property
    def effective(self) -> str:
        """ "dark" or "light": what is on screen now."""
        if self._theme is Theme.SYSTEM:
            return "dark" if system_prefers_dark() else "light"
        return self._theme.value

    def set_theme(self, theme: Theme | str) -> None:
        self._theme = Theme(theme)
        self.apply()

    def apply(self) -> None:
        effective = self.effective
        self._app.setPalette(_palette(effective == "dark"))
        self._app.setStyleSheet(style_sheet("base") + "\n" + style_sheet(effective))
        if effective != self._effective:
            self._effective = effective
            self.changed.emit(effective)

    def _on_system_change(self, _scheme: Qt.ColorScheme) -> None:
        if self._theme is Theme.SYSTEM:
            self.apply()

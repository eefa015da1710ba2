"""Light and dark themes that follow the system unless the user picks one.

The palette is set explicitly (on the Fusion style) rather than left to the platform theme, so
both themes look the same everywhere, offscreen included; a small style sheet from
`resources/styles/` adds the accents the palette cannot express. `ui.style.VivaStyle` makes
the icons Qt draws itself (message boxes, dialog buttons) match the application's own line
icons.

The first frame gets the palette and the style sheet only (`apply_first_frame`); `apply` then
installs the proxy style and follows the system's colour scheme. That split keeps two costly
imports away from the first paint: the `Qt` namespace (PySide creates all its ~90 Python
enums on first touch, 15–20 ms) and `QStyle` (about 9 ms).
"""

from __future__ import annotations

import logging
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from viva_desktop.services.common.resources import style_path

if TYPE_CHECKING:
    from PySide6.QtCore import Qt

    from viva_desktop.ui.common.style import VivaStyle

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
    """The system's colour scheme, as Qt's platform integration reports it."""
    from PySide6.QtCore import Qt

    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def palette_suggests_dark(palette: QPalette) -> bool:
    """A dark window colour in the platform's own palette: the system's scheme, read before
    the `Qt` namespace exists (see the module's docstring).

    Since Qt 6.5 the two agree: themes with palettes of their own (Windows, macOS, KDE, GTK)
    follow the scheme, and the others (GNOME through the desktop portal, generic X11) get
    Fusion's default palette, which Qt derives from the reported scheme. `ThemeManager.apply`
    still reads the scheme itself right after the first frame, and corrects a disagreement."""
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


class ThemeManager(QObject):
    """Applies the chosen theme and re-applies it when the system scheme changes."""

    changed = Signal(str)  # the effective theme: "light" or "dark"

    def __init__(self, app: QApplication, theme: Theme | str = Theme.SYSTEM) -> None:
        super().__init__(app)
        self._app = app
        self._theme = Theme(theme)
        self._effective: str | None = None
        self._style: VivaStyle | None = None
        self._following_system = False
        # The platform's palette, read before this manager replaces it with its own.
        self._platform_dark = palette_suggests_dark(app.palette())

    @property
    def style(self) -> VivaStyle | None:
        """The proxy style installed under the style sheet (None before `apply`, or without
        Fusion)."""
        return self._style

    @property
    def theme(self) -> Theme:
        return self._theme

    @property
    def effective(self) -> str:
        """ "dark" or "light": what `apply` puts on screen."""
        if self._theme is Theme.SYSTEM:
            if self._following_system:
                return "dark" if system_prefers_dark() else "light"
            return "dark" if self._platform_dark else "light"
        return self._theme.value

    def set_theme(self, theme: Theme | str) -> None:
        self._theme = Theme(theme)
        self.apply()

    def apply_first_frame(self) -> None:
        """Palette and style sheet for the first paint, on the style the application started
        with (Fusion); no proxy style and no colour-scheme query yet."""
        self._show(self.effective)

    def apply(self) -> None:
        """The whole theme: proxy style, palette, style sheet, and following the system's
        colour scheme from now on."""
        if not self._following_system:
            self._following_system = True
            QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_system_change)
        effective = self.effective
        self._install_style(dark=effective == "dark")
        self._show(effective)

    def _show(self, effective: str) -> None:
        # Only what differs: each change re-polishes every widget of the application.
        palette = _palette(effective == "dark")
        if self._app.palette() != palette:
            self._app.setPalette(palette)
        sheet = style_sheet("base") + "\n" + style_sheet(effective)
        if self._app.styleSheet() != sheet:
            self._app.setStyleSheet(sheet)
        if effective != self._effective:
            self._effective = effective
            self.changed.emit(effective)

    def _install_style(self, *, dark: bool) -> None:
        from PySide6.QtWidgets import QStyleFactory

        from viva_desktop.ui.common.style import VivaDarkStyle, VivaStyle

        wanted = VivaDarkStyle if dark else VivaStyle
        if type(self._style) is wanted:
            return
        fusion = QStyleFactory.create("Fusion")
        if fusion is not None:
            self._style = wanted(fusion)  # the application owns it; kept for its lifetime
            self._app.setStyle(self._style)

    def _on_system_change(self, _scheme: Qt.ColorScheme) -> None:
        if self._theme is Theme.SYSTEM:
            self.apply()

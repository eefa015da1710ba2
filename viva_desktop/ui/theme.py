"""Light and dark themes that follow the system unless the user picks one.

The palette is set explicitly (on the Fusion style) rather than left to the platform theme, so
both themes look the same everywhere, offscreen included; a small style sheet from
`resources/styles/` adds the accents the palette cannot express. `VivaStyle` makes the icons
Qt draws itself (message boxes, dialog buttons) match the application's own line icons.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from functools import cache

from PySide6.QtCore import QObject, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QWidget,
)

from viva_desktop.ui.icons import icon
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


_PIXMAP = QStyle.StandardPixmap
_STANDARD_ICONS = {
    _PIXMAP.SP_MessageBoxInformation: "info",
    _PIXMAP.SP_MessageBoxWarning: "warning",
    _PIXMAP.SP_MessageBoxCritical: "error",
    _PIXMAP.SP_MessageBoxQuestion: "question",
    _PIXMAP.SP_DialogCloseButton: "cancel",
    _PIXMAP.SP_BrowserReload: "refresh",
    _PIXMAP.SP_DirOpenIcon: "folder",
    _PIXMAP.SP_DirClosedIcon: "folder",
    _PIXMAP.SP_FileIcon: "open_file",
    _PIXMAP.SP_TrashIcon: "remove",
}


_OUTLINED = frozenset(
    {
        QStyle.PrimitiveElement.PE_IndicatorCheckBox,
        QStyle.PrimitiveElement.PE_IndicatorRadioButton,
        QStyle.PrimitiveElement.PE_FrameLineEdit,
    }
)


class VivaStyle(QProxyStyle):
    """Fusion, with the application's icons where Qt would draw its own clip-art.

    Only `standardIcon` is overridden, which Qt calls rarely: a Python override of a method
    called on every paint (`drawPrimitive`, `styleHint`) costs every repaint a trip into
    Python. The dialog buttons' icons are turned off in the style sheet instead
    (`dialogbuttonbox-buttons-have-icons`), and the dark theme's extra outlines live in
    `VivaDarkStyle`, installed only while the dark theme is on.
    """

    def standardIcon(
        self,
        standard_icon: QStyle.StandardPixmap,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
    ) -> QIcon:
        name = _STANDARD_ICONS.get(standard_icon)
        if name is not None:
            return icon(name)
        return super().standardIcon(standard_icon, option, widget)


class VivaDarkStyle(VivaStyle):
    """The dark theme's additions: Fusion's outlines and toggle shading vanish on a dark
    window, so they are redrawn in visible colours."""

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element == QStyle.PrimitiveElement.PE_PanelButtonCommand:
            if option.state & QStyle.StateFlag.State_On:
                # A toggle that is on ("Details", "Pause scrolling") is tinted with the accent:
                # Fusion's slightly darker shade is invisible on the dark theme.
                tint = option.palette.color(QPalette.ColorRole.Highlight)
                tint.setAlpha(70)
                painter.save()
                painter.setRenderHint(QPainter.RenderHint.Antialiasing)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(tint)
                painter.drawRoundedRect(QRectF(option.rect).adjusted(1, 1, -1, -1), 2, 2)
                painter.restore()
            return
        if (
            element not in _OUTLINED
            or option.palette.color(QPalette.ColorRole.Window).lightness() > 128
        ):
            return
        # Fusion outlines boxes in a shade darker than the window: on a dark window that is
        # black on near-black, and empty check boxes and text fields all but disappear.
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = option.palette.color(QPalette.ColorRole.Mid)
        if option.state & QStyle.StateFlag.State_HasFocus:
            colour = option.palette.color(QPalette.ColorRole.Highlight)
        painter.setPen(QPen(colour, 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        rect = QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5)
        if element == QStyle.PrimitiveElement.PE_IndicatorRadioButton:
            painter.drawEllipse(rect.adjusted(0.5, 0.5, -0.5, -0.5))
        else:
            painter.drawRoundedRect(rect, 2, 2)
        painter.restore()


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
        self._style: VivaStyle | None = None
        self._install_style(dark=self.effective == "dark")
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_system_change)

    @property
    def style(self) -> VivaStyle | None:
        """The proxy style installed under the style sheet (None without Fusion)."""
        return self._style

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
        self._install_style(dark=effective == "dark")
        self._app.setPalette(_palette(effective == "dark"))
        self._app.setStyleSheet(style_sheet("base") + "\n" + style_sheet(effective))
        if effective != self._effective:
            self._effective = effective
            self.changed.emit(effective)

    def _install_style(self, *, dark: bool) -> None:
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

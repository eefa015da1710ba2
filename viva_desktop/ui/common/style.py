"""The application's proxy style: Fusion with the application's icons, and the dark theme's
extra outlines.

Installed by `ThemeManager.apply` once the first frame is on screen, not before it: creating
the Python types of `QStyle` and its enums costs about 9 ms that the first paint does not need
(the application starts on plain Fusion, see `ui.application.create_application`, and this
proxy draws the first page's widgets exactly like it).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QIcon, QPainter, QPalette, QPen
from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOption, QWidget

from viva_desktop.ui.common.icons import icon

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

"""The application's icons: monochrome SVGs drawn in the palette's text colour.

The SVGs in `resources/icons/` use `currentColor`, which Qt's SVG renderer does not resolve.
`SvgIconEngine` substitutes the current palette colour at paint time, so every icon follows
the light/dark theme without a second set of files, and stays crisp at any size.
"""

from __future__ import annotations

import logging
from functools import cache

from PySide6.QtCore import QByteArray, QRect, QRectF, QSize
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from viva_desktop.services.common.resources import icon_path

log = logging.getLogger(__name__)

_COLOURED = frozenset({"viva"})  # drawn in their own colours

# `Qt.GlobalColor.transparent` without touching the `Qt` namespace: the sidebar's icons are
# drawn in the first paint, which does not wait for that namespace (see `ui.theme`).
TRANSPARENT = QColor(0, 0, 0, 0)


@cache
def svg_source(name: str) -> str:
    """The SVG text of icon `name` (empty when the file is missing, logged once)."""
    path = icon_path(name)
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        log.warning("icon %s is missing (%s)", name, path)
        return ""


def _colour_for(mode: QIcon.Mode) -> str:
    palette = QGuiApplication.palette()
    if mode == QIcon.Mode.Disabled:
        return palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText).name()
    if mode == QIcon.Mode.Selected:
        return palette.color(QPalette.ColorRole.HighlightedText).name()
    return palette.color(QPalette.ColorRole.WindowText).name()


_PIXMAP_CACHE_LIMIT = 2048
_pixmaps: dict[tuple[str, int, int, str, float], QPixmap] = {}


@cache
def _renderer(name: str, colour: str) -> QSvgRenderer:
    """One parsed SVG per icon and colour (parsing on every paint was a cost of every repaint
    of a table with status icons)."""
    text = svg_source(name)
    if colour:
        text = text.replace("currentColor", colour)
    return QSvgRenderer(QByteArray(text.encode("utf-8")))


def _rendered(name: str, width: int, height: int, mode: QIcon.Mode, ratio: float) -> QPixmap:
    """Icon `name` rasterised at a size, tinted for `mode`; cached until the colours change
    (the colour is part of the key, so a theme switch simply renders new pixmaps)."""
    colour = "" if name in _COLOURED else _colour_for(mode)
    key = (name, width, height, colour, ratio)
    pixmap = _pixmaps.get(key)
    if pixmap is None:
        pixmap = QPixmap(max(1, round(width * ratio)), max(1, round(height * ratio)))
        pixmap.fill(TRANSPARENT)
        renderer = _renderer(name, colour)
        if renderer.isValid():
            painter = QPainter(pixmap)
            renderer.render(painter, QRectF(0, 0, pixmap.width(), pixmap.height()))
            painter.end()
        pixmap.setDevicePixelRatio(ratio)
        if len(_pixmaps) >= _PIXMAP_CACHE_LIMIT:
            _pixmaps.clear()
        _pixmaps[key] = pixmap
    return pixmap


class SvgIconEngine(QIconEngine):
    """Renders one SVG at any size, tinted with the palette colour for the icon mode."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self._name = name

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        device = painter.device()
        ratio = device.devicePixelRatioF() if device is not None else 1.0
        pixmap = _rendered(self._name, rect.width(), rect.height(), mode, ratio)
        painter.drawPixmap(rect, pixmap)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return QPixmap(_rendered(self._name, size.width(), size.height(), mode, 1.0))

    def clone(self) -> QIconEngine:
        return SvgIconEngine(self._name)

    def key(self) -> str:
        return "viva-svg"

    def isNull(self) -> bool:
        return not svg_source(self._name)


def icon(name: str) -> QIcon:
    """The icon called `name` (a file stem in `resources/icons/`)."""
    return QIcon(SvgIconEngine(name))


def app_icon() -> QIcon:
    """The coloured application icon, pre-rendered at the sizes window managers ask for."""
    result = QIcon()
    renderer = QSvgRenderer(QByteArray(svg_source("viva").encode("utf-8")))
    for side in (16, 24, 32, 48, 64, 128, 256):
        pixmap = QPixmap(side, side)
        pixmap.fill(TRANSPARENT)
        painter = QPainter(pixmap)
        renderer.render(painter, QRectF(0, 0, side, side))
        painter.end()
        result.addPixmap(pixmap)
    return result


def renders(name: str, side: int = 32) -> bool:
    """True when icon `name` parses and paints something (used by the self-test)."""
    renderer = QSvgRenderer(QByteArray(svg_source(name).encode("utf-8")))
    if not renderer.isValid():
        return False
    image = icon(name).pixmap(QSize(side, side)).toImage()
    return any(
        image.pixelColor(x, y).alpha() > 0 for x in range(0, side, 2) for y in range(0, side, 2)
    )

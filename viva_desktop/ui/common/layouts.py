"""Layout pieces the dialogs and pages share, so they line up and resize the same way."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget


def beside_glyph(pixmap: QPixmap, *texts: QWidget) -> QHBoxLayout:
    """A dialog's head: the icon at the top left, and `texts` in a column to its right taking
    the rest of the width (the icon says what kind of message this is at a glance)."""
    glyph = QLabel()
    glyph.setPixmap(pixmap)
    glyph.setAlignment(Qt.AlignmentFlag.AlignTop)
    column = QVBoxLayout()
    for widget in texts:
        column.addWidget(widget)
    row = QHBoxLayout()
    row.addWidget(glyph)
    row.addLayout(column, 1)
    return row


def vertical_split(
    upper: QWidget, lower: QWidget, stretch: tuple[int, int] | None = None
) -> QSplitter:
    """Two panes one above the other, resizable but never collapsible (a handle dragged to the
    edge would otherwise hide a pane with no sign it is there); `stretch` shares out extra
    height between them."""
    splitter = QSplitter(Qt.Orientation.Vertical)
    splitter.addWidget(upper)
    splitter.addWidget(lower)
    if stretch is not None:
        splitter.setStretchFactor(0, stretch[0])
        splitter.setStretchFactor(1, stretch[1])
    splitter.setChildrenCollapsible(False)
    return splitter

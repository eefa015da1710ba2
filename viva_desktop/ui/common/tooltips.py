"""Tooltips that wrap. Qt shows a plain-text tooltip on one line however long it is (a
refusal's reason ran off the screen); rich text it wraps at a readable width. The filter
installed here shows a widget's long plain tooltip as wrapped rich text, so widgets keep
setting plain text (and `toolTip()` still returns it)."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

WRAP_AFTER = 60  # characters: shorter tooltips stay on one line


def wrapped_tooltip(text: str) -> str:
    """`text` as a tooltip Qt word-wraps ("" stays "": no tooltip)."""
    if not text:
        return ""
    body = "<br>".join(html.escape(line) for line in text.splitlines())
    return f"<qt>{body}</qt>"


def needs_wrapping(text: str) -> bool:
    return len(text) > WRAP_AFTER and not text.lstrip().startswith("<")


class WrappingTooltips(QObject):
    """Application event filter: long plain tooltips are shown wrapped."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(watched, QWidget):
            text = watched.toolTip()
            if needs_wrapping(text) and isinstance(event, QHelpEvent):
                QToolTip.showText(event.globalPos(), wrapped_tooltip(text), watched)
                return True
        return False


def wrap_tooltips_of(widget: QWidget) -> None:
    """Show `widget`'s long tooltips wrapped (one filter for the whole application, installed
    on the widgets that need it: a filter on the application would see every event)."""
    app = QApplication.instance()
    wrapper = app.findChild(WrappingTooltips) if app is not None else None
    if wrapper is None:
        wrapper = WrappingTooltips(app)
    widget.removeEventFilter(wrapper)  # once per widget
    widget.installEventFilter(wrapper)

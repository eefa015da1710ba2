"""How table cells read: a muted dash where a record has no value (a blank cell looks like a
rendering bug, a dash says "nothing here"), and the full text as a tooltip wherever a column is
too narrow and the text is elided. Shared by every table of the pages, not only the browsers."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QHelpEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QWidget,
)

EMPTY = "—"
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)

ModelIndex = QModelIndex | QPersistentModelIndex


def is_elided(option: QStyleOptionViewItem, widget: QWidget | None, text: str) -> bool:
    """Whether `text` is wider than the room the style gives it in this cell."""
    style = widget.style() if widget is not None else None
    if style is None or not text:
        return False
    room = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, widget)
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
    widest = max(option.fontMetrics.horizontalAdvance(line) for line in text.splitlines())
    return widest + 2 * margin > room.width()


class CellDelegate(QStyledItemDelegate):
    """Paints empty cells as a muted dash and explains elided ones with a tooltip."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        super().initStyleOption(option, index)
        if option.text:
            return
        if option.features & QStyleOptionViewItem.ViewItemFeature.HasDecoration:
            return  # an icon alone (a state, a lock) is a value
        option.text = EMPTY
        option.features |= QStyleOptionViewItem.ViewItemFeature.HasDisplay
        muted = option.palette.color(QPalette.ColorRole.PlaceholderText)
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            option.palette.setColor(group, QPalette.ColorRole.Text, muted)

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: ModelIndex,
    ) -> bool:
        if event is None or event.type() != QEvent.Type.ToolTip or not index.isValid():
            return super().helpEvent(event, view, option, index)
        if index.data(TOOLTIP):
            return super().helpEvent(event, view, option, index)
        shown = QStyleOptionViewItem(option)
        self.initStyleOption(shown, index)
        text = shown.text if shown.text != EMPTY else ""
        if text and is_elided(shown, view, text):
            QToolTip.showText(event.globalPos(), text, view, view.visualRect(index))
            return True
        return super().helpEvent(event, view, option, index)


def install_cell_delegate(view: QAbstractItemView) -> CellDelegate:
    """Give `view` the shared cell rendering (kept alive by the view)."""
    delegate = CellDelegate(view)
    view.setItemDelegate(delegate)
    return delegate


__all__ = ["EMPTY", "CellDelegate", "install_cell_delegate", "is_elided"]

"""Cut cells tell their whole text (issue 17, defect 10): "Tienda Ecológica Txar…" in a
browser gave no way to read the rest without widening the column."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from tests.ui.helpers import open_page, wait_loaded


def hover(view, index) -> None:
    point = view.visualRect(index).center()
    event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), event)


def test_a_cut_cell_shows_its_whole_text_and_a_whole_one_nothing(qtbot, offline) -> None:
    page = open_page(qtbot, offline, "offers", size=(1100, 700))
    view, model = page.browser.view, page.model
    wait_loaded(qtbot, model)
    column = model.column_index("title")
    rows = range(model.rowCount())
    row = max(rows, key=lambda r: len(str(model.index(r, column).data() or "")))
    index = model.index(row, column)
    full = str(index.data())
    view.horizontalHeader().resizeSection(column, 60)
    view.scrollTo(index)
    hover(view, index)
    qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
    assert QToolTip.text() == full
    QToolTip.hideText()
    qtbot.waitUntil(lambda: not QToolTip.isVisible(), timeout=2000)

    view.horizontalHeader().resizeSection(column, 2000)  # room for all of it: no tooltip
    hover(view, index)
    assert not QToolTip.isVisible() or QToolTip.text() != full

"""The browser's table view: whole rows selected (several at once), alternating rows, one
line per row, sorted as the model is, empty and cut cells drawn the browsers' way."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QTableView

from viva_desktop.ui.browser.cells import install_cell_delegate
from viva_desktop.ui.models.store_model import StoreTableModel

ROW_HEIGHT = 26  # pixels


def make_table(model: StoreTableModel) -> QTableView:
    view = QTableView()
    view.setObjectName("BrowserTable")
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSortIndicator(model.sort_column, model.sort_order)
    install_cell_delegate(view)
    return view

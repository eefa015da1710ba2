"""`records_view`: the table under a panel's short list of records fetched live (membership
and pool requests), looking and behaving like the browser's own table: whole rows selected,
sortable, empty and cut cells rendered the same way, and the columns' default widths."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QTableView

from viva_desktop.ui.browser.cells import install_cell_delegate
from viva_desktop.ui.browser.columns import apply_widths
from viva_desktop.ui.models.records_model import RecordsModel


def records_view(model: RecordsModel, selection: QAbstractItemView.SelectionMode) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(selection)
    view.setSortingEnabled(True)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.setAlternatingRowColors(True)
    install_cell_delegate(view)
    apply_widths(view, model.COLUMNS)
    return view

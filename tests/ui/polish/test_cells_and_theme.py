"""How tables and Qt's own pieces look: a muted dash in empty cells, the whole text of an
elided cell, the application's icons instead of Qt's clip-art, and boxes that stay visible on
the dark theme."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtGui import QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionViewItem, QTableView

from viva_desktop.ui.browser.cells import EMPTY, CellDelegate, install_cell_delegate, is_elided
from viva_desktop.ui.browser.empty_state import EmptyState
from viva_desktop.ui.common.icons import svg_source
from viva_desktop.ui.common.style import VivaDarkStyle, VivaStyle
from viva_desktop.ui.common.theme import Theme, ThemeManager


def table(qtbot, rows: list[list[str]]) -> QTableView:
    model = QStandardItemModel(len(rows), len(rows[0]) if rows else 1)
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            model.setItem(r, c, QStandardItem(text))
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    model.setParent(view)
    install_cell_delegate(view)
    return view


def shown_option(view: QTableView, index: QModelIndex) -> QStyleOptionViewItem:
    delegate = view.itemDelegate()
    assert isinstance(delegate, CellDelegate)
    option = QStyleOptionViewItem()
    option.initFrom(view)
    delegate.initStyleOption(option, index)
    return option


def test_empty_cells_read_as_a_muted_dash_and_values_stay_as_they_are(qtbot) -> None:
    view = table(qtbot, [["Ana López", ""], ["", "50"]])
    model = view.model()
    empty = shown_option(view, model.index(0, 1))
    assert empty.text == EMPTY
    muted = view.palette().color(QPalette.ColorRole.PlaceholderText)
    assert empty.palette.color(QPalette.ColorRole.Text) == muted
    full = shown_option(view, model.index(0, 0))
    assert full.text == "Ana López"
    assert full.palette.color(QPalette.ColorRole.Text) != muted
    assert model.index(1, 0).data() == ""  # the model (and so any export) is untouched


def test_a_cell_too_narrow_for_its_text_is_detected_for_the_tooltip(qtbot) -> None:
    view = table(qtbot, [["Cooperativa de Vivienda Txantrea, Pamplona"]])
    option = shown_option(view, view.model().index(0, 0))
    option.rect = QRect(0, 0, 60, 24)
    assert is_elided(option, view, option.text)
    option.rect = QRect(0, 0, 2000, 24)
    assert not is_elided(option, view, option.text)


def test_an_empty_table_says_why_until_rows_arrive(qtbot) -> None:
    view = table(qtbot, [])
    view.model().setRowCount(0)
    view.resize(400, 300)
    view.show()
    state = EmptyState(view)
    state.set_message("Nothing synced yet.")
    assert state.isVisible()
    assert state.geometry() == view.viewport().rect()
    view.model().appendRow(QStandardItem("a row"))
    assert not state.isVisible()
    view.model().removeRow(0)
    assert state.isVisible()
    state.set_message("")
    assert not state.isVisible()


def test_the_style_uses_the_applications_icons_and_no_dialog_button_icons(qtbot, qapp) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    manager = ThemeManager(qapp, Theme.LIGHT)
    try:
        manager.apply()
        style = manager.style
        assert isinstance(style, VivaStyle)
        assert not isinstance(style, VivaDarkStyle)  # no per-paint Python override in light
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        qtbot.addWidget(buttons)
        assert all(button.icon().isNull() for button in buttons.buttons())
        warning = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        assert not warning.isNull()
        assert warning.cacheKey() != 0
        assert svg_source("warning")  # drawn from resources/icons, like every other icon
        assert svg_source("details")  # the detail pane's toggle
    finally:
        manager.deleteLater()


def test_the_dark_theme_outlines_empty_boxes(qtbot, qapp: QApplication) -> None:
    from PySide6.QtWidgets import QCheckBox

    manager = ThemeManager(qapp, Theme.DARK)
    try:
        manager.apply()
        box = QCheckBox("Full pass")
        qtbot.addWidget(box)
        box.resize(box.sizeHint())
        image = box.grab().toImage()
        window = qapp.palette().color(QPalette.ColorRole.Window)
        outline = qapp.palette().color(QPalette.ColorRole.Mid)
        indicator = qapp.style().subElementRect(
            QStyle.SubElement.SE_CheckBoxIndicator, _option(box), box
        )
        edge = [
            image.pixelColor(indicator.left(), y)
            for y in range(indicator.top(), indicator.bottom())
        ]
        # The left edge of the indicator is drawn in the outline colour, not lost in the window.
        assert any(abs(c.lightness() - outline.lightness()) < 25 for c in edge)
        assert any(c.lightness() > window.lightness() + 15 for c in edge)
    finally:
        manager.set_theme(Theme.LIGHT)
        qapp.setStyleSheet("")
        manager.deleteLater()


def _option(box):
    from PySide6.QtWidgets import QStyleOptionButton

    option = QStyleOptionButton()
    box.initStyleOption(option)
    return option


def test_delegate_leaves_icon_only_cells_alone(qtbot) -> None:
    view = table(qtbot, [[""]])
    item = view.model().item(0, 0)
    item.setData(
        view.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon), Qt.ItemDataRole.DecorationRole
    )
    option = shown_option(view, view.model().index(0, 0))
    assert option.text == ""

"""The browser's "Export CSV…" menu: the whole view or only the selected rows, as shown on
screen (the default) or with the raw stored values."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget


class ExportMenu(QMenu):
    chosen = Signal(bool, bool)  # (raw values, only the selection)

    def __init__(self, selection_count: Callable[[], int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ExportMenu")
        self.setToolTipsVisible(True)
        self._selection_count = selection_count
        self.view_shown = self._action("ExportViewShown", raw=False, only=False)
        self.selection_shown = self._action("ExportSelectionShown", raw=False, only=True)
        self.addSeparator()
        self.view_raw = self._action("ExportViewRaw", raw=True, only=False)
        self.selection_raw = self._action("ExportSelectionRaw", raw=True, only=True)
        self.aboutToShow.connect(self._update)
        self.retranslate()

    def _action(self, name: str, *, raw: bool, only: bool) -> QAction:
        action = self.addAction("")
        action.setObjectName(name)
        action.triggered.connect(lambda: self.chosen.emit(raw, only))
        return action

    def _update(self) -> None:
        self._selection_texts(self._selection_count())

    def _selection_texts(self, count: int) -> None:
        for action in (self.selection_shown, self.selection_raw):
            action.setEnabled(count > 0)
        self.selection_shown.setText(self.tr("Only the %n selected row(s), as shown…", "", count))
        self.selection_raw.setText(self.tr("Only the %n selected row(s), raw values…", "", count))

    def retranslate(self) -> None:
        self.setTitle(self.tr("Export CSV"))
        self.view_shown.setText(self.tr("The whole view, as shown…"))
        self.view_shown.setToolTip(
            self.tr("Column titles and labels as on screen, dates in your language's format.")
        )
        self.view_raw.setText(self.tr("The whole view, raw values…"))
        self.view_raw.setToolTip(
            self.tr("Stored keys and values (codes, ids, ISO dates), for scripts and imports.")
        )
        self._selection_texts(0)  # counted again each time the menu opens

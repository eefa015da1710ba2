"""A sentence over an empty table that says why it is empty and what to do about it, instead of
a blank white rectangle (nothing synced yet, the filters match nothing, nothing to review)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel


class EmptyState(QLabel):
    """Lies over `view`'s viewport, centred; shown while the model has no rows and a text is
    set. Mouse events pass through to the view (its context menu, for one)."""

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view.viewport())
        self.setObjectName("EmptyState")
        self.view = view
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setContentsMargins(24, 24, 24, 24)
        self._wanted = ""
        view.viewport().installEventFilter(self)
        model = view.model()
        if model is not None:
            for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved):
                signal.connect(self.update_visibility)
        self.hide()

    def set_message(self, text: str) -> None:
        """What to say when the table is empty ("" says nothing)."""
        self._wanted = text
        self.setText(text)
        self.update_visibility()

    @property
    def message(self) -> str:
        return self._wanted

    def update_visibility(self, *_args: object) -> None:
        model = self.view.model()
        empty = model is None or model.rowCount() == 0
        self.setVisible(bool(self._wanted) and empty)
        if self.isVisible():
            self.setGeometry(self.view.viewport().rect())
            self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.view.viewport():
            self.setGeometry(self.view.viewport().rect())
        return False

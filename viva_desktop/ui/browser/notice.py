"""The one-line banner under a browser's table ("Exported 12 records to …"): it says what just
happened, so it goes away by itself after a while, and at once when it stops being true or
readable: the data changed (a create, an edit, a sync), the app went offline or online, or the
language changed."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

NOTICE_MS = 15_000


class Notice(QLabel):
    """`say(text)` shows the banner for `timeout_ms`; `dismiss()` hides it now."""

    def __init__(self, parent: QWidget | None = None, *, timeout_ms: int = NOTICE_MS) -> None:
        super().__init__(parent)
        self.setObjectName("Banner")
        self.setProperty("kind", "info")
        self.setWordWrap(True)
        self.hide()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(timeout_ms)
        self.timer.timeout.connect(self.dismiss)

    def say(self, text: str, kind: str = "info") -> None:
        self.setProperty("kind", kind)
        self.style().unpolish(self)
        self.style().polish(self)
        self.setText(text)
        self.setAccessibleName(text)
        self.setVisible(bool(text))
        if text:
            self.timer.start()
        else:
            self.timer.stop()

    def dismiss(self, *_args: object) -> None:
        self.timer.stop()
        self.clear()
        self.hide()

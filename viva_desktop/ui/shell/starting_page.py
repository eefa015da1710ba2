"""The frame the main window shows in its page area until the start-up is over: the selected
page's title, what the start-up is doing, and a busy bar. Plain Qt widgets only, so the shell
paints before anything slow is imported."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget


class StartingPage(QWidget):
    """The page area until the window has its context: the selected page's title, what the
    start-up is doing, and a busy bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("StartingPage")
        self.title = QLabel()
        self.title.setObjectName("PageTitle")
        self.message = QLabel()
        self.message.setObjectName("Muted")
        self.message.setWordWrap(True)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setMaximumWidth(260)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        layout.addWidget(self.busy)
        layout.addStretch(1)

    def show_state(self, title: str, message: str, *, busy: bool) -> None:
        self.title.setText(title)
        self.message.setText(message)
        self.busy.setVisible(busy)

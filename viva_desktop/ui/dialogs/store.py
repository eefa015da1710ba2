"""Start-up dialogs about the local store: it cannot be opened, or it was damaged and
replaced by an empty one."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viva_desktop.services.local.store import CorruptionRecovery, StoreError
from viva_desktop.ui.common.icons import icon
from viva_desktop.ui.common.layouts import beside_glyph
from viva_desktop.ui.common.retranslate import Retranslating


class StoreChoice(Enum):
    QUIT = "quit"
    RETRY = "retry"
    USE_SQLITE = "use_sqlite"


class StoreProblemDialog(Retranslating, QDialog):
    """The store did not open: retry, fall back to a local SQLite file for this run, or quit."""

    def __init__(
        self, error: StoreError, *, can_use_sqlite: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("StoreProblemDialog")
        self.choice = StoreChoice.QUIT
        self.error = error
        self.headline = QLabel()
        self.headline.setObjectName("Headline")
        self.message = QLabel(error.user_message)
        self.message.setWordWrap(True)
        self.advice = QLabel(error.next_step_text)
        self.advice.setWordWrap(True)
        self.advice.setObjectName("Muted")
        self.details = QPlainTextEdit(error.technical)
        self.details.setObjectName("Details")
        self.details.setReadOnly(True)
        self.details.setMaximumHeight(90)
        self.retry_button = QPushButton(icon("refresh"), "")
        self.retry_button.clicked.connect(lambda: self._choose(StoreChoice.RETRY))
        self.sqlite_button = QPushButton(icon("database"), "")
        self.sqlite_button.clicked.connect(lambda: self._choose(StoreChoice.USE_SQLITE))
        self.sqlite_button.setVisible(can_use_sqlite)
        self.quit_button = QPushButton()
        self.quit_button.clicked.connect(self.reject)
        top = beside_glyph(
            icon("database").pixmap(40, 40), self.headline, self.message, self.advice
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.quit_button)
        buttons.addStretch(1)
        buttons.addWidget(self.sqlite_button)
        buttons.addWidget(self.retry_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details)
        layout.addLayout(buttons)
        self.retry_button.setDefault(True)
        self.setMinimumWidth(520)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Local data store"))
        self.headline.setText(self.tr("The local data store is not available"))
        self.retry_button.setText(self.tr("Try again"))
        self.sqlite_button.setText(self.tr("Use a local SQLite store for now"))
        self.sqlite_button.setToolTip(
            self.tr("Keep working with a store file on this computer until the next start")
        )
        self.quit_button.setText(self.tr("Quit"))
        self.adjustSize()

    def _choose(self, choice: StoreChoice) -> None:
        self.choice = choice
        self.accept()


class CorruptionNotice(Retranslating, QDialog):
    """The store file was damaged: say where it went and offer a full resync."""

    def __init__(self, recovery: CorruptionRecovery, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CorruptionNotice")
        self.recovery = recovery
        self.resync = False
        self.headline = QLabel()
        self.headline.setObjectName("Headline")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.resync_button = QPushButton(icon("sync"), "")
        self.resync_button.clicked.connect(self._resync)
        self.later_button = QPushButton()
        self.later_button.clicked.connect(self.reject)
        top = beside_glyph(icon("warning").pixmap(40, 40), self.headline, self.message)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.later_button)
        buttons.addWidget(self.resync_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(buttons)
        self.resync_button.setDefault(True)
        self.setMinimumWidth(520)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Local data store"))
        self.headline.setText(self.tr("The local data file was damaged"))
        self.message.setText(
            self.tr(
                "Viva Desktop found that its data file could not be read safely ({reason}). "
                "It moved the file aside to {path} and started with an empty store. Nothing on "
                "the server is affected: synchronise again to download the data."
            ).format(reason=self.recovery.reason, path=self.recovery.moved_to)
        )
        self.resync_button.setText(self.tr("Synchronise after signing in"))
        self.later_button.setText(self.tr("Later"))
        self.adjustSize()

    def _resync(self) -> None:
        self.resync = True
        self.accept()

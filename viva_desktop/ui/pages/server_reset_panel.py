"""The Sync page's warning when the server's data looks reset or replaced since the local copy
was taken (`services.local.server_reset`): what was found, and a full re-sync in one click
(an incremental sync would keep the rows the server no longer has)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from viva_desktop.services.local.server_reset import ResetEvidence
from viva_desktop.ui.common.icons import icon
from viva_desktop.ui.common.retranslate import Retranslating


class ServerResetPanel(Retranslating, QWidget):
    resync_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ServerResetPanel")
        self.evidence: ResetEvidence | None = None
        self.text = QLabel()
        self.text.setObjectName("Banner")
        self.text.setProperty("kind", "warning")
        self.text.setWordWrap(True)
        self.resync_button = QPushButton(icon("sync"), "")
        self.resync_button.clicked.connect(self.resync_requested)
        self.later_button = QPushButton()
        self.later_button.clicked.connect(lambda: self.show_evidence(None))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.later_button)
        buttons.addWidget(self.resync_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)
        layout.addLayout(buttons)
        self.hide()
        self.retranslate()

    def show_evidence(self, evidence: ResetEvidence | None) -> None:
        """Say what was found (None: hide the panel)."""
        self.evidence = evidence
        self.retranslate()
        self.setVisible(evidence is not None)

    def retranslate(self) -> None:
        self.resync_button.setText(self.tr("Full re-sync"))
        self.resync_button.setToolTip(
            self.tr(
                "Read every record again: what the server no longer has is marked as gone "
                "from the local copy. Queued changes are kept."
            )
        )
        self.later_button.setText(self.tr("Not now"))
        evidence = self.evidence
        if evidence is None:
            self.text.clear()
            return
        self.text.setText(
            " ".join(
                [
                    self.tr("The server's data looks reset or replaced since the last sync."),
                    *evidence.reasons(),
                    self.tr("The local copy still shows what the server had before."),
                ]
            )
        )
        self.text.setAccessibleName(self.text.text())

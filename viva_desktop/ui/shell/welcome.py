"""The first-run welcome: what Viva Desktop is, and the two ways to begin."""

from __future__ import annotations

from enum import Enum

from PySide6.QtWidgets import (
    QCommandLinkButton,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viva_desktop.ui.common.icons import app_icon, icon
from viva_desktop.ui.common.layouts import beside_glyph
from viva_desktop.ui.common.retranslate import Retranslating


class WelcomeChoice(Enum):
    NONE = "none"
    SANDBOX = "sandbox"
    CONNECT = "connect"


class WelcomeDialog(Retranslating, QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("WelcomeDialog")
        self.setWindowIcon(app_icon())
        self.choice = WelcomeChoice.NONE
        self.heading = QLabel()
        self.heading.setObjectName("PageTitle")
        self.heading.setWordWrap(True)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.points = QLabel()
        self.points.setWordWrap(True)
        self.privacy = QLabel()
        self.privacy.setObjectName("Muted")
        self.privacy.setWordWrap(True)
        self.sandbox_button = QCommandLinkButton()
        self.sandbox_button.setIcon(icon("sandbox"))
        self.sandbox_button.clicked.connect(lambda: self._choose(WelcomeChoice.SANDBOX))
        self.connect_button = QCommandLinkButton()
        self.connect_button.setIcon(icon("server"))
        self.connect_button.clicked.connect(lambda: self._choose(WelcomeChoice.CONNECT))
        self.quit_button = QPushButton()
        self.quit_button.clicked.connect(self.reject)

        logo = app_icon().pixmap(72, 72)
        top = beside_glyph(logo, self.heading, self.intro, self.points, self.privacy)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.quit_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addSpacing(8)
        layout.addWidget(self.sandbox_button)
        layout.addWidget(self.connect_button)
        layout.addLayout(bottom)
        self.setMinimumWidth(600)
        self.sandbox_button.setDefault(True)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Welcome to Viva Desktop"))
        self.heading.setText(self.tr("Welcome to Viva Desktop"))
        self.intro.setText(
            self.tr(
                "Viva Desktop is the desktop companion of Comunidad Viva, the community economy "
                "platform. It is made for the coordinators and administrators of a deployment."
            )
        )
        self.points.setText(
            self.tr(
                "• Browse and filter communities, members, offers, events, posts and credits.\n"
                "• Make the edits the server allows, even offline: they are sent when you are "
                "back online.\n"
                "• Watch the server's health, check its configuration and run smoke tests."
            )
        )
        self.privacy.setText(
            self.tr(
                "Your password is never stored. Sign-in tokens are kept in the system keyring "
                "when there is one."
            )
        )
        self.sandbox_button.setText(self.tr("Try the built-in sandbox"))
        self.sandbox_button.setDescription(
            self.tr(
                "Start a practice server on this computer, with made-up Spanish communities, "
                "and sign in as its demo administrator. Nothing leaves your machine."
            )
        )
        self.connect_button.setText(self.tr("Connect to a server…"))
        self.connect_button.setDescription(
            self.tr(
                "Enter the address of your Comunidad Viva server and sign in with your account."
            )
        )
        self.quit_button.setText(self.tr("Quit"))
        self.adjustSize()  # word-wrapped texts change height with the language

    def _choose(self, choice: WelcomeChoice) -> None:
        self.choice = choice
        self.accept()

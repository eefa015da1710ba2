"""The "About Viva Desktop" box of the Help menu: version and what the application is for."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from viva_desktop import __version__
from viva_desktop.ui.common.icons import app_icon


def show_about(parent: QWidget) -> QMessageBox:
    """Open the about box over `parent` (it deletes itself when closed)."""
    # Context "MainWindow": the texts keep the translations they had as the window's own.
    box = QMessageBox(parent)
    box.setIconPixmap(app_icon().pixmap(64, 64))
    box.setWindowTitle(QCoreApplication.translate("MainWindow", "About Viva Desktop"))
    box.setText(
        QCoreApplication.translate(
            "MainWindow",
            "<b>Viva Desktop {version}</b><br>A desktop companion for coordinators and "
            "administrators of Comunidad Viva deployments: review and edit community data, "
            "work offline, watch the server's health and audit its configuration.",
        ).format(version=__version__)
    )
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box

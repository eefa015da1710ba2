"""A Qt application for drawing without a window (charts need `QApplication`)."""

from __future__ import annotations

import os

from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication


def ensure_application() -> QApplication:
    """The running `QApplication`, or a new offscreen one (command line, no display)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    if existing is not None:
        raise RuntimeError("a non-widget Qt application is running; charts need QApplication")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return QApplication(["viva-desktop"])


_installed: list[QTranslator] = []


def install_qt_language(language: str) -> None:
    """Load the app's catalogue for `language` into the running application (the command
    line has no GUI start-up to do it); English needs none."""
    app = ensure_application()
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if language == "en":
        return
    from viva_desktop.services.common.resources import catalogue_path

    translator = QTranslator(app)
    if translator.load(str(catalogue_path(language))):
        app.installTranslator(translator)
        _installed.append(translator)

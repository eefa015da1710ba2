"""Loads Qt's own catalogue and ours for the chosen language, and switches them at run time.

Installing a translator makes Qt send `LanguageChange` to every widget, which is how open
windows retranslate themselves. Service messages go through the same catalogue because
`services.i18n` is routed to `QCoreApplication.translate` here.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QTranslator, Signal

from viva_desktop.services.common import i18n
from viva_desktop.services.common.resources import LANGUAGES, catalogue_path

log = logging.getLogger(__name__)

DEFAULT_LANGUAGE = "en"


def system_language() -> str:
    """The system's language when we have a catalogue for it, else English."""
    code = QLocale.system().name().split("_")[0].lower()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def choose_language(*preferences: str | None) -> str:
    """The first supported language among `preferences` (command line, settings), else the
    system's. "system" and empty values mean "no preference"."""
    for preference in preferences:
        if preference and preference != "system":
            code = preference.split("_")[0].lower()
            if code in LANGUAGES:
                return code
    return system_language()


def _service_translate(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


class TranslationManager(QObject):
    """Owns the installed translators; `set_language` swaps them."""

    language_changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._installed: list[QTranslator] = []
        self._language = DEFAULT_LANGUAGE
        i18n.install_translator(_service_translate)

    @property
    def language(self) -> str:
        return self._language

    def set_language(self, language: str) -> bool:
        """Switch to `language`; False when our catalogue for it could not be loaded."""
        language = choose_language(language)
        app = QCoreApplication.instance()
        assert app is not None, "create the QApplication first"
        for translator in self._installed:
            app.removeTranslator(translator)
        self._installed.clear()
        if language != DEFAULT_LANGUAGE:
            qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            qt_translator = QTranslator(self)
            if qt_translator.load(f"qtbase_{language}", qt_dir):
                self._installed.append(qt_translator)
            else:
                log.info("Qt's own %s catalogue is not available in %s", language, qt_dir)
        # English is the source language; its catalogue only holds the plural forms.
        ours = QTranslator(self)
        ok = ours.load(str(catalogue_path(language)))
        if ok:
            self._installed.append(ours)
        else:
            log.warning("cannot load %s", catalogue_path(language))
        for translator in self._installed:
            app.installTranslator(translator)
        QLocale.setDefault(QLocale(language))
        changed = language != self._language
        self._language = language
        if changed:
            self.language_changed.emit(language)
        return ok

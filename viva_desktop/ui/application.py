"""`run(options)`: the GUI's entry point, called by `viva_desktop.app.main`.

Order matters: the QApplication first (names, icon), then settings, logging, error reporting
and the exception hook (so that anything failing later is logged and shown), translations and
theme (so the first dialog already speaks the user's language), and finally the `Launcher`,
which opens the store and the keyring in the background and shows the right first window.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from viva_desktop import __version__
from viva_desktop.app import LaunchOptions
from viva_desktop.services import paths, telemetry
from viva_desktop.services.config import Settings, load_settings
from viva_desktop.services.logs import setup_logging
from viva_desktop.services.report import Severity
from viva_desktop.ui import worker
from viva_desktop.ui.errors import ErrorPresenter, install_excepthook, uninstall_excepthook
from viva_desktop.ui.icons import app_icon
from viva_desktop.ui.startup import Launcher
from viva_desktop.ui.theme import ThemeManager
from viva_desktop.ui.translations import TranslationManager, choose_language

log = logging.getLogger("viva.ui")

ORGANIZATION = "ComunidadViva"
APPLICATION = "viva-desktop"
DISPLAY_NAME = "Viva Desktop"


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with our names (QSettings and platformdirs agree on them) and icon."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        app = QApplication(argv if argv is not None else [sys.argv[0]])
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    QCoreApplication.setApplicationVersion(__version__)
    app.setApplicationDisplayName(DISPLAY_NAME)
    app.setDesktopFileName(APPLICATION)
    app.setWindowIcon(app_icon())
    # Windows come and go during start-up (splash, login); the launcher decides when to quit.
    app.setQuitOnLastWindowClosed(False)
    return app


def settings_for(options: LaunchOptions) -> tuple[Settings, bool]:
    """The settings with the command line on top, and whether this is the first run."""
    overrides: dict[str, Any] = {
        "store_url": options.store_url,
        "active_profile": options.profile,
        "ui": {"language": options.language},
    }
    path = options.config_file or paths.config_file()
    settings = load_settings(path, overrides)
    for finding in settings.load_findings:
        level = logging.ERROR if finding.severity is Severity.ERROR else logging.WARNING
        log.log(level, "configuration: %s %s", finding.key, finding.message)
    first_run = not settings.first_run_done and not path.exists()
    return settings, first_run


def run(options: LaunchOptions) -> int:
    if options.self_test and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = create_application()
    settings, first_run = settings_for(options)
    log_handle = setup_logging(settings.log)
    log.info("Viva Desktop %s starting (%s)", __version__, app.platformName())
    telemetry.init_telemetry(settings.sentry, release=f"viva-desktop@{__version__}")

    translations = TranslationManager(app)
    translations.set_language(choose_language(options.language, settings.ui.language))
    theme = ThemeManager(app, settings.ui.theme)
    theme.apply()

    presenter = ErrorPresenter(app)
    install_excepthook(presenter)
    worker.set_default_error_handler(presenter.handle_task_error)
    worker.configure_pool()

    launcher = Launcher(
        options,
        settings,
        presenter=presenter,
        first_run=first_run and not (options.sandbox or options.self_test or options.offline),
        translations=translations,
        theme=theme,
        log_handle=log_handle,
    )
    launcher.exit_requested.connect(app.exit)
    launcher.start()
    try:
        code = app.exec()
    finally:
        launcher.shutdown()
        worker.shutdown(timeout_ms=5000)
        worker.set_default_error_handler(None)
        uninstall_excepthook()
        telemetry.close_telemetry()
        log.info("Viva Desktop stopped")
        log_handle.close()
    return code

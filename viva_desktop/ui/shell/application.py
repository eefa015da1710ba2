"""`run(options)`: the GUI's entry point, called by `viva_desktop.app.main`.

The main window is on screen first, a few tens of milliseconds after the process starts, and
everything slow happens after it has painted:

1. On the GUI thread, before the first paint, only Qt and the standard library: the
   QApplication (on the Fusion style) and its names, the language and theme the user chose
   (read from the config file and the environment without pydantic, `early_preferences`), the
   theme's palette and style sheet, and the main window's shell (sidebar, menus, the first
   page's frame saying "Starting…"). Not even all of Qt: the shell is built without the `Qt`
   namespace and `QStyle`, whose Python enums PySide creates on first touch (about 25 ms
   together, the largest single cost of the first paint once the imports were deferred).
2. Once the window has painted, `DeferredStart` completes the theme (proxy style, the system's
   colour scheme), sets the application icon, loads the settings on a worker thread
   (pydantic), and imports there the services the next steps need (httpx, SQLAlchemy,
   Alembic, keyring, sentry-sdk), so the GUI thread does not wait for them.
3. Back on the GUI thread: logging, error reporting and the exception hook (so that anything
   failing later is logged and shown), the settings' language and theme if they differ from
   the early read, and the `Launcher`, which opens the store and the keyring in the
   background, gives the window its context and follows the route (sandbox, offline, login…).

Two interpreter settings keep the window responsive while worker threads are busy (a sync, an
export): the cyclic garbage collector is off during start-up and the objects alive at its end
are frozen out of its reach (`settle_garbage_collector`), and the GIL changes hands every 2 ms
instead of 5 (`shorten_gil_slices`).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from viva_desktop import __version__
from viva_desktop.launch import LaunchOptions

if TYPE_CHECKING:
    from viva_desktop.services.common.config import Settings
    from viva_desktop.ui.common.theme import ThemeManager
    from viva_desktop.ui.common.translations import TranslationManager
    from viva_desktop.ui.dialogs.errors import ErrorPresenter
    from viva_desktop.ui.shell.main_window import MainWindow
    from viva_desktop.ui.shell.startup import Launcher

log = logging.getLogger("viva.ui")

ORGANIZATION = "ComunidadViva"
APPLICATION = "viva-desktop"
DISPLAY_NAME = "Viva Desktop"

# How long a thread may hold the GIL while another one waits for it (Python's default: 5 ms).
GIL_SWITCH_INTERVAL_S = 0.002

# The style the application starts on, from its command line (setting it from Python would
# create `QStyle`'s Python type before the first paint); `ThemeManager.apply` then puts the
# application's proxy over the same style.
STYLE_ARGUMENTS = ("-style", "Fusion")

# A window that is never painted (started minimised) must not hold the start-up back.
START_WITHOUT_PAINT_MS = 300
# The collector comes back on at the latest this long after the start, even if the start-up
# waits for the user (a store problem dialog).
GC_BACK_ON_AFTER_MS = 15_000

_UI_CHOICES: dict[str, tuple[str, ...]] = {
    "language": ("system", "en", "es"),
    "theme": ("system", "light", "dark"),
}

# Services the GUI thread imports after the settings (through `ui.errors`, `ui.startup`,
# `ui.context` and the first page): imported on the worker that loads the settings instead.
_PRELOAD = (
    "viva_desktop.services.common.logs",
    "viva_desktop.services.common.telemetry",
    "viva_desktop.services.remote.api",
    "viva_desktop.services.remote.api.errors",
    "viva_desktop.services.admin.dbmonitor",
    "viva_desktop.services.monitoring.health",
    "viva_desktop.services.remote.session",
    "viva_desktop.services.remote.vault",
    "viva_desktop.services.local.store",
    "viva_desktop.services.remote.validation",
    "viva_desktop.services.local.outbox",
)


def config_path_of(options: LaunchOptions) -> Path:
    """The configuration file this run reads and writes."""
    from viva_desktop.services.common import paths

    return options.config_file or paths.config_file()


def create_application(argv: list[str] | None = None, *, with_icon: bool = True) -> QApplication:
    """The QApplication with our names (QSettings and platformdirs agree on them), on the
    Fusion style, and icon (`run` sets the icon after the first paint: rendering it is not
    needed for that)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        app = QApplication([*(argv if argv is not None else [sys.argv[0]]), *STYLE_ARGUMENTS])
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    QCoreApplication.setApplicationVersion(__version__)
    app.setApplicationDisplayName(DISPLAY_NAME)
    app.setDesktopFileName(APPLICATION)
    if with_icon:
        install_icon(app)
    # Windows come and go during start-up (splash, login); the launcher decides when to quit.
    app.setQuitOnLastWindowClosed(False)
    return app


def install_icon(app: QApplication) -> None:
    """The application's icon; every window without one of its own shows it."""
    from viva_desktop.ui.common.icons import app_icon

    app.setWindowIcon(app_icon())


def early_preferences(options: LaunchOptions) -> dict[str, str]:
    """The UI language and theme before the settings are loaded.

    The same layers as `load_settings` (file < `VIVA_*` environment < command line), for these
    two values only and with the standard library, so the first paint is already in the user's
    language and theme without waiting for pydantic. Anything read differently here is
    corrected when the full settings arrive.
    """
    path = config_path_of(options)
    layers: list[Any] = []
    # Missing, unreadable or not TOML (or JSON): the full load reports it.
    with contextlib.suppress(OSError, ValueError):
        text = path.read_text(encoding="utf-8")
        import tomllib

        layers.append(tomllib.loads(text).get("ui"))
    env = {key.lower(): value for key, value in os.environ.items()}
    if env.get("viva_ui"):
        import json

        with contextlib.suppress(ValueError):
            layers.append(json.loads(env["viva_ui"]))
    layers.append({key: env.get(f"viva_ui__{key}") for key in _UI_CHOICES})
    layers.append({"language": options.language})
    chosen = {key: "system" for key in _UI_CHOICES}
    for layer in layers:
        if not isinstance(layer, dict):
            continue
        for key, allowed in _UI_CHOICES.items():
            value = layer.get(key)
            if isinstance(value, str) and value.strip().lower() in allowed:
                chosen[key] = value.strip().lower()
    return chosen


def settings_for(options: LaunchOptions) -> tuple[Settings, bool]:
    """The settings with the command line on top, and whether this is the first run."""
    from viva_desktop.services.common.config import load_settings
    from viva_desktop.services.common.report import Severity

    overrides: dict[str, Any] = {
        "store_url": options.store_url,
        "active_profile": options.profile,
        "ui": {"language": options.language},
    }
    path = config_path_of(options)
    settings = load_settings(path, overrides)
    for finding in settings.load_findings:
        level = logging.ERROR if finding.severity is Severity.ERROR else logging.WARNING
        log.log(level, "configuration: %s %s", finding.key, finding.message)
    first_run = not settings.first_run_done and not path.exists()
    return settings, first_run


def load_startup(options: LaunchOptions) -> tuple[Settings, bool]:
    """`settings_for` plus the imports of the next steps (worker thread: a few hundred
    milliseconds of pydantic, httpx, SQLAlchemy, Alembic, keyring and sentry-sdk that the GUI
    thread then finds ready)."""
    import importlib

    settings, first_run = settings_for(options)
    for name in _PRELOAD:
        importlib.import_module(name)
    if settings.sentry.dsn:
        importlib.import_module("sentry_sdk")
    return settings, first_run


def shorten_gil_slices() -> None:
    """Every event the GUI thread handles in Python waits for the GIL; with a sync writing
    pages on one worker and fetching the next on another, the default 5 ms slices add up to
    visible stutter (measured by `benchmarks/bench_gui_lag.py`). Shorter slices cost the
    workers a few more thread switches and no measurable throughput."""
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)


def settle_garbage_collector() -> None:
    """Start-up is over: what is alive now lives as long as the process, so move it out of
    the collector's reach (`gc.freeze`) and turn collection back on.

    The full collections of a process with a few hundred thousand objects take 100 ms and more,
    all of it with the GIL held: a visible freeze of the window whenever a sync or a big view
    allocates enough to trigger one. Frozen objects are never scanned again.
    """
    gc.freeze()
    gc.enable()


class DeferredStart(QObject):
    """The start-up after the first paint: settings, logging, error reporting, `Launcher`."""

    exit_requested = Signal(int)

    def __init__(
        self,
        app: QApplication,
        options: LaunchOptions,
        window: MainWindow,
        translations: TranslationManager,
        theme: ThemeManager,
    ) -> None:
        super().__init__(app)
        self.app = app
        self.options = options
        self.window = window
        self.translations = translations
        self.theme = theme
        self.settings: Settings | None = None
        self.launcher: Launcher | None = None
        self.presenter: ErrorPresenter | None = None
        self.log_handle: Any = None
        self._begun = False
        self._gc_settled = False
        window.first_painted.connect(self.begin)
        window.attached.connect(self._settle_gc)
        window.closed.connect(self._closed_before_launch)
        QTimer.singleShot(START_WITHOUT_PAINT_MS, self, self.begin)
        QTimer.singleShot(GC_BACK_ON_AFTER_MS, self, self._settle_gc)

    def begin(self) -> None:
        from viva_desktop.ui.common import worker

        if self._begun:
            return
        self._begun = True
        worker.configure_pool()
        self.window.show_progress(QCoreApplication.translate("Startup", "Loading the settings…"))
        worker.run_task(
            load_startup,
            self.options,
            on_done=self._settings_loaded,
            on_error=self._failed,
            parent=self,
            name="load settings",
        )
        # While the worker loads the settings: the rest of the theme, and the icon.
        self.theme.apply()
        install_icon(self.app)

    def _settings_loaded(self, result: tuple[Settings, bool]) -> None:
        from viva_desktop.services.common import telemetry
        from viva_desktop.services.common.logs import setup_logging
        from viva_desktop.ui.common import worker
        from viva_desktop.ui.common.translations import choose_language
        from viva_desktop.ui.dialogs.errors import ErrorPresenter, install_excepthook
        from viva_desktop.ui.shell.startup import Launcher

        settings, first_run = result
        options = self.options
        self.settings = settings
        self.log_handle = setup_logging(settings.log)
        log.info("Viva Desktop %s starting (%s)", __version__, self.app.platformName())
        telemetry.init_telemetry(settings.sentry, release=f"viva-desktop@{__version__}")
        language = choose_language(options.language, settings.ui.language)
        if language != self.translations.language:
            self.translations.set_language(language)
        if self.theme.theme.value != settings.ui.theme:
            self.theme.set_theme(settings.ui.theme)

        presenter = ErrorPresenter(self.app)
        install_excepthook(presenter)
        worker.set_default_error_handler(presenter.handle_task_error)
        self.presenter = presenter

        launcher = Launcher(
            options,
            settings,
            presenter=presenter,
            first_run=first_run and not (options.sandbox or options.self_test or options.offline),
            translations=self.translations,
            theme=self.theme,
            log_handle=self.log_handle,
            window=self.window,
        )
        launcher.exit_requested.connect(self.exit_requested)
        self.launcher = launcher
        launcher.start()

    def _failed(self, exc: BaseException) -> None:
        """Loading the settings never fails for bad input; this is a broken installation."""
        from viva_desktop.ui.dialogs.errors import ErrorPresenter

        log.error("start-up failed: %s", exc, exc_info=exc)
        presenter = self.presenter or ErrorPresenter(self.app)
        self.presenter = presenter
        dialog = presenter.present(exc, parent=self.window)
        if dialog is None:
            self.exit_requested.emit(1)
            return
        dialog.finished.connect(lambda _r: self.exit_requested.emit(1))

    def _closed_before_launch(self) -> None:
        if self.launcher is None:  # afterwards, the launcher decides
            self.exit_requested.emit(0)

    def _settle_gc(self) -> None:
        if not self._gc_settled:
            self._gc_settled = True
            settle_garbage_collector()

    def shutdown(self) -> None:
        """At quit, whatever stage the start-up reached."""
        from viva_desktop.ui.common import worker

        if self.launcher is not None:
            self.launcher.shutdown()
        else:
            self.window.save_state()
        worker.shutdown(timeout_ms=5000)
        worker.set_default_error_handler(None)
        if self.presenter is not None:
            from viva_desktop.ui.dialogs.errors import uninstall_excepthook

            uninstall_excepthook()
        if self.log_handle is not None:
            from viva_desktop.services.common import telemetry

            telemetry.close_telemetry()
            log.info("Viva Desktop stopped")
            self.log_handle.close()
        self._settle_gc()


def run(options: LaunchOptions) -> int:
    # Off until `settle_garbage_collector`: start-up creates long-lived objects only, and the
    # imports below (Qt's enums above all) would trigger full collections for nothing.
    gc.disable()
    shorten_gil_slices()
    from viva_desktop.ui.common.theme import ThemeManager
    from viva_desktop.ui.common.translations import TranslationManager, choose_language
    from viva_desktop.ui.shell.main_window import MainWindow

    if options.self_test and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = create_application(with_icon=False)
    preferences = early_preferences(options)
    translations = TranslationManager(app)
    translations.set_language(choose_language(options.language, preferences["language"]))
    theme = ThemeManager(app, preferences["theme"])
    theme.apply_first_frame()

    window = MainWindow()
    startup = DeferredStart(app, options, window, translations, theme)
    startup.exit_requested.connect(app.exit)
    window.show()
    try:
        return app.exec()
    finally:
        startup.shutdown()

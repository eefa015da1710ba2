"""From a started QApplication to a working window, without blocking the GUI thread.

`Launcher` runs the start-up as a sequence of background steps: open the keyring and the
store (with retries, and a dialog when the store stays unreachable or turned out damaged),
build the `AppContext` and the main window, then follow the route the command line and the
configuration ask for: self-test, the sandbox demo, offline review, the first-run welcome,
resuming a remembered session, or the login dialog.

Given the main window's shell (already on screen, see `ui.application`), the launcher shows
its progress there instead of in a splash dialog and gives the window its context as soon as
the backends are open. Dialogs and services are imported when a route needs them, so that
importing this module costs little.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication

from viva_desktop.launch import LaunchOptions
from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.services.common.i18n import translate
from viva_desktop.ui.common.context import AppContext
from viva_desktop.ui.common.sandbox_host import SandboxHost
from viva_desktop.ui.common.worker import TaskHandle, run_task
from viva_desktop.ui.shell.main_window import MainWindow

if TYPE_CHECKING:
    from viva_desktop.services.common.config import Settings
    from viva_desktop.services.local.store import Store, StoreError
    from viva_desktop.services.remote.session import Session, SessionInfo
    from viva_desktop.services.remote.vault import VaultChoice
    from viva_desktop.ui.common.progress import TaskProgressDialog
    from viva_desktop.ui.dialogs.errors import ErrorPresenter
    from viva_desktop.ui.dialogs.login import LoginDialog, LoginOutcome
    from viva_desktop.ui.dialogs.store import StoreChoice
    from viva_desktop.ui.shell.self_test import SelfTestReport
    from viva_desktop.ui.shell.welcome import WelcomeChoice

log = logging.getLogger("viva.ui.startup")


@dataclass(frozen=True)
class Backends:
    vault: VaultChoice
    store: Store | None
    store_error: StoreError | None


def open_backends(
    settings: Settings,
    store_url: str,
    *,
    vault: VaultChoice | None = None,
    progress: Callable[[str], None],
    cancel: CancelToken,
) -> Backends:
    """The keyring and the store (run on a worker: both can take seconds, and importing
    keyring, SQLAlchemy and Alembic is a good part of the start-up's work)."""
    from viva_desktop.services.local.store import StoreError, open_store
    from viva_desktop.services.remote.vault import open_vault

    if vault is None:
        progress(translate("Startup", "Checking the system keyring…"))
        vault = open_vault()
    progress(translate("Startup", "Opening the local data store…"))

    def retrying(attempt: int, error: Exception, wait: float) -> None:
        progress(
            translate(
                "Startup", "The store did not answer (attempt {attempt}); trying again in {wait} s…"
            ).format(attempt=attempt, wait=f"{wait:.0f}")
        )

    try:
        store = open_store(
            store_url,
            attempts=settings.store_connect_attempts,
            delay=settings.store_connect_delay,
            backoff=settings.store_connect_backoff,
            cancel=cancel,
            on_retry=retrying,
        )
    except StoreError as exc:
        return Backends(vault, None, exc)
    return Backends(vault, store, None)


def restore_session(session: Session, account: str) -> bool:
    return session.restore(account)


def demo_login(session: Session) -> SessionInfo:
    from viva_desktop.ui.dialogs.login import sandbox_demo_account

    email, password = sandbox_demo_account()
    return session.login(email, password)


class Launcher(QObject):
    """Drives the start-up; `exit_requested(code)` asks the application to end.

    `window` is the main window's shell when it is already on screen; without it, the launcher
    builds the window itself and shows it at the end of the route.
    """

    exit_requested = Signal(int)
    window_ready = Signal(object)  # the shown MainWindow, at the end of the route

    def __init__(
        self,
        options: LaunchOptions,
        settings: Settings,
        *,
        presenter: ErrorPresenter,
        first_run: bool,
        translations: Any = None,
        theme: Any = None,
        log_handle: Any = None,
        sandbox: SandboxHost | None = None,
        window: MainWindow | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.options = options
        self.settings = settings
        self.presenter = presenter
        self.first_run = first_run
        self.translations = translations
        self.theme = theme
        self.log_handle = log_handle
        self.sandbox = sandbox or SandboxHost()
        self.store_url = settings.store_url
        self.context: AppContext | None = None
        self.window: MainWindow | None = window
        self.login: LoginDialog | None = None
        self._vault: VaultChoice | None = None
        self._resync_requested = False
        self._splash: TaskProgressDialog | None = None
        self._announced = False
        self.report: SelfTestReport | None = None
        if window is not None:
            window.closed.connect(lambda: self._quit(0))

    # ------------------------------------------------------------------ helpers

    def _on_screen(self) -> MainWindow | None:
        """The main window when it is already shown: it carries the progress, and the
        start-up's dialogs open over it."""
        window = self.window
        if window is not None and shiboken6.isValid(window) and window.isVisible():
            return window
        return None

    def _splash_for(self, handle: TaskHandle, text: str) -> None:
        if self.options.self_test:
            return
        window = self._on_screen()
        if window is not None:
            window.show_progress(text)
            handle.progress.connect(
                lambda value: window.show_progress(value) if isinstance(value, str) else None
            )
            handle.failed.connect(lambda _exc: window.show_progress(""))
            handle.cancelled.connect(lambda: window.show_progress(""))
            return
        from viva_desktop.ui.common.progress import TaskProgressDialog

        self._splash = TaskProgressDialog(
            handle, translate("Startup", "Viva Desktop"), text, None, show_after_ms=400
        )
        handle.cancelled.connect(lambda: self.exit_requested.emit(1))

    def _quit(self, code: int) -> None:
        self.exit_requested.emit(code)

    # ------------------------------------------------------------------ step 1: backends

    def start(self) -> None:
        handle = run_task(
            open_backends,
            self.settings,
            self.store_url,
            vault=self._vault,
            on_done=self._backends_ready,
            on_error=self._fatal,
            parent=self,
            name="open keyring and store",
        )
        self._splash_for(handle, translate("Startup", "Starting Viva Desktop…"))

    def _fatal(self, exc: BaseException) -> None:
        log.error("start-up failed: %s", exc)
        dialog = self.presenter.present(exc, retry=self.start)
        if dialog is None:
            self._quit(1)
            return
        dialog.rejected.connect(lambda: self._quit(1))

    def _backends_ready(self, backends: Backends) -> None:
        from viva_desktop.services.local.store import default_store_url
        from viva_desktop.ui.dialogs.store import StoreProblemDialog

        self._vault = backends.vault
        if backends.store_error is not None:
            if self.options.self_test:
                self._build(backends)  # the report says what failed
                return
            default_url = default_store_url()
            dialog = StoreProblemDialog(
                backends.store_error,
                can_use_sqlite=self.store_url != default_url,
                parent=self._on_screen(),
            )
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.finished.connect(lambda _r: self._store_choice(dialog.choice, default_url))
            dialog.open()
            self.store_dialog = dialog
            return
        self._build(backends)

    def _store_choice(self, choice: StoreChoice, default_url: str) -> None:
        from viva_desktop.ui.dialogs.store import StoreChoice

        if choice is StoreChoice.QUIT:
            self._quit(1)
            return
        if choice is StoreChoice.USE_SQLITE:
            self.store_url = default_url  # for this run only; the settings stay as they are
        self.start()

    # ------------------------------------------------------------------ step 2: context

    def _build(self, backends: Backends) -> None:
        from viva_desktop.services.common import telemetry

        context = AppContext(
            self.settings,
            vault=backends.vault,
            store=backends.store,
            sandbox=self.sandbox,
            config_path=self.options.config_file,
            telemetry=telemetry,
            log_buffer=getattr(self.log_handle, "buffer", None),
            parent=self,
        )
        context.translations = self.translations
        context.theme = self.theme
        context.error_presenter = self.presenter
        self.presenter.on_auth_expired = context.expire_session
        self.presenter.reporter = send_report
        self.presenter.can_report = telemetry.is_enabled
        self.context = context
        window = self.window
        if window is None:
            window = MainWindow()
            window.closed.connect(lambda: self._quit(0))
            self.window = window
        window.attach(context)
        recovery = backends.store.recovered_from_corruption if backends.store else None
        if recovery is not None and not self.options.self_test:
            from viva_desktop.ui.dialogs.store import CorruptionNotice

            notice = CorruptionNotice(recovery, self._on_screen())
            notice.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            notice.finished.connect(lambda _r: self._after_notice(notice.resync))
            notice.open()
            self.corruption_notice = notice
            return
        self._route()

    def _after_notice(self, resync: bool) -> None:
        self._resync_requested = resync
        self._route()

    # ------------------------------------------------------------------ step 3: route

    def _route(self) -> None:
        context = self.context
        assert context is not None
        options = self.options
        if options.self_test:
            context.enter_offline_mode(self.settings.active())
            self._show_window()
            return
        if options.sandbox:
            self._sandbox_demo()
            return
        if options.offline:
            context.enter_offline_mode(self.settings.active())
            self._show_window()
            return
        if self.first_run:
            self._welcome()
            return
        if options.profile and self.settings.profile(options.profile) is None:
            self._show_login(
                translate("Startup", "There is no server profile called “{name}”.").format(
                    name=options.profile
                )
            )
            return
        profile = self.settings.active()
        if (
            profile is not None
            and profile.account
            and not profile.is_sandbox
            and context.vault.persistent
        ):
            self._resume(profile.name, profile.account)
            return
        self._show_login()

    def _welcome(self) -> None:
        from viva_desktop.ui.shell.welcome import WelcomeDialog

        self._progress("")
        dialog = WelcomeDialog(self._on_screen())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self._welcome_done(dialog.choice))
        dialog.open()
        self.welcome = dialog

    def _welcome_done(self, choice: WelcomeChoice) -> None:
        from viva_desktop.ui.shell.welcome import WelcomeChoice

        if choice is WelcomeChoice.NONE:
            self._quit(0)
            return
        assert self.context is not None
        self.settings.first_run_done = True
        self.context.save_settings()
        if choice is WelcomeChoice.SANDBOX:
            self._sandbox_demo()
            return
        login = self._show_login()
        login.add_profile()

    def _sandbox_demo(self) -> None:
        """Start the embedded sandbox, sign in as its demo admin, open the dashboard."""
        from viva_desktop.services.common.config import sandbox_profile

        context = self.context
        assert context is not None
        profile = self.settings.profile(sandbox_profile().name) or sandbox_profile()

        def connected(session: Session) -> None:
            handle = run_task(
                demo_login,
                session,
                on_done=lambda _info: self._show_window(),
                on_error=self._sandbox_failed,
                parent=self,
                name="sandbox demo login",
            )
            self._splash_for(handle, translate("Startup", "Signing in to the sandbox…"))

        handle = context.connect_profile(
            profile, on_done=connected, on_error=self._sandbox_failed, parent=self
        )
        self._splash_for(handle, translate("Startup", "Starting the built-in sandbox…"))

    def _sandbox_failed(self, exc: BaseException) -> None:
        log.error("the sandbox demo did not start: %s", exc)
        message = getattr(exc, "user_message", "") or str(exc)
        self._show_login(
            translate("Startup", "The built-in sandbox could not be started: {reason}").format(
                reason=message
            )
        )
        assert self.context is not None
        self.context.report_error(exc, parent=self.login)

    def _resume(self, profile_name: str, account: str) -> None:
        context = self.context
        assert context is not None
        profile = self.settings.profile(profile_name)
        assert profile is not None

        def connected(session: Session) -> None:
            handle = run_task(
                restore_session,
                session,
                account,
                on_done=lambda ok: self._show_window() if ok else self._show_login(),
                on_error=lambda exc: self._show_login(getattr(exc, "user_message", "")),
                parent=self,
                name="resume session",
            )
            self._splash_for(
                handle,
                translate("Startup", "Resuming your session on {name}…").format(
                    name=profile.display_name
                ),
            )

        handle = context.connect_profile(
            profile,
            on_done=connected,
            on_error=lambda exc: self._show_login(getattr(exc, "user_message", "")),
            parent=self,
        )
        self._splash_for(
            handle, translate("Startup", "Connecting to {name}…").format(name=profile.display_name)
        )

    def _show_login(self, message: str = "") -> LoginDialog:
        from viva_desktop.ui.dialogs.login import LoginDialog

        assert self.context is not None
        self._progress("")
        dialog = LoginDialog(
            self.context,
            self._on_screen(),
            message=message,
            profile_name=self.options.profile,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self._login_done(dialog.outcome))
        self.login = dialog
        dialog.open()
        return dialog

    def _login_done(self, outcome: LoginOutcome) -> None:
        from viva_desktop.ui.dialogs.login import LoginOutcome

        if outcome is LoginOutcome.NONE:
            self._quit(0)
            return
        self._show_window()

    def _progress(self, text: str) -> None:
        window = self._on_screen()
        if window is not None:
            window.show_progress(text)

    # ------------------------------------------------------------------ step 4: the window

    def _show_window(self) -> None:
        window = self.window
        assert window is not None
        if not window.isVisible():
            window.show()
            window.raise_()
        self._window_shown(window)

    def _window_shown(self, window: MainWindow) -> None:
        if self._announced:
            return
        self._announced = True
        window.mark_ready()
        self.window_ready.emit(window)
        if self._resync_requested and self.context is not None:
            self.context.request_resync()
            if any(spec.key == "sync" for spec in window.specs):
                window.open_page("sync")
        if self.options.self_test:
            self._run_self_test(window)
            return
        if self.options.screenshot_dir is not None:
            self._screenshots(window, self.options.screenshot_dir, then_exit=None)

    def _screenshots(self, window: MainWindow, directory: Path, then_exit: int | None) -> None:
        from viva_desktop.ui.dialogs.login import LoginDialog
        from viva_desktop.ui.shell.screenshots import ScreenshotTour

        context = self.context
        assert context is not None
        tour = ScreenshotTour(
            window, directory, extra={"login": lambda: LoginDialog(context, window)}
        )
        if then_exit is not None:
            tour.finished.connect(lambda _paths: self._quit(then_exit))
        tour.start()
        self.tour = tour

    def _run_self_test(self, window: MainWindow) -> None:
        from viva_desktop.ui.shell.self_test import (
            SelfTestReport,
            check_keyring,
            check_resources,
            check_store,
            check_translations,
            check_window,
        )

        context = self.context
        assert context is not None
        report = SelfTestReport()
        check_window(report, window)
        check_resources(report)
        check_translations(report)
        check_keyring(report, context.vault.persistent, context.vault.reason)
        self.report = report

        def store_checked(check: Any) -> None:
            report.checks.append(check)
            self._self_test_done(window, report)

        def store_failed(exc: BaseException) -> None:
            report.add("store", False, f"{type(exc).__name__}: {exc}")
            self._self_test_done(window, report)

        run_task(
            check_store,
            context.store,
            on_done=store_checked,
            on_error=store_failed,
            parent=self,
            name="self-test store",
        )

    def _self_test_done(self, window: MainWindow, report: SelfTestReport) -> None:
        sys.stdout.write(report.text() + "\n")
        sys.stdout.flush()
        code = 0 if report.passed else 1
        if self.options.screenshot_dir is not None:
            self._screenshots(window, self.options.screenshot_dir, then_exit=code)
            return
        self._quit(code)

    # ------------------------------------------------------------------ teardown

    def shutdown(self) -> None:
        window = self.window
        if window is not None and shiboken6.isValid(window):
            window.save_state()
        if self.context is not None:
            self.context.shutdown()
        else:
            self.sandbox.stop()


def send_report(exc: BaseException) -> str | None:
    """The error dialog's "Send report": capture and make sure it left (worker thread)."""
    from viva_desktop.services.common import telemetry

    event_id = telemetry.capture_exception(exc)
    telemetry.flush(timeout=5.0)
    return event_id


def quit_application(code: int) -> None:
    app = QApplication.instance()
    if app is not None:
        app.exit(code)

"""The one error dialog, and the one place that decides what it says for each error.

Every failure the user meets comes through `ErrorPresenter.present`: typed service errors
(`ApiError`, `StoreError`) with their message, next step and details, and unexpected exceptions
(from the GUI thread, a worker, or any other thread, via `install_excepthook`) with their
traceback. `describe_error` is the mapping, in one place, as in Anki's `aqt.errors`.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from types import TracebackType
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from viva_desktop.services.admin.dbmonitor import (
    DatabaseAuthError,
    DatabaseMonitorError,
    DatabasePermissionError,
    DatabaseQueryError,
    DatabaseUnreachableError,
)
from viva_desktop.services.common.cancel import CancelledError
from viva_desktop.services.common.i18n import translate
from viva_desktop.services.remote.api import errors as api_errors
from viva_desktop.ui.common.icons import icon
from viva_desktop.ui.common.layouts import beside_glyph
from viva_desktop.ui.common.retranslate import Retranslating

log = logging.getLogger("viva.ui.errors")


class Action(Enum):
    """The main thing the dialog offers besides closing."""

    NONE = "none"
    RETRY = "retry"
    WAIT = "wait"  # retry, once a countdown has run out
    LOGIN = "login"


@dataclass(frozen=True)
class ErrorContent:
    title: str
    message: str
    next_step: str
    details: str
    kind: str  # the exception's class name
    action: Action = Action.NONE
    wait_seconds: int = 0
    unexpected: bool = False  # a bug rather than a situation: offer to report it

    @property
    def dedup_key(self) -> tuple[str, str]:
        return (self.kind, self.message)


def _title(exc: BaseException) -> str:
    titles: list[tuple[type, str]] = [
        (api_errors.AuthExpired, translate("ErrorDialog", "Session expired")),
        (api_errors.SessionUnavailable, translate("ErrorDialog", "Not signed in")),
        (api_errors.InvalidCredentials, translate("ErrorDialog", "Sign-in failed")),
        (api_errors.InvalidTwoFactorCode, translate("ErrorDialog", "Sign-in failed")),
        (api_errors.TwoFactorRequired, translate("ErrorDialog", "Two-factor code needed")),
        (api_errors.Forbidden, translate("ErrorDialog", "Not allowed")),
        (api_errors.NotFound, translate("ErrorDialog", "Not found")),
        (api_errors.RateLimited, translate("ErrorDialog", "Too many requests")),
        (api_errors.ServerError, translate("ErrorDialog", "Server error")),
        (api_errors.TlsError, translate("ErrorDialog", "Certificate problem")),
        (api_errors.NetworkUnreachable, translate("ErrorDialog", "No connection")),
        (api_errors.RequestTimeout, translate("ErrorDialog", "No answer from the server")),
        (api_errors.InvalidInput, translate("ErrorDialog", "Invalid input")),
        (api_errors.UnknownOutcome, translate("ErrorDialog", "Outcome unknown")),
        (api_errors.Conflict, translate("ErrorDialog", "Conflict")),
        (api_errors.BadResponse, translate("ErrorDialog", "Unexpected answer")),
        (api_errors.BadServerAddress, translate("ErrorDialog", "Invalid server address")),
        (api_errors.KeyringUnavailable, translate("ErrorDialog", "Keyring unavailable")),
    ]
    for kind, title in titles:
        if isinstance(exc, kind):
            return title
    return translate("ErrorDialog", "Error")


def _is_store_error(exc: BaseException) -> bool:
    from viva_desktop.services.local.store.errors import StoreError

    return isinstance(exc, StoreError)


def _traceback_text(exc: BaseException, tb: TracebackType | None = None) -> str:
    return "".join(traceback.format_exception(type(exc), exc, tb or exc.__traceback__))


def describe_error(exc: BaseException, tb: TracebackType | None = None) -> ErrorContent:
    """What the dialog shows for `exc`: the single mapping from errors to words and actions."""
    kind = type(exc).__name__
    if isinstance(exc, api_errors.ApiError):
        step = exc.next_step
        action = Action.NONE
        wait = 0
        if isinstance(exc, api_errors.RateLimited):
            action, wait = Action.WAIT, max(1, round(exc.retry_after))
        elif step is api_errors.NextStep.LOGIN:
            action = Action.LOGIN
        elif (
            exc.retryable
            or step is api_errors.NextStep.RETRY
            or (
                step is api_errors.NextStep.CHECK_CONNECTION
                and not isinstance(exc, api_errors.TlsError)
            )
        ):
            action = Action.RETRY
        store = _is_store_error(exc)
        if store:
            details = f"Error: {kind}\n{getattr(exc, 'technical', '') or exc}"
        else:
            details = exc.details.as_text(kind)
        if isinstance(exc, api_errors.InvalidInput) and exc.field_errors:
            fields = "\n".join(f"  {name}: {text}" for name, text in exc.field_errors.items())
            details += "\nFields:\n" + fields
        return ErrorContent(
            title=translate("ErrorDialog", "Local data store") if store else _title(exc),
            message=exc.user_message,
            next_step=exc.next_step_text,
            details=details,
            kind=kind,
            action=action,
            wait_seconds=wait,
        )
    if isinstance(exc, DatabaseMonitorError):
        return _describe_database_error(exc)
    if isinstance(exc, OSError) and not isinstance(exc, ConnectionError):
        target = exc.filename or ""
        return ErrorContent(
            title=translate("ErrorDialog", "File problem"),
            message=translate(
                "ErrorDialog", "A file could not be read or written: {reason}"
            ).format(reason=exc.strerror or str(exc)),
            next_step=translate(
                "ErrorDialog", "Check that the folder exists and that you may write to it."
            ),
            details=f"Error: {kind}\nFile: {target or '-'}\n\n{_traceback_text(exc, tb)}",
            kind=kind,
            action=Action.RETRY,
        )
    return ErrorContent(
        title=translate("ErrorDialog", "Unexpected error"),
        message=translate(
            "ErrorDialog",
            "Something went wrong inside Viva Desktop and the action did not complete. "
            "Your saved data is not affected.",
        ),
        next_step=translate(
            "ErrorDialog",
            "You can keep working. If it happens again, send a report or copy the details "
            "for the developers.",
        ),
        details=f"Error: {kind}: {exc}\n\n{_traceback_text(exc, tb)}",
        kind=kind,
        action=Action.NONE,
        unexpected=True,
    )


Reporter = Callable[[BaseException], "str | None"]


class ErrorDialog(Retranslating, QDialog):
    """Message, next step, optional countdown, expandable details, copy and report buttons."""

    login_requested = Signal()
    retry_requested = Signal()
    report_sent = Signal(str)  # the Sentry event id

    def __init__(
        self,
        exc: BaseException,
        parent: QWidget | None = None,
        *,
        content: ErrorContent | None = None,
        retry: Callable[[], object] | None = None,
        reporter: Reporter | None = None,
        tb: TracebackType | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ErrorDialog")
        self.exception = exc
        self.content = content or describe_error(exc, tb)
        self._retry = retry
        self._reporter = reporter
        self._remaining = self.content.wait_seconds
        self.setMinimumWidth(460)

        style = self.style()
        self.headline = QLabel()
        self.headline.setObjectName("Headline")
        self.headline.setWordWrap(True)
        self.message_label = QLabel(self.content.message)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.next_step_label = QLabel(self.content.next_step)
        self.next_step_label.setWordWrap(True)
        self.next_step_label.setObjectName("Muted")
        # For a wait, the live countdown below says the same thing, second by second.
        self.next_step_label.setVisible(
            bool(self.content.next_step) and self.content.action is not Action.WAIT
        )
        self.countdown_label = QLabel()
        self.countdown_label.setObjectName("Countdown")
        bold = self.countdown_label.font()
        bold.setBold(True)
        self.countdown_label.setFont(bold)
        self.countdown_label.setVisible(self.content.action is Action.WAIT)
        self.report_label = QLabel()
        self.report_label.setWordWrap(True)
        self.report_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.report_label.hide()

        top = beside_glyph(
            icon("error" if self.content.unexpected else "warning").pixmap(40, 40),
            self.headline,
            self.message_label,
            self.next_step_label,
            self.countdown_label,
            self.report_label,
        )

        self.details_button = QPushButton()
        self.details_button.setCheckable(True)
        self.details_button.toggled.connect(self._toggle_details)
        self.details_view = QPlainTextEdit(self.content.details)
        self.details_view.setObjectName("Details")
        self.details_view.setReadOnly(True)
        self.details_view.setMinimumHeight(160)
        self.details_view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.details_view.hide()

        self.copy_button = QPushButton(icon("copy"), "")
        self.copy_button.clicked.connect(self.copy_details)
        self.send_button = QPushButton(icon("send"), "")
        self.send_button.clicked.connect(self.send_report)
        self.send_button.setVisible(reporter is not None)
        self.login_button = QPushButton(icon("login"), "")
        self.login_button.clicked.connect(self._login)
        self.login_button.setVisible(self.content.action is Action.LOGIN)
        self.retry_button = QPushButton(icon("refresh"), "")
        self.retry_button.clicked.connect(self._do_retry)
        self.retry_button.setVisible(
            retry is not None and self.content.action in (Action.RETRY, Action.WAIT)
        )
        self.close_button = QPushButton(
            style.standardIcon(QStyle.StandardPixmap.SP_DialogCloseButton), ""
        )
        self.close_button.clicked.connect(self.reject)

        buttons = QHBoxLayout()
        buttons.addWidget(self.details_button)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.send_button)
        buttons.addStretch(1)
        buttons.addWidget(self.login_button)
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details_view, 1)
        layout.addLayout(buttons)

        default = self.close_button
        if self.login_button.isVisible():
            default = self.login_button
        elif self.retry_button.isVisible() and self.content.action is Action.RETRY:
            default = self.retry_button
        default.setDefault(True)
        default.setFocus()

        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        if self.content.action is Action.WAIT:
            self.retry_button.setEnabled(False)
            self._timer.start()
        self.retranslate()

    # ------------------------------------------------------------------ texts

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Viva Desktop — {title}").format(title=self.content.title))
        self.headline.setText(self.content.title)
        self.details_button.setText(
            self.tr("Hide details") if self.details_button.isChecked() else self.tr("Details")
        )
        self.copy_button.setText(self.tr("Copy details"))
        self.send_button.setText(self.tr("Send report"))
        self.login_button.setText(self.tr("Log in again"))
        self.retry_button.setText(self.tr("Try again"))
        self.close_button.setText(self.tr("Close"))
        self._update_countdown()

    def _update_countdown(self) -> None:
        if self.content.action is not Action.WAIT:
            return
        if self._remaining > 0:
            self.countdown_label.setText(
                self.tr("Wait %n second(s) before trying again.", "", self._remaining)
            )
        else:
            self.countdown_label.setText(self.tr("You can try again now."))

    # ------------------------------------------------------------------ actions

    @property
    def remaining_seconds(self) -> int:
        return self._remaining

    def full_report_text(self) -> str:
        parts = [self.content.title, self.content.message]
        if self.content.next_step:
            parts.append(self.content.next_step)
        return "\n".join(parts) + "\n\n" + self.content.details

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.full_report_text())
        self.copy_button.setText(self.tr("Copied"))

    def send_report(self) -> None:
        if self._reporter is None:
            return
        from viva_desktop.ui.common.worker import run_task

        self.send_button.setEnabled(False)
        self.report_label.setText(self.tr("Sending the report…"))
        self.report_label.show()
        run_task(
            self._reporter,
            self.exception,
            on_done=self._report_done,
            on_error=self._report_failed,
            parent=self,
            name="send error report",
        )

    def _report_done(self, event_id: object) -> None:
        if not event_id:
            self._report_failed(RuntimeError("no event id"))
            return
        self.report_label.setText(
            self.tr("Report sent. Reference: {event_id}").format(event_id=event_id)
        )
        self.report_sent.emit(str(event_id))

    def _report_failed(self, exc: BaseException) -> None:
        log.warning("sending an error report failed: %s", exc)
        self.report_label.setText(
            self.tr("The report could not be sent. Copy the details instead.")
        )
        self.send_button.setEnabled(True)

    def _toggle_details(self, shown: bool) -> None:
        self.details_view.setVisible(shown)
        self.retranslate()
        self.adjustSize()

    def _tick(self) -> None:
        self._remaining = max(0, self._remaining - 1)
        self._update_countdown()
        if self._remaining == 0:
            self._timer.stop()
            self.retry_button.setEnabled(True)
            if self.retry_button.isVisible():
                self.retry_button.setDefault(True)

    def _do_retry(self) -> None:
        retry = self._retry
        self.accept()
        self.retry_requested.emit()
        if retry is not None:
            retry()

    def _login(self) -> None:
        self.accept()
        self.login_requested.emit()


class ErrorPresenter(QObject):
    """Routes every error to the dialog (one per distinct error at a time) or, for an expired
    session, to the login; installed as the worker's default error handler."""

    dialog_opened = Signal(object)  # the ErrorDialog
    _unexpected = Signal(object, object)  # (exception, traceback), from any thread

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        on_auth_expired: Callable[[BaseException], object] | None = None,
        reporter: Reporter | None = None,
        can_report: Callable[[], bool] | None = None,
        window: Callable[[], QWidget | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.on_auth_expired = on_auth_expired
        self.reporter = reporter
        # Whether reports can be sent right now (Sentry configured); asked for every dialog,
        # so turning reporting on in the settings takes effect at once.
        self.can_report = can_report or (lambda: True)
        self._window = window
        self._open: dict[tuple[str, str], ErrorDialog] = {}
        self._unexpected.connect(self._show_unexpected, Qt.ConnectionType.QueuedConnection)

    def open_dialogs(self) -> list[ErrorDialog]:
        return [d for d in self._open.values() if shiboken6.isValid(d)]

    def present(
        self,
        exc: BaseException,
        *,
        retry: Callable[[], object] | None = None,
        parent: QObject | None = None,
        tb: TracebackType | None = None,
    ) -> ErrorDialog | None:
        """Show `exc` to the user. Returns the dialog, or None when nothing was shown (a
        cancellation, or an expired session handed to the login)."""
        if isinstance(exc, CancelledError):
            return None
        if isinstance(exc, api_errors.AuthExpired) and self.on_auth_expired is not None:
            log.info("session expired: %s", exc)
            self.on_auth_expired(exc)
            return None
        content = describe_error(exc, tb)
        # The request id of an API error goes into the log record, so the Logs page's Request
        # column links this line to the request's own lines.
        details = getattr(exc, "details", None)
        request = {"request_id": getattr(details, "request_id", None) or None}
        if content.unexpected:
            log.error(
                "unexpected error shown to the user",
                exc_info=(type(exc), exc, tb or exc.__traceback__),
                extra=request,
            )
        else:
            log.warning("%s: %s", content.kind, exc, extra=request)
        existing = self._open.get(content.dedup_key)
        if existing is not None and shiboken6.isValid(existing) and existing.isVisible():
            existing.raise_()
            existing.activateWindow()
            return existing
        reporter = self.reporter if self.reporter is not None and self.can_report() else None
        dialog = ErrorDialog(
            exc,
            self._parent_widget(parent),
            content=content,
            retry=retry,
            reporter=reporter,
            tb=tb,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if self.on_auth_expired is not None:
            dialog.login_requested.connect(lambda: self.on_auth_expired(exc))  # type: ignore[misc]
        key = content.dedup_key
        self._open[key] = dialog
        dialog.finished.connect(lambda _result: self._forget(key, dialog))
        dialog.open()
        self.dialog_opened.emit(dialog)
        return dialog

    def handle_task_error(
        self, exc: BaseException, *, retry: Callable[[], object] | None = None, parent: Any = None
    ) -> None:
        """The worker's default error handler."""
        self.present(exc, retry=retry, parent=parent)

    def unexpected_from_any_thread(self, exc: BaseException, tb: TracebackType | None) -> None:
        self._unexpected.emit(exc, tb)

    def _show_unexpected(self, exc: BaseException, tb: TracebackType | None) -> None:
        self.present(exc, tb=tb)

    def _forget(self, key: tuple[str, str], dialog: ErrorDialog) -> None:
        if self._open.get(key) is dialog:
            del self._open[key]

    def _parent_widget(self, parent: QObject | None) -> QWidget | None:
        candidate = parent
        while candidate is not None and shiboken6.isValid(candidate):
            if isinstance(candidate, QWidget):
                return candidate.window()
            candidate = candidate.parent()
        if self._window is not None:
            window = self._window()
            if window is not None and shiboken6.isValid(window) and window.isVisible():
                return window
        active = QApplication.activeWindow()
        return active


_previous_hooks: tuple[Any, Any] | None = None


def install_excepthook(presenter: ErrorPresenter) -> None:
    """Unexpected exceptions anywhere open the error dialog (and are logged) instead of
    crashing silently or vanishing into a terminal nobody reads."""
    global _previous_hooks
    if _previous_hooks is None:
        _previous_hooks = (sys.excepthook, threading.excepthook)

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.critical("unhandled exception", exc_info=(exc_type, exc, tb))
        if shiboken6.isValid(presenter) and QCoreApplication.instance() is not None:
            presenter.unexpected_from_any_thread(exc, tb)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        hook(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = hook
    threading.excepthook = thread_hook


def uninstall_excepthook() -> None:
    global _previous_hooks
    if _previous_hooks is not None:
        sys.excepthook, threading.excepthook = _previous_hooks
        _previous_hooks = None


def _describe_database_error(exc: DatabaseMonitorError) -> ErrorContent:
    """The database panel's errors carry their own message but are not API errors."""
    if isinstance(exc, DatabaseUnreachableError):
        step = translate(
            "AdminErrors", "Check the address and that the database server is running."
        )
    elif isinstance(exc, DatabaseAuthError):
        step = translate("AdminErrors", "Correct the user name or password, then connect again.")
    elif isinstance(exc, DatabasePermissionError):
        step = translate(
            "AdminErrors",
            "Ask the database owner to run: GRANT pg_monitor TO <monitoring role>;",
        )
    elif isinstance(exc, DatabaseQueryError) and exc.timed_out:
        step = translate("AdminErrors", "Try again in a moment, or refresh less often.")
    else:
        step = ""
    retryable = isinstance(exc, DatabaseUnreachableError) or (
        isinstance(exc, DatabaseQueryError) and exc.timed_out
    )
    kind = type(exc).__name__
    details = f"Error: {kind}\nDatabase: {exc.target or '-'}\n\n{exc.technical or exc}"
    return ErrorContent(
        title=translate("AdminErrors", "Database monitor"),
        message=exc.user_message,
        next_step=step,
        details=details,
        kind=kind,
        action=Action.RETRY if retryable else Action.NONE,
    )

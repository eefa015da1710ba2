"""The one error dialog: content per error type, next steps, countdown, clipboard, reports,
and the exception hook."""

from __future__ import annotations

import sys

import pytest
import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication

from viva_desktop.services.common import telemetry
from viva_desktop.services.common.config import SentrySettings
from viva_desktop.services.local.store import StoreUnavailable
from viva_desktop.services.remote.api import errors as e
from viva_desktop.ui.common import worker
from viva_desktop.ui.dialogs.errors import (
    Action,
    ErrorDialog,
    ErrorPresenter,
    describe_error,
    install_excepthook,
    uninstall_excepthook,
)


def details(status: int | None = 500, path: str = "/offers?limit=20") -> e.ErrorDetails:
    return e.ErrorDetails(
        request_id="req-1234",
        method="GET",
        path=path,
        status=status,
        server_message="Internal server error",
        server_timestamp="2025-01-01T10:00:00.000Z",
    )


@pytest.mark.parametrize(
    ("exc", "action", "title"),
    [
        (e.AuthExpired(details=details(401)), Action.LOGIN, "Session expired"),
        (e.InvalidCredentials(details=details(401)), Action.NONE, "Sign-in failed"),
        (e.Forbidden(e.ForbiddenReason.ROLE, details=details(403)), Action.NONE, "Not allowed"),
        (e.NotFound(details=details(404)), Action.NONE, "Not found"),
        (e.RateLimited(12, details=details(429)), Action.WAIT, "Too many requests"),
        (e.ServerError(details=details(503)), Action.RETRY, "Server error"),
        (e.NetworkUnreachable(details=details(None)), Action.RETRY, "No connection"),
        (e.TlsError(details=details(None)), Action.NONE, "Certificate problem"),
        (e.RequestTimeout(details=details(None)), Action.RETRY, "No answer from the server"),
        (
            e.InvalidInput({"title": "Too short"}, details=details(400)),
            Action.NONE,
            "Invalid input",
        ),
        (e.UnknownOutcome(details=details(500)), Action.NONE, "Outcome unknown"),
        (e.BadResponse(details=details(200)), Action.NONE, "Unexpected answer"),
    ],
)
def test_every_service_error_has_words_and_a_next_step(exc, action, title) -> None:
    content = describe_error(exc)
    assert content.title == title
    assert content.message == exc.user_message
    assert content.next_step == exc.next_step_text
    assert content.action is action
    assert "req-1234" in content.details
    assert not content.unexpected


def test_store_errors_and_bugs_are_described_too() -> None:
    store = describe_error(
        StoreUnavailable("sqlite:////nowhere/x.db", "disk I/O error", attempts=3)
    )
    assert store.title == "Local data store"
    assert "disk I/O error" in store.details
    assert store.action is Action.RETRY
    try:
        raise KeyError("missing")
    except KeyError as exc:
        bug = describe_error(exc)
    assert bug.unexpected
    assert "Traceback" in bug.details
    assert "KeyError" in bug.details


def test_dialog_shows_message_next_step_and_technical_details(qtbot) -> None:
    exc = e.ServerError(details=details(503))
    retried: list[int] = []
    dialog = ErrorDialog(exc, retry=lambda: retried.append(1))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.message_label.text() == "Server error. Please try again later."
    assert dialog.next_step_label.text() == "Try again in a moment."
    assert dialog.details_view.isHidden()
    dialog.details_button.click()
    assert dialog.details_view.isVisible()
    text = dialog.details_view.toPlainText()
    for expected in ("req-1234", "GET /offers?limit=20", "503", "Internal server error"):
        assert expected in text
    assert "Time: " in text
    assert not dialog.login_button.isVisible()
    assert dialog.retry_button.isVisible()
    dialog.retry_button.click()
    assert retried == [1]
    assert not dialog.isVisible()


def test_no_retry_button_without_a_retry_callback(qtbot) -> None:
    dialog = ErrorDialog(e.ServerError(details=details(503)))
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.retry_button.isVisible()


def test_copy_details_puts_everything_on_the_clipboard(qtbot) -> None:
    dialog = ErrorDialog(e.NotFound(details=details(404, "/users/x")))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith("Not found\nResource not found.")
    assert "Request: GET /users/x" in copied
    assert "HTTP status: 404" in copied


def test_rate_limited_counts_down_then_allows_a_retry(qtbot) -> None:
    retried: list[int] = []
    dialog = ErrorDialog(e.RateLimited(2, details=details(429)), retry=lambda: retried.append(1))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.countdown_label.isVisible()
    assert dialog.countdown_label.text() == "Wait 2 seconds before trying again."
    assert not dialog.retry_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.remaining_seconds == 1, timeout=3000)
    assert dialog.countdown_label.text() == "Wait 1 second before trying again."
    qtbot.waitUntil(dialog.retry_button.isEnabled, timeout=3000)
    assert dialog.countdown_label.text() == "You can try again now."
    dialog.retry_button.click()
    assert retried == [1]


def test_expired_session_goes_to_the_login_not_to_a_dialog(qtbot) -> None:
    expired: list[BaseException] = []
    presenter = ErrorPresenter(on_auth_expired=expired.append)
    assert presenter.present(e.AuthExpired(details=details(401))) is None
    assert len(expired) == 1
    assert presenter.present(e.Cancelled()) is None


def test_presenter_shows_one_dialog_per_distinct_error(qtbot) -> None:
    presenter = ErrorPresenter()
    first = presenter.present(e.ServerError(details=details(503)))
    second = presenter.present(e.ServerError(details=details(503)))
    assert first is second
    other = presenter.present(e.NotFound(details=details(404)))
    assert other is not first
    assert len(presenter.open_dialogs()) == 2
    for dialog in presenter.open_dialogs():
        dialog.close()
    qtbot.waitUntil(lambda: not presenter.open_dialogs(), timeout=3000)


def test_login_again_asks_for_the_login(qtbot) -> None:
    presenter = ErrorPresenter()
    dialog = presenter.present(e.SessionUnavailable())
    assert dialog is not None
    asked: list[int] = []
    dialog.login_requested.connect(lambda: asked.append(1))
    assert dialog.login_button.isVisible()
    dialog.login_button.click()
    assert asked == [1]


def test_send_report_delivers_the_event_to_sentry(qtbot, sentry_receiver) -> None:
    assert telemetry.init_telemetry(
        SentrySettings(dsn=sentry_receiver.dsn), release="viva-desktop@test"
    )
    try:
        from viva_desktop.ui.shell.startup import send_report

        dialog = ErrorDialog(e.ServerError(details=details(503)), reporter=send_report)
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.send_button.isVisible()
        with qtbot.waitSignal(dialog.report_sent, timeout=10_000) as sent:
            dialog.send_button.click()
        event_id = sent.args[0]
        assert event_id in dialog.report_label.text()
        qtbot.waitUntil(
            lambda: any(ev.get("event_id") == event_id for ev in sentry_receiver.events()),
            timeout=10_000,
        )
    finally:
        telemetry.close_telemetry()


def test_no_send_button_without_sentry(qtbot) -> None:
    dialog = ErrorDialog(e.ServerError())
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.send_button.isVisible()


@pytest.mark.qt_no_exception_capture
def test_excepthook_opens_the_dialog_with_the_traceback(qtbot, caplog) -> None:
    presenter = ErrorPresenter()
    previous = sys.excepthook
    install_excepthook(presenter)
    try:
        assert sys.excepthook is not previous

        def boom() -> None:
            raise ZeroDivisionError("boom in a slot")

        with qtbot.waitSignal(presenter.dialog_opened, timeout=5000) as opened:
            QTimer.singleShot(0, boom)
        dialog = opened.args[0]
        assert dialog.content.unexpected
        assert dialog.content.title == "Unexpected error"
        assert "ZeroDivisionError: boom in a slot" in dialog.details_view.toPlainText()
        assert "Traceback" in dialog.details_view.toPlainText()
        assert any("unhandled exception" in r.getMessage() for r in caplog.records)
        dialog.close()
    finally:
        uninstall_excepthook()
    assert sys.excepthook is previous


@pytest.mark.qt_no_exception_capture
def test_excepthook_catches_exceptions_of_plain_threads(qtbot) -> None:
    import threading

    presenter = ErrorPresenter()
    install_excepthook(presenter)
    try:

        def fail() -> None:
            raise RuntimeError("thread trouble")

        with qtbot.waitSignal(presenter.dialog_opened, timeout=5000) as opened:
            thread = threading.Thread(target=fail)
            thread.start()
            thread.join()
        assert "thread trouble" in opened.args[0].details_view.toPlainText()
        opened.args[0].close()
    finally:
        uninstall_excepthook()


def test_worker_failure_without_handler_opens_the_dialog_with_retry(qtbot) -> None:
    presenter = ErrorPresenter()
    worker.set_default_error_handler(presenter.handle_task_error)
    attempts: list[int] = []

    def flaky() -> str:
        attempts.append(1)
        raise e.NetworkUnreachable(details=details(None))

    try:
        with qtbot.waitSignal(presenter.dialog_opened, timeout=5000) as opened:
            worker.run_task(flaky)
        dialog = opened.args[0]
        assert dialog.retry_button.isVisible()
        with qtbot.waitSignal(presenter.dialog_opened, timeout=5000):
            dialog.retry_button.click()
        assert len(attempts) == 2
    finally:
        worker.set_default_error_handler(None)
        for open_dialog in presenter.open_dialogs():
            open_dialog.close()


def test_unexpected_worker_exception_shows_its_traceback(qtbot) -> None:
    presenter = ErrorPresenter()
    worker.set_default_error_handler(presenter.handle_task_error)

    def buggy() -> None:
        return {}["nope"]

    try:
        with qtbot.waitSignal(presenter.dialog_opened, timeout=5000) as opened:
            worker.run_task(buggy)
        dialog = opened.args[0]
        assert dialog.content.unexpected
        assert "buggy" in dialog.details_view.toPlainText()
        dialog.close()
        qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible())
    finally:
        worker.set_default_error_handler(None)

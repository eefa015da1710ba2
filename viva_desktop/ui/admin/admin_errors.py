"""Errors of the admin tools, shown in the application's one error dialog.

The database monitor's errors carry their own user message and technical details but are not
API errors, so the shared mapping (`ui.errors.describe_error`) would call them unexpected bugs.
This fills in the dialog's content for them; everything else goes to the shared presenter.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QWidget

from viva_desktop.services.dbmonitor import (
    DatabaseAuthError,
    DatabaseMonitorError,
    DatabasePermissionError,
    DatabaseQueryError,
    DatabaseUnreachableError,
)
from viva_desktop.ui.context import AppContext
from viva_desktop.ui.errors import Action, ErrorContent, ErrorDialog


def describe_admin_error(exc: BaseException) -> ErrorContent | None:
    """The dialog's content for an admin-tool error, or None for the shared mapping."""
    if not isinstance(exc, DatabaseMonitorError):
        return None
    if isinstance(exc, DatabaseUnreachableError):
        step = QCoreApplication.translate(
            "AdminErrors", "Check the address and that the database server is running."
        )
    elif isinstance(exc, DatabaseAuthError):
        step = QCoreApplication.translate(
            "AdminErrors", "Correct the user name or password, then connect again."
        )
    elif isinstance(exc, DatabasePermissionError):
        step = QCoreApplication.translate(
            "AdminErrors",
            "Ask the database owner to run: GRANT pg_monitor TO <monitoring role>;",
        )
    elif isinstance(exc, DatabaseQueryError) and exc.timed_out:
        step = QCoreApplication.translate(
            "AdminErrors", "Try again in a moment, or refresh less often."
        )
    else:
        step = ""
    retryable = isinstance(exc, DatabaseUnreachableError) or (
        isinstance(exc, DatabaseQueryError) and exc.timed_out
    )
    kind = type(exc).__name__
    details = f"Error: {kind}\nDatabase: {exc.target or '-'}\n\n{exc.technical or exc}"
    return ErrorContent(
        title=QCoreApplication.translate("AdminErrors", "Database monitor"),
        message=exc.user_message,
        next_step=step,
        details=details,
        kind=kind,
        action=Action.RETRY if retryable else Action.NONE,
    )


def show_error(
    context: AppContext,
    exc: BaseException,
    *,
    retry: Callable[[], object] | None = None,
    parent: QWidget | None = None,
) -> None:
    """Show `exc` in the error dialog, with admin-specific words where they exist."""
    content = describe_admin_error(exc)
    if content is None:
        context.report_error(exc, retry=retry, parent=parent)
        return
    window = parent.window() if parent is not None else None
    dialog = ErrorDialog(exc, window, content=content, retry=retry)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    presenter = context.error_presenter
    signal = getattr(presenter, "dialog_opened", None)
    if signal is not None:
        signal.emit(dialog)

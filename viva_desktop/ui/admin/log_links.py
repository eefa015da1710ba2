"""From an error to its log records: "Show in logs" in the error dialog of any failed request.

The error dialog's details carry the request id the API client sent as `X-Request-Id` and put
on every log record of that request. When a dialog opens for such an error, a button is added
beside "Copy details"; it closes the dialog and opens the log viewer filtered to that request.
"""

from __future__ import annotations

import re

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QApplication, QBoxLayout, QLayout, QPushButton, QWidget

from viva_desktop.ui.common.context import AppContext
from viva_desktop.ui.common.icons import icon

LOGS_PAGE = "logs"
_REQUEST_LINE = re.compile(r"^Request ID:\s*([0-9A-Za-z_-]{6,})\s*$", re.MULTILINE)


def request_id_of_error(exc: BaseException | None, details: str = "") -> str | None:
    """The request id of a failed API call: from the error itself, else from its details."""
    error_details = getattr(exc, "details", None)
    request_id = getattr(error_details, "request_id", None)
    if isinstance(request_id, str) and request_id:
        return request_id
    match = _REQUEST_LINE.search(details or "")
    return match.group(1) if match else None


def main_window_with_logs(start: QWidget | None = None) -> QWidget | None:
    """The main window (the one that can open the logs page)."""
    candidates: list[QWidget] = []
    if start is not None and shiboken6.isValid(start):
        candidates.append(start.window())
    candidates += QApplication.topLevelWidgets()
    for widget in candidates:
        specs = getattr(widget, "specs", None)
        opens_pages = callable(getattr(widget, "open_page", None)) and specs is not None
        if opens_pages and any(getattr(spec, "key", None) == LOGS_PAGE for spec in specs):
            return widget
    return None


def show_request_in_logs(request_id: str, start: QWidget | None = None) -> bool:
    """Open the log viewer on `request_id`'s records; False when there is no main window."""
    window = main_window_with_logs(start)
    if window is None:
        return False
    page = window.open_page(LOGS_PAGE)  # type: ignore[attr-defined]
    page.show_request(request_id)
    window.raise_()
    window.activateWindow()
    return True


def _buttons_layout(layout: QLayout, button: QWidget) -> QBoxLayout | None:
    """The (nested) box layout that holds `button`."""
    if isinstance(layout, QBoxLayout) and layout.indexOf(button) >= 0:
        return layout
    for index in range(layout.count()):
        child = layout.itemAt(index).layout()
        if child is not None:
            found = _buttons_layout(child, button)
            if found is not None:
                return found
    return None


class LogLinker(QObject):
    """Adds "Show in logs" to every error dialog that is about a request."""

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.setObjectName("LogLinker")
        self._context = context
        presenter = context.error_presenter
        signal = getattr(presenter, "dialog_opened", None)
        if signal is not None:
            signal.connect(self.decorate)

    def decorate(self, dialog: QWidget) -> QPushButton | None:
        content = getattr(dialog, "content", None)
        request_id = request_id_of_error(
            getattr(dialog, "exception", None), getattr(content, "details", "")
        )
        copy_button = getattr(dialog, "copy_button", None)
        layout = dialog.layout()
        if request_id is None or copy_button is None or layout is None:
            return None
        if dialog.findChild(QPushButton, "ShowInLogs") is not None:
            return None
        row = _buttons_layout(layout, copy_button)
        if row is None:
            return None
        button = QPushButton(
            icon("logs"), QCoreApplication.translate("LogLinks", "Show in logs"), dialog
        )
        button.setObjectName("ShowInLogs")
        button.setToolTip(
            QCoreApplication.translate("LogLinks", "Show the log records of request {id}").format(
                id=request_id
            )
        )
        parent = dialog.parentWidget()

        def show() -> None:
            if hasattr(dialog, "accept"):
                dialog.accept()
            show_request_in_logs(request_id, parent)

        button.clicked.connect(show)
        row.insertWidget(row.indexOf(copy_button) + 1, button)
        return button


def ensure_log_links(context: AppContext) -> LogLinker | None:
    """Install the context's one `LogLinker` (once the error presenter exists)."""
    if context.error_presenter is None:
        return None
    linker = context.findChild(LogLinker)
    return linker if linker is not None else LogLinker(context)

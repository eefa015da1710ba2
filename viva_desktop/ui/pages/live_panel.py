"""`LivePanel`: what the pages' request panels share (a community's membership requests, the
economic pool requests): their rows are read live from the server, not from the local copy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from viva_desktop.ui.common.worker import TaskHandle

if TYPE_CHECKING:
    from viva_desktop.ui.pages.browser_page import EditorHost


class LivePanel:
    """Mix in before the Qt class (`class Panel(LivePanel, QWidget)`); the panel sets `page`
    and keeps its read in `task`."""

    page: EditorHost
    task: TaskHandle | None = None  # the read started last
    read_ok: bool = False  # the rows shown are the last read's answer

    @property
    def loading(self) -> bool:
        """Follows the handle's own state, so an older read landing after a newer one was
        started does not make the panel look idle while the newer one is under way."""
        return self.task is not None and self.task.running

    def read_failed(self, exc: BaseException, fallback: str) -> str:
        """What the panel says when a read failed: the server's own reason, or `fallback` once
        the error dialog has been given `exc` (a failure with no reason for the user is a bug,
        and the dialog explains it and offers the report)."""
        message = getattr(exc, "user_message", None)
        if message is None:
            self.page.context.report_error(exc, parent=self)
            return fallback
        return message

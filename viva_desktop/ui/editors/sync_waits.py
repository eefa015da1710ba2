"""What the Sync page says and does while the server makes it wait: a rate-limit wait that
resumes on a timer ("waiting for the server's rate limit — resumes at 12:03"), and a request
the server does not answer ("no answer for 20 s — retrying until 12:04")."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from viva_desktop.ui.common.formatting import clock_text
from viva_desktop.ui.dialogs.conflict import entity_label

STALL_AFTER_S = 10.0
"""A request unanswered this long is mentioned (shorter waits are ordinary)."""


class SyncWaits(QObject):
    """Resumes waiting entities when their time comes, and watches for a silent server while
    a sync runs. `now` is injectable for tests."""

    resume_due = Signal(list)  # the entities whose wait ended
    stall_changed = Signal(str)  # the notice about a silent server ("" when none)

    def __init__(
        self,
        client_of: Callable[[], Any],
        parent: QObject | None = None,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(parent)
        self._client_of = client_of
        self._now = now
        self.resume_at: datetime | None = None
        self.entities: list[str] = []
        self.resume_timer = QTimer(self)
        self.resume_timer.setSingleShot(True)
        self.resume_timer.timeout.connect(self._resume)
        self.stall_timer = QTimer(self)
        self.stall_timer.setInterval(1000)
        self.stall_timer.timeout.connect(self.check_stall)
        self.stall_text = ""
        self.stall_after = STALL_AFTER_S

    # ------------------------------------------------------------------ rate-limit waits

    def schedule(self, when: datetime, entities: list[str]) -> None:
        """Resume `entities` at `when` (the soonest stored wait); replaces an earlier plan."""
        self.resume_at = when
        self.entities = list(entities)
        delay_ms = max(0, int((when - self._now()).total_seconds() * 1000)) + 250
        self.resume_timer.start(min(delay_ms, 2**31 - 1))

    def cancel(self) -> None:
        self.resume_timer.stop()
        self.resume_at = None
        self.entities = []

    @property
    def scheduled(self) -> bool:
        return self.resume_timer.isActive()

    def _resume(self) -> None:
        entities, self.entities, self.resume_at = self.entities, [], None
        self.resume_due.emit(entities)

    def waiting_text(self, entity: str | None, until: datetime) -> str:
        text = self.tr("Waiting for the server's rate limit — resumes at {time}").format(
            time=clock_text(until)
        )
        return f"{entity_label(entity)}: {text}" if entity else text

    def left_text(self, entities: list[str], until: datetime) -> str:
        return self.tr(
            "{entities} wait for the server's rate limit: the sync resumes by itself at {time}."
        ).format(entities=", ".join(entity_label(e) for e in entities), time=clock_text(until))

    # ------------------------------------------------------------------ silent server

    def watch(self, running: bool) -> None:
        """Watch the client for unanswered requests while a sync runs."""
        if running:
            self.stall_timer.start()
        else:
            self.stall_timer.stop()
            self._set_stall("")

    def check_stall(self) -> None:
        client = self._client_of()
        stall = client.stalled(self.stall_after) if client is not None else None
        if stall is None:
            self._set_stall("")
            return
        seconds = int(stall.waiting_s)
        if stall.retry_until is not None:
            text = self.tr("No answer for {seconds} s — retrying until {time}").format(
                seconds=seconds, time=clock_text(stall.retry_until)
            )
        else:
            text = self.tr("No answer for {seconds} s — not repeated: it fails at its timeout")
            text = text.format(seconds=seconds)
        self._set_stall(text)

    def _set_stall(self, text: str) -> None:
        if text != self.stall_text:
            self.stall_text = text
            self.stall_changed.emit(text)

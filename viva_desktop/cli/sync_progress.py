"""Progress of `viva-desktop sync` on standard error: one redrawn bar line on a terminal,
plain lines otherwise (a cron or systemd journal keeps every line, so only changes of
entity, every tenth page, waits and the end of an entity are written there)."""

from __future__ import annotations

import time
from datetime import datetime
from typing import TextIO

from viva_desktop.services.local.sync import SyncProgress

BAR_WIDTH = 24


def _clock(when: datetime) -> str:
    return when.astimezone().strftime("%H:%M:%S")


def describe(progress: SyncProgress) -> str:
    """One line about where an entity stands."""
    if progress.synced_by:
        return f"{progress.entity}: being synced by {progress.synced_by}, waiting"
    if progress.waiting_until is not None:
        return (
            f"{progress.entity}: waiting for the server's rate limit — resumes at "
            f"{_clock(progress.waiting_until)}"
        )
    total = f"/{progress.total:,}" if progress.total is not None else ""
    text = f"{progress.entity}: {progress.items:,}{total} records, {progress.pages} pages"
    if progress.done:
        return text + ", complete"
    if progress.eta_s is not None:
        text += f", about {round(progress.eta_s)} s left"
    return text


def bar(progress: SyncProgress) -> str:
    """`[#########...............]` for an entity whose total is known, else a spinner-free
    count (the line itself says how far it got)."""
    if progress.total:
        filled = round(BAR_WIDTH * min(1.0, progress.items / progress.total))
    elif progress.done:
        filled = BAR_WIDTH
    else:
        return ""
    return "[" + "#" * filled + "." * (BAR_WIDTH - filled) + "] "


class ProgressPrinter:
    def __init__(self, stream: TextIO, *, tty: bool | None = None) -> None:
        self.stream = stream
        self.tty = stream.isatty() if tty is None else tty
        self._last_entity: str | None = None
        self._drawn = 0
        self._last_line = 0.0

    def __call__(self, progress: SyncProgress) -> None:
        if self.tty:
            self._redraw(bar(progress) + describe(progress), final=progress.done)
            return
        changed = progress.entity != self._last_entity
        self._last_entity = progress.entity
        notable = (
            changed
            or progress.done
            or progress.waiting_until is not None
            or progress.synced_by is not None
            or progress.pages % 10 == 0
        )
        if notable:
            self.stream.write(describe(progress) + "\n")
            self.stream.flush()

    def _redraw(self, line: str, *, final: bool) -> None:
        now = time.monotonic()
        if not final and now - self._last_line < 0.1:
            return  # at most ten redraws a second
        self._last_line = now
        padding = " " * max(0, self._drawn - len(line))
        self.stream.write("\r" + line + padding + ("\n" if final else ""))
        self.stream.flush()
        self._drawn = 0 if final else len(line)

    def close(self) -> None:
        if self.tty and self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = 0

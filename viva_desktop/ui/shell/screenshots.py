"""Screenshots of every page (and the login dialog), for the README and for reviewing the UI
under Xvfb: `viva-desktop --sandbox --screenshot-dir D`.

Each page is shown, given time to finish loading (`Page.is_loading()`, a few seconds at
most), grabbed with `QWidget.grab()`, and saved from a worker thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from time import monotonic

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from viva_desktop.ui.common.formatting import path_text
from viva_desktop.ui.common.worker import run_task

log = logging.getLogger("viva.ui.screenshots")

SETTLE_MS = 150  # a few event-loop turns for layouts and first paints
MAX_WAIT_S = 8.0  # per page, for data that loads in the background


def save_image(image: QImage, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(path), "PNG"):
        raise OSError(f"could not write {path}")
    return path


class ScreenshotTour(QObject):
    """Visits the pages one by one; `finished(list_of_paths)` when all are saved."""

    finished = Signal(list)

    def __init__(
        self,
        window: QWidget,
        directory: Path,
        *,
        extra: dict[str, Callable[[], QWidget]] | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._directory = Path(directory)
        self._keys = [spec.key for spec in window.specs]  # type: ignore[attr-defined]
        self._extra = dict(extra or {})
        self._saved: list[Path] = []
        self._pending = 0
        self._started = 0.0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._step)
        self._extra_widget: QWidget | None = None

    def start(self) -> None:
        log.info("saving screenshots to %s", path_text(self._directory))
        self._next()

    def _next(self) -> None:
        if self._keys:
            key = self._keys[0]
            self._window.open_page(key)  # type: ignore[attr-defined]
            self._started = monotonic()
            self._timer.start(SETTLE_MS)
            return
        if self._extra:
            factory = next(iter(self._extra.values()))
            self._extra_widget = factory()
            self._extra_widget.show()
            self._timer.start(SETTLE_MS)
            return
        self._maybe_finish()

    def _step(self) -> None:
        if self._keys:
            key = self._keys[0]
            page = self._window.page(key)  # type: ignore[attr-defined]
            if page.is_loading() and monotonic() - self._started < MAX_WAIT_S:
                self._timer.start(100)
                return
            self._keys.pop(0)
            self._save(self._window.grab().toImage(), key)
        elif self._extra and self._extra_widget is not None:
            name = next(iter(self._extra))
            del self._extra[name]
            widget, self._extra_widget = self._extra_widget, None
            self._save(widget.grab().toImage(), name)
            widget.close()
        self._next()

    def _save(self, image: QImage, name: str) -> None:
        self._pending += 1
        run_task(
            save_image,
            image,
            self._directory / f"{name}.png",
            on_done=self._saved_one,
            on_error=self._failed_one,
            parent=self,
            name=f"save screenshot {name}",
        )

    def _saved_one(self, path: Path) -> None:
        self._saved.append(path)
        self._pending -= 1
        self._maybe_finish()

    def _failed_one(self, exc: BaseException) -> None:
        log.error("screenshot not saved: %s", exc)
        self._pending -= 1
        self._maybe_finish()

    def _maybe_finish(self) -> None:
        if not self._keys and not self._extra and self._pending == 0:
            log.info("%d screenshot(s) saved", len(self._saved))
            self.finished.emit(sorted(self._saved))

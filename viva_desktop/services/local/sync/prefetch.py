"""Fetching one page ahead on a helper thread while the previous page is written, so the
network and the database work overlap."""

from __future__ import annotations

import contextvars
import queue
import threading
from collections.abc import Iterator
from typing import Any

from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.services.remote.api.pagination import Page


class PageStream:
    """Iterates a paginator, optionally fetching the next page on a helper thread while the
    caller writes the current one. Errors surface in the caller's thread, in order."""

    _END = object()

    def __init__(self, pages: Iterator[Page[Any]], cancel: CancelToken, *, ahead: bool) -> None:
        self._pages = pages
        self._cancel = cancel
        self._ahead = ahead
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=1)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        if ahead:
            # The helper runs in a copy of the caller's context: the pacing limits set for the
            # sync (`pacing.waits_up_to`) apply to the requests it makes.
            context = contextvars.copy_context()
            self._thread = threading.Thread(
                target=context.run, args=(self._produce,), name="sync-prefetch", daemon=True
            )
            self._thread.start()

    def _produce(self) -> None:
        try:
            for page in self._pages:
                if not self._put(page):
                    return
            self._put(self._END)
        except BaseException as exc:
            self._put(exc)

    def _put(self, value: Any) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(value, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def __iter__(self) -> Iterator[Page[Any]]:
        if not self._ahead:
            yield from self._pages
            return
        while True:
            value = self._queue.get()
            if value is self._END:
                return
            if isinstance(value, BaseException):
                raise value
            yield value

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        if not self._ahead:
            close = getattr(self._pages, "close", None)
            if close is not None:
                close()

"""Cooperative cancellation shared by long service operations (sync, smoke runs, retries)."""

from __future__ import annotations

import threading
from collections.abc import Callable


class CancelledError(Exception):
    """Raised inside a service operation when its CancelToken was cancelled."""


class CancelToken:
    """Thread-safe flag plus callbacks: the UI cancels, the worker thread notices.

    Callbacks let blocking work end early (for example closing an in-flight HTTP stream);
    `wait(seconds)` is an interruptible sleep for backoff delays.
    """

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[], None]] = []

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def cancel(self) -> None:
        with self._lock:
            if self._event.is_set():
                return
            self._event.set()
            callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            try:
                callback()
            except Exception:  # noqa: S112 - a failing canceller must not stop the others
                continue

    def on_cancel(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Register `callback`; returns a function that unregisters it."""
        with self._lock:
            if not self._event.is_set():
                self._callbacks.append(callback)

                def remove() -> None:
                    with self._lock:
                        if callback in self._callbacks:
                            self._callbacks.remove(callback)

                return remove
        callback()
        return lambda: None

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise CancelledError

    def wait(self, seconds: float) -> bool:
        """Sleep up to `seconds`; returns True when cancelled meanwhile."""
        return self._event.wait(max(0.0, seconds))


NEVER_CANCELLED = CancelToken()

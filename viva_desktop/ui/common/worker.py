"""The one worker helper: run blocking service calls on `QThreadPool`, get the outcome back on
the GUI thread by signal.

Worker threads never touch a widget or a task's QObject. They post their outcome into one
long-lived dispatcher, which hands it to the task's `TaskHandle` on the GUI thread — if the
handle still exists. A handle is a child of `parent` (by default the object whose method is
`on_done`), so when that widget is destroyed before the task ends, nothing is delivered and
nothing leaks. Progress is coalesced: however often a service reports, the GUI sees at most
one pending update per task, always the latest, and at most one every `PROGRESS_EVERY_S` (each
update repaints a progress bar at once, which during a sync of small pages was dozens of
synchronous repaints a second); the last one before the task ends is always shown.
"""

from __future__ import annotations

import inspect
import itertools
import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from enum import Enum
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QRunnable,
    Qt,
    QThread,
    QThreadPool,
    QTimer,
    Signal,
)

from viva_desktop.services.common.cancel import CancelledError, CancelToken

log = logging.getLogger(__name__)

ErrorHandler = Callable[..., None]  # (exc, *, retry: Callable[[], object] | None, parent)

_default_error_handler: ErrorHandler | None = None

PROGRESS_EVERY_S = 0.05  # at most 20 progress updates a second per task: more is not read
_TIMER_SLACK_S = 0.002  # a timer may fire this much early: the turn has come


def set_default_error_handler(handler: ErrorHandler | None) -> None:
    """Where failures go when the caller gave no `on_error`: the application's error dialog."""
    global _default_error_handler
    _default_error_handler = handler


class TaskState(Enum):
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"
    CANCELLED = "cancelled"


class TaskHandle(QObject):
    """The GUI-thread face of one background task.

    Exactly one of `finished(result)`, `failed(exception)` or `cancelled()` is emitted, then
    `ended()`. `progress(value)` may come any number of times before that. State is plain
    Python, so a handle can still be queried after Qt has deleted it.
    """

    finished = Signal(object)
    failed = Signal(object)
    progress = Signal(object)
    cancelled = Signal()
    ended = Signal()

    def __init__(self, name: str, token: CancelToken, parent: QObject | None) -> None:
        super().__init__(parent)
        self.name = name
        self.token = token
        self.state = TaskState.RUNNING
        self.result: object = None
        self.error: BaseException | None = None
        self.last_progress: object = None

    @property
    def running(self) -> bool:
        return self.state is TaskState.RUNNING

    def cancel(self) -> None:
        """Ask the task to stop; `cancelled` follows once the worker has let go."""
        self.token.cancel()

    def _deliver_progress(self, value: object) -> None:
        if self.state is not TaskState.RUNNING or self.token.cancelled:
            return
        self.last_progress = value
        self.progress.emit(value)

    def _deliver_end(self, ok: bool, value: object) -> None:
        if self.token.cancelled or (not ok and isinstance(value, CancelledError)):
            self.state = TaskState.CANCELLED
            self.cancelled.emit()
        elif ok:
            self.state = TaskState.FINISHED
            self.result = value
            self.finished.emit(value)
        else:
            assert isinstance(value, BaseException)
            self.state = TaskState.FAILED
            self.error = value
            self.failed.emit(value)
        self.ended.emit()


class _Kind(Enum):
    PROGRESS = 0
    RESULT = 1
    ERROR = 2


class _Dispatcher(QObject):
    """Lives on the GUI thread for the whole run; the only QObject workers ever signal."""

    wake = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._inbox: deque[tuple[int, _Kind, object]] = deque()
        self._latest_progress: dict[int, object] = {}
        self._scheduled = False
        self._tasks: dict[int, TaskHandle] = {}
        self._progress_shown_at: dict[int, float] = {}  # GUI thread only
        self._deferred: set[int] = set()  # tasks whose latest progress waits for its turn
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setTimerType(Qt.TimerType.PreciseTimer)
        self._later.timeout.connect(self._deliver_deferred)
        self.wake.connect(self._drain, Qt.ConnectionType.QueuedConnection)

    def register(self, task_id: int, handle: TaskHandle) -> None:
        self._tasks[task_id] = handle

    def live_handles(self) -> list[TaskHandle]:
        return list(self._tasks.values())

    def post(self, task_id: int, kind: _Kind, value: object) -> None:
        """Called from any thread."""
        with self._lock:
            if kind is _Kind.PROGRESS:
                first = task_id not in self._latest_progress
                self._latest_progress[task_id] = value
                if first:
                    self._inbox.append((task_id, kind, None))
            else:
                self._inbox.append((task_id, kind, value))
            if self._scheduled:
                return
            self._scheduled = True
        try:
            self.wake.emit()
        except RuntimeError:  # the application is being torn down: nobody to tell
            log.debug("task outcome dropped at shutdown")

    def _drain(self) -> None:
        with self._lock:
            items = list(self._inbox)
            self._inbox.clear()
            self._scheduled = False
        now = time.monotonic()
        for task_id, kind, value in items:
            if kind is _Kind.PROGRESS:
                wait = self._progress_shown_at.get(task_id, -PROGRESS_EVERY_S) + PROGRESS_EVERY_S
                if wait - now > _TIMER_SLACK_S:
                    self._defer(task_id, wait - now)
                else:
                    self._deliver_progress(task_id)
                    self._progress_shown_at[task_id] = time.monotonic()
                continue
            self._deferred.discard(task_id)  # the last word before the end is shown first
            self._progress_shown_at.pop(task_id, None)
            self._deliver_progress(task_id)
            handle = self._tasks.pop(task_id, None)
            if handle is None or not shiboken6.isValid(handle):
                continue  # its parent was destroyed: nobody is listening any more
            handle._deliver_end(kind is _Kind.RESULT, value)
            if shiboken6.isValid(handle) and handle.parent() is not None:
                # Let go of the parent so long-lived pages do not collect finished handles;
                # the handle now lives as long as someone holds a reference to it.
                handle.setParent(None)

    def _deliver_progress(self, task_id: int) -> None:
        with self._lock:
            if task_id not in self._latest_progress:
                return
            value = self._latest_progress.pop(task_id)
        handle = self._tasks.get(task_id)
        if handle is not None and shiboken6.isValid(handle):
            handle._deliver_progress(value)

    def _defer(self, task_id: int, wait_s: float) -> None:
        """Show this task's progress once its turn comes (the newest value by then)."""
        self._deferred.add(task_id)
        wait_ms = max(1, math.ceil(wait_s * 1000))
        if not self._later.isActive() or self._later.remainingTime() > wait_ms:
            self._later.start(wait_ms)

    def _deliver_deferred(self) -> None:
        with self._lock:
            for task_id in self._deferred:
                if task_id in self._latest_progress:
                    self._inbox.append((task_id, _Kind.PROGRESS, None))
        self._deferred.clear()
        self._drain()


_dispatcher: _Dispatcher | None = None
_ids = itertools.count(1)


def _get_dispatcher() -> _Dispatcher:
    global _dispatcher
    if _dispatcher is None or not shiboken6.isValid(_dispatcher):
        _dispatcher = _Dispatcher()
    return _dispatcher


class _Runnable(QRunnable):
    def __init__(self, task_id: int, name: str, call: Callable[[], object]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._task_id = task_id
        self._name = name
        self._call = call

    def run(self) -> None:
        dispatcher = _get_dispatcher()
        try:
            value = self._call()
        except BaseException as exc:  # every failure goes back to the GUI thread
            if not _is_expected(exc):
                log.error("background task %s failed", self._name, exc_info=exc)
            dispatcher.post(self._task_id, _Kind.ERROR, exc)
        else:
            dispatcher.post(self._task_id, _Kind.RESULT, value)
        finally:
            self._call = _noop  # drop references to arguments and results in this thread


def _noop() -> None:
    return None


def _is_expected(exc: BaseException) -> bool:
    """Typed service errors are part of normal life; anything else is a bug worth a trace."""
    if isinstance(exc, CancelledError):
        return True
    return hasattr(exc, "user_message")


def _accepts(fn: Callable[..., object], name: str) -> bool:
    try:
        parameters = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    return name in parameters or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()
    )


def _progress_poster(task_id: int) -> Callable[..., None]:
    def report(*values: object) -> None:
        value: object = values[0] if len(values) == 1 else values
        _get_dispatcher().post(task_id, _Kind.PROGRESS, value)

    return report


def _default_parent(*callbacks: Callable[..., object] | None) -> QObject | None:
    for callback in callbacks:
        owner = getattr(callback, "__self__", None)
        if isinstance(owner, QObject):
            return owner
    return None


def _assert_gui_thread() -> None:
    app = QCoreApplication.instance()
    assert app is not None, "create the QApplication before running tasks"
    assert QThread.currentThread() is app.thread(), "run_task must be called on the GUI thread"


def run_task(
    fn: Callable[..., object],
    *args: Any,
    on_done: Callable[[Any], object] | None = None,
    on_error: Callable[[BaseException], object] | None = None,
    on_progress: Callable[[Any], object] | None = None,
    on_cancelled: Callable[[], object] | None = None,
    cancel: CancelToken | None = None,
    parent: QObject | None = None,
    name: str = "",
    **kwargs: Any,
) -> TaskHandle:
    """Run `fn(*args, **kwargs)` on the global thread pool.

    If `fn` has a `progress` or `cancel` parameter (and the caller did not fill it), it gets
    a thread-safe progress reporter and the task's cancel token. Without `on_error`, failures
    go to the application's error dialog, which can offer to run the same task again.
    """
    _assert_gui_thread()
    token = cancel or CancelToken()
    task_id = next(_ids)
    name = name or getattr(fn, "__qualname__", repr(fn))
    if "progress" not in kwargs and _accepts(fn, "progress"):
        kwargs["progress"] = _progress_poster(task_id)
    if "cancel" not in kwargs and _accepts(fn, "cancel"):
        kwargs["cancel"] = token
    if parent is None:
        parent = _default_parent(on_done, on_error, on_progress, on_cancelled)
    handle = TaskHandle(name, token, parent)
    if on_done is not None:
        handle.finished.connect(on_done)
    if on_progress is not None:
        handle.progress.connect(on_progress)
    if on_cancelled is not None:
        handle.cancelled.connect(on_cancelled)
    if on_error is not None:
        handle.failed.connect(on_error)
    else:

        def retry() -> TaskHandle:
            return run_task(
                fn,
                *args,
                on_done=on_done,
                on_error=on_error,
                on_progress=on_progress,
                on_cancelled=on_cancelled,
                parent=parent if parent is not None and shiboken6.isValid(parent) else None,
                name=name,
                **{k: v for k, v in kwargs.items() if k not in ("progress", "cancel")},
            )

        def report(exc: BaseException) -> None:
            handler = _default_error_handler
            if handler is None:
                log.error("unhandled failure of task %s: %s", name, exc)
                return
            handler(exc, retry=retry, parent=parent)

        handle.failed.connect(report)
    dispatcher = _get_dispatcher()
    dispatcher.register(task_id, handle)

    def call() -> object:
        token.raise_if_cancelled()
        return fn(*args, **kwargs)

    QThreadPool.globalInstance().start(_Runnable(task_id, name, call))
    return handle


def running_tasks() -> list[TaskHandle]:
    """Handles of tasks whose outcome has not been delivered yet."""
    if _dispatcher is None:
        return []
    return [h for h in _dispatcher.live_handles() if shiboken6.isValid(h)]


def configure_pool(minimum_threads: int = 8) -> None:
    """Tasks wait on the network, not the CPU: allow more threads than cores, so a long sync
    does not hold up a health poll."""
    pool = QThreadPool.globalInstance()
    pool.setMaxThreadCount(max(pool.maxThreadCount(), minimum_threads))


def shutdown(timeout_ms: int = 5000) -> bool:
    """Cancel every running task and wait for the pool to drain (at quit)."""
    if _dispatcher is not None:
        for handle in _dispatcher.live_handles():
            handle.token.cancel()
    return QThreadPool.globalInstance().waitForDone(timeout_ms)

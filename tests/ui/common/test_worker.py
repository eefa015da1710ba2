"""The worker helper: results, typed errors, progress and cancellation arrive on the GUI
thread by signal, and a destroyed receiver gets nothing and leaks nothing."""

from __future__ import annotations

import gc
import threading
import time

import pytest
import shiboken6
from PySide6.QtCore import QObject, QThread
from PySide6.QtWidgets import QWidget

from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.services.remote.api.errors import ServerError
from viva_desktop.ui.common import worker
from viva_desktop.ui.common.progress import ProgressStrip, TaskProgressDialog, describe_progress
from viva_desktop.ui.common.worker import TaskState, run_task


def test_result_arrives_on_the_gui_thread(qtbot) -> None:
    seen: list[tuple[object, bool]] = []
    gui = QThread.currentThread()

    def work(a: int, b: int) -> tuple[int, bool]:
        return a + b, QThread.currentThread() is gui

    handle = run_task(
        work, 2, 3, on_done=lambda value: seen.append((value, QThread.currentThread() is gui))
    )
    with qtbot.waitSignal(handle.ended, timeout=5000):
        pass
    assert seen == [((5, False), True)]
    assert handle.state is TaskState.FINISHED
    assert handle.result == (5, False)


def test_typed_error_is_delivered_as_the_exception(qtbot) -> None:
    errors: list[BaseException] = []

    def work() -> None:
        raise ServerError()

    handle = run_task(work, on_error=errors.append)
    with qtbot.waitSignal(handle.ended, timeout=5000):
        pass
    assert len(errors) == 1
    assert isinstance(errors[0], ServerError)
    assert handle.state is TaskState.FAILED


def test_failures_without_on_error_go_to_the_default_handler_with_a_retry(qtbot) -> None:
    calls: list[int] = []
    reported: list[tuple[BaseException, object]] = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) == 1:
            raise ServerError()
        return "ok"

    done: list[object] = []
    worker.set_default_error_handler(lambda exc, retry, parent: reported.append((exc, retry)))
    try:
        handle = run_task(flaky, on_done=done.append)
        with qtbot.waitSignal(handle.ended, timeout=5000):
            pass
        assert isinstance(reported[0][0], ServerError)
        retry = reported[0][1]
        assert callable(retry)
        second = retry()
        with qtbot.waitSignal(second.ended, timeout=5000):
            pass
    finally:
        worker.set_default_error_handler(None)
    assert done == ["ok"]


def test_progress_is_delivered_and_the_last_value_wins(qtbot) -> None:
    values: list[object] = []
    release = threading.Event()

    def work(progress) -> str:
        for i in range(1, 2001):
            progress(i, 2000)
        release.wait(5)
        return "done"

    handle = run_task(work, on_progress=values.append)
    qtbot.waitUntil(lambda: bool(values) and values[-1] == (2000, 2000), timeout=5000)
    release.set()
    with qtbot.waitSignal(handle.finished, timeout=5000):
        pass
    assert len(values) < 2000  # coalesced, never one event per call
    assert describe_progress(values[-1]).total == 2000


def test_progress_comes_at_a_readable_pace_and_the_last_word_before_the_end(qtbot) -> None:
    """A service reporting without pause gets about one update per `PROGRESS_EVERY_S` on the
    GUI thread (each update repaints a bar at once), and the value it reported last is
    shown before `finished`."""
    shown: list[tuple[float, object]] = []
    events: list[str] = []
    reported = 0
    release = threading.Event()

    def work(progress) -> str:
        nonlocal reported
        while not release.is_set():
            reported += 1
            progress(reported)
        progress("last")
        return "done"

    def take(value: object) -> None:
        shown.append((time.monotonic(), value))
        events.append("progress")

    handle = run_task(work, on_progress=take)
    handle.finished.connect(lambda _v: events.append("finished"))
    qtbot.waitUntil(lambda: len(shown) >= 6, timeout=5000)
    release.set()
    with qtbot.waitSignal(handle.finished, timeout=5000):
        pass
    span = shown[-1][0] - shown[0][0]
    assert len(shown) - 1 <= span / worker.PROGRESS_EVERY_S + 2  # the last word may be early
    assert reported > 10 * len(shown)  # far more reported than shown
    assert shown[-1][1] == "last"
    assert events[-2:] == ["progress", "finished"]


def test_cancel_stops_the_task_and_reports_cancelled(qtbot) -> None:
    started = threading.Event()
    done: list[object] = []

    def work(cancel: CancelToken) -> str:
        started.set()
        while not cancel.wait(0.01):
            pass
        cancel.raise_if_cancelled()
        return "not reached"

    handle = run_task(work, on_done=done.append)
    assert started.wait(5)
    with qtbot.waitSignal(handle.cancelled, timeout=5000):
        handle.cancel()
    assert handle.state is TaskState.CANCELLED
    assert done == []


def test_destroyed_receiver_gets_nothing(qtbot) -> None:
    release = threading.Event()
    received: list[object] = []

    class Receiver(QObject):
        def take(self, value: object) -> None:
            received.append(value)

    receiver = Receiver()
    handle = run_task(lambda: release.wait(5) and "late", on_done=receiver.take)
    assert handle.parent() is receiver
    probe = run_task(lambda: "marker")  # a second task to know when the first was delivered
    shiboken6.delete(receiver)
    assert not shiboken6.isValid(handle)
    release.set()
    with qtbot.waitSignal(probe.ended, timeout=5000):
        pass
    qtbot.waitUntil(lambda: not worker.running_tasks(), timeout=5000)
    assert received == []


def test_finished_handles_do_not_pile_up_on_their_parent(qtbot) -> None:
    widget = QWidget()
    results: list[object] = []
    for i in range(5):
        handle = run_task(lambda i=i: i, on_done=results.append, parent=widget)
        with qtbot.waitSignal(handle.ended, timeout=5000):
            pass
    gc.collect()
    assert sorted(results) == [0, 1, 2, 3, 4]
    assert widget.findChildren(worker.TaskHandle) == []


def test_progress_dialog_follows_and_cancels_the_task(qtbot) -> None:
    def work(progress, cancel: CancelToken) -> None:
        progress(1, 10)
        while not cancel.wait(0.01):
            pass

    handle = run_task(work)
    dialog = TaskProgressDialog(handle, "Sync", "Downloading", show_after_ms=0)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    qtbot.waitUntil(lambda: dialog._bar.maximum() == 10, timeout=5000)
    with qtbot.waitSignal(handle.cancelled, timeout=5000):
        dialog.cancel_button.click()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible(), timeout=5000)


def test_progress_strip_shows_while_running(qtbot) -> None:
    release = threading.Event()
    strip = ProgressStrip()
    qtbot.addWidget(strip)
    handle = run_task(lambda progress: (progress("half way"), release.wait(5)))
    strip.attach(handle, "Working")
    assert strip.isVisibleTo(strip.parentWidget() or strip)
    qtbot.waitUntil(lambda: strip._label.text() == "half way", timeout=5000)
    release.set()
    with qtbot.waitSignal(handle.ended, timeout=5000):
        pass
    assert strip.isHidden()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.5, (500, 1000, "")),
        ((3, 10), (3, 10, "")),
        ((3, 10, "rows"), (3, 10, "rows")),
        ("loading", (None, None, "loading")),
        (7, (7, None, "")),
    ],
)
def test_describe_progress_reads_the_common_shapes(value, expected) -> None:
    info = describe_progress(value)
    assert (info.done, info.total, info.text) == expected

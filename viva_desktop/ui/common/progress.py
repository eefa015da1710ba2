"""Showing a background task's progress, with a Cancel button: a dialog and an inline strip.

Services report progress in a few shapes (a fraction, `(done, total)`, an object with
`done`/`total`/`message`, or just a message); `describe_progress` reads them all, so both views
work with any long operation.
"""

from __future__ import annotations

from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viva_desktop.ui.common.retranslate import Retranslating
from viva_desktop.ui.common.worker import TaskHandle


@dataclass(frozen=True)
class ProgressInfo:
    done: int | None  # None: unknown amount of work (busy indicator)
    total: int | None
    text: str = ""


def _number(value: object) -> int | float | None:
    if isinstance(value, bool):
        return None
    return value if isinstance(value, int | float) else None


def describe_progress(value: object) -> ProgressInfo:
    """Normalise whatever a service reported into done/total/text."""
    if isinstance(value, ProgressInfo):
        return value
    if isinstance(value, str):
        return ProgressInfo(None, None, value)
    number = _number(value)
    if number is not None:
        if isinstance(number, float) and 0.0 <= number <= 1.0:
            return ProgressInfo(round(number * 1000), 1000)
        return ProgressInfo(int(number), None)
    if isinstance(value, tuple) and value:
        done = _number(value[0])
        total = _number(value[1]) if len(value) > 1 else None
        text = next((v for v in value[2:] if isinstance(v, str)), "")
        return ProgressInfo(
            None if done is None else int(done), None if total is None else int(total), text
        )
    done = next(
        (
            _number(getattr(value, n))
            for n in ("done", "current", "completed", "count")
            if hasattr(value, n)
        ),
        None,
    )
    total = next((_number(getattr(value, n)) for n in ("total",) if hasattr(value, n)), None)
    text = next(
        (
            str(getattr(value, n))
            for n in ("message", "text", "label", "stage", "phase")
            if getattr(value, n, None)
        ),
        "",
    )
    return ProgressInfo(
        None if done is None else int(done), None if total is None else int(total), text
    )


def _apply(bar: QProgressBar, label: QLabel, info: ProgressInfo, default_text: str) -> None:
    if info.total:
        bar.setRange(0, int(info.total))
        bar.setValue(min(int(info.done or 0), int(info.total)))
    else:
        bar.setRange(0, 0)  # busy indicator
    text = info.text or default_text
    if info.done is not None and info.total and not info.text:
        text = f"{default_text} ({info.done:,} / {info.total:,})"
    label.setText(text)


class TaskProgressDialog(QDialog):
    """Modal-less progress for one task; appears only if the task takes a moment, closes
    itself when the task ends, and cancels it on Cancel or Escape."""

    def __init__(
        self,
        handle: TaskHandle,
        title: str,
        text: str,
        parent: QWidget | None = None,
        *,
        show_after_ms: int = 300,
        cancellable: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("TaskProgressDialog")
        self.setWindowTitle(title)
        self.setMinimumWidth(380)
        self._handle = handle
        self._text = text
        self._label = QLabel(text)
        self._label.setWordWrap(True)
        self._bar = QProgressBar()
        self._bar.setRange(0, 0)
        self._buttons = QDialogButtonBox()
        self._cancel = self._buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self._cancel.setVisible(cancellable)
        self._cancel.clicked.connect(self.cancel_task)
        layout = QVBoxLayout(self)
        layout.addWidget(self._label)
        layout.addWidget(self._bar)
        layout.addWidget(self._buttons)
        handle.progress.connect(self._on_progress)
        handle.ended.connect(self._on_ended)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show_if_running)
        self._timer.start(max(0, show_after_ms))

    @property
    def cancel_button(self) -> QPushButton:
        return self._cancel

    def cancel_task(self) -> None:
        self._handle.cancel()
        self._cancel.setEnabled(False)
        self._label.setText(self.tr("Cancelling…"))

    def reject(self) -> None:  # Escape or the window's close button
        if self._handle.running:
            self.cancel_task()
            return
        super().reject()

    def _show_if_running(self) -> None:
        if self._handle.running:
            self.show()

    def _on_progress(self, value: object) -> None:
        if self._cancel.isEnabled():
            _apply(self._bar, self._label, describe_progress(value), self._text)

    def _on_ended(self) -> None:
        self._timer.stop()
        if shiboken6.isValid(self):
            self.done(QDialog.DialogCode.Accepted)
            self.deleteLater()


class ProgressStrip(Retranslating, QWidget):
    """A slim inline bar for pages: text, progress and Cancel; hidden while idle."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ProgressStrip")
        self._handle: TaskHandle | None = None
        self._text = ""
        self._label = QLabel()
        self._bar = QProgressBar()
        self._bar.setMaximumWidth(260)
        self._bar.setTextVisible(False)
        self._cancel = QPushButton(self.tr("Cancel"))
        self._cancel.clicked.connect(self.cancel_task)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._label, 1)
        layout.addWidget(self._bar)
        layout.addWidget(self._cancel)
        self.setAccessibleName(self.tr("Progress"))
        self._bar.setAccessibleName(self.tr("Progress"))
        self.hide()

    @property
    def handle(self) -> TaskHandle | None:
        return self._handle

    def attach(self, handle: TaskHandle, text: str, *, cancellable: bool = True) -> None:
        """Follow `handle` until it ends."""
        self._handle = handle
        self._text = text
        self._label.setText(text)
        self.setAccessibleName(text)
        self._bar.setAccessibleName(text)
        self._bar.setRange(0, 0)
        self._cancel.setEnabled(True)
        self._cancel.setVisible(cancellable)
        handle.progress.connect(lambda value: self._on_progress(handle, value))
        handle.ended.connect(lambda: self._on_ended(handle))
        self.show()

    def cancel_task(self) -> None:
        if self._handle is not None and self._handle.running:
            self._handle.cancel()
            self._cancel.setEnabled(False)
            self._label.setText(self.tr("Cancelling…"))

    def retranslate(self) -> None:
        self._cancel.setText(self.tr("Cancel"))

    def _on_progress(self, handle: TaskHandle, value: object) -> None:
        if handle is self._handle and self._cancel.isEnabled() and shiboken6.isValid(self):
            _apply(self._bar, self._label, describe_progress(value), self._text)

    def _on_ended(self, handle: TaskHandle) -> None:
        if handle is self._handle and shiboken6.isValid(self):
            self._handle = None
            self.hide()

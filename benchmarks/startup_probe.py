"""Child process of `bench_startup`: start either Viva Desktop or a bare PySide6 window, and
print `PAINTED <monotonic ns>` once the main window's first paint is complete, then quit.

    python -m benchmarks.startup_probe app   # viva-desktop --offline (no network)
    python -m benchmarks.startup_probe bare  # QApplication + an empty QMainWindow

Both start the same way (interpreter, this module, QApplication, the same watcher), so the
difference between them is what Viva Desktop adds before its window is on screen: imports,
the early reading of the language and theme, translations, theme and building the window.

The watcher is an event filter on each main window, installed when the window is shown, and
the time is taken in the first event-loop turn after that window's first paint (so its
children — sidebar, page, status bar — are painted too). It is deliberately not an
application-wide filter: PySide then wraps every object that receives any event in a Python
object, creating the Python types (and enums) of every widget class the window uses, which
costs the application tens of milliseconds that a real run never pays.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


class FirstPaint(QObject):
    """Reports the first completed paint of a watched main window, then asks to quit."""

    def __init__(self, app: QApplication) -> None:
        super().__init__()
        self.app = app
        self.seen = False

    def watch(self, window: QMainWindow) -> None:
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.seen and event.type() == QEvent.Type.Paint:
            self.seen = True
            QTimer.singleShot(0, self._report)  # after the whole paint pass
        return False

    def _report(self) -> None:
        print(f"PAINTED {time.monotonic_ns()}", flush=True)
        self.app.exit(0)


def watch_main_windows(watcher: FirstPaint) -> None:
    """Every QMainWindow, the application's included, is watched from its `show()`."""
    show = QMainWindow.show

    def show_watched(window: QMainWindow) -> None:
        watcher.watch(window)
        show(window)

    QMainWindow.show = show_watched  # type: ignore[method-assign]


def main(kind: str) -> int:
    app = QApplication(sys.argv[:1])
    watcher = FirstPaint(app)
    watch_main_windows(watcher)
    if kind == "bare":
        window = QMainWindow()
        window.resize(1200, 780)
        window.setWindowTitle("bare")
        window.show()
        return app.exec()
    from viva_desktop.app import main as viva_main

    return viva_main(["--offline"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "bare"))

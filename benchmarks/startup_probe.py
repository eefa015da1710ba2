"""Child process of `bench_startup`: start either Viva Desktop or a bare PySide6 window, and
print `PAINTED <monotonic ns>` when the main window first paints, then quit.

    python -m benchmarks.startup_probe app   # viva-desktop --offline (no network)
    python -m benchmarks.startup_probe bare  # QApplication + an empty QMainWindow

Both start the same way (interpreter, this module, QApplication with the same event filter), so
the difference between them is what Viva Desktop adds: imports, settings, logging, keyring,
store, translations, theme and building the window.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


class FirstPaint(QObject):
    """Reports the first paint of any main window, then asks the application to quit."""

    def __init__(self, app: QApplication) -> None:
        super().__init__()
        self.app = app
        self.seen = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.seen and event.type() == QEvent.Type.Paint and isinstance(watched, QMainWindow):
            self.seen = True
            print(f"PAINTED {time.monotonic_ns()}", flush=True)
            QTimer.singleShot(0, lambda: self.app.exit(0))
        return False


def main(kind: str) -> int:
    app = QApplication(sys.argv[:1])
    watcher = FirstPaint(app)
    app.installEventFilter(watcher)
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

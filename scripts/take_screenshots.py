"""Screenshots of every page with real data, for the README (run by `scripts/screenshots.sh`).

Starts Viva Desktop exactly as `viva-desktop --sandbox --lang L` does (embedded sandbox, demo
administrator), waits for the main window, runs a sync from the Sync page so the browsers have
something to show, then lets the app's own `ScreenshotTour` visit every page (plus the login
dialog) and quits when the last PNG is written.

    python scripts/take_screenshots.py --out docs/screenshots [--lang es] [--no-sync]
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

from viva_desktop.app import main as viva_main
from viva_desktop.ui.dialogs.login import LoginDialog
from viva_desktop.ui.shell.screenshots import ScreenshotTour

log = logging.getLogger("viva.screenshots")

TIMEOUT_S = 600  # the whole run: start, sync, every page
EXIT_TIMEOUT = 3


class Director:
    """Waits for the main window, syncs, then runs the tour and quits the application."""

    def __init__(self, app: QApplication, out: Path, *, sync: bool) -> None:
        self.app = app
        self.out = out
        self.sync = sync
        self.window: QMainWindow | None = None
        self.tour: ScreenshotTour | None = None
        self.saved: list[Path] = []
        self.poll = QTimer()
        self.poll.timeout.connect(self._look_for_window)
        self.poll.start(100)
        self.deadline = QTimer()
        self.deadline.setSingleShot(True)
        self.deadline.timeout.connect(self._too_slow)
        self.deadline.start(TIMEOUT_S * 1000)

    def _look_for_window(self) -> None:
        for widget in self.app.topLevelWidgets():
            if (
                isinstance(widget, QMainWindow)
                and widget.isVisible()
                and getattr(widget, "is_ready", False)
            ):
                self.poll.stop()
                self.window = widget
                self._synchronise()
                return

    def _synchronise(self) -> None:
        window = self.window
        assert window is not None
        if not self.sync or not any(spec.key == "sync" for spec in window.specs):
            self._start_tour()
            return
        page = window.open_page("sync")
        handle = page.start_sync()
        if handle is None:
            log.warning("the Sync page could not start a sync: screenshots without data")
            self._start_tour()
            return
        handle.ended.connect(lambda: self._synced(handle.state.value))

    def _synced(self, state: str) -> None:
        log.info("sync %s before the screenshots", state)
        self._start_tour()

    def _start_tour(self) -> None:
        window = self.window
        assert window is not None
        context = window.context
        self.tour = ScreenshotTour(
            window, self.out, extra={"login": lambda: LoginDialog(context, window)}
        )
        self.tour.finished.connect(self._done)
        self.tour.start()

    def _done(self, paths: list[Path]) -> None:
        self.saved = paths
        self.deadline.stop()
        self.app.exit(0)

    def _too_slow(self) -> None:
        log.error("screenshots not finished after %d s", TIMEOUT_S)
        self.app.exit(EXIT_TIMEOUT)


def main(argv: list[str] | None = None) -> int:
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    cli.add_argument("--lang", choices=["en", "es"], default="en")
    cli.add_argument("--no-sync", dest="sync", action="store_false", help="skip the sync")
    args = cli.parse_args(argv)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])  # `viva_main` adopts it
    director = Director(app, out, sync=args.sync)
    code = viva_main(["--sandbox", "--lang", args.lang])
    if code == 0:
        print(f"{len(director.saved)} screenshot(s) in {out}")
    return code


if __name__ == "__main__":
    sys.exit(main())

"""What the command line asked the GUI for: shared by the entry point and the UI, so neither
imports the other."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple


class LaunchOptions(NamedTuple):
    """What the command line asked for; the GUI reads it at start-up. (A NamedTuple: this
    module is imported before the first paint, and `dataclasses` is an import of its own.)"""

    sandbox: bool = False
    profile: str | None = None
    offline: bool = False
    language: str | None = None
    self_test: bool = False
    screenshot_dir: Path | None = None
    store_url: str | None = None
    config_file: Path | None = None

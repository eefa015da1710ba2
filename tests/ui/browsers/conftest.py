"""Fixtures of the browser tests: a real SQLite store filled with server-shaped records."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from viva_desktop.services.store import Store

from .data import fill


@pytest.fixture
def filled_store(store: Store) -> Store:
    fill(store)
    return store


@pytest.fixture(autouse=True)
def _forget_browser_settings() -> None:
    """Column layouts persist in QSettings: every test starts from the defaults."""
    settings = QSettings()
    settings.remove("browsers")
    settings.sync()


def wait_loaded(qtbot, model, timeout: int = 10_000) -> None:
    """Until the model's current read has landed."""
    qtbot.waitUntil(
        lambda: model.loaded_once and not model.loading and not model.fetching, timeout=timeout
    )

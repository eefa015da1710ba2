"""Fixtures of the polish tests: the browser tests' filled store, offline review of it, and
UI state (column layouts, detail panes) forgotten between tests."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from viva_desktop.services.config import ServerProfile
from viva_desktop.services.store import Store
from viva_desktop.ui import pages as registry

from ..browsers.data import PROFILE, fill


@pytest.fixture
def filled_store(store: Store) -> Store:
    fill(store)
    return store


@pytest.fixture
def offline(context, filled_store: Store):
    """Reviewing the local copy of `PROFILE` without a server."""
    context.enter_offline_mode(ServerProfile(name=PROFILE, url="http://127.0.0.1:9"))
    return context


@pytest.fixture(autouse=True)
def _forget_browser_settings() -> None:
    settings = QSettings()
    settings.remove("browsers")
    settings.sync()


def build(qtbot, context, key: str, *, width: int = 1100, height: int = 700):
    """A page as the window shows it, once its first reads have landed."""
    spec = registry.page_spec(key)
    assert spec is not None
    page = spec.factory(context)
    qtbot.addWidget(page)
    page.retranslate()
    page.resize(width, height)
    page.show()
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=10_000)
    return page


def wait_loaded(qtbot, model, timeout: int = 10_000) -> None:
    qtbot.waitUntil(
        lambda: model.loaded_once and not model.loading and not model.fetching, timeout=timeout
    )

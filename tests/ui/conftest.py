"""Fixtures for the UI tests: real widgets offscreen, the real sandbox over loopback HTTP,
real SQLite stores, and settings isolated in each test's temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication

from viva_desktop.services.common.config import ServerProfile, Settings, load_settings
from viva_desktop.services.local.store import Store, open_store
from viva_desktop.services.remote.vault import MemoryVault, VaultChoice
from viva_desktop.ui.common import worker
from viva_desktop.ui.common.context import AppContext
from viva_desktop.ui.common.translations import TranslationManager
from viva_desktop.ui.dialogs.errors import ErrorPresenter

# The offscreen platform plugin warns whenever a shown top-level window's size constraints
# change (any dialog with a layout) or a window is raised; under a real display these
# messages do not exist.
OFFSCREEN_NOISE = (
    r"This plugin does not support propagateSizeHints\(\)",
    r"This plugin does not support raise\(\)",
)

TEST_PROFILE = "Test server"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/ui/" in item.nodeid.replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_ignore(*OFFSCREEN_NOISE))


@pytest.fixture(scope="session")
def translations(qapp: QApplication) -> TranslationManager:
    """The application's catalogues, installed as at start-up (English: plural forms)."""
    manager = TranslationManager(qapp)
    manager.set_language("en")
    return manager


@pytest.fixture(autouse=True)
def _application_setup(qapp: QApplication, translations: TranslationManager) -> Iterator[None]:
    """Names for QSettings (window geometry), and English again after each test."""
    QCoreApplication.setOrganizationName("ComunidadViva-tests")
    QCoreApplication.setApplicationName("viva-desktop-tests")
    yield
    if translations.language != "en":
        translations.set_language("en")


@pytest.fixture(autouse=True)
def _forget_browser_settings(_application_setup: None) -> None:
    """Column layouts, detail panes, the last page and the last saved view persist in
    QSettings: every test starts from the defaults, under the tests' names and under the
    application's own (which the tests that launch the whole app switch to)."""
    from viva_desktop.ui.shell.application import APPLICATION, ORGANIZATION

    for settings in (QSettings(), QSettings(ORGANIZATION, APPLICATION)):
        settings.clear()
        settings.sync()


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    return tmp_path / "config" / "config.toml"


@pytest.fixture
def settings(config_path: Path, tmp_path: Path) -> Settings:
    return load_settings(config_path, {"store_url": f"sqlite:///{tmp_path / 'store.sqlite3'}"})


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    opened = open_store(settings.store_url, attempts=1)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def memory_vault() -> VaultChoice:
    return VaultChoice(MemoryVault(), False, "No secure system keyring was found (test).")


@pytest.fixture
def context(
    qapp: QApplication, settings: Settings, store: Store, memory_vault: VaultChoice, config_path
) -> Iterator[AppContext]:
    ctx = AppContext(settings, vault=memory_vault, store=store, config_path=config_path)
    presenter = ErrorPresenter(ctx, on_auth_expired=ctx.expire_session)
    ctx.error_presenter = presenter
    worker.set_default_error_handler(presenter.handle_task_error)
    try:
        yield ctx
    finally:
        worker.set_default_error_handler(None)
        for dialog in presenter.open_dialogs():
            dialog.close()
        ctx.shutdown()
        worker.shutdown(timeout_ms=10_000)
        if shiboken6.isValid(ctx):
            shiboken6.delete(ctx)


def add_profile(settings: Settings, url: str, name: str = TEST_PROFILE) -> ServerProfile:
    """A server profile for a test sandbox, made the active one."""
    profile = ServerProfile(name=name, url=url)
    settings.profiles = [*settings.profiles, profile]
    settings.active_profile = name
    return profile


@pytest.fixture
def sandbox_profile(settings: Settings, sandbox_fixed) -> ServerProfile:
    return add_profile(settings, sandbox_fixed.url)

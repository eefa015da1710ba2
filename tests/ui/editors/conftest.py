"""Fixtures of the editor tests: a context signed in to a real sandbox over loopback, with its
data synced into the real SQLite store, and a sandbox that can be stopped and restarted on the
same data file and port (to edit offline and come back)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from viva_desktop.sandbox import SandboxConfig, SandboxServer
from viva_desktop.sandbox.seed import DEMO_PASSWORD
from viva_desktop.services.sync import ENTITIES, SyncEngine
from viva_desktop.ui.context import AppContext
from viva_desktop.ui.editors.current_user import current_user_of

from ..conftest import TEST_PROFILE, add_profile


@pytest.fixture(autouse=True)
def _forget_browser_settings() -> None:
    settings = QSettings()
    settings.remove("browsers")
    settings.sync()


SignIn = Callable[..., AppContext]


@pytest.fixture
def sign_in(qtbot, context: AppContext) -> SignIn:
    """`sign_in(url, email)`: the context signed in to that server, its data synced, and the
    user's profile (community, reputation) known."""

    def run(url: str, email: str, *, sync: bool = True) -> AppContext:
        profile = add_profile(context.settings, url)
        session = context.activate_profile(profile)
        session.login(email, DEMO_PASSWORD)
        qtbot.waitUntil(lambda: context.session_info is not None, timeout=10_000)
        qtbot.waitUntil(lambda: context.online is True, timeout=10_000)
        me = current_user_of(context)
        qtbot.waitUntil(lambda: me.me.user_id == session.user_id, timeout=10_000)
        qtbot.waitUntil(lambda: me.me.generosity_score is not None, timeout=10_000)
        if sync:
            assert context.api is not None
            assert context.store is not None
            report = SyncEngine(context.api, context.store, TEST_PROFILE).run(ENTITIES)
            assert report.ok, report.failed
        return context

    return run


@dataclass
class Deployment:
    """A sandbox on a data file: stop it (the network is gone), start it again on the same
    port with the same data (the server is back)."""

    path: Path
    defects: bool = False
    server: SandboxServer | None = None
    port: int = 0

    def start(self) -> SandboxServer:
        config = SandboxConfig(
            database_url=f"sqlite:///{self.path}", defects=self.defects, port=self.port
        )
        self.server = SandboxServer(config).start()
        self.port = self.server.port
        return self.server

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[Deployment]:
    deployed = Deployment(tmp_path / "server.sqlite3")
    deployed.start()
    try:
        yield deployed
    finally:
        deployed.stop()

"""Fixtures of the editor tests: a context signed in to a real sandbox over loopback, with its
data synced into the real SQLite store, and a sandbox that can be stopped and restarted on the
same data file and port (to edit offline and come back)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.deployment import Deployment
from tests.ui.conftest import TEST_PROFILE, add_profile
from viva_desktop.sandbox.seed import DEMO_PASSWORD
from viva_desktop.services.local.sync import ENTITIES, SyncEngine
from viva_desktop.ui.common.context import AppContext
from viva_desktop.ui.editors.current_user import current_user_of

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


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[Deployment]:
    with Deployment(tmp_path / "server.sqlite3") as deployed:
        yield deployed

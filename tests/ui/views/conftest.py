"""Saved views over a store holding the seeded sandbox, synced as the coordinator."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.synced_sandbox import PROFILE, SyncedSandbox, sync_sandbox
from viva_desktop.services.common.config import ServerProfile
from viva_desktop.services.local.store import Store, open_store


@pytest.fixture(scope="session")
def synced_sandbox(tmp_path_factory: pytest.TempPathFactory) -> SyncedSandbox:
    return sync_sandbox(tmp_path_factory.mktemp("synced-sandbox-views"))


@pytest.fixture
def store(synced_sandbox: SyncedSandbox, tmp_path: Path) -> Iterator[Store]:
    opened = open_store(synced_sandbox.copy_to(tmp_path), attempts=1)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def reviewing(context, synced_sandbox: SyncedSandbox):
    """Offline review of the synced sandbox as the coordinator."""
    context.enter_offline_mode(ServerProfile(name=PROFILE, url="http://127.0.0.1:9"))
    context.set_offline_account(synced_sandbox.account_id)
    return context

"""The seeded sandbox synced once per test run as the coordinator, shared by the report,
rendering, Reports page and saved-view tests (each gets its own copy of the store)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.synced_sandbox import SyncedSandbox, sync_sandbox
from viva_desktop.services.local.store import Store, open_store


@pytest.fixture(scope="session")
def synced_sandbox(tmp_path_factory: pytest.TempPathFactory) -> SyncedSandbox:
    return sync_sandbox(tmp_path_factory.mktemp("synced-sandbox"))


@pytest.fixture
def report_store(synced_sandbox: SyncedSandbox, tmp_path: Path) -> Iterator[Store]:
    """A copy of the synced store for this test."""
    store = open_store(synced_sandbox.copy_to(tmp_path), attempts=1)
    try:
        yield store
    finally:
        store.close()

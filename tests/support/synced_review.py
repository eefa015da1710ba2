"""Offline review of the synced sandbox as the coordinator, for the UI tests that read it:
their conftest imports `store` (overriding the empty one) and `reviewing` from here."""

from __future__ import annotations

import pytest

from tests.support.synced_sandbox import PROFILE, SyncedSandbox
from viva_desktop.services.common.config import ServerProfile
from viva_desktop.services.local.store import Store


@pytest.fixture
def store(report_store: Store) -> Store:
    return report_store


@pytest.fixture
def reviewing(context, synced_sandbox: SyncedSandbox):
    """Offline review of the synced sandbox as the coordinator."""
    context.enter_offline_mode(ServerProfile(name=PROFILE, url="http://127.0.0.1:9"))
    context.set_offline_account(synced_sandbox.account_id)
    return context

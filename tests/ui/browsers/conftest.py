"""Fixtures of the browser tests: a real SQLite store filled with server-shaped records, and
offline review of it."""

from __future__ import annotations

import pytest

from viva_desktop.services.common.config import ServerProfile
from viva_desktop.services.local.store import Store

from .data import ACCOUNT, PROFILE, fill


@pytest.fixture
def filled_store(store: Store) -> Store:
    fill(store)
    return store


@pytest.fixture
def offline(context, filled_store: Store):
    """Reviewing the local copy of `PROFILE` without a server, as `ACCOUNT` (the account
    whose credit history and juror cases the store holds)."""
    context.enter_offline_mode(ServerProfile(name=PROFILE, url="http://127.0.0.1:9"), ACCOUNT)
    return context

"""A team store (issue 13 item 3): two accounts queue changes into one PostgreSQL store, the
teammate from another process as from another laptop. The Sync page lists the teammate's queue
read-only on its own (it reads the store's backend, nothing is injected), and never shows or
counts it as the current account's."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.ui.helpers import open_page
from viva_desktop.services.common.config import Settings, load_settings
from viva_desktop.services.local.outbox import Outbox
from viva_desktop.services.local.store import Store, accounts

from .data import ACCOUNT, PROFILE

pytestmark = pytest.mark.postgres

TEAMMATE = "u-admin"
TEAMMATE_EMAIL = "admin@comunidad.local"

_QUEUE = textwrap.dedent(
    """
    import sys
    from viva_desktop.services.local.outbox import Outbox
    from viva_desktop.services.local.store import accounts, open_store

    url, profile, user_id, email = sys.argv[1:5]
    store = open_store(url, attempts=1)
    accounts.remember(store, profile, user_id, email=email)
    outbox = Outbox(store, profile, user_id=user_id)
    for target, amount in (("user-3", 5), ("user-4", 2)):
        outbox.grant(target, amount)
    store.close()
    """
)


@pytest.fixture
def settings(config_path: Path, pg_url: str) -> Settings:  # the team store, not SQLite
    return load_settings(config_path, {"store_url": pg_url})


def queue_as_teammate(store_url: str) -> None:
    """The teammate's laptop: another process queues two grants into the shared store."""
    subprocess.run(
        [sys.executable, "-c", _QUEUE, store_url, PROFILE, TEAMMATE, TEAMMATE_EMAIL],
        check=True,
        timeout=120,
    )


def test_a_team_store_lists_each_teammates_queue_read_only(
    qtbot, offline, filled_store: Store, settings: Settings
) -> None:
    assert filled_store.backend == "postgresql"
    mine = Outbox(filled_store, PROFILE, user_id=ACCOUNT)
    mine.grant("user-5", 7)  # this account's own change, queued here
    queue_as_teammate(settings.store_url)
    assert mine.count() == 1
    assert mine.queued_by_others() == {TEAMMATE: 2}

    sync = open_page(qtbot, offline, "sync")  # reviewing ACCOUNT's data offline
    panel = sync.outbox_panel
    qtbot.waitUntil(lambda: panel.teammates.count() == 2, timeout=10_000)
    assert panel.teammates.isVisibleTo(sync)
    assert [panel.teammates.item(i).text() for i in range(2)] == [
        f"{TEAMMATE_EMAIL}: Grant 5 credits — Waiting",
        f"{TEAMMATE_EMAIL}: Grant 2 credits — Waiting",
    ]
    assert panel.teammates.selectionMode() == panel.teammates.SelectionMode.NoSelection
    assert TEAMMATE_EMAIL in panel.others_note.text()
    # the account's own queue holds only its own change, and only it is counted
    qtbot.waitUntil(lambda: len(panel.entries) == 1, timeout=10_000)
    assert all(entry.account == ACCOUNT for entry in panel.entries)
    offline.refresh_outbox_count()
    qtbot.waitUntil(lambda: offline.outbox_count == 1, timeout=10_000)

    # another account on this laptop sees the first one's queue the same way, read-only
    accounts.remember(filled_store, PROFILE, ACCOUNT, email="user0@comunidad.local")
    offline.set_offline_account(TEAMMATE)
    panel.load_outbox()
    qtbot.waitUntil(
        lambda: len(panel.entries) == 2 and panel.teammates.count() == 1, timeout=10_000
    )
    assert panel.teammates.item(0).text() == "user0@comunidad.local: Grant 7 credits — Waiting"
    assert all(entry.account == TEAMMATE for entry in panel.entries)

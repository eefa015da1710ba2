"""Another account's queued changes on the Sync page (issue 13): named in a neutral note,
listed read-only in a team store, never shown or counted as the current account's."""

from __future__ import annotations

from tests.ui.helpers import open_page
from viva_desktop.services.local.outbox import Outbox
from viva_desktop.services.local.store import Store, accounts
from viva_desktop.ui.editors.outbox_panel import read_others

from .data import ACCOUNT, PROFILE


def test_a_teammates_queue_is_named_and_listed_read_only(qtbot, offline, filled_store: Store):
    accounts.remember(filled_store, PROFILE, "u-admin", email="admin@comunidad.local")
    theirs = Outbox(filled_store, PROFILE, user_id="u-admin")
    theirs.grant("user-3", 5)
    theirs.grant("user-4", 2)
    mine = Outbox(filled_store, PROFILE, user_id=ACCOUNT)
    assert mine.count() == 0
    [(label, count, entries)] = read_others(mine, True)
    assert (label, count, len(entries)) == ("admin@comunidad.local", 2, 2)
    assert read_others(mine, False) == [("admin@comunidad.local", 2, [])]  # a laptop: no list

    sync = open_page(qtbot, offline, "sync")  # reviewing ACCOUNT's data offline
    panel = sync.outbox_panel
    qtbot.waitUntil(lambda: panel.others_note.isVisibleTo(sync), timeout=5000)
    assert "admin@comunidad.local" in panel.others_note.text()
    assert panel.entries == []
    assert offline.outbox_count == 0
    panel.others = read_others(mine, True)  # what a team store reads
    panel._render_others()
    assert panel.teammates.isVisibleTo(sync)
    assert panel.teammates.count() == 2
    assert panel.teammates.item(0).text().startswith("admin@comunidad.local: Grant 5 credits")
    assert panel.teammates.selectionMode() == panel.teammates.SelectionMode.NoSelection

"""The offline paths against a real sandbox: a create answered with 500 (unknown outcome,
settled by re-reading, never duplicated), an edit made while the server is down (queued,
replayed once it is back, on the same data), and conflicts resolved both ways on the Sync page."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import TEST_PROFILE
from tests.ui.helpers import open_page
from viva_desktop.sandbox.seed import VERIFIED_CITIZEN_EMAIL
from viva_desktop.services.local.outbox import EntryState
from viva_desktop.services.local.store import LocalChange
from viva_desktop.services.remote.api.errors import NetworkUnreachable
from viva_desktop.ui.dialogs.conflict import ConflictDialog
from viva_desktop.ui.editors.form import FormState
from viva_desktop.ui.editors.queue import runner_of

from .helpers import fill, select, submit, wait_rows

OFFER = {
    "title": "Clases de euskera",
    "type": "SERVICE",
    "category": "Educación",
    "description": "Los martes por la tarde",
}


def own_offers(context) -> list[Any]:
    me = context.session_info.user_id
    rows = context.store.query(
        "offers", profile=TEST_PROFILE, filters={"user_id": me, "status": "ACTIVE"}
    )
    assert rows
    return rows


def test_a_create_the_server_cannot_perform_is_kept_in_the_failed_list(
    qtbot, sign_in, sandbox
) -> None:
    """Upstream, POST /offers always answers 500 and creates nothing (defect D1): settled
    once, repeated once, then kept for the user, never duplicated."""
    context = sign_in(sandbox.url, VERIFIED_CITIZEN_EMAIL)
    page = open_page(qtbot, context, "offers")
    editor = page.new_offer()
    fill(editor, **OFFER)
    assert submit(qtbot, editor) is FormState.QUEUED
    assert "could not create" in editor.banner.text()
    assert editor.submit_button.text() == "Close"
    outbox = context.outbox
    assert outbox.pending() == []  # never sent again by itself
    [entry] = outbox.failed_creates()
    assert entry.op == "create"
    assert entry.last_error
    local = context.store.get("offers", TEST_PROFILE, str(entry.target_id))
    assert local is not None  # nothing lost
    assert local.local_changes == LocalChange.FAILED
    assert not [o for o in context.api.offers.mine() if o.title == OFFER["title"]]
    wait_rows(qtbot, page.browser)
    row = page.model.row_of(str(entry.target_id))
    assert row >= 0
    tooltip = page.model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "Could not be created" in tooltip


def test_a_500_after_the_server_saved_is_settled_by_rereading(
    qtbot, sign_in, sandbox_fixed
) -> None:
    context = sign_in(sandbox_fixed.url, VERIFIED_CITIZEN_EMAIL)
    page = open_page(qtbot, context, "offers")
    editor = page.new_offer()
    fill(editor, **OFFER)
    sandbox_fixed.set_faults(error_after_write_rate=1.0, paths=["/offers"])
    try:
        assert submit(qtbot, editor) is FormState.SAVED
    finally:
        sandbox_fixed.clear_faults()
    created = [o for o in context.api.offers.mine() if o.title == OFFER["title"]]
    assert len(created) == 1  # created once, confirmed by re-reading
    assert context.store.get("offers", TEST_PROFILE, created[0].id) is not None
    assert context.outbox.count() == 0


def go_offline(qtbot, context, deployment) -> None:
    """Stop the server; the next request is refused and the context knows it is offline."""
    deployment.stop()
    with pytest.raises(NetworkUnreachable):
        context.client.get("/health", authenticated=False, retry=False)
    qtbot.waitUntil(lambda: context.online is False, timeout=10_000)


def test_edit_offline_then_replay_when_the_server_is_back(qtbot, sign_in, deployment) -> None:
    context = sign_in(deployment.url, VERIFIED_CITIZEN_EMAIL)
    target = own_offers(context)[0]
    page = open_page(qtbot, context, "offers")
    go_offline(qtbot, context, deployment)
    assert page.banner.isVisible()
    assert "Offline" in page.banner.text()

    select(qtbot, page, target.id)
    editor = page.edit_offer()
    fill(editor, title="Editada sin conexión", priceCredits="9")
    assert submit(qtbot, editor) is FormState.QUEUED
    assert "back online" in editor.banner.text()
    stored = context.store.get("offers", TEST_PROFILE, target.id)
    assert stored["title"] == "Editada sin conexión"
    assert stored.local_changes == LocalChange.UPDATED
    wait_rows(qtbot, page.browser)
    index = page.model.index(page.model.row_of(target.id), 0)
    assert index.data() == "Editada sin conexión"
    assert index.data(Qt.ItemDataRole.FontRole).italic()  # edited offline, not yet sent

    deployment.start()  # same port, same data
    sync = open_page(qtbot, context, "sync")
    qtbot.waitUntil(lambda: sync.outbox_panel.outbox_model.rowCount() == 1, timeout=10_000)
    assert sync.outbox_panel.outbox_model.index(0, 1).data() == "Waiting"
    runner = runner_of(context)
    with qtbot.waitSignal(runner.finished, timeout=15_000) as done:
        assert sync.outbox_panel.replay_now() is not None
    assert [e.seq for e in done.args[0].sent]
    server = next(o for o in context.api.offers.mine() if o.id == target.id)
    assert server.title == "Editada sin conexión"
    assert server.price_credits == 9
    assert context.store.get("offers", TEST_PROFILE, target.id).local_changes is None
    qtbot.waitUntil(lambda: sync.outbox_panel.outbox_model.rowCount() == 0, timeout=10_000)
    qtbot.waitUntil(lambda: context.outbox_count == 0, timeout=5000)


def make_conflict(qtbot, context, deployment, title: str) -> tuple[Any, int]:
    """Edit an offer offline, and have someone else change it on the server meanwhile."""
    target = own_offers(context)[0]
    page = open_page(qtbot, context, "offers")
    go_offline(qtbot, context, deployment)
    select(qtbot, page, target.id)
    editor = page.edit_offer()
    fill(editor, title=title)
    assert submit(qtbot, editor) is FormState.QUEUED
    deployment.start()
    context.api.offers.update(target.id, {"title": "Cambiada en la web"})  # the other device
    sync = open_page(qtbot, context, "sync")
    runner = runner_of(context)
    with qtbot.waitSignal(runner.finished, timeout=15_000) as done:
        sync.outbox_panel.replay_now()
    [conflict] = done.args[0].conflicts
    qtbot.waitUntil(
        lambda: any(e.state == EntryState.CONFLICT for e in sync.outbox_panel.entries),
        timeout=10_000,
    )
    return sync, conflict.seq


def open_conflict(qtbot, sync, seq: int) -> ConflictDialog:
    sync.outbox_panel.select_entry(seq)
    assert sync.outbox_panel.resolve_button.isEnabled()
    dialog = sync.outbox_panel.resolve_selected()
    assert isinstance(dialog, ConflictDialog)
    assert sync.dialog is dialog  # opened the way every page opens its dialogs
    rows = {
        dialog.table.item(r, 0).data(Qt.ItemDataRole.UserRole): r
        for r in range(dialog.table.rowCount())
    }
    row = rows["title"]
    assert dialog.table.item(row, 2).text() == "Cambiada en la web"  # theirs
    assert dialog.table.item(row, 2).font().bold()
    return dialog


def test_a_conflict_resolved_by_keeping_mine(qtbot, sign_in, deployment) -> None:
    context = sign_in(deployment.url, VERIFIED_CITIZEN_EMAIL)
    sync, seq = make_conflict(qtbot, context, deployment, "La mía gana")
    dialog = open_conflict(qtbot, sync, seq)
    assert dialog.table.item(0, 1).text() == "La mía gana"  # mine, side by side
    runner = runner_of(context)
    with qtbot.waitSignal(runner.finished, timeout=15_000):
        dialog.mine_button.click()
    offer_id = context.outbox.get(seq).target_id
    assert next(o for o in context.api.offers.mine() if o.id == offer_id).title == "La mía gana"
    assert context.outbox.get(seq).state == EntryState.DONE
    assert context.store.get("offers", TEST_PROFILE, offer_id)["title"] == "La mía gana"


def test_a_conflict_resolved_by_keeping_theirs(qtbot, sign_in, deployment) -> None:
    context = sign_in(deployment.url, VERIFIED_CITIZEN_EMAIL)
    sync, seq = make_conflict(qtbot, context, deployment, "La mía pierde")
    dialog = open_conflict(qtbot, sync, seq)
    with qtbot.waitSignal(dialog.resolved, timeout=10_000):
        dialog.theirs_button.click()
    offer_id = context.outbox.get(seq).target_id
    assert next(o for o in context.api.offers.mine() if o.id == offer_id).title == (
        "Cambiada en la web"
    )
    stored = context.store.get("offers", TEST_PROFILE, offer_id)
    assert stored["title"] == "Cambiada en la web"
    assert stored.local_changes is None
    qtbot.waitUntil(lambda: sync.outbox_panel.outbox_model.rowCount() == 0, timeout=10_000)

"""The Sync page against a real sandbox: a synchronisation with live progress, cancelled and
resumed; the automatic replay when the server is back; refused changes retried and discarded."""

from __future__ import annotations

import pytest

from tests.ui.conftest import TEST_PROFILE
from tests.ui.helpers import open_page
from viva_desktop.sandbox.seed import ADMIN_EMAIL, CITIZEN_EMAIL
from viva_desktop.services.local.outbox import EntryState
from viva_desktop.services.local.store import SyncStatus
from viva_desktop.services.remote.api.errors import NetworkUnreachable
from viva_desktop.ui.editors.form import FormState
from viva_desktop.ui.editors.queue import runner_of

from .helpers import fill, submit
from .test_offline import OFFER


def state_of(sync, entity: str) -> dict:
    return next(r for r in sync.states.records() if r["entity"] == entity)


def test_synchronise_with_progress_then_every_entity_is_complete(
    qtbot, sign_in, sandbox_fixed
) -> None:
    context = sign_in(sandbox_fixed.url, ADMIN_EMAIL, sync=False)
    sync = open_page(qtbot, context, "sync")
    assert sync.sync_button.isEnabled()
    assert state_of(sync, "offers")["status_label"] == "Never"
    seen = []
    handle = sync.start_sync()
    handle.progress.connect(lambda value: seen.append(value))
    assert not sync.sync_button.isEnabled()
    assert sync.cancel_button.isEnabled()
    with qtbot.waitSignal(handle.finished, timeout=30_000):
        pass
    assert seen  # pages, records, rate and time left came in while it ran
    assert "Up to date" in sync.summary.text()
    synced = ("communities", "offers", "events", "posts", "moderation_cases")
    qtbot.waitUntil(
        lambda: all(state_of(sync, e)["status"] == SyncStatus.COMPLETE for e in synced),
        timeout=5000,
    )
    for entity in synced:
        row = state_of(sync, entity)
        assert row["status_label"] == "Complete", entity
        assert row["items"] > 0, entity
        assert row["age"] == "just now"
    assert context.store.count("offers", profile=TEST_PROFILE) > 0
    offers = open_page(qtbot, context, "offers")
    qtbot.waitUntil(lambda: offers.model.rowCount() > 0, timeout=5000)
    assert "Data as of" in offers.browser.age_label.text()


def test_cancel_keeps_the_progress_and_the_next_run_resumes(qtbot, sign_in, sandbox_fixed) -> None:
    context = sign_in(sandbox_fixed.url, ADMIN_EMAIL, sync=False)
    sync = open_page(qtbot, context, "sync")
    sandbox_fixed.set_faults(latency_ms=150)  # slow enough to cancel in the middle
    try:
        handle = sync.start_sync()
        with qtbot.waitSignal(handle.progress, timeout=30_000):
            pass
        sync.cancel_sync()
        assert not sync.cancel_button.isEnabled()
        with qtbot.waitSignal(handle.cancelled, timeout=30_000):
            pass
    finally:
        sandbox_fixed.clear_faults()
    assert "continues where this one stopped" in sync.summary.text()
    stopped = [
        s for s in context.store.sync_states(TEST_PROFILE) if s.status == SyncStatus.CANCELLED
    ]
    assert [s.resumable for s in stopped] == [True]
    qtbot.waitUntil(
        lambda: state_of(sync, stopped[0].entity)["status_label"] == "Cancelled: resumes next time",
        timeout=5000,
    )
    handle = sync.start_sync()
    with qtbot.waitSignal(handle.finished, timeout=30_000):
        pass
    report = sync.last_outcome.report
    assert report.ok
    assert report.results[stopped[0].entity].resumed


def test_queued_edits_are_sent_by_themselves_when_the_server_is_back(
    qtbot, sign_in, deployment
) -> None:
    context = sign_in(deployment.url, CITIZEN_EMAIL)  # maria: her e-mail is not verified
    page = open_page(qtbot, context, "offers")
    deployment.stop()
    with pytest.raises(NetworkUnreachable):
        context.client.get("/health", authenticated=False, retry=False)
    qtbot.waitUntil(lambda: context.online is False, timeout=10_000)
    editor = page.new_offer()
    fill(editor, **OFFER)
    assert submit(qtbot, editor) is FormState.QUEUED
    sync = open_page(qtbot, context, "sync")
    qtbot.waitUntil(lambda: sync.outbox_model.rowCount() == 1, timeout=10_000)
    assert not sync.replay_button.isEnabled() or not context.online

    deployment.start()
    runner = runner_of(context)
    with qtbot.waitSignal(runner.finished, timeout=15_000) as done:
        context.client.get("/health", authenticated=False)  # any answer: online again
    report = done.args[0]
    [refused] = report.failed  # the server refuses an unverified e-mail: nothing is lost
    qtbot.waitUntil(lambda: any(e.state == EntryState.FAILED for e in sync.entries), timeout=10_000)
    assert "Refused" in sync.outbox_model.index(0, 1).data()
    assert "verif" in sync.outbox_model.index(0, 3).data()
    sync.select_entry(refused.seq)
    assert sync.retry_button.isEnabled()
    assert sync.discard_button.isEnabled()
    with qtbot.waitSignal(runner.finished, timeout=15_000):
        sync.retry_selected()  # still refused: it stays set aside
    assert context.outbox.get(refused.seq).state == EntryState.FAILED
    qtbot.waitUntil(lambda: sync._entry(refused.seq) is not None, timeout=5000)
    sync.select_entry(refused.seq)
    handle = sync.discard_selected(confirm=False)
    with qtbot.waitSignal(handle.finished, timeout=10_000):
        pass
    assert context.outbox.get(refused.seq).state == EntryState.DONE
    assert context.store.get("offers", TEST_PROFILE, str(refused.target_id)) is None
    qtbot.waitUntil(lambda: sync.outbox_model.rowCount() == 0, timeout=10_000)
    qtbot.waitUntil(lambda: context.outbox_count == 0, timeout=5000)

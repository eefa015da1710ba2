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
    qtbot.waitUntil(lambda: sync.outbox_panel.outbox_model.rowCount() == 1, timeout=10_000)
    assert not sync.outbox_panel.replay_button.isEnabled() or not context.online

    deployment.start()
    runner = runner_of(context)
    with qtbot.waitSignal(runner.finished, timeout=15_000) as done:
        context.client.get("/health", authenticated=False)  # any answer: online again
    report = done.args[0]
    [refused] = report.failed  # the server refuses an unverified e-mail: nothing is lost
    qtbot.waitUntil(
        lambda: any(e.state == EntryState.FAILED for e in sync.outbox_panel.entries),
        timeout=10_000,
    )
    assert "Refused" in sync.outbox_panel.outbox_model.index(0, 1).data()
    assert "verif" in sync.outbox_panel.outbox_model.index(0, 3).data()
    sync.outbox_panel.select_entry(refused.seq)
    assert sync.outbox_panel.retry_button.isEnabled()
    assert sync.outbox_panel.discard_button.isEnabled()
    with qtbot.waitSignal(runner.finished, timeout=15_000):
        sync.outbox_panel.retry_selected()  # still refused: it stays set aside
    assert context.outbox.get(refused.seq).state == EntryState.FAILED
    qtbot.waitUntil(lambda: sync.outbox_panel._entry(refused.seq) is not None, timeout=5000)
    sync.outbox_panel.select_entry(refused.seq)
    handle = sync.outbox_panel.discard_selected(confirm=False)
    with qtbot.waitSignal(handle.finished, timeout=10_000):
        pass
    assert context.outbox.get(refused.seq).state == EntryState.DONE
    assert context.store.get("offers", TEST_PROFILE, str(refused.target_id)) is None
    qtbot.waitUntil(lambda: sync.outbox_panel.outbox_model.rowCount() == 0, timeout=10_000)
    qtbot.waitUntil(lambda: context.outbox_count == 0, timeout=5000)


def test_a_reset_server_is_reported_with_a_full_resync_offered(qtbot, sign_in, deployment) -> None:
    """Issue 17, defect 5: the sync's evidence that the server's data was reset is shown on
    the Sync page, and one click runs the full re-sync that clears what the server lost."""
    from datetime import UTC, datetime

    from viva_desktop.services.local.server_reset import ResetEvidence
    from viva_desktop.services.local.sync import SyncReport
    from viva_desktop.ui.pages.sync import SyncOutcome

    context = sign_in(deployment.url, ADMIN_EMAIL)
    sync = open_page(qtbot, context, "sync")
    assert not sync.reset_panel.isVisible()
    now = datetime.now(UTC)
    evidence = ResetEvidence(9, [("posts", "a"), ("posts", "b")], now, now.replace(year=2025))
    report = SyncReport(TEST_PROFILE, now, now, server_reset=evidence)
    sync._synced(SyncOutcome(None, report))
    assert sync.reset_panel.isVisible()
    text = sync.reset_panel.text.text()
    assert "reset or replaced" in text
    assert "2 of the 9 newest records" in text
    sync.reset_panel.resync_button.click()
    assert sync.full_box.isChecked()
    handle = sync.sync_task
    assert handle is not None
    with qtbot.waitSignal(handle.finished, timeout=30_000):
        pass
    assert not sync.reset_panel.isVisible()  # a full pass leaves nothing to warn about


def test_a_rate_limit_wait_is_shown_and_resumed_on_a_timer(qtbot, sign_in) -> None:
    import httpx

    from tests.support.sandboxes import start_sandbox
    from viva_desktop.sandbox.ratelimit import RateLimiter
    from viva_desktop.services.local.sync import waits as stored_waits

    window = 40_000
    server = start_sandbox(defects=False, enforce_rate_limits=True, rate_window_ms=window)
    try:
        context = sign_in(server.url, ADMIN_EMAIL, sync=False)
        sync = open_page(qtbot, context, "sync")
        # Someone behind the same address used the posts budget up.
        with httpx.Client(base_url=server.url) as other:
            for _ in range(10):
                other.get("/posts", params={"limit": 1, "offset": 0})
        handle = sync.start_sync()
        with qtbot.waitSignal(handle.finished, timeout=30_000):
            pass
        report = sync.last_outcome.report
        assert set(report.waiting) == {"posts"}
        assert "wait for the server's rate limit" in sync.summary.text()
        assert "resumes by itself at" in sync.summary.text()
        assert sync.waits.scheduled
        assert sync.waits.entities == ["posts"]
        qtbot.waitUntil(
            lambda: state_of(sync, "posts")["status_label"].startswith("Waiting: resumes at"),
            timeout=5000,
        )
        # The wait ends (on the server and in the stored state): the timer resumes the posts.
        server.state.limiter = RateLimiter(enforce=True, window_ms=window)
        context.api.client.pacer.forget()  # the client's budgets renew with the window
        stored_waits.hold(context.store, TEST_PROFILE, "posts", "", report.started_at)
        with qtbot.waitSignal(sync.waits.resume_due, timeout=5000):
            sync.waits.resume_timer.timeout.emit()
        assert sync.sync_task is not None
        with qtbot.waitSignal(sync.sync_task.finished, timeout=30_000):
            pass
        assert set(sync.last_outcome.report.results) == {"posts"}
        assert sync.last_outcome.report.ok
        assert not sync.waits.scheduled
    finally:
        server.stop()


def test_a_new_offer_the_server_cannot_create_waits_in_the_failed_list(
    qtbot, sign_in, sandbox
) -> None:
    """Defects on (contract §13, D1): every offer create answers 500. The new offer is settled
    once, repeated once, then kept in the Failed list, marked in the browser and not counted
    among the offers."""
    from viva_desktop.sandbox.seed import VERIFIED_CITIZEN_EMAIL
    from viva_desktop.services.local.store import LocalChange
    from viva_desktop.ui.browser.status_text import count_text

    from .helpers import wait_rows

    context = sign_in(sandbox.url, VERIFIED_CITIZEN_EMAIL)
    page = open_page(qtbot, context, "offers")
    wait_rows(qtbot, page.browser)
    offers_before = page.model.total
    editor = page.new_offer()
    fill(editor, **OFFER)
    assert submit(qtbot, editor) is FormState.QUEUED
    assert "could not create" in editor.banner.text()
    assert "Failed list" in editor.banner.text()
    [entry] = context.outbox.failed_creates()
    assert entry.attempts == 1
    page.browser.model.reload()
    qtbot.waitUntil(lambda: page.model.local_only == 1, timeout=10_000)
    assert page.model.total - page.model.local_only == offers_before
    assert "1 not on the server" in count_text(page.model)
    row = context.store.get("offers", TEST_PROFILE, str(entry.target_id))
    assert row.local_changes == LocalChange.FAILED
    # Local-only records can be filtered (or left out) like any facet.
    facet = page.browser.facets["local_changes"]
    # The facet's values are counted on a worker after the reload: wait for that count.
    qtbot.waitUntil(
        lambda: any("Could not be created (1)" in facet.itemText(i) for i in range(facet.count())),
        timeout=10_000,
    )
    facet.select(LocalChange.FAILED)
    qtbot.waitUntil(lambda: page.model.total == 1, timeout=5000)
    assert page.model.row_of(str(entry.target_id)) == 0
    facet.reset()

    sync = open_page(qtbot, context, "sync")
    panel = sync.outbox_panel
    qtbot.waitUntil(lambda: panel._entry(entry.seq) is not None, timeout=10_000)
    panel.select_entry(entry.seq)
    assert panel.state_label(panel._entry(entry.seq)) == "Could not be created"
    assert panel.retry_button.isEnabled()
    assert panel.edit_button.isEnabled()
    assert panel.copy_button.isEnabled()
    assert panel.discard_button.isEnabled()
    assert OFFER["title"] in panel.copy_selected()
    dialog = panel.edit_selected()
    assert dialog is not None
    assert sync.dialog is dialog
    dialog.fields["title"].setText("Clases de euskera (martes)")
    runner = runner_of(context)
    with qtbot.waitSignal(runner.finished, timeout=15_000):
        dialog.accept()
    assert context.outbox.get(entry.seq).payload["title"] == "Clases de euskera (martes)"
    assert context.outbox.get(entry.seq).state == EntryState.FAILED  # still a 500: set aside
    qtbot.waitUntil(lambda: panel._entry(entry.seq) is not None, timeout=5000)
    panel.select_entry(entry.seq)
    handle = panel.discard_selected(confirm=False)
    with qtbot.waitSignal(handle.finished, timeout=10_000):
        pass
    assert context.store.get("offers", TEST_PROFILE, str(entry.target_id)) is None


def test_cancel_also_drops_a_planned_resume(qtbot, sign_in) -> None:
    import httpx

    from tests.support.sandboxes import start_sandbox
    from viva_desktop.services.local.sync import waits as stored_waits

    server = start_sandbox(defects=False, enforce_rate_limits=True, rate_window_ms=40_000)
    try:
        context = sign_in(server.url, ADMIN_EMAIL, sync=False)
        sync = open_page(qtbot, context, "sync")
        with httpx.Client(base_url=server.url) as other:
            for _ in range(10):
                other.get("/posts", params={"limit": 1, "offset": 0})
        handle = sync.start_sync()
        with qtbot.waitSignal(handle.finished, timeout=30_000):
            pass
        assert sync.waits.scheduled
        assert sync.cancel_button.isEnabled()  # a planned resume can be cancelled
        sync.cancel_sync()
        assert not sync.waits.scheduled
        qtbot.waitUntil(lambda: not stored_waits.pending(context.store, TEST_PROFILE), timeout=5000)
        sync.refresh()
        qtbot.waitUntil(lambda: not sync.is_loading(), timeout=5000)
        assert not sync.waits.scheduled
        assert not sync.cancel_button.isEnabled()
    finally:
        server.stop()

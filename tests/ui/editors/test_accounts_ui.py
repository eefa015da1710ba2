"""Accounts on a shared laptop (issue 13), with real widgets against the sandbox: the ADMIN
signs in, syncs, queues a change and signs out; maria signs in and sees only her own credit
history, juror cases and queue (with a neutral note about the ADMIN's); the ADMIN comes back
and the change is sent; the record's History and the Audit log page show it under the ADMIN.
Also: role-aware actions, offline review as the last account (or another one)."""

from __future__ import annotations

import csv
import io
import re

import shiboken6

from tests.ui.conftest import TEST_PROFILE
from tests.ui.helpers import open_page, wait_loaded
from viva_desktop.sandbox.seed import ADMIN_EMAIL, CITIZEN_EMAIL, DEMO_PASSWORD
from viva_desktop.services.local.store import audit
from viva_desktop.services.local.sync import ENTITIES, SyncEngine
from viva_desktop.ui.editors.current_user import current_user_of
from viva_desktop.ui.editors.queue import outbox_of

WAIT = 15_000


def switch_to(qtbot, context, email: str) -> str:
    """Sign out whoever is signed in, then sign `email` in and sync its own data."""
    session = context.session
    if session.authenticated:
        session.logout()
        qtbot.waitUntil(lambda: context.scope_account is None, timeout=WAIT)
    session.login(email, DEMO_PASSWORD)
    qtbot.waitUntil(lambda: context.scope_account == session.user_id, timeout=WAIT)
    report = SyncEngine(context.api, context.store, TEST_PROFILE, members=False).run(ENTITIES)
    assert report.ok, report.failed
    return str(session.user_id)


def loaded_ids(qtbot, browser) -> set[str]:
    browser.refresh()
    wait_loaded(qtbot, browser.model)
    return set(browser.model.record_ids())


def test_a_shared_laptop_keeps_each_persons_data_and_queue(
    qtbot, sign_in, sandbox_fixed, tmp_path
) -> None:
    context = sign_in(sandbox_fixed.url, ADMIN_EMAIL)
    admin_id = str(context.session.user_id)
    admin_transactions = {t.id for t in context.api.credits.transactions()}
    credits = open_page(qtbot, context, "credits")
    moderation = open_page(qtbot, context, "moderation")
    sync = open_page(qtbot, context, "sync")
    assert loaded_ids(qtbot, credits.transactions) == admin_transactions
    admin_cases = loaded_ids(qtbot, moderation.browser)
    assert admin_cases  # the seed makes the admin a juror

    # The ADMIN votes while the server is unreachable for this app: the vote is queued.
    case_id = sorted(admin_cases)[0]
    queued = outbox_of(context).vote(case_id, "KEEP", "Contenido correcto")
    moderation.browser.select_ids([case_id])
    qtbot.waitUntil(lambda: "queued" in moderation.browser.history.body.text(), timeout=WAIT)

    # Signed out: nothing of the ADMIN's stays on screen.
    context.session.logout()
    qtbot.waitUntil(lambda: context.scope_account is None, timeout=WAIT)
    wait_loaded(qtbot, credits.transactions.model)
    assert credits.transactions.model.rowCount() == 0
    assert moderation.browser.current_row() is None
    assert moderation.browser.detail.row is None

    # maria signs in on the same laptop: only her own records, and none of his queue.
    maria_id = switch_to(qtbot, context, CITIZEN_EMAIL)
    assert maria_id != admin_id
    maria_transactions = {t.id for t in context.api.credits.transactions()}
    assert loaded_ids(qtbot, credits.transactions) == maria_transactions
    assert not loaded_ids(qtbot, credits.transactions) & admin_transactions
    assert loaded_ids(qtbot, moderation.browser) == {c.id for c in context.api.moderation.pending()}
    qtbot.waitUntil(lambda: context.outbox_count == 0, timeout=WAIT)
    panel = sync.outbox_panel
    panel.load_outbox()
    qtbot.waitUntil(lambda: panel.others_note.isVisibleTo(sync), timeout=WAIT)
    # ("change(s)" until the plural forms of the new strings are merged into the catalogue)
    assert re.fullmatch(
        r"1 change(\(s\))? queued by admin@comunidad\.local: sent when that account signs "
        r"in here\.",
        panel.others_note.text(),
    )
    assert panel.entries == []
    assert outbox_of(context).get(queued.seq).state == "pending"  # never sent as her
    # Her export and her Sync page's counts hold only her records too.
    exported = tmp_path / "maria.csv"
    with qtbot.waitSignal(credits.transactions.exported, timeout=WAIT):
        credits.transactions.export_csv(exported, raw=True)
    rows = list(csv.DictReader(io.StringIO(exported.read_text(encoding="utf-8-sig"))))
    assert len(rows) == len(maria_transactions)  # (the shown columns carry no id)
    sync.load_overview()
    qtbot.waitUntil(lambda: not sync.is_loading(), timeout=WAIT)
    overview = {row["entity"]: row for row in sync.overview}
    assert overview["credit_transactions"]["items"] == len(maria_transactions)

    # The ADMIN comes back: his vote is sent as him.
    context.session.logout()
    qtbot.waitUntil(lambda: context.scope_account is None, timeout=WAIT)
    context.session.login(ADMIN_EMAIL, DEMO_PASSWORD)
    qtbot.waitUntil(lambda: outbox_of(context).get(queued.seq).state == "done", timeout=WAIT)
    trail = audit.entries(context.store, TEST_PROFILE, entity="moderation_cases", record_id=case_id)
    assert [(e.account, e.action, e.outcome) for e in trail] == [
        (admin_id, "vote", "sent"),
        (admin_id, "vote", "queued"),
    ]
    assert trail[0].account_email == ADMIN_EMAIL
    assert trail[0].request_id

    # The record's History and the Audit log page show it under the ADMIN.
    wait_loaded(qtbot, moderation.browser.model)
    moderation.browser.select_ids([case_id])
    qtbot.waitUntil(lambda: "sent" in moderation.browser.history.body.text(), timeout=WAIT)
    assert "admin@comunidad.local · Vote: sent" in moderation.browser.history.body.text()
    log = open_page(qtbot, context, "audit")
    log.account_box.setCurrentIndex(log.account_box.findData(admin_id))
    qtbot.waitUntil(lambda: not log.is_loading() and len(log.entries) >= 2, timeout=WAIT)
    assert {(e.account, e.outcome) for e in log.entries} >= {(admin_id, "sent")}
    assert all(e.account == admin_id for e in log.entries)


def test_new_offer_and_grant_are_disabled_with_the_servers_reason(
    qtbot, sign_in, sandbox_fixed
) -> None:
    context = sign_in(sandbox_fixed.url, CITIZEN_EMAIL, sync=False)  # maria: unverified
    me = current_user_of(context)
    qtbot.waitUntil(lambda: me.me.email_verified is False, timeout=WAIT)
    reason = "The server requires a verified e-mail address."
    for key in ("offers", "events"):
        page = open_page(qtbot, context, key)
        qtbot.waitUntil(lambda page=page: page.new_button.toolTip() == reason, timeout=WAIT)
        assert page.new_button.isVisible()
        assert not page.new_button.isEnabled()
        assert page.new_button.statusTip() == reason
    credits = open_page(qtbot, context, "credits")
    grant = "Only administrators can grant credits."
    qtbot.waitUntil(lambda: credits.grant_button.toolTip() == grant, timeout=WAIT)
    assert credits.grant_button.isVisible()
    assert not credits.grant_button.isEnabled()
    assert credits.grant_button.statusTip() == grant


def test_offline_review_opens_the_last_account_and_another_can_be_chosen(
    qtbot, sign_in, sandbox_fixed
) -> None:
    context = sign_in(sandbox_fixed.url, ADMIN_EMAIL)
    admin_id = str(context.session.user_id)
    maria_id = switch_to(qtbot, context, CITIZEN_EMAIL)
    profile = context.profile
    credits = open_page(qtbot, context, "credits")
    maria_rows = loaded_ids(qtbot, credits.transactions)

    context.enter_offline_mode(profile)  # the sign-in dialog's "Review local data"
    qtbot.waitUntil(lambda: context.scope_account == maria_id, timeout=WAIT)  # used last
    assert loaded_ids(qtbot, credits.transactions) == maria_rows

    from viva_desktop.ui.shell.main_window import MainWindow
    from viva_desktop.ui.shell.offline_account import OfflineAccountChooser

    window = MainWindow()
    qtbot.addWidget(window)
    window.attach(context)
    chooser = window.findChild(OfflineAccountChooser)
    assert chooser.action.isEnabled()
    chooser.choose()
    qtbot.waitUntil(lambda: chooser.dialog is not None and chooser.dialog.isVisible(), timeout=WAIT)
    chooser.dialog.setTextValue(ADMIN_EMAIL)
    chooser.dialog.accept()
    qtbot.waitUntil(lambda: context.scope_account == admin_id, timeout=WAIT)
    admin_rows = loaded_ids(qtbot, credits.transactions)
    assert admin_rows
    assert not admin_rows & maria_rows


def test_membership_decisions_sent_directly_are_in_the_trail(qtbot, sign_in, sandbox_fixed) -> None:
    from viva_desktop.sandbox.seed import APPROVAL_COMMUNITY_SLUG, COORDINATOR_EMAIL
    from viva_desktop.services.remote.api.errors import ApiError
    from viva_desktop.ui.editors.writer import Operation, perform

    context = sign_in(sandbox_fixed.url, COORDINATOR_EMAIL)
    me = str(context.session.user_id)
    [community] = context.store.query(
        "communities", profile=TEST_PROFILE, filters={"slug": APPROVAL_COMMUNITY_SLUG}
    )
    first, second = context.api.communities.membership_requests(community.id)[:2]

    def decide(request_id: str) -> Operation:
        return Operation(
            "membership_requests",
            "approve",
            {"reviewNote": "Bienvenida"},
            target_id=request_id,
            context={"community_id": community.id},
        )

    perform(context.api, context.store, TEST_PROFILE, decide(first.id), online=True)
    switch_to(qtbot, context, ADMIN_EMAIL)  # may not decide here (reputation below 5)
    admin = str(context.session.user_id)
    try:
        perform(context.api, context.store, TEST_PROFILE, decide(second.id), online=True)
    except ApiError:
        pass
    else:  # pragma: no cover - the server lets the administrator decide
        raise AssertionError("the server accepted a decision it should refuse")
    trail = audit.entries(
        context.store, TEST_PROFILE, entity="membership_requests", newest_first=False
    )
    assert [(e.account, e.record_id, e.action, e.outcome) for e in trail] == [
        (me, first.id, "approve", "sent"),
        (admin, second.id, "approve", "failed"),
    ]
    assert trail[0].after == {"reviewNote": "Bienvenida", "community_id": community.id}
    assert trail[0].request_id
    assert trail[1].message  # the server's reason
    assert trail[1].request_id


def test_sign_out_closes_the_previous_accounts_dialogs(qtbot, sign_in, sandbox_fixed) -> None:
    from viva_desktop.ui.shell.main_window import MainWindow

    context = sign_in(sandbox_fixed.url, ADMIN_EMAIL)
    window = MainWindow()
    qtbot.addWidget(window)
    window.attach(context)
    window.mark_ready()
    credits = window.open_page("credits")
    credits.grant()
    qtbot.waitUntil(lambda: credits.dialog is not None and credits.dialog.isVisible(), timeout=WAIT)
    dialog = credits.dialog
    context.session.logout()
    qtbot.waitUntil(lambda: context.scope_account is None, timeout=WAIT)
    # closed (and deleted once closed)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible(), timeout=WAIT)

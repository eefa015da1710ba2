"""Decisions against the real sandbox: membership requests reviewed by the coordinator (the
reputation rule), credit grants and pool requests as ADMIN, and a juror's moderation vote."""

from __future__ import annotations

from tests.ui.conftest import TEST_PROFILE
from tests.ui.helpers import open_page
from viva_desktop.sandbox.seed import (
    ADMIN_EMAIL,
    APPROVAL_COMMUNITY_SLUG,
    COORDINATOR_EMAIL,
    UNVERIFIED_EMAIL,
    VERIFIED_CITIZEN_EMAIL,
)
from viva_desktop.ui.editors.form import FormState
from viva_desktop.ui.pages import communities

from .helpers import fill, select, submit, wait_rows


def community_id(context, slug: str) -> str:
    rows = context.store.query("communities", profile=TEST_PROFILE, filters={"slug": slug})
    assert rows
    return rows[0].id


def test_the_coordinator_approves_and_rejects_membership_requests(
    qtbot, sign_in, sandbox_fixed
) -> None:
    context = sign_in(sandbox_fixed.url, COORDINATOR_EMAIL)
    api = context.api
    page = open_page(qtbot, context, "communities")
    rochapea = community_id(context, APPROVAL_COMMUNITY_SLUG)
    select(qtbot, page, rochapea)
    panel = page.requests
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=10_000)
    names = {panel.model.index(r, 0).data() for r in range(2)}
    assert "Lucía Fernández" in names  # a person, not an id
    lucia = next(
        r for r in panel.model.records() if panel.model.names[r["userId"]].startswith("Lucía")
    )
    other = next(r for r in panel.model.records() if r is not lucia)

    assert panel.status.text() == "2 pending requests."

    panel.view.selectRow(panel.model.row_of(lucia["id"]))
    assert panel.approve_button.isEnabled()
    dialog = panel.decide("approve")
    fill(dialog, reviewNote="¡Bienvenida al banco de alimentos!")
    assert submit(qtbot, dialog) is FormState.SAVED
    assert panel.model.row_of(lucia["id"]) == -1
    assert panel.status.text() == "1 pending request."  # the count follows the decision
    lucia_profile = api.users.get(lucia["userId"])
    assert lucia_profile.community_id == rochapea

    panel.view.selectRow(panel.model.row_of(other["id"]))
    dialog = panel.decide("reject")
    assert dialog.fields["reviewNote"].value() == ""
    state = submit(qtbot, dialog)  # a rejection without a note asks for a second look
    assert state is FormState.SAVED
    assert api.communities.membership_requests(rochapea) == []
    assert panel.status.text() == "No pending requests."


def test_the_request_count_follows_a_language_change(
    qtbot, sign_in, sandbox_fixed, translations
) -> None:
    """A listed count is said again in the new language, without reading the list again."""
    context = sign_in(sandbox_fixed.url, COORDINATOR_EMAIL)
    page = open_page(qtbot, context, "communities")
    select(qtbot, page, community_id(context, APPROVAL_COMMUNITY_SLUG))
    panel = page.requests
    qtbot.waitUntil(lambda: panel.status.text() == "2 pending requests.", timeout=10_000)
    task = panel.task

    translations.set_language("es")
    qtbot.waitUntil(lambda: panel.status.text() == "2 solicitudes pendientes.", timeout=5_000)
    assert panel.task is task  # no second read
    assert panel.model.rowCount() == 2


def test_a_language_change_reads_the_membership_requests_once(
    qtbot, sign_in, sandbox_fixed, translations, monkeypatch
) -> None:
    """With no pending request the list looks unread, so both the panel's texts and the page's
    actions ask for it again on a language change: one read answers both."""
    context = sign_in(sandbox_fixed.url, COORDINATOR_EMAIL)
    api = context.api
    rochapea = community_id(context, APPROVAL_COMMUNITY_SLUG)
    for request in api.communities.membership_requests(rochapea):
        api.communities.reject_request(rochapea, request.id)
    started: list[str] = []
    run_task = communities.run_task

    def counting(fn, *args, **kwargs):
        if fn is communities.read_requests:
            started.append(args[-1])
        return run_task(fn, *args, **kwargs)

    monkeypatch.setattr(communities, "run_task", counting)
    page = open_page(qtbot, context, "communities")
    select(qtbot, page, rochapea)
    panel = page.requests
    qtbot.waitUntil(lambda: panel.status.text() == "No pending requests.", timeout=10_000)
    before = len(started)
    assert before >= 1

    translations.set_language("es")  # Qt posts LanguageChange to every window
    qtbot.waitUntil(lambda: page.title.text() == "Comunidades", timeout=5_000)
    qtbot.waitUntil(lambda: panel.status.text() == "No hay solicitudes pendientes.", timeout=10_000)
    assert started[before:] == [rochapea]


def test_membership_review_is_refused_with_the_reason_without_reputation(
    qtbot, sign_in, sandbox_fixed
) -> None:
    """The administrator is a member of Pamplona Centro with score 0, and not of Rochapea."""
    context = sign_in(sandbox_fixed.url, ADMIN_EMAIL)
    page = open_page(qtbot, context, "communities")
    select(qtbot, page, community_id(context, APPROVAL_COMMUNITY_SLUG))
    panel = page.requests
    assert "Only members of this community" in panel.status.text()
    assert not panel.approve_button.isEnabled()
    assert "generosity score of at least 5" in panel.approve_button.toolTip()
    assert panel.model.rowCount() == 0  # nothing asked of the server


def test_an_administrator_grants_credits(qtbot, sign_in, sandbox_fixed) -> None:
    context = sign_in(sandbox_fixed.url, ADMIN_EMAIL)
    api = context.api
    page = open_page(qtbot, context, "credits")
    assert page.grant_button.isVisible()
    assert page.grant_button.isEnabled()
    page.grant()
    qtbot.waitUntil(lambda: page.dialog is not None, timeout=10_000)
    dialog = page.dialog
    lucia = api.users.find_by_email(UNVERIFIED_EMAIL)
    juan = api.users.find_by_email(VERIFIED_CITIZEN_EMAIL)
    before = api.users.get(juan.id).credits
    dialog.fields["userId"].select_user(juan.id)
    fill(dialog, amount="2.5")
    assert submit(qtbot, dialog) is FormState.INVALID
    assert dialog.fields["amount"].error.text() == "Enter a whole number."
    fill(dialog, amount="25", description="Montaje de la feria")
    assert submit(qtbot, dialog) is FormState.SAVED
    assert api.users.get(juan.id).credits == before + 25
    assert lucia is not None


def test_a_juror_votes_on_a_moderation_case(qtbot, sign_in, sandbox_fixed) -> None:
    context = sign_in(sandbox_fixed.url, ADMIN_EMAIL)
    api = context.api
    page = open_page(qtbot, context, "moderation")
    wait_rows(qtbot, page.browser)
    assert page.model.rowCount() == 2  # the admin is a juror of two open cases
    case = page.model.rows()[0]
    select(qtbot, page, case.id)
    assert page.vote_button.isEnabled()
    dialog = page.vote()
    shown = [dialog.details.itemAt(i).widget().text() for i in range(dialog.details.count())]
    assert case.raw["reportReason"] in shown  # the case is shown before voting
    assert any("Keep: " in text and "Remove: " in text for text in shown)  # the tally
    assert submit(qtbot, dialog) is FormState.INVALID
    assert dialog.fields["decision"].error.text() == "This field is required."
    fill(dialog, decision="REMOVE", reason="Es spam")
    assert submit(qtbot, dialog) is FormState.SAVED
    assert case.id not in {c.id for c in api.moderation.pending()}
    wait_rows(qtbot, page.browser)
    select(qtbot, page, case.id)
    assert not page.vote_button.isEnabled()
    assert page.vote_button.toolTip() == "You have already voted on this case."


def test_an_administrator_approves_a_pool_request(qtbot, sign_in, sandbox_fixed) -> None:
    context = sign_in(sandbox_fixed.url, ADMIN_EMAIL, sync=False)
    api = context.api
    page = open_page(qtbot, context, "credits")
    page.tabs.setCurrentWidget(page.pools)
    panel = page.pools
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=10_000)  # two PENDING
    panel.view.selectRow(0)
    request = panel.selected_request()
    assert panel.buttons["approve"].isEnabled()
    assert not panel.buttons["distribute"].isEnabled()
    assert panel.buttons["distribute"].toolTip() == "Only an approved request can be distributed."
    dialog = panel.decide("approve")
    assert submit(qtbot, dialog) is FormState.SAVED
    assert api.pool_requests.get(request["id"]).status == "APPROVED"
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=10_000)
    assert panel.note.text() == "1 request."


def test_the_pool_note_follows_a_language_change(
    qtbot, sign_in, sandbox_fixed, translations
) -> None:
    context = sign_in(sandbox_fixed.url, ADMIN_EMAIL, sync=False)
    page = open_page(qtbot, context, "credits")
    page.tabs.setCurrentWidget(page.pools)
    panel = page.pools
    qtbot.waitUntil(lambda: panel.note.text() == "2 requests.", timeout=10_000)
    task = panel.task

    translations.set_language("es")
    qtbot.waitUntil(lambda: panel.note.text() == "2 solicitudes.", timeout=5_000)
    assert panel.task is task  # said again, not read again


def test_a_citizen_sees_grant_disabled_with_the_reason(qtbot, sign_in, sandbox_fixed) -> None:
    context = sign_in(sandbox_fixed.url, VERIFIED_CITIZEN_EMAIL)
    page = open_page(qtbot, context, "credits")
    reason = "Only administrators can grant credits."
    qtbot.waitUntil(lambda: page.grant_button.toolTip() == reason, timeout=10_000)
    assert page.grant_button.isVisible()  # visible, so the citizen learns why not
    assert not page.grant_button.isEnabled()
    assert page.grant_button.statusTip() == reason
    assert not page.tabs.isTabVisible(page.tabs.indexOf(page.pools))
    members = open_page(qtbot, context, "members")
    wait_rows(qtbot, members.browser)
    members.browser.view.selectRow(0)
    assert members.grant_button.isVisible()
    assert not members.grant_button.isEnabled()
    assert members.grant_button.toolTip() == reason
    assert members.grant() is None

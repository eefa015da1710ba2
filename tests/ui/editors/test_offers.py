"""Offer editors against the real sandbox: create, edit and cancel your own, pre-validation
with per-field messages, a server that refuses, and role and ownership gating."""

from __future__ import annotations

import pytest

from tests.ui.conftest import TEST_PROFILE
from tests.ui.helpers import open_page
from viva_desktop.sandbox.seed import ADMIN_EMAIL, VERIFIED_CITIZEN_EMAIL
from viva_desktop.services.local.store import LocalChange
from viva_desktop.ui.editors.form import FormState

from .helpers import fill, select, submit, wait_rows


def own_offer(context, user_id: str):
    rows = context.store.query(
        "offers", profile=TEST_PROFILE, filters={"user_id": user_id, "status": "ACTIVE"}
    )
    assert rows
    return rows[0]


def test_create_edit_and_cancel_an_own_offer(qtbot, sign_in, sandbox_fixed) -> None:
    context = sign_in(sandbox_fixed.url, VERIFIED_CITIZEN_EMAIL)
    api, me = context.api, context.session_info.user_id
    page = open_page(qtbot, context, "offers")
    assert page.new_button.isEnabled()

    editor = page.new_offer()
    fill(
        editor,
        title="Préstamo de taladro",
        type="SERVICE",
        category="Herramientas",
        description="Te lo dejo el fin de semana",
        priceCredits="5",
        tags="bricolaje, herramientas",
    )
    assert submit(qtbot, editor) is FormState.SAVED
    created = [o for o in api.offers.mine() if o.title == "Préstamo de taladro"]
    assert len(created) == 1
    assert created[0].price_credits == 5
    assert created[0].tags == ["bricolaje", "herramientas"]
    new_id = created[0].id
    stored = context.store.get("offers", TEST_PROFILE, new_id)
    assert stored is not None
    assert stored.local_changes is None
    qtbot.waitUntil(lambda: page.browser.current_row() is not None, timeout=10_000)
    assert page.browser.current_row().id == new_id  # the new offer is selected

    select(qtbot, page, new_id)
    assert page.edit_button.isEnabled()
    editor = page.edit_offer()
    assert editor.fields["title"].value() == "Préstamo de taladro"
    fill(editor, title="Préstamo de taladro y brocas", priceCredits="7")
    assert editor.collect() == {"title": "Préstamo de taladro y brocas", "priceCredits": "7"}
    assert submit(qtbot, editor) is FormState.SAVED
    server = next(o for o in api.offers.mine() if o.id == new_id)
    assert server.title == "Préstamo de taladro y brocas"
    assert server.price_credits == 7
    assert context.store.get("offers", TEST_PROFILE, new_id)["title"] == server.title

    select(qtbot, page, new_id)
    dialog = page.cancel_offers()
    assert dialog is not None
    assert submit(qtbot, dialog) is FormState.SAVED
    assert api.offers.get(new_id).status == "CANCELLED"
    assert context.store.get("offers", TEST_PROFILE, new_id)["status"] == "CANCELLED"
    wait_rows(qtbot, page.browser)
    select(qtbot, page, new_id)
    assert not page.cancel_button.isEnabled()
    assert page.cancel_button.toolTip() == "This offer is already cancelled."
    assert me


def test_cancelling_several_own_offers_at_once(qtbot, sign_in, sandbox_fixed) -> None:
    context = sign_in(sandbox_fixed.url, VERIFIED_CITIZEN_EMAIL)
    me = context.session_info.user_id
    page = open_page(qtbot, context, "offers")
    wait_rows(qtbot, page.browser)
    mine = context.store.query("offers", profile=TEST_PROFILE, filters={"user_id": me})
    ids = [row.id for row in mine[:2]]
    assert len(ids) == 2
    page.browser.select_ids(ids)
    assert page.cancel_button.isEnabled()
    assert not page.edit_button.isEnabled()  # editing is one at a time
    dialog = page.cancel_offers()
    assert "2 offer" in dialog.intro.text()
    assert submit(qtbot, dialog) is FormState.SAVED
    statuses = {o.id: o.status for o in context.api.offers.mine()}
    # my-offers leaves cancelled offers out; the detail route shows them
    assert all(context.api.offers.get(i).status == "CANCELLED" for i in ids)
    assert not set(ids) & {i for i, s in statuses.items() if s == "ACTIVE"}


def test_validation_errors_are_shown_by_field_and_nothing_is_sent(
    qtbot, sign_in, sandbox_fixed
) -> None:
    context = sign_in(sandbox_fixed.url, VERIFIED_CITIZEN_EMAIL, sync=False)
    page = open_page(qtbot, context, "offers")
    before = len(context.api.offers.mine())
    editor = page.new_offer()
    fill(editor, title="Clases de guitarra", priceEur="-3", priceCredits="2.5")
    state = submit(qtbot, editor)
    assert state is FormState.INVALID
    errors = {name: f.error.text() for name, f in editor.fields.items() if f.error.isVisible()}
    assert errors["description"] == "This field is required."
    assert errors["category"] == "This field is required."
    assert errors["priceEur"] == "Enter a value of at least 0."
    assert errors["priceCredits"] == "Enter a whole number."
    assert "title" not in errors
    assert editor.isVisible()
    assert editor.fields["title"].value() == "Clases de guitarra"  # input kept
    assert editor.fields["priceEur"].value() == "-3"
    assert len(context.api.offers.mine()) == before  # nothing sent

    # The server cuts text after a '<': a warning, seen once before "Save anyway".
    fill(
        editor,
        category="Música",
        description="Grupos de < 5 personas",
        priceEur="",
        priceCredits="3",
    )
    editor.submit_button.click()
    assert editor.state is FormState.CONFIRM
    warning = editor.fields["description"].warning
    assert warning.isVisible()
    assert "'<'" in warning.text()
    assert editor.submit_button.text() == "Save anyway"
    assert len(context.api.offers.mine()) == before
    editor.submit_button.click()
    qtbot.waitUntil(lambda: editor.state is FormState.SAVED, timeout=10_000)
    saved = [o for o in context.api.offers.mine() if o.title == "Clases de guitarra"]
    assert len(saved) == 1
    assert saved[0].description.startswith("Grupos de")
    assert "personas" not in saved[0].description  # exactly what the warning said


def test_a_refusal_from_the_server_keeps_the_input(qtbot, sign_in, sandbox_fixed) -> None:
    """Maria's e-mail is not verified: the server refuses her new offer with 403."""
    from viva_desktop.sandbox.seed import CITIZEN_EMAIL

    context = sign_in(sandbox_fixed.url, CITIZEN_EMAIL, sync=False)
    page = open_page(qtbot, context, "offers")
    editor = page.new_offer()
    fill(
        editor,
        title="Huevos de corral",
        type="PRODUCT",
        category="Alimentación",
        description="Una docena",
    )
    assert submit(qtbot, editor) is FormState.FAILED
    assert "verified" in editor.banner.text()
    assert editor.isVisible()
    assert editor.fields["title"].value() == "Huevos de corral"
    assert editor.submit_button.isEnabled()
    outbox = context.outbox
    assert outbox is not None
    assert outbox.count() == 0  # taken back out of the queue
    assert not context.store.query("offers", profile=TEST_PROFILE, search="Huevos")


@pytest.mark.parametrize("email", [ADMIN_EMAIL, VERIFIED_CITIZEN_EMAIL])
def test_other_peoples_offers_cannot_be_edited_and_say_why(
    qtbot, sign_in, sandbox_fixed, email: str
) -> None:
    context = sign_in(sandbox_fixed.url, email)
    me = context.session_info.user_id
    page = open_page(qtbot, context, "offers")
    wait_rows(qtbot, page.browser)
    others = [r for r in page.model.rows() if r.values["user_id"] != me]
    assert others
    select(qtbot, page, others[0].id)
    for button in (page.edit_button, page.cancel_button):
        assert not button.isEnabled()
        assert button.toolTip().startswith("Only the owner can change this offer")
    assert page.browser.hint.text().startswith("Only the owner")
    assert page.edit_offer() is None
    assert LocalChange.UPDATED  # (nothing queued)
    assert context.outbox is None or context.outbox.count() == 0

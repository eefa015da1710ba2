"""Event and post editors against the real sandbox: create and edit events as their organizer,
create and delete posts as their author, and the organizer/author rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.ui.conftest import TEST_PROFILE
from tests.ui.helpers import open_page
from viva_desktop.sandbox.seed import VERIFIED_CITIZEN_EMAIL
from viva_desktop.ui.editors.form import FormState

from .helpers import fill, select, submit, wait_rows


def test_create_and_edit_an_event_as_its_organizer(qtbot, sign_in, sandbox_fixed) -> None:
    context = sign_in(sandbox_fixed.url, VERIFIED_CITIZEN_EMAIL)
    api = context.api
    page = open_page(qtbot, context, "events")
    qtbot.waitUntil(lambda: bool(page.communities), timeout=5000)
    editor = page.new_event()
    community_id, _name = page.communities[0]
    starts = (datetime.now(UTC) + timedelta(days=3)).replace(second=0, microsecond=0)
    fill(
        editor,
        title="Reparación de bicis",
        description="Trae tu bici y la arreglamos juntos",
        address="Plaza del Castillo 1",
        lat="42.8169",
        lng="-1.6432",
        capacity="12",
        communityId=community_id,
    )
    fill(editor, startsAt=starts, endsAt=starts + timedelta(hours=2))
    assert submit(qtbot, editor) is FormState.SAVED
    mine = [e for e in api.events.mine() if e.title == "Reparación de bicis"]
    assert len(mine) == 1
    event = mine[0]
    assert event.capacity == 12
    assert event.starts_at == starts
    assert context.store.get("events", TEST_PROFILE, event.id) is not None

    select(qtbot, page, event.id)
    assert page.edit_button.isEnabled()
    assert page.delete_button.isEnabled()  # nobody registered yet
    editor = page.edit_event()
    fill(editor, title="Reparación de bicis y patinetes", capacity="15")
    assert set(editor.collect()) == {"title", "capacity"}
    assert submit(qtbot, editor) is FormState.SAVED
    updated = api.events.get(event.id)
    assert updated.title == "Reparación de bicis y patinetes"
    assert updated.capacity == 15


def test_an_event_must_start_in_the_future_and_end_after_it(qtbot, sign_in, sandbox_fixed) -> None:
    context = sign_in(sandbox_fixed.url, VERIFIED_CITIZEN_EMAIL, sync=False)
    page = open_page(qtbot, context, "events")
    editor = page.new_event()
    past = datetime.now(UTC) - timedelta(days=1)
    fill(editor, title="Ayer", description="Tarde", address="Aquí", lat="42.8", lng="-1.6")
    fill(editor, startsAt=past, endsAt=past - timedelta(hours=1))
    assert submit(qtbot, editor) is FormState.INVALID
    assert editor.fields["startsAt"].error.text() == "A new event must start in the future."
    assert editor.fields["endsAt"].error.text() == "The end must be after the start."
    assert not [e for e in context.api.events.mine() if e.title == "Ayer"]


def test_events_of_other_organizers_are_read_only_with_the_reason(
    qtbot, sign_in, sandbox_fixed
) -> None:
    context = sign_in(sandbox_fixed.url, VERIFIED_CITIZEN_EMAIL)
    me = context.session_info.user_id
    page = open_page(qtbot, context, "events")
    wait_rows(qtbot, page.browser)
    other = next(r for r in page.model.rows() if r.values["organizer_id"] != me)
    select(qtbot, page, other.id)
    assert not page.edit_button.isEnabled()
    assert "Only the organizer" in page.edit_button.toolTip()
    own_with_people = [
        r
        for r in page.model.rows()
        if r.values["organizer_id"] == me and (r.values["attendees"] or 0) > 0
    ]
    if own_with_people:
        select(qtbot, page, own_with_people[0].id)
        assert page.edit_button.isEnabled()
        assert not page.delete_button.isEnabled()
        assert "registered attendees" in page.delete_button.toolTip()


def test_write_and_delete_a_post(qtbot, sign_in, sandbox_fixed) -> None:
    context = sign_in(sandbox_fixed.url, VERIFIED_CITIZEN_EMAIL)
    api = context.api
    page = open_page(qtbot, context, "posts")
    editor = page.new_post()
    fill(editor, content="Gracias a quien me prestó la escalera #vecinos", type="THANKS")
    assert submit(qtbot, editor) is FormState.SAVED
    found = [p for p in api.posts.list(limit=50) if p.content.startswith("Gracias a quien")]
    assert len(found) == 1
    post_id = found[0].id
    assert context.store.get("posts", TEST_PROFILE, post_id) is not None

    select(qtbot, page, post_id)
    editor = page.edit_post()
    assert not editor.fields["type"].widget.isEnabled()  # fixed once published
    fill(editor, content="Gracias a quien me prestó la escalera y el taladro")
    assert submit(qtbot, editor) is FormState.SAVED
    assert api.posts.get(post_id).content.endswith("el taladro")

    select(qtbot, page, post_id)
    dialog = page.delete_posts()
    assert submit(qtbot, dialog) is FormState.SAVED
    assert post_id not in {p.id for p in api.posts.list(limit=100)}
    assert context.store.get("posts", TEST_PROFILE, post_id) is None
    wait_rows(qtbot, page.browser)
    assert page.model.row_of(post_id) == -1


def test_posts_of_others_cannot_be_changed(qtbot, sign_in, sandbox_fixed) -> None:
    context = sign_in(sandbox_fixed.url, VERIFIED_CITIZEN_EMAIL)
    me = context.session_info.user_id
    page = open_page(qtbot, context, "posts")
    wait_rows(qtbot, page.browser)
    other = next(r for r in page.model.rows() if r.values["author_id"] != me)
    select(qtbot, page, other.id)
    assert not page.edit_button.isEnabled()
    assert not page.delete_button.isEnabled()
    assert page.delete_button.toolTip().startswith("Only the author")

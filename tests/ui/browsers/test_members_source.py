"""The Members page says where its list comes from: the API has no list of users."""

from __future__ import annotations

from tests.ui.helpers import open_page


def test_the_members_page_says_where_its_list_comes_from(qtbot, offline) -> None:
    page = open_page(qtbot, offline, "members")
    text = page.source_note.text()
    assert "member lists" in text
    assert "may be incomplete" in text
    assert page.source_note.isVisibleTo(page)

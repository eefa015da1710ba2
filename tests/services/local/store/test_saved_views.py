"""Saved views in the store: per account, shared with the team on request, renamed and
deleted by their owner only, exported and imported as JSON, and still there after a restart."""

from __future__ import annotations

import json

import pytest

from viva_desktop.services.local.store import Store, open_store
from viva_desktop.services.local.store import saved_views as sv
from viva_desktop.services.remote.api.errors import InvalidInput

STATE = {
    "search": "bicicleta",
    "facets": [["community_id", "c-rochapea"], ["status", None]],
    "dates": {"column": "created_at", "start": "2026-01-01", "end": None},
    "columns": ["title", "status", "created_at"],
    "sort": [["created_at", False]],
}


def test_a_view_round_trips_and_survives_a_restart(store_url: str) -> None:
    store = open_store(store_url, attempts=1)
    try:
        saved = sv.save(store, "demo", "u-1", "offers", "  Pending   in Rochapea ", STATE)
        assert saved.name == "Pending in Rochapea"
    finally:
        store.close()
    again = open_store(store_url, attempts=1)
    try:
        [view] = sv.views(again, "demo", "u-1", "offers")
        assert view.state == STATE
        assert sv.find(again, "demo", "u-1", "offers", "Pending in Rochapea") == view
    finally:
        again.close()


def test_views_are_per_account_unless_shared(store: Store) -> None:
    mine = sv.save(store, "demo", "u-1", "offers", "Mine", STATE)
    sv.save(store, "demo", "u-1", "posts", "Other page", STATE)
    assert sv.views(store, "demo", "u-2", "offers") == []
    assert sv.views(store, "other-profile", "u-1") == []
    shared = sv.set_shared(store, mine, "u-1", True)
    [seen] = sv.views(store, "demo", "u-2", "offers")
    assert seen == shared
    with pytest.raises(InvalidInput, match="only they can change it"):
        sv.rename(store, seen, "u-2", "Taken over")
    with pytest.raises(InvalidInput):
        sv.delete(store, seen, "u-2")


def test_rename_delete_and_name_rules(store: Store) -> None:
    first = sv.save(store, "demo", "u-1", "offers", "A", STATE)
    sv.save(store, "demo", "u-1", "offers", "B", {"search": "x"})
    with pytest.raises(InvalidInput, match="already a view called “B”"):
        sv.rename(store, first, "u-1", "B")
    with pytest.raises(InvalidInput, match="needs a name"):
        sv.save(store, "demo", "u-1", "offers", "   ", STATE)
    with pytest.raises(InvalidInput, match="already a view"):
        sv.save(store, "demo", "u-1", "offers", "B", STATE, replace=False)
    renamed = sv.rename(store, first, "u-1", "C")
    assert [v.name for v in sv.views(store, "demo", "u-1", "offers")] == ["B", "C"]
    sv.delete(store, renamed, "u-1")
    assert [v.name for v in sv.views(store, "demo", "u-1", "offers")] == ["B"]
    replaced = sv.save(store, "demo", "u-1", "offers", "B", STATE)
    assert replaced.state == STATE


def test_json_export_and_import(store: Store) -> None:
    sv.save(store, "demo", "u-1", "offers", "Pending in Rochapea", STATE)
    sv.save(store, "demo", "u-1", "posts", "Mine", {"search": "huerto"})
    text = sv.to_json(sv.views(store, "demo", "u-1"))
    document = json.loads(text)
    assert document["format"] == "viva-desktop/saved-views"
    assert "u-1" not in text  # portable: no account, profile or ids
    added = sv.import_json(store, "demo", "u-2", text, pages=["offers", "posts"])
    assert [(v.page, v.name, v.state) for v in added] == [
        ("offers", "Pending in Rochapea", STATE),
        ("posts", "Mine", {"search": "huerto"}),
    ]
    again = sv.import_json(store, "demo", "u-2", text)
    assert [v.name for v in again] == ["Pending in Rochapea (2)", "Mine (2)"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not a JSON file"),
        ('{"views": []}', "no saved views"),
        ('{"format": "viva-desktop/saved-views", "version": 9, "views": []}', "version 9"),
        (
            '{"format": "viva-desktop/saved-views", "version": 1, "views": [{"page": 1}]}',
            "no saved views",
        ),
    ],
)
def test_a_bad_file_is_refused_with_the_reason(store: Store, text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        sv.import_json(store, "demo", "u-1", text)
    assert sv.views(store, "demo", "u-1") == []


def test_unknown_pages_are_refused(store: Store) -> None:
    text = sv.to_json([sv.save(store, "demo", "u-1", "nowhere", "X", STATE)])
    with pytest.raises(InvalidInput, match="Unknown pages in the file: nowhere"):
        sv.import_json(store, "demo", "u-2", text, pages=["offers"])

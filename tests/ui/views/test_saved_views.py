"""Saved views in a browser: the search, a facet, the date range, the columns and the sort
saved under a name, applied again, exported and imported as JSON, and the last used view back
after a restart (a new page over the same store)."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QDate, Qt

from tests.ui.helpers import open_page, wait_loaded
from viva_desktop.ui.browser import ALL

NAME = "Pending in Rochapea"
WAIT_MS = 10_000


def offers(qtbot, context):
    page = open_page(qtbot, context, "offers")
    browser = page.browser
    wait_loaded(qtbot, browser.model)
    qtbot.waitUntil(lambda: not browser.is_loading(), timeout=WAIT_MS)
    return page, browser


def rochapea_id(browser) -> str:
    facet = browser.facets["community_id"]
    for index in range(facet.count()):
        if facet.itemText(index).startswith("Rochapea Solidaria"):
            return facet.itemData(index)
    raise AssertionError("Rochapea Solidaria is not a facet value")


def narrow(qtbot, browser) -> str:
    community = rochapea_id(browser)
    browser.facets["community_id"].select(community)
    browser.set_date_range("created_at", QDate(2020, 1, 1), None)
    browser.view.sortByColumn(browser.model.column_index("title"), Qt.SortOrder.DescendingOrder)
    browser.columns.set_visible(browser.model.column_index("category"), False)
    wait_loaded(qtbot, browser.model)
    return community


def save(qtbot, browser, name: str = NAME) -> None:
    with qtbot.waitSignal(browser.saved_views.changed, timeout=WAIT_MS):
        browser.saved_views.save_view(name)


def test_a_view_is_saved_applied_and_back_after_a_restart(qtbot, reviewing) -> None:
    page, browser = offers(qtbot, reviewing)
    community = narrow(qtbot, browser)
    shown = browser.model.total
    columns = browser.columns.visible_keys()
    save(qtbot, browser)
    assert [v.name for v in browser.saved_views.views] == [NAME]

    browser.clear_filters()
    wait_loaded(qtbot, browser.model)
    assert browser.model.total > shown
    with qtbot.waitSignal(browser.saved_views.applied, timeout=WAIT_MS):
        assert browser.saved_views.apply_view(NAME)
    wait_loaded(qtbot, browser.model)
    assert browser.facets["community_id"].selected == community
    assert browser.model.total == shown
    assert browser.columns.visible_keys() == columns
    assert browser.model.sort_order == Qt.SortOrder.DescendingOrder
    page.close()

    # A restart: a new page over the same store applies the last used view by itself.
    again = open_page(qtbot, reviewing, "offers").browser
    qtbot.waitUntil(lambda: again.saved_views.current == NAME, timeout=WAIT_MS)
    wait_loaded(qtbot, again.model)
    assert again.facets["community_id"].selected == community
    assert again.model.total == shown
    assert again.dates.start.date() == QDate(2020, 1, 1)
    assert again.model.query.filter_map["community_id"] == community


def test_the_menu_lists_renames_and_deletes(qtbot, reviewing) -> None:
    _page, browser = offers(qtbot, reviewing)
    save(qtbot, browser, "Uno")
    menu = browser.saved_views.menu
    menu.aboutToShow.emit()
    texts = [a.text() for a in menu.actions()]
    assert "Uno" in texts
    assert "Rename “Uno”…" in texts
    with qtbot.waitSignal(browser.saved_views.changed, timeout=WAIT_MS):
        browser.saved_views.rename_view("Uno", "Dos")
    assert [v.name for v in browser.saved_views.views] == ["Dos"]
    assert browser.saved_views.current == "Dos"
    with qtbot.waitSignal(browser.saved_views.changed, timeout=WAIT_MS):
        browser.saved_views.delete_view("Dos")
    assert browser.saved_views.views == []
    assert browser.facets["type"].selected is ALL


def test_views_round_trip_through_a_json_file(qtbot, reviewing, tmp_path: Path) -> None:
    _page, browser = offers(qtbot, reviewing)
    narrow(qtbot, browser)
    save(qtbot, browser)
    target = tmp_path / "views.json"
    handle = browser.saved_views.export_views(target)
    qtbot.waitUntil(lambda: not handle.running, timeout=WAIT_MS)
    document = json.loads(target.read_text(encoding="utf-8"))
    [entry] = document["views"]
    assert entry["page"] == "offers"
    assert entry["name"] == NAME
    assert entry["state"]["sort"] == [["title", False]]
    with qtbot.waitSignal(browser.saved_views.changed, timeout=WAIT_MS):
        browser.saved_views.delete_view(NAME)
    with qtbot.waitSignal(browser.saved_views.changed, timeout=WAIT_MS):
        browser.saved_views.import_views(target)
    [back] = browser.saved_views.views
    assert (back.name, back.state) == (NAME, entry["state"])

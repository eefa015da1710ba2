"""Export as shown: the titles and labels on screen, dates in the user's locale, names for
ids; raw values as an option; the whole view or only the selected rows; the formula guard."""

from __future__ import annotations

import csv
from datetime import datetime
from itertools import product
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt

from tests.support.synced_sandbox import PROFILE, SyncedSandbox
from tests.ui.browsers.data import offer
from tests.ui.helpers import open_page, wait_loaded
from viva_desktop.services.local.store import Store
from viva_desktop.ui.models.columns import local_datetime_text


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def export(qtbot, browser, target: Path, **options) -> int:
    with qtbot.waitSignal(browser.exported, timeout=10_000) as signal:
        browser.export_csv(target, **options)
    return signal.args[0]


def community_names(synced: SyncedSandbox) -> set[str]:
    return {c["name"] for c in synced.truth["communities"]}


def test_the_default_export_has_the_titles_labels_names_and_local_dates(
    qtbot, reviewing, synced_sandbox: SyncedSandbox, tmp_path: Path
) -> None:
    page = open_page(qtbot, reviewing, "offers")
    browser, model = page.browser, page.browser.model
    wait_loaded(qtbot, model)
    browser.view.sortByColumn(model.column_index("title"), Qt.SortOrder.AscendingOrder)
    wait_loaded(qtbot, model)
    target = tmp_path / "shown.csv"
    count = export(qtbot, browser, target)
    rows = read_csv(target)
    assert count == len(rows) == model.total
    assert list(rows[0]) == [
        model.COLUMNS[model.column_index(key)].display_title()
        for key in browser.columns.visible_keys()
    ]
    types = {o["type"] for o in synced_sandbox.truth["offers"]}
    assert {row["Type"] for row in rows} == {t.replace("_", " ").capitalize() for t in types}
    assert {row["Status"] for row in rows} <= {"Active", "Cancelled", "Paused", "Sold out"}
    assert {row["Community"] for row in rows if row["Community"]} <= community_names(synced_sandbox)
    first = model.row_at(0)
    assert first is not None
    assert rows[0]["Title"] == first.values["title"]
    created = first.values["created_at"]
    assert isinstance(created, datetime)
    assert rows[0]["Created"] == local_datetime_text(created)
    # The cells are the table's own texts.
    for column, title in ((1, "Type"), (model.column_index("community_id"), "Community")):
        assert rows[0][title] == model.index(0, column).data()


def test_raw_values_are_an_option(
    qtbot, reviewing, synced_sandbox: SyncedSandbox, tmp_path: Path
) -> None:
    page = open_page(qtbot, reviewing, "offers")
    browser = page.browser
    wait_loaded(qtbot, browser.model)
    target = tmp_path / "raw.csv"
    export(qtbot, browser, target, raw=True)
    rows = read_csv(target)
    assert list(rows[0]) == browser.columns.visible_keys()
    assert {row["type"] for row in rows} == {o["type"] for o in synced_sandbox.truth["offers"]}
    ids = {c["id"] for c in synced_sandbox.truth["communities"]}
    assert {row["community_id"] for row in rows if row["community_id"]} <= ids


def test_only_the_selected_rows_in_table_order(qtbot, reviewing, tmp_path: Path) -> None:
    page = open_page(qtbot, reviewing, "offers")
    browser, model = page.browser, page.browser.model
    wait_loaded(qtbot, model)
    selection = browser.view.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for number in (7, 2, 4):
        selection.select(model.index(number, 0), flags)
    wanted = [model.row_at(n).values["title"] for n in (2, 4, 7)]
    for raw, key in ((False, "Title"), (True, "title")):
        target = tmp_path / f"selection-{raw}.csv"
        assert export(qtbot, browser, target, selection=True, raw=raw) == 3
        assert [row[key] for row in read_csv(target)] == wanted
    shown = read_csv(tmp_path / "selection-False.csv")
    assert shown[0]["Community"] == model.index(2, model.column_index("community_id")).data()


def test_the_export_menu_offers_the_selection_only_when_there_is_one(qtbot, reviewing) -> None:
    page = open_page(qtbot, reviewing, "offers")
    browser = page.browser
    wait_loaded(qtbot, browser.model)
    menu = browser.export_menu
    menu.aboutToShow.emit()
    assert not menu.selection_shown.isEnabled()
    browser.select_ids([browser.model.row_at(0).id])
    menu.aboutToShow.emit()
    assert menu.selection_shown.isEnabled()
    assert "1 selected row" in menu.selection_shown.text()


def test_formulas_are_neutralised_with_every_prefix(
    qtbot, reviewing, store: Store, tmp_path: Path
) -> None:
    prefixes = ("", " ", "  ", "\n", "\t", "\r", "\u3000")
    signs = ("=", "+", "-", "@", "＝", "＋", "－", "＠")
    titles = [f"{p}{s}SUM(1;2)" for p, s in product(prefixes, signs)]
    evil = [dict(offer(900 + n), title=title) for n, title in enumerate(titles)]
    store.upsert("offers", PROFILE, evil)
    page = open_page(qtbot, reviewing, "offers")
    browser = page.browser
    wait_loaded(qtbot, browser.model)
    browser.search.setText("SUM")
    browser._apply_search()
    wait_loaded(qtbot, browser.model)
    for raw, key in ((False, "Title"), (True, "title")):
        target = tmp_path / f"evil-{raw}.csv"
        export(qtbot, browser, target, raw=raw)
        exported = sorted(row[key] for row in read_csv(target))
        assert exported == sorted("'" + title for title in titles)

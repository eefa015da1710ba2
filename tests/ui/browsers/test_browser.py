"""The entity browser and its pages over a real SQLite store, offline: search, facets, dates,
columns remembered between runs, detail pane, lazy loading in the view and CSV export."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QModelIndex, Qt

from tests.ui.helpers import open_page, wait_loaded
from viva_desktop.services.common.config import ServerProfile
from viva_desktop.services.local.store import Store
from viva_desktop.ui import pages as registry
from viva_desktop.ui.browser import ALL, EntityBrowser
from viva_desktop.ui.pages.offers import OffersPage

from .data import PROFILE, offer

WORKSPACE = ("communities", "members", "offers", "events", "posts", "credits", "moderation", "sync")


def test_the_workspace_pages_follow_the_dashboard_in_order() -> None:
    keys = [spec.key for spec in registry.pages()]
    start = keys.index("dashboard") + 1
    assert keys[start : start + len(WORKSPACE)] == list(WORKSPACE)


@pytest.mark.parametrize("key", WORKSPACE)
def test_every_page_opens_on_the_local_copy_offline(qtbot, offline, key: str) -> None:
    page = open_page(qtbot, offline, key)
    browser = page.findChild(EntityBrowser)
    if key == "sync":
        assert browser is None
        assert page.states.rowCount() >= 6
        assert not page.sync_button.isEnabled()  # nothing to download from while offline
        return
    assert browser is not None
    wait_loaded(qtbot, browser.model)
    assert browser.model.rowCount() > 0
    assert "record" in browser.count_label.text()
    assert page.banner.isVisible() if hasattr(page, "banner") else True


def test_search_facets_and_dates_narrow_the_table(qtbot, offline, filled_store: Store) -> None:
    page: OffersPage = open_page(qtbot, offline, "offers")
    browser = page.browser
    model = browser.model
    wait_loaded(qtbot, model)
    assert model.total == 60
    qtbot.keyClicks(browser.search, "bicicleta")
    qtbot.waitUntil(lambda: model.query.search == "bicicleta", timeout=5000)
    wait_loaded(qtbot, model)
    assert model.total == 6
    facet = browser.facets["type"]
    qtbot.waitUntil(lambda: facet.count() > 1, timeout=5000)
    assert "Service" in [facet.itemText(i).split(" (")[0] for i in range(facet.count())]
    facet.select("SERVICE")
    wait_loaded(qtbot, model)
    expected = filled_store.count(
        "offers", profile=PROFILE, search="bicicleta", filters={"type": "SERVICE"}
    )
    assert model.total == expected
    community = browser.facets["community_id"]
    qtbot.waitUntil(lambda: community.count() > 1, timeout=5000)
    labels = [community.itemText(i) for i in range(1, community.count())]
    assert any(label.startswith("Barcelona Gràcia (") for label in labels)  # names, not ids
    browser.clear_filters()
    wait_loaded(qtbot, model)
    assert model.total == 60
    assert facet.selected is ALL
    first = filled_store.query("offers", profile=PROFILE, sort=[("created_at", True)], limit=1)[0]
    day = first.values["created_at"].astimezone().date()
    browser.set_date_range(
        "created_at", QDate(day.year, day.month, day.day), QDate(day.year, day.month, day.day)
    )
    wait_loaded(qtbot, model)
    assert 0 < model.total < 60
    assert all(row.values["created_at"].astimezone().date() == day for row in model.rows())


def test_column_layout_is_remembered_by_a_new_page(qtbot, offline) -> None:
    page = open_page(qtbot, offline, "offers")
    layout = page.browser.columns
    header = page.browser.view.horizontalHeader()
    category = page.model.column_index("category")
    price = page.model.column_index("price_eur")
    layout.set_visible(category, False)
    header.moveSection(header.visualIndex(price), 0)
    shown = layout.visible_keys()
    assert shown[0] == "price_eur"
    assert "category" not in shown
    page.close()
    again = open_page(qtbot, offline, "offers")
    assert again.browser.columns.visible_keys() == shown
    again.browser.columns.reset()
    assert again.browser.columns.visible_keys()[0] == "title"
    assert "updated_at" not in again.browser.columns.visible_keys()  # hidden by default


def test_the_detail_pane_shows_every_field_and_the_raw_json(qtbot, offline) -> None:
    page = open_page(qtbot, offline, "offers")
    browser = page.browser
    wait_loaded(qtbot, browser.model)
    browser.select_ids(["offer-00010"])
    detail = browser.detail
    assert detail.title.text() == "Oferta número 10 bicicleta"
    texts = {detail.form.itemAt(i).widget().text() for i in range(detail.form.count())}
    assert "Barcelona Gràcia" in texts or "Pamplona Centro" in texts or "Sevilla Triana" in texts
    assert "reparación" in texts  # tags, from the raw record
    assert not detail.raw.isVisible()
    detail.raw_toggle.click()
    assert detail.raw.isVisible()
    assert '"id": "offer-00010"' in detail.raw.toPlainText()
    browser.select_ids(["offer-00010", "offer-00011"])
    assert detail.row is None  # several rows: nothing to detail


def test_scrolling_to_the_end_fetches_the_next_page(qtbot, offline, filled_store: Store) -> None:
    filled_store.upsert("offers", PROFILE, [offer(i) for i in range(60, 700)])
    page = open_page(qtbot, offline, "offers")
    model = page.model
    wait_loaded(qtbot, model)
    assert model.total == 700
    assert model.rowCount() == 200
    page.resize(1000, 700)
    page.browser.view.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() >= 400, timeout=10_000)
    assert model.canFetchMore(QModelIndex()) or model.rowCount() == 700


def test_csv_export_writes_exactly_the_current_view(qtbot, offline, tmp_path: Path) -> None:
    page = open_page(qtbot, offline, "offers")
    browser = page.browser
    model = browser.model
    browser.facets["status"].select("ACTIVE")
    wait_loaded(qtbot, model)
    browser.view.sortByColumn(model.column_index("title"), Qt.SortOrder.DescendingOrder)
    wait_loaded(qtbot, model)
    browser.columns.set_visible(model.column_index("category"), False)
    target = tmp_path / "offers.csv"
    with qtbot.waitSignal(browser.exported, timeout=10_000) as signal:
        browser.export_csv(target, raw=True)
    count, path = signal.args
    assert path == target
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == browser.columns.visible_keys()
    assert "category" not in rows[0]
    assert count == len(rows) - 1 == model.total
    titles = [r[rows[0].index("title")] for r in rows[1:]]
    assert titles == sorted(titles, reverse=True)
    assert all(r[rows[0].index("status")] == "ACTIVE" for r in rows[1:])
    assert "Exported" in browser.notice.text()


def test_data_age_says_not_synced_then_the_time(qtbot, offline, filled_store: Store) -> None:
    page = open_page(qtbot, offline, "offers")
    qtbot.waitUntil(lambda: "Data as of" in page.browser.age_label.text(), timeout=5000)
    filled_store.reset_sync(PROFILE)
    empty_profile = ServerProfile(name="Empty", url="http://127.0.0.1:9")
    offline.enter_offline_mode(empty_profile)
    qtbot.waitUntil(lambda: page.browser.age_label.text() == "Not synced yet", timeout=5000)
    wait_loaded(qtbot, page.model)
    assert page.model.rowCount() == 0


def test_pages_speak_spanish_after_a_language_switch(qtbot, offline, translations) -> None:
    page = open_page(qtbot, offline, "offers")
    sync = open_page(qtbot, offline, "sync")
    translations.set_language("es")
    qtbot.waitUntil(lambda: page.title.text() == "Ofertas", timeout=5000)
    assert page.new_button.text() == "Nueva oferta…"
    assert page.browser.search.placeholderText() == "Buscar (Ctrl+F)"
    assert page.model.headerData(0, Qt.Orientation.Horizontal) == "Título"
    status = page.model.index(0, page.model.column_index("status")).data()
    assert status in ("Activa", "Activo", "Cancelada", "Cancelado")
    assert sync.sync_button.text() == "Sincronizar ahora"
    editor = page.new_offer()
    assert editor.windowTitle() == "Nueva oferta"
    assert editor.fields["priceEur"].label.text() == "Precio (€):"
    editor.close()

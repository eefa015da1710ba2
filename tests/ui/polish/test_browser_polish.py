"""The entity browsers as a new user meets them, over a real SQLite store offline: columns
sized to what they hold, a detail pane that folds away and stays folded, sentences in empty
tables, "Any …" filters that fit, counts in the user's language, and a sensible Tab order."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QWidget

from tests.ui.helpers import wait_loaded
from viva_desktop.services.local.store import Store
from viva_desktop.ui.browser.browser import DETAIL_WIDTH
from viva_desktop.ui.browser.cells import EMPTY, CellDelegate
from viva_desktop.ui.browser.columns import fit_columns

from ..browsers.data import PROFILE
from .conftest import build


def test_columns_fit_their_contents_until_the_user_resizes_one(qtbot, offline) -> None:
    page = build(qtbot, offline, "offers", width=1400)
    browser = page.browser
    wait_loaded(qtbot, browser.model)
    header = browser.view.horizontalHeader()
    qtbot.waitUntil(lambda: browser.columns._fitted, timeout=5000)
    status = page.model.column_index("status")
    title = page.model.column_index("title")
    # Short values get a narrow column, long titles a wide one (the defaults were 100 / 240).
    assert header.sectionSize(status) < 100
    assert header.sectionSize(title) > header.sectionSize(status)
    assert not browser.columns.user_layout
    header.resizeSection(status, 150)  # the user's own width…
    assert browser.columns.user_layout
    browser.columns.save()
    page.close()
    again = build(qtbot, offline, "offers", width=1400)
    wait_loaded(qtbot, again.browser.model)
    qtbot.wait(50)  # let a (wrong) fit run if one were queued
    assert again.browser.view.horizontalHeader().sectionSize(status) == 150  # …is kept
    assert not again.browser.columns._fitted


def test_squeezed_columns_give_up_room_from_the_widest_first(qtbot, offline) -> None:
    page = build(qtbot, offline, "communities", width=1000)
    browser = page.browser
    wait_loaded(qtbot, browser.model)
    browser.set_details_visible(False)  # the table gets the room the pane had
    view = browser.view
    fit_columns(view)
    header = view.horizontalHeader()
    shown = [i for i in range(header.count()) if not header.isSectionHidden(i)]
    total = sum(header.sectionSize(i) for i in shown)
    assert total <= view.viewport().width() + 1  # every column in view, no sideways scroll
    name = page.model.column_index("name")
    assert header.sectionSize(name) >= 110


def test_shrinking_takes_from_the_widest_and_respects_floors() -> None:
    from viva_desktop.ui.browser.columns import shrink_widths

    widths = shrink_widths({0: 300, 1: 200, 2: 100}, {0: 110, 1: 110, 2: 100}, 150)
    assert widths == {0: 175, 1: 175, 2: 100}
    assert shrink_widths({0: 120, 1: 100}, {0: 110, 1: 100}, 50) == {0: 110, 1: 100}


def test_location_is_hidden_on_communities_and_coordinates_are_in_the_detail(
    qtbot, offline, filled_store: Store
) -> None:
    filled_store.upsert(
        "communities",
        PROFILE,
        [
            {
                "id": "c-geo",
                "slug": "c-geo",
                "name": "Comunidad con coordenadas",
                "location": None,
                "lat": 42.994,
                "lng": -1.7217,
                "radiusKm": 5,
                "type": "NEIGHBORHOOD",
                "visibility": "PUBLIC",
                "createdAt": "2025-01-01T00:00:00.000Z",
                "updatedAt": "2025-01-01T00:00:00.000Z",
            }
        ],
    )
    page = build(qtbot, offline, "communities")
    browser = page.browser
    wait_loaded(qtbot, browser.model)
    assert "location" not in browser.columns.visible_keys()
    assert "location" in [c.key for c in page.model.COLUMNS]  # one click away in "Columns…"
    browser.select_ids(["c-geo"])
    fields = dict(browser.detail.fields(browser.current_row()))
    assert fields["Coordinates"] == "42.994, -1.7217"
    assert "Location" not in fields  # empty values are left out of the pane


def test_members_without_data_show_a_dash_not_a_blank(qtbot, offline, filled_store: Store) -> None:
    # Someone the sync met only as a post's author: a name, nothing else.
    filled_store.upsert("users", PROFILE, [{"id": "u-author", "name": "Autora sin perfil"}])
    page = build(qtbot, offline, "members")
    browser = page.browser
    wait_loaded(qtbot, browser.model)
    delegate = browser.view.itemDelegate()
    assert isinstance(delegate, CellDelegate)
    from PySide6.QtWidgets import QStyleOptionViewItem

    email = page.model.column_index("email")
    blanks = [r for r in range(page.model.rowCount()) if not page.model.index(r, email).data()]
    assert blanks
    option = QStyleOptionViewItem()
    option.initFrom(browser.view)
    delegate.initStyleOption(option, page.model.index(blanks[0], email))
    assert option.text == EMPTY


def test_the_detail_pane_is_narrow_folds_away_and_stays_folded(qtbot, offline) -> None:
    page = build(qtbot, offline, "offers", width=1200)
    browser = page.browser
    assert browser.details_visible()
    assert browser.splitter.sizes()[1] <= DETAIL_WIDTH + 2
    assert browser.splitter.sizes()[0] > 2 * browser.splitter.sizes()[1]
    table_width = browser.view.width()
    browser.details_button.click()
    assert not browser.detail.isVisible()
    qtbot.waitUntil(lambda: browser.view.width() > table_width, timeout=2000)
    assert QSettings().value("browsers/offers/details") in (False, "false")
    page.close()
    again = build(qtbot, offline, "offers", width=1200)
    assert not again.browser.details_visible()
    assert not again.browser.details_button.isChecked()
    again.browser.set_details_visible(True)
    assert again.browser.detail.isVisible()
    assert again.browser.splitter.sizes()[1] > 0


def test_an_empty_table_explains_itself(qtbot, offline) -> None:
    page = build(qtbot, offline, "offers")
    browser = page.browser
    wait_loaded(qtbot, browser.model)
    assert not browser.empty_state.isVisible()
    browser.search.setText("nada-coincide-con-esto")
    browser._apply_search()
    wait_loaded(qtbot, browser.model)
    qtbot.waitUntil(lambda: browser.empty_state.isVisible(), timeout=5000)
    assert "Clear filters" in browser.empty_state.text()
    browser.clear_filters()
    wait_loaded(qtbot, browser.model)
    assert not browser.empty_state.isVisible()
    browser.set_empty_text("No case is waiting for your vote.")
    assert browser.empty_state.message == "No case is waiting for your vote."


def test_a_never_synced_server_says_where_to_get_data(qtbot, context) -> None:
    from viva_desktop.services.common.config import ServerProfile

    context.enter_offline_mode(ServerProfile(name="Never synced", url="http://127.0.0.1:9"))
    page = build(qtbot, context, "events")
    browser = page.browser
    wait_loaded(qtbot, browser.model)
    qtbot.waitUntil(lambda: browser.empty_state.isVisible(), timeout=5000)
    assert "Sync page" in browser.empty_state.text()  # the first sentence shown is this one


def test_counts_and_facets_read_well_in_english_and_spanish(qtbot, offline, translations) -> None:
    page = build(qtbot, offline, "offers")
    browser = page.browser
    wait_loaded(qtbot, browser.model)
    assert browser.count_label.text() == "60 records"
    assert browser.facets["type"].itemText(0) == "Any type"
    assert browser.facets["community_id"].itemText(0) == "Any community"
    plural = QCoreApplication.translate
    assert plural("BrowserCounts", "%Ln record(s)", "", 1) == "1 record"
    assert plural("BrowserCounts", "%Ln record(s)", "", 12345) == "12,345 records"
    translations.set_language("es")
    qtbot.waitUntil(lambda: browser.count_label.text() == "60 registros", timeout=5000)
    assert browser.facets["type"].itemText(0) == "Cualquier tipo"
    assert browser.facets["category"].itemText(0) == "Cualquier categoría"
    assert plural("BrowserCounts", "%Ln record(s)", "", 1) == "1 registro"
    assert plural("BrowserCounts", "%Ln record(s)", "", 12345) == "12.345 registros"
    assert browser.details_button.text() == "Detalles"


def test_a_reason_for_a_disabled_action_gets_its_own_line(qtbot, offline) -> None:
    page = build(qtbot, offline, "offers")
    browser = page.browser
    browser.set_hint("Only the owner can change this offer.")
    assert browser.hint.isVisible()
    assert browser.hint.y() > browser.count_label.y()  # under the buttons, not squeezed beside
    browser.set_hint("")
    assert not browser.hint.isVisible()


def test_permission_reasons_are_translated(translations) -> None:
    from viva_desktop.ui.editors.permissions import Me, can_edit_offer

    translations.set_language("es")
    reason = can_edit_offer(Me(user_id="u1", role="CITIZEN"), {"userId": "u2"}).reason
    assert reason.startswith("Solo su propietario puede cambiar esta oferta")


def test_tab_goes_through_filters_tools_actions_then_the_table(qtbot, offline) -> None:
    page = build(qtbot, offline, "offers")
    browser = page.browser
    order: list[QWidget] = []
    widget: QWidget = browser.search
    for _ in range(30):
        order.append(widget)
        widget = widget.nextInFocusChain()
        if widget is browser.view:
            break
    names = [w for w in order if w.isVisible()]
    assert names.index(browser.clear_button) < names.index(browser.columns_button)
    assert names.index(browser.export_button) < names.index(page.new_button)
    assert names.index(page.cancel_button) < len(names)
    assert widget is browser.view


def test_the_detail_pane_says_each_thing_once_under_a_short_heading(qtbot) -> None:
    from datetime import UTC, datetime

    from viva_desktop.services.local.store import Row
    from viva_desktop.ui.browser.detail import HEADING_CHARS, DetailPane
    from viva_desktop.ui.models.columns import POST_COLUMNS

    text = "¡Los tomates del huerto comunitario están listos! " * 3
    pane = DetailPane(POST_COLUMNS, describe=lambda row, _names: [("Text", row.raw["content"])])
    qtbot.addWidget(pane)
    now = datetime.now(UTC)
    values = {"excerpt": text.strip(), "type": "OFFER", "synced_at": now}
    values.update(gone_at=None, local_changes=None)
    pane.show_row(Row("posts", PROFILE, "p1", values, {"content": text.strip()}))
    assert len(pane.title.text()) <= HEADING_CHARS
    assert pane.title.text().endswith("…")
    labels = [label for label, _text in pane.fields(pane.row)]
    assert "Text" not in labels  # the Content column already showed all of it
    assert labels.count("Synced") == 1

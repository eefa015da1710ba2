"""The saved views under the sidebar's pages: listed beneath their page's title, and choosing
one opens the page with the view applied (also in a new window: after a restart)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.support.synced_sandbox import PROFILE
from viva_desktop.services.local.store import Store
from viva_desktop.services.local.store import saved_views as sv
from viva_desktop.ui.shell.main_window import MainWindow
from viva_desktop.ui.shell.views_panel import VIEW_ROLE, ViewsPanel

NAME = "Pending in Rochapea"
WAIT_MS = 10_000


def test_a_saved_view_is_listed_under_its_page_and_opens_it(
    qtbot, reviewing, store: Store, synced_sandbox
) -> None:
    state = {"search": "", "facets": [["type", "SERVICE"]], "sort": [["title", True]]}
    sv.save(store, PROFILE, synced_sandbox.account_id, "offers", NAME, state)
    window = MainWindow(reviewing)
    qtbot.addWidget(window)
    window.show()
    panel = window.findChild(ViewsPanel)
    assert panel is not None
    qtbot.waitUntil(lambda: panel.list.count() == 2, timeout=WAIT_MS)
    heading, entry = panel.list.item(0), panel.list.item(1)
    assert heading.text() == "Offers"
    assert not heading.flags() & Qt.ItemFlag.ItemIsEnabled
    assert entry.text().strip() == NAME
    assert entry.data(VIEW_ROLE) == ("offers", NAME)
    panel.list.itemClicked.emit(entry)
    assert window.current_key == "offers"
    browser = window.current_page().browser
    qtbot.waitUntil(lambda: browser.saved_views.current == NAME, timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: browser.model.query.filter_map.get("type") == "SERVICE", timeout=WAIT_MS
    )
    assert browser.facets["type"].selected == "SERVICE"

"""The "Exported N records…" banner (issue 17, defect 6): it used to stay for good, through a
create, going offline and a language change. It now goes when it stops being true or
readable, and by itself after a while."""

from __future__ import annotations

from pathlib import Path

from tests.ui.helpers import open_page, wait_loaded
from viva_desktop.services.common.config import ServerProfile


def exported(qtbot, page, tmp_path: Path) -> None:
    wait_loaded(qtbot, page.model)
    with qtbot.waitSignal(page.browser.exported, timeout=10_000):
        page.browser.export_csv(tmp_path / "offers.csv")
    assert page.browser.notice.isVisible()
    assert page.browser.notice.text().startswith("Exported ")


def test_it_goes_after_a_while(qtbot, offline, tmp_path: Path) -> None:
    page = open_page(qtbot, offline, "offers")
    page.browser.notice.timer.setInterval(50)
    exported(qtbot, page, tmp_path)
    qtbot.waitUntil(lambda: not page.browser.notice.isVisible(), timeout=2000)


def test_it_goes_when_the_data_changes(qtbot, offline, tmp_path: Path) -> None:
    page = open_page(qtbot, offline, "offers")
    exported(qtbot, page, tmp_path)
    page.browser._data_changed(frozenset({"offers"}))  # what a create or a sync announces
    assert not page.browser.notice.isVisible()


def test_it_goes_when_going_offline_or_online(qtbot, offline, tmp_path: Path) -> None:
    page = open_page(qtbot, offline, "offers")
    exported(qtbot, page, tmp_path)
    offline.enter_offline_mode(ServerProfile(name="Other", url="http://127.0.0.1:9"))
    assert not page.browser.notice.isVisible()


def test_it_goes_on_a_language_change(qtbot, offline, translations, tmp_path: Path) -> None:
    page = open_page(qtbot, offline, "offers")
    exported(qtbot, page, tmp_path)
    translations.set_language("es")
    qtbot.waitUntil(lambda: not page.browser.notice.isVisible(), timeout=2000)

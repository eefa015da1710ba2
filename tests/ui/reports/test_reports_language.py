"""A language switch re-produces the report already on screen (issue 17 item 7): its text,
tables, charts and status speak the new language without pressing Preview again, also when
the switch comes while the report is still being counted."""

from __future__ import annotations

from tests.ui.helpers import open_page
from viva_desktop.ui.pages.reports import ReportsPage

WAIT_MS = 15_000


def chart_titles(page: ReportsPage) -> list[str]:
    return sorted(view.chart().title() for view in page.preview.views.values())


def test_a_language_switch_redraws_the_report_on_screen(qtbot, reviewing, translations) -> None:
    page: ReportsPage = open_page(qtbot, reviewing, "reports")
    with qtbot.waitSignal(page.report_ready, timeout=WAIT_MS):
        page.build()
    english_text = page.preview.text.toPlainText()
    english_charts = chart_titles(page)
    assert "Activity report" in english_text
    assert page.status.text().startswith("Made at")

    with qtbot.waitSignal(page.report_ready, timeout=WAIT_MS) as ready:
        translations.set_language("es")
    assert ready.args[0].language == "es"
    spanish_text = page.preview.text.toPlainText()
    assert spanish_text != english_text
    assert "Informe de actividad" in spanish_text
    assert "Activity report" not in spanish_text
    assert chart_titles(page) != english_charts
    assert page.status.text().startswith("Hecho a las")
    assert page.preview_button.text() == "Vista previa"


def test_a_switch_during_the_count_shows_the_new_language(qtbot, reviewing, translations) -> None:
    page: ReportsPage = open_page(qtbot, reviewing, "reports")
    page.build()  # still counting in English when the language changes
    translations.set_language("es")
    qtbot.waitUntil(
        lambda: page.report is not None and page.report.language == "es", timeout=WAIT_MS
    )
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=WAIT_MS)
    assert page.report is not None
    assert page.report.language == "es"
    assert "Informe de actividad" in page.preview.text.toPlainText()

"""The Reports page: choose Rochapea Solidaria and the last year, preview the charts and the
summary, export HTML and PDF; the figures are those of the report service."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPdf import QPdfDocument

from tests.ui.helpers import open_page
from viva_desktop.services.reports import PeriodKind
from viva_desktop.ui.pages.reports import ReportsPage
from viva_desktop.ui.reports.period_picker import KINDS

WAIT_MS = 15_000


def prepared(qtbot, context) -> ReportsPage:
    page: ReportsPage = open_page(qtbot, context, "reports")
    assert page.select_community("Rochapea Solidaria")
    page.period.kind.setCurrentIndex(KINDS.index(PeriodKind.YEAR))
    with qtbot.waitSignal(page.report_ready, timeout=WAIT_MS) as ready:
        page.preview_button.click()
    assert ready.args[0] is page.report
    return page


def test_preview_shows_the_summary_figures_and_charts(qtbot, reviewing) -> None:
    page = prepared(qtbot, reviewing)
    report = page.report
    assert report is not None
    assert report.community_name == "Rochapea Solidaria"
    assert report.period.days == 365
    text = page.preview.text.toPlainText()
    assert report.summary[0] in text
    assert report.figure("offers_created").label in text
    assert "overview" in page.preview.views
    assert set(page.preview.views) >= {"overview", "offers_by_type"}
    chart = page.preview.views["offers_by_type"].chart()
    bars = chart.series()[0].barSets()
    assert (
        sum(bars[1].at(i) for i in range(bars[1].count()))
        == report.figure("offers_created").current
    )
    assert page.html_button.isEnabled()
    assert page.pdf_button.isEnabled()
    assert page.community.accessibleName()


def test_export_html_and_pdf(qtbot, reviewing, tmp_path: Path) -> None:
    page = prepared(qtbot, reviewing)
    html = tmp_path / "rochapea.html"
    with qtbot.waitSignal(page.exported, timeout=WAIT_MS):
        page.export_html(html)
    assert "Rochapea Solidaria" in html.read_text(encoding="utf-8")
    pdf = tmp_path / "rochapea.pdf"
    with qtbot.waitSignal(page.exported, timeout=WAIT_MS):
        page.export_pdf(pdf)
    document = QPdfDocument()
    document.load(str(pdf))
    assert document.pageCount() >= 2
    document.close()
    assert str(pdf) in page.status.text()


def test_nothing_to_export_before_a_preview(qtbot, reviewing) -> None:
    page: ReportsPage = open_page(qtbot, reviewing, "reports")
    assert not page.html_button.isEnabled()
    assert page.export_pdf() is None
    assert page.community.itemText(0) == "All communities"
    assert page.community.count() > 5


def test_the_figures_match_the_browsers(qtbot, reviewing) -> None:
    """Offers and events created in the period are what the browsers show for that community
    and those dates."""
    from PySide6.QtCore import QDate

    from tests.ui.helpers import wait_loaded

    report = prepared(qtbot, reviewing).report
    assert report is not None
    first, last = report.period.first, report.period.last
    for key, figure in (("offers", "offers_created"), ("events", "events_created")):
        browser = open_page(qtbot, reviewing, key).browser
        wait_loaded(qtbot, browser.model)
        qtbot.waitUntil(lambda b=browser: not b.is_loading(), timeout=WAIT_MS)
        facet = browser.facets["community_id"]
        index = next(
            i for i in range(facet.count()) if facet.itemText(i).startswith("Rochapea Solidaria")
        )
        facet.select(facet.itemData(index))
        browser.set_date_range(
            "created_at",
            QDate(first.year, first.month, first.day),
            QDate(last.year, last.month, last.day),
        )
        wait_loaded(qtbot, browser.model)
        assert browser.model.total == report.figure(figure).current, key


def test_the_page_opens_with_its_texts_and_counts_the_default_report(qtbot, reviewing) -> None:
    page = ReportsPage(reviewing)
    qtbot.addWidget(page)
    assert page.title.text() == "Reports"
    assert page.html_button.text() == "Export HTML…"
    assert "Choose a community and a period" in page.preview.text.toPlainText()
    with qtbot.waitSignal(page.report_ready, timeout=WAIT_MS) as ready:
        page.activate()
    assert ready.args[0].community_id is None  # all communities, the last year
    assert page.preview.views


def test_only_the_report_asked_for_last_is_shown(qtbot, reviewing) -> None:
    page = ReportsPage(reviewing)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.community.count() > 1, timeout=WAIT_MS)
    page.build()  # all communities
    assert page.select_community("Rochapea Solidaria")
    with qtbot.waitSignal(page.report_ready, timeout=WAIT_MS) as ready:
        page.build()
    assert ready.args[0].community_name == "Rochapea Solidaria"
    assert page.report is ready.args[0]

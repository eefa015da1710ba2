"""The report written as one self-contained HTML file (parsed back) and as an A4 PDF with
the community and period on every page and page numbers (read back with QtPdf), in English
and in Spanish."""

from __future__ import annotations

import base64
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSizeF
from PySide6.QtPdf import QPdfDocument

from tests.support.synced_sandbox import PROFILE, SyncedSandbox
from viva_desktop.rendering.document import date_text, locale_for, period_text
from viva_desktop.rendering.files import write_html, write_pdf
from viva_desktop.services.local.store import Store
from viva_desktop.services.reports import ActivityReport, Period, build_report, find_community

A4_POINTS = QSizeF(595.3, 841.9)


class Parsed(HTMLParser):
    """The parts of the report's HTML the tests look at."""

    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.images: list[str] = []
        self.links: list[str] = []
        self.rows: dict[str, list[str]] = {}
        self._row: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.lang = found.get("lang")
        elif tag == "img":
            self.images.append(found.get("src") or "")
        elif tag in ("link", "script", "a"):
            self.links.append(found.get("href") or found.get("src") or "")
        elif tag == "tr" and found.get("data-key"):
            self._row = found["data-key"]
            self.rows[self._row] = []
        elif tag == "td" and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._row is not None and self._cell is not None:
            self.rows[self._row].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr":
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def make_report(store: Store, synced: SyncedSandbox, language: str) -> ActivityReport:
    locale = locale_for(language)
    return build_report(
        store,
        PROFILE,
        synced.account_id,
        find_community(store, PROFILE, "Rochapea Solidaria"),
        Period.last_of("year"),
        account_label="coordinadora@comunidad.local",
        language=language,
        date_text=lambda day: date_text(locale, day),
    )


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_html_file_is_self_contained_and_holds_the_figures(
    qapp, report_store: Store, synced_sandbox: SyncedSandbox, tmp_path: Path, language: str
) -> None:
    report = make_report(report_store, synced_sandbox, language)
    target = tmp_path / "report.html"
    write_html(report, target)
    parsed = Parsed()
    parsed.feed(target.read_text(encoding="utf-8"))
    assert parsed.lang == language
    assert parsed.links == []  # nothing to fetch: no scripts, styles or links elsewhere
    assert len(parsed.images) >= 2
    for src in parsed.images:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    locale = locale_for(language)
    for figure in report.figures:
        cells = parsed.rows[figure.key]
        assert cells[0].startswith(figure.label)
        assert cells[1] == locale.toString(round(figure.current))
    text = target.read_text(encoding="utf-8")
    assert period_text(report) in text
    month = "diciembre" if report.period.last.month == 12 else ""
    if language == "es":
        assert " de " in period_text(report)
        assert month in text
        assert "Rochapea Solidaria" in report.summary[0]


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_pdf_is_a4_with_the_community_period_and_page_number_on_every_page(
    qapp, report_store: Store, synced_sandbox: SyncedSandbox, tmp_path: Path, language: str
) -> None:
    report = make_report(report_store, synced_sandbox, language)
    target = tmp_path / "report.pdf"
    pages = write_pdf(report, target)
    assert pages >= 2
    document = QPdfDocument()
    assert document.load(str(target)) == QPdfDocument.Error.None_
    try:
        assert document.pageCount() == pages
        for number in range(pages):
            size = document.pagePointSize(number)
            assert abs(size.width() - A4_POINTS.width()) < 1
            assert abs(size.height() - A4_POINTS.height()) < 1
            text = document.getAllText(number).text()
            assert "Rochapea Solidaria" in text
            assert period_text(report).split(" – ")[0] in text
            footer = QCoreApplication.translate("ReportDocument", "Page {n} of {total}")
            assert footer.format(n=number + 1, total=pages) in text
        first = document.getAllText(0).text()
        assert report.figure("offers_created").label in first
    finally:
        document.close()


def test_printing_draws_the_same_pages(
    qapp, report_store: Store, synced_sandbox: SyncedSandbox, tmp_path: Path
) -> None:
    """Print… paints the PDF's pages on the printer (here a printer writing a PDF file)."""
    from PySide6.QtPrintSupport import QPrinter

    from viva_desktop.rendering.files import paint_pages, text_document

    report = make_report(report_store, synced_sandbox, "en")
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    target = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(target))
    pages = paint_pages(report, printer, text_document(report))
    assert pages >= 2
    document = QPdfDocument()
    assert document.load(str(target)) == QPdfDocument.Error.None_
    try:
        assert document.pageCount() == pages
        assert "Rochapea Solidaria" in document.getAllText(pages - 1).text()
    finally:
        document.close()

"""The flow-economics chart (issue 16): in an ADMIN's report it is drawn like the other charts
and embedded in the HTML and the PDF with the flow figures; a coordinator's report has neither."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtPdf import QPdfDocument

from tests.rendering.test_report_files import Parsed
from tests.support.synced_sandbox import PROFILE, SyncedSandbox, sync_sandbox
from viva_desktop.rendering.charts import report_charts
from viva_desktop.rendering.document import locale_for
from viva_desktop.rendering.files import write_html, write_pdf
from viva_desktop.sandbox.seed import ADMIN_EMAIL
from viva_desktop.services.local.store import Store, open_store
from viva_desktop.services.reports import ActivityReport, Period, build_report
from viva_desktop.services.reports.flow import FLOW_FIGURES


@pytest.fixture(scope="module")
def admin_synced(tmp_path_factory: pytest.TempPathFactory) -> SyncedSandbox:
    return sync_sandbox(tmp_path_factory.mktemp("rendering-as-admin"), email=ADMIN_EMAIL)


@pytest.fixture
def admin_store(admin_synced: SyncedSandbox, tmp_path: Path) -> Iterator[Store]:
    store = open_store(admin_synced.copy_to(tmp_path), attempts=1)
    try:
        yield store
    finally:
        store.close()


def report_of(store: Store, synced: SyncedSandbox) -> ActivityReport:
    return build_report(store, PROFILE, synced.account_id, None, Period.last_of("month"))


def test_an_admin_report_embeds_the_flow_chart_and_figures(
    qapp, admin_store: Store, admin_synced: SyncedSandbox, tmp_path: Path
) -> None:
    report = report_of(admin_store, admin_synced)
    charts = report_charts(report)
    assert "flow_economics" in charts
    assert charts["flow_economics"].title() == "Flow economics"
    target = tmp_path / "report.html"
    write_html(report, target)
    text = target.read_text(encoding="utf-8")
    parsed = Parsed()
    parsed.feed(text)
    assert len(parsed.images) == len(charts)
    assert 'alt="Flow economics"' in text
    for src in parsed.images:
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    pools = report.figure("flow_total_pool_balance")
    truth = admin_synced.truth["flow_metrics"]["totalPoolBalance"]  # the server's own answer
    assert parsed.rows["flow_total_pool_balance"][1] == locale_for("en").toString(truth)

    pdf = tmp_path / "report.pdf"
    pages = write_pdf(report, pdf)
    document = QPdfDocument()
    assert document.load(str(pdf)) == QPdfDocument.Error.None_
    try:
        words = " ".join(document.getAllText(n).text() for n in range(pages))
        assert pools.label in words
    finally:
        document.close()


def test_a_coordinators_report_has_no_flow_chart(
    qapp, report_store: Store, synced_sandbox: SyncedSandbox, tmp_path: Path
) -> None:
    report = report_of(report_store, synced_sandbox)
    assert "flow_economics" not in report_charts(report)
    target = tmp_path / "report.html"
    write_html(report, target)
    parsed = Parsed()
    parsed.feed(target.read_text(encoding="utf-8"))
    assert not set(parsed.rows) & set(FLOW_FIGURES)
    assert "Flow economics" not in target.read_text(encoding="utf-8")

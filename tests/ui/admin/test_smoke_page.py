"""The smoke page against the real sandbox: results appear as they complete, the hardening
audit fails where the development sandbox is weak, read-only runs write nothing, cancelling
stops the run, and the report saves in every format."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from viva_desktop.sandbox.seed import ADMIN_EMAIL, DEMO_PASSWORD
from viva_desktop.services.admin.smoke import Outcome, planned_checks
from viva_desktop.ui.pages.smoke import SmokePage

from .conftest import WAIT_MS


@pytest.fixture
def page(qtbot, connected) -> SmokePage:
    page = SmokePage(connected)
    qtbot.addWidget(page)
    return page


def test_a_run_shows_each_check_live_and_a_failing_hardening_check(
    qtbot, page, sandbox, tmp_path
) -> None:
    assert page.server_edit.text() == sandbox.url  # the active profile's address
    assert page.read_only_box.isChecked()  # not the built-in sandbox: read-only by default
    live = []
    page.result_added.connect(live.append)
    with qtbot.waitSignal(page.run_finished, timeout=60_000) as blocker:
        page.run_checks()
        assert page.cancel_button.isVisible() or page.running
    report = blocker.args[0]
    assert [r.id for r in live] == [c.id for c in planned_checks()]  # in order, none lost
    assert page.table.rowCount() == len(report.results)
    assert page.progress.value() == page.progress.maximum()
    assert report.read_only

    assert page.row_outcome("health.status") is Outcome.PASS
    assert page.row_outcome("hardening.api_docs") is Outcome.FAIL
    assert page.row_outcome("hardening.stack_traces") is Outcome.FAIL
    assert page.row_outcome("auth.register") is Outcome.SKIPPED  # read-only: no writes
    assert not page.table.item(0, 0).icon().isNull()
    assert page.summary_label.text().startswith(report.summary_line())
    # the first failure is selected, with its evidence and advice
    selected = page.results[page.table.currentRow()]
    assert selected.outcome is Outcome.FAIL
    assert "Evidence: " in page.details.toPlainText()
    assert "Advice: " in page.details.toPlainText()

    for fmt, name in (("text", "r.txt"), ("junit", "r.xml"), ("json", "r.json")):
        target = tmp_path / name
        with qtbot.waitSignal(page.report_saved, timeout=WAIT_MS):
            page.save_report_to(target, fmt)
        assert target.exists()
    assert "FAIL    hardening.api_docs" in (tmp_path / "r.txt").read_text(encoding="utf-8")
    suite = ET.parse(tmp_path / "r.xml").getroot().find("testsuite")  # noqa: S314 - ours
    assert int(suite.attrib["failures"]) == report.count(Outcome.FAIL)
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["exit_code"] == 1


def test_with_an_account_and_writes_the_functional_checks_run(qtbot, page) -> None:
    page.read_only_box.click()  # the administrator chooses writes on this test server
    assert not page.read_only_box.isChecked()
    page.email_edit.setText(ADMIN_EMAIL)
    page.password_edit.setText(DEMO_PASSWORD)
    with qtbot.waitSignal(page.run_finished, timeout=60_000) as blocker:
        page.run_checks()
    report = blocker.args[0]
    assert not report.read_only
    assert page.row_outcome("auth.login") is Outcome.PASS
    assert page.row_outcome("credits.balance") is Outcome.PASS
    assert page.row_outcome("social.post_create") is Outcome.PASS
    assert page.password_edit.text() == DEMO_PASSWORD  # kept for a re-run, in memory only


def test_cancelling_stops_the_run(qtbot, page, sandbox) -> None:
    sandbox.set_faults(latency_ms=300)  # slow enough to cancel midway
    with qtbot.waitSignal(page.result_added, timeout=WAIT_MS):
        page.run_checks()
    page.cancel()
    qtbot.waitUntil(lambda: not page.running, timeout=WAIT_MS)
    # the checks not run are listed as skipped, and the summary counts those that ran
    cancelled = [r for r in page.results if r.evidence == "Cancelled."]
    assert cancelled
    assert all(r.outcome is Outcome.SKIPPED for r in cancelled)
    ran = len(page.results) - len(cancelled)
    assert page.summary_label.text() == f"Cancelled after {ran} check{'s' if ran != 1 else ''}."
    assert not page.run_button.isHidden()


def test_the_form_says_what_is_missing(qtbot, page) -> None:
    page.server_edit.setText("ftp://example.org")
    page.run_checks()
    assert page.summary_label.text().startswith("Enter the server's address")
    page.server_edit.setText("http://127.0.0.1:9")
    page.email_edit.setText("someone@example.org")
    page.run_checks()
    assert page.summary_label.text().startswith("Give both the e-mail and the password")
    assert not page.running


def test_results_on_screen_follow_a_language_change(qtbot, page, translations) -> None:
    """Issue 17, defect 7: results already on screen are said again in the new language,
    without running the checks again."""
    with qtbot.waitSignal(page.run_finished, timeout=60_000):
        page.run_checks()
    row = next(i for i, r in enumerate(page.results) if r.id == "health.basic")
    assert page.table.item(row, 1).text() == "Liveness (GET /health)"
    english_summary = page.summary_label.text()
    assert "passed: " in english_summary
    page.table.selectRow(row)
    assert "Evidence: " in page.details.toPlainText()
    translations.set_language("es")
    qtbot.waitUntil(lambda: page.title.text() != "Smoke checks & audit")
    assert page.table.item(row, 1).text() == "Disponibilidad (GET /health)"
    assert page.summary_label.text() != english_summary
    assert "passed: " not in page.summary_label.text()
    assert "Evidence: " not in page.details.toPlainText()
    assert page.results[row].name == "Liveness (GET /health)"  # the result itself is kept


def test_the_empty_table_says_what_the_read_only_box_shows(qtbot, page, sandbox) -> None:
    """Issue 17, defect 7: the hint said "keep Read-only ticked" while the box was unticked
    for the built-in sandbox."""
    page.read_only_box.setChecked(True)
    page._update_empty_message()
    assert "is ticked" in page.empty_state.message
    page.read_only_box.click()  # the user unticks it
    assert not page.read_only_box.isChecked()
    assert "is not ticked" in page.empty_state.message
    assert "Keep it ticked" not in page.empty_state.message

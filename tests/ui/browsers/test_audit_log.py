"""The Audit log page and a record's History (issue 13), over a real store: filters by
account, entity, action, outcome and dates, search, opening the record on its page, CSV and
JSON exports; the History of the detail pane, upstream changes included."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from PySide6.QtTest import QAbstractItemModelTester

from tests.ui.helpers import open_page, wait_loaded
from viva_desktop.services.local.store import Store, accounts, audit
from viva_desktop.ui.models.audit_model import AuditModel

from .data import PROFILE, offer

FATAL = QAbstractItemModelTester.FailureReportingMode.Fatal
T0 = datetime(2026, 12, 1, 10, 2, tzinfo=UTC)


@pytest.fixture
def trail(filled_store: Store) -> Store:
    accounts.remember(filled_store, PROFILE, "u-admin", email="admin@comunidad.local")
    accounts.remember(filled_store, PROFILE, "u-maria", email="maria@comunidad.local")
    oid = offer(0)["id"]
    events = [
        ("u-admin", "offers", oid, "update", "queued", T0, None),
        ("u-admin", "offers", oid, "update", "sent", T0 + timedelta(minutes=1), None),
        ("u-maria", "offers", oid, "update", "failed", T0 + timedelta(days=2), "Forbidden"),
        (
            "u-admin",
            "membership_requests",
            "req-1",
            "approve",
            "sent",
            T0 + timedelta(days=3),
            None,
        ),
    ]
    for account, entity, record_id, action, outcome, at, message in events:
        audit.record_write(
            filled_store,
            profile=PROFILE,
            account=account,
            entity=entity,
            record_id=record_id,
            action=action,
            outcome=outcome,
            before={"title": "Antes"} if entity == "offers" else None,
            after={"title": f"Después {account}"} if entity == "offers" else None,
            message=message,
            request_id=f"req-{outcome}",
            at=at,
        )
    audit.record_write(  # what the sync saw change on the server
        filled_store,
        profile=PROFILE,
        account="u-admin",
        entity="offers",
        record_id=oid,
        action="upstream",
        outcome="seen",
        before={"title": "A", "priceEur": 1},
        after={"title": "B", "priceEur": 2},
        message=(T0 + timedelta(days=3)).isoformat(),
        at=T0 + timedelta(days=4),
    )
    return filled_store


def test_the_audit_model_passes_the_model_tester(qtbot, trail: Store) -> None:
    model = AuditModel()
    tester = QAbstractItemModelTester(model, FATAL)
    model.set_entries(audit.entries(trail, PROFILE), {})
    assert model.rowCount() == 5
    model.sort(0)
    del tester


def test_filters_search_and_dates(qtbot, offline, trail: Store) -> None:
    page = open_page(qtbot, offline, "audit")
    assert len(page.entries) == 5

    def settle() -> None:
        qtbot.waitUntil(lambda: not page.is_loading(), timeout=5000)

    page.account_box.setCurrentIndex(page.account_box.findData("u-maria"))
    settle()
    assert [e.outcome for e in page.entries] == ["failed"]
    assert page.model.record_at(0)["who"] == "maria@comunidad.local"
    page.account_box.setCurrentIndex(0)
    page.outcome_box.setCurrentIndex(page.outcome_box.findData("sent"))
    settle()
    assert {e.action for e in page.entries} == {"update", "approve"}
    page.outcome_box.setCurrentIndex(0)
    page.entity_box.setCurrentIndex(page.entity_box.findData("membership_requests"))
    settle()
    assert [e.record_id for e in page.entries] == ["req-1"]
    page.entity_box.setCurrentIndex(0)
    page.action_box.setCurrentIndex(page.action_box.findData("upstream"))
    settle()
    assert [e.fields for e in page.entries] == [["priceEur", "title"]]
    page.action_box.setCurrentIndex(0)
    page.since_edit.setDate(QDate(2026, 12, 2))
    page.until_edit.setDate(QDate(2026, 12, 3))
    page.since_check.setChecked(True)
    page.until_check.setChecked(True)
    settle()
    assert [e.outcome for e in page.entries] == ["failed"]
    page.since_check.setChecked(False)
    page.until_check.setChecked(False)
    page.search.setText("Después u-admin")  # (typed: the search waits for a pause)
    qtbot.waitUntil(lambda: len(page.entries) == 2, timeout=5000)
    assert {e.outcome for e in page.entries} == {"queued", "sent"}


def test_exports_hold_the_events_shown(qtbot, offline, trail: Store, tmp_path: Path) -> None:
    page = open_page(qtbot, offline, "audit")
    page.account_box.setCurrentIndex(page.account_box.findData("u-admin"))
    qtbot.waitUntil(lambda: not page.is_loading() and len(page.entries) == 4, timeout=5000)
    target = tmp_path / "audit.json"
    with qtbot.waitSignal(page.export("json", target).finished, timeout=5000):
        pass
    events = json.loads(target.read_text(encoding="utf-8"))
    assert [e["account"] for e in events] == ["u-admin"] * 4
    assert events[-1]["before"] == {"title": "Antes"}
    target = tmp_path / "audit.csv"
    with qtbot.waitSignal(page.export("csv", target).finished, timeout=5000):
        pass
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 4
    assert rows[-1]["requestId"] == "req-queued"
    assert json.loads(rows[-1]["after"]) == {"title": "Después u-admin"}


def test_open_record_shows_it_selected_on_its_page(qtbot, offline, trail: Store) -> None:
    from viva_desktop.ui.shell.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.attach(offline)
    window.mark_ready()
    page = window.open_page("audit")
    qtbot.waitUntil(lambda: not page.is_loading() and bool(page.entries), timeout=5000)
    row = next(n for n, e in enumerate(page.entries) if e.record_id == offer(0)["id"])
    page.view.selectRow(row)
    assert page.open_button.isEnabled()
    offers = page.open_record()
    assert window.current_key == "offers"
    wait_loaded(qtbot, offers.browser.model)
    qtbot.waitUntil(lambda: offers.browser.current_row() is not None, timeout=5000)
    assert offers.browser.current_row().id == offer(0)["id"]
    # ...and its History: this app's writes and the change seen on the server.
    history = offers.browser.history
    qtbot.waitUntil(lambda: "maria@comunidad.local" in history.body.text(), timeout=5000)
    text = history.body.text()
    assert "On the server between" in text
    assert "priceEur, title" in text
    assert "admin@comunidad.local · Edited: sent" in text
    assert "title: Antes → Después u-admin" in text
    assert "(Forbidden)" in text

"""A language switch re-produces what the Audit log page already shows (issue 17 item 7): the
events' actions and outcomes, the headers, the filter choices (kept as chosen), the count or the
last export's message, and the selected event stays selected."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt

from tests.ui.helpers import open_page
from viva_desktop.services.local.store import Store, accounts, audit

from .data import PROFILE, offer

T0 = datetime(2026, 12, 1, 10, 2, tzinfo=UTC)
WAIT_MS = 10_000


def fill_trail(store: Store) -> None:
    accounts.remember(store, PROFILE, "u-admin", email="admin@comunidad.local")
    oid = offer(0)["id"]
    for minutes, outcome in ((0, "queued"), (1, "sent")):
        audit.record_write(
            store,
            profile=PROFILE,
            account="u-admin",
            entity="offers",
            record_id=oid,
            action="update",
            outcome=outcome,
            before={"title": "Antes"},
            after={"title": "Después"},
            request_id=f"req-{outcome}",
            at=T0 + timedelta(minutes=minutes),
        )


def column(page, key: str) -> int:
    return [c.key for c in page.model.COLUMNS].index(key)


def cells(page, key: str) -> list[str]:
    column_number = column(page, key)
    return [page.model.index(row, column_number).data() for row in range(page.model.rowCount())]


def test_a_language_switch_redraws_the_audit_log(
    qtbot, offline, filled_store: Store, translations, tmp_path: Path
) -> None:
    fill_trail(filled_store)
    page = open_page(qtbot, offline, "audit")
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=WAIT_MS)
    page.outcome_box.setCurrentIndex(page.outcome_box.findData("sent"))
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=WAIT_MS)
    page.view.selectRow(0)
    assert cells(page, "action") == ["Edited"]
    assert cells(page, "outcome") == ["sent"]
    assert page.count_label.text() == "1 event"
    with qtbot.waitSignal(page.exported, timeout=WAIT_MS):
        page.export("csv", tmp_path / "audit.csv")
    assert page.count_label.text().startswith("Exported 1 event to")

    translations.set_language("es")
    qtbot.waitUntil(lambda: page.title.text() == "Registro de auditoría", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=WAIT_MS)
    assert cells(page, "action") == ["Editado"]
    assert cells(page, "outcome") == ["enviado"]
    header = page.model.headerData(column(page, "action"), Qt.Orientation.Horizontal)
    assert header == "Acción"
    assert page.outcome_box.currentData() == "sent"  # the filter stays as chosen...
    assert page.outcome_box.currentText() == "enviado"  # ...in the new language
    assert page.outcome_box.itemText(0) == "Cualquier resultado"
    assert page.count_label.text().startswith("Se exportó 1 evento a")
    assert str(tmp_path / "audit.csv") in page.count_label.text()
    assert page.selected_entry() is not None  # the selection survives the switch
    assert page.open_button.isEnabled()

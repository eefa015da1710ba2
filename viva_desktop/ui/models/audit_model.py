"""`AuditModel`: the audit trail's events as a table (the Audit log page)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from viva_desktop.services.common.i18n import QT_TRANSLATE_NOOP
from viva_desktop.services.local.store.audit import AuditEntry
from viva_desktop.ui.models.audit_labels import action_label, outcome_label
from viva_desktop.ui.models.columns import ColumnDef, Kind
from viva_desktop.ui.models.records_model import RecordsModel


def _c(key: str, title: str, kind: Kind = Kind.TEXT, width: int | None = None) -> ColumnDef:
    return ColumnDef(key, title, kind, True, width)


def audit_record(entry: AuditEntry, names: dict[str, str] | None = None) -> dict[str, Any]:
    """One event as the table's record (`entry` keeps the event itself)."""
    who = entry.account_email or (names or {}).get(entry.account or "") or entry.account or ""
    return {
        "pk": entry.pk,
        "at": entry.at,
        "who": who,
        "entity": entry.entity,
        "record_id": entry.record_id or "",
        "action": action_label(entry.action),
        "outcome": outcome_label(entry.outcome, entry.message),
        "fields": ", ".join(entry.fields),
        "message": entry.message if entry.outcome != "resolved" else "",
        "request_id": entry.request_id or "",
        "entry": entry,
    }


class AuditModel(RecordsModel):
    ID_KEY = "pk"
    COLUMNS = (
        _c("at", QT_TRANSLATE_NOOP("Columns", "When"), Kind.DATETIME),
        _c("who", QT_TRANSLATE_NOOP("Columns", "Account"), width=200),
        _c("action", QT_TRANSLATE_NOOP("Columns", "Action")),
        _c("entity", QT_TRANSLATE_NOOP("Columns", "Entity")),
        _c("record_id", QT_TRANSLATE_NOOP("Columns", "Record")),
        _c("outcome", QT_TRANSLATE_NOOP("Columns", "Outcome")),
        _c("fields", QT_TRANSLATE_NOOP("Columns", "Fields")),
        _c("message", QT_TRANSLATE_NOOP("Columns", "Server's message"), width=240),
        _c("request_id", QT_TRANSLATE_NOOP("Columns", "Request id")),
    )

    def set_entries(self, entries: Iterable[AuditEntry], names: dict[str, str]) -> None:
        self.set_records([audit_record(e, names) for e in entries])

    def entry_at(self, row: int) -> AuditEntry | None:
        record = self.record_at(row)
        return record["entry"] if record is not None else None

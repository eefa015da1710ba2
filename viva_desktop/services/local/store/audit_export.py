"""The audit trail written to CSV or JSON (the Audit log page's exports)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from viva_desktop.services.local.store.audit import AuditEntry, as_dict
from viva_desktop.services.local.store.export import (
    ExportFormat,
    atomic_text_file,
    write_csv,
    write_json,
)

CSV_COLUMNS = (
    "at",
    "accountEmail",
    "account",
    "profile",
    "server",
    "entity",
    "id",
    "action",
    "outcome",
    "fields",
    "before",
    "after",
    "message",
    "requestId",
    "outboxSeq",
    "replayed",
)


def export_entries(entries: Iterable[AuditEntry], path: Path, *, format: ExportFormat | str) -> int:
    """Write `entries` (CSV: one row per event, before/after as JSON text; JSON: an array)
    to `path` atomically; returns how many."""
    kind = ExportFormat(format)
    rows = (as_dict(entry) for entry in entries)
    if kind is ExportFormat.CSV:
        with atomic_text_file(path, encoding="utf-8-sig") as stream:
            return write_csv(
                stream, CSV_COLUMNS, ({**r, "fields": ", ".join(r["fields"])} for r in rows)
            )
    with atomic_text_file(path, encoding="utf-8") as stream:
        return write_json(stream, rows)

"""A record's history in the detail pane: this app's writes to it (queued, sent, refused,
conflicts and how they were settled, by whom) and what the sync saw change on the server
between two syncs ("on the server between 10:02 and 12:30: title, price")."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from viva_desktop.services.local.store import Store, audit, scopes
from viva_desktop.services.local.store.audit import AuditEntry
from viva_desktop.services.local.store.types import parse_timestamp
from viva_desktop.ui.common.retranslate import Retranslating
from viva_desktop.ui.common.worker import run_task
from viva_desktop.ui.models.audit_labels import action_label, outcome_label
from viva_desktop.ui.models.columns import local_datetime_text

SHOWN = 30  # the newest events; the Audit log page has them all


def read_history(
    store: Store, profile: str, entity: str, record_id: str, account: str | None
) -> list[AuditEntry]:
    """The newest events about one record (worker thread); a per-caller record's are only
    its account's."""
    mine = account if scopes.is_scoped(entity) else None
    if scopes.is_scoped(entity) and not account:
        return []
    return audit.entries(
        store, profile, account=mine, entity=entity, record_id=record_id, limit=SHOWN
    )


def _value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    text = str(value)
    return text if len(text) <= 60 else text[:59] + "…"


class RecordHistory(Retranslating, QWidget):
    """Heading and one paragraph per event, newest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("RecordHistory")
        self.heading = QLabel()
        self.heading.setObjectName("Subheading")
        self.body = QLabel()
        self.body.setObjectName("Muted")
        self.body.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.body)
        self.entries: list[AuditEntry] = []
        self._generation = 0
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("History"))
        self._render()

    def clear(self) -> None:
        self._generation += 1
        self.entries = []
        self._render()
        self.hide()

    def show_record(
        self, store: Store | None, profile: str | None, row: Any, account: str | None
    ) -> None:
        """Read and show the history of `row` (None: nothing selected)."""
        self._generation += 1
        generation = self._generation
        self.entries = []
        self._render()
        self.setVisible(row is not None)
        if store is None or profile is None or row is None:
            return
        run_task(
            read_history,
            store,
            profile,
            row.entity,
            row.id,
            account,
            on_done=lambda entries: self._read(generation, entries),
            on_error=lambda _exc: None,
            parent=self,
            name=f"history of {row.entity} {row.id}",
        )

    def _read(self, generation: int, entries: list[AuditEntry]) -> None:
        if generation == self._generation:
            self.entries = entries
            self._render()

    def _render(self) -> None:
        if not self.entries:
            self.body.setText(
                self.tr(
                    "No change made with this application, and none seen "
                    "on the server between two synchronisations."
                )
            )
        else:
            self.body.setText("\n\n".join(self.describe(e) for e in self.entries))
        self.body.setAccessibleName(self.body.text())

    def describe(self, entry: AuditEntry) -> str:
        """One event as a sentence or two."""
        when = local_datetime_text(entry.at)
        if entry.action == audit.Action.UPSTREAM:
            since = parse_timestamp(entry.message) if entry.message else None
            fields = ", ".join(entry.fields)
            if isinstance(since, datetime):
                return self.tr("On the server between {start} and {end}: {fields}").format(
                    start=local_datetime_text(since), end=when, fields=fields
                )
            return self.tr("On the server, seen {end}: {fields}").format(end=when, fields=fields)
        who = entry.account_email or entry.account or self.tr("unknown account")
        text = self.tr("{when} · {who} · {action}: {outcome}").format(
            when=when,
            who=who,
            action=action_label(entry.action),
            outcome=outcome_label(entry.outcome, entry.message),
        )
        if entry.message and entry.outcome == audit.Outcome.FAILED:  # the server's reason
            text += f" ({entry.message})"
        before, after = entry.before or {}, entry.after or {}
        changes = [
            f"{name}: {_value(before.get(name))} → {_value(after.get(name))}"
            for name in entry.fields
        ]
        if changes:
            text += "\n" + "\n".join(changes)
        return text

"""The Audit log page: every write this application made on the profile — who, when, on
which record, the fields before and after, and what came of it (sent, refused with the
server's reason, a conflict and how it was settled) — plus what the sync saw change on the
server. Filter by account, entity, action, outcome and dates; search; open the record;
export CSV or JSON.

The trail lives in the store, so a team store shows the whole team's writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QItemSelectionModel, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viva_desktop.services.local.store import Store, accounts, audit
from viva_desktop.services.local.store.audit import AuditEntry
from viva_desktop.services.local.store.audit_export import export_entries
from viva_desktop.ui.browser.cells import install_cell_delegate
from viva_desktop.ui.browser.columns import apply_widths, fit_columns
from viva_desktop.ui.common.icons import icon
from viva_desktop.ui.common.worker import TaskHandle, run_task
from viva_desktop.ui.dialogs.conflict import entity_label
from viva_desktop.ui.editors.outbox_panel import table_view
from viva_desktop.ui.models.audit_labels import ACTIONS, OUTCOMES, action_label, outcome_label
from viva_desktop.ui.models.audit_model import AuditModel
from viva_desktop.ui.pages.base import Page

LIMIT = 5_000  # newest events shown; the exports hold the same selection
ANY = ""

# Which page shows a record of each entity (Open record).
PAGE_OF = {
    "communities": "communities",
    "users": "members",
    "offers": "offers",
    "events": "events",
    "posts": "posts",
    "credit_transactions": "credits",
    "moderation_cases": "moderation",
}


@dataclass(frozen=True)
class AuditFilters:
    account: str | None = None
    entity: str | None = None
    action: str | None = None
    outcome: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    search: str | None = None


def read_audit(
    store: Store, profile: str, filters: AuditFilters
) -> tuple[list[AuditEntry], list[Any], list[str]]:
    """(the events, the profile's accounts, the entities in the trail) — worker thread."""
    entries = audit.entries(
        store,
        profile,
        account=filters.account,
        entity=filters.entity,
        actions=[filters.action] if filters.action else None,
        outcomes=[filters.outcome] if filters.outcome else None,
        since=filters.since,
        until=filters.until,
        search=filters.search,
        limit=LIMIT,
    )
    known = accounts.known(store, profile)
    every = audit.entries(store, profile, limit=LIMIT)
    entities = sorted({e.entity for e in every} | {e.entity for e in entries})
    return entries, known, entities


class AuditPage(Page):
    exported = Signal(object)  # Path

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("AuditPage")
        self.task: TaskHandle | None = None
        self.entries: list[AuditEntry] = []
        # The last export's (count, file), said under the table until the next read; kept
        # as data so a language switch can say it again in the new language.
        self._export_note: tuple[int, str] | None = None
        self.known: list[Any] = []
        self._entities: list[str] = []
        self._reads = 0
        self.title = QLabel()
        self.title.setObjectName("PageTitle")

        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(250)
        self._typing.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._typing.start())
        self.account_box = QComboBox()
        self.entity_box = QComboBox()
        self.action_box = QComboBox()
        self.outcome_box = QComboBox()
        for box in (self.account_box, self.entity_box, self.action_box, self.outcome_box):
            box.currentIndexChanged.connect(lambda _i: self.refresh())
        today = QDate.currentDate()
        self.since_check, self.since_edit = QCheckBox(), QDateEdit(today.addDays(-30))
        self.until_check, self.until_edit = QCheckBox(), QDateEdit(today)
        for check, edit in (
            (self.since_check, self.since_edit),
            (self.until_check, self.until_edit),
        ):
            edit.setCalendarPopup(True)
            edit.setEnabled(False)
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(lambda _on: self.refresh())
            edit.dateChanged.connect(lambda _d: self.refresh())

        self.model = AuditModel(parent=self)
        self.view = table_view(self.model, "AuditTable")
        apply_widths(self.view, self.model.COLUMNS)
        install_cell_delegate(self.view)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.view.doubleClicked.connect(lambda _i: self.open_record())
        self.count_label = QLabel()
        self.count_label.setObjectName("Muted")
        self.open_button = QPushButton(icon("details"), "")
        self.open_button.clicked.connect(self.open_record)
        self.csv_button = QPushButton(icon("export"), "")
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.json_button = QPushButton(icon("export"), "")
        self.json_button.clicked.connect(lambda: self.export("json"))

        criteria = QHBoxLayout()
        criteria.addWidget(self.search, 2)
        for box in (self.account_box, self.entity_box, self.action_box, self.outcome_box):
            criteria.addWidget(box, 1)
        dates = QHBoxLayout()
        for widget in (self.since_check, self.since_edit, self.until_check, self.until_edit):
            dates.addWidget(widget)
        dates.addStretch(1)
        actions = QHBoxLayout()
        actions.addWidget(self.count_label, 1)
        for button in (self.open_button, self.csv_button, self.json_button):
            actions.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(criteria)
        layout.addLayout(dates)
        layout.addWidget(self.view, 1)
        layout.addLayout(actions)

        context.profile_changed.connect(lambda _p: self.refresh())
        context.scope_changed.connect(lambda _a: self.refresh())
        self.retranslate()
        self.refresh()

    # ------------------------------------------------------------------ texts

    def retranslate(self) -> None:
        self.title.setText(self.tr("Audit log"))
        self.search.setPlaceholderText(self.tr("Search records, fields, values, messages…"))
        self.search.setAccessibleName(self.tr("Search the audit log"))
        self.account_box.setAccessibleName(self.tr("Account"))
        self.entity_box.setAccessibleName(self.tr("Entity"))
        self.action_box.setAccessibleName(self.tr("Action"))
        self.outcome_box.setAccessibleName(self.tr("Outcome"))
        self.since_check.setText(self.tr("From"))
        self.until_check.setText(self.tr("To"))
        self.since_edit.setAccessibleName(self.tr("From date"))
        self.until_edit.setAccessibleName(self.tr("To date"))
        self.view.setAccessibleName(self.tr("Audit log"))
        self.open_button.setText(self.tr("Open record"))
        self.csv_button.setText(self.tr("Export CSV…"))
        self.json_button.setText(self.tr("Export JSON…"))
        self._fill_choices()
        self._render()  # resets the model: the headers are retitled too

    def _fill_choices(self) -> None:
        """The filter boxes' choices (kept selection), in the current language."""
        self._set_choices(
            self.account_box,
            self.tr("Any account"),
            [(a.user_id, a.label) for a in self.known],
        )
        entities = sorted({e.entity for e in self.entries} | set(self._entities))
        self._set_choices(
            self.entity_box, self.tr("Any entity"), [(e, entity_label(e)) for e in entities]
        )
        self._set_choices(
            self.action_box, self.tr("Any action"), [(a, action_label(a)) for a in ACTIONS]
        )
        self._set_choices(
            self.outcome_box, self.tr("Any outcome"), [(o, outcome_label(o)) for o in OUTCOMES]
        )

    @staticmethod
    def _set_choices(box: QComboBox, any_text: str, choices: list[tuple[str, str]]) -> None:
        current = box.currentData()
        box.blockSignals(True)
        box.clear()
        box.addItem(any_text, ANY)
        for value, text in choices:
            box.addItem(text, value)
        found = box.findData(current) if current else 0
        box.setCurrentIndex(max(0, found))
        box.blockSignals(False)

    # ------------------------------------------------------------------ reading

    def filters(self) -> AuditFilters:
        def chosen(box: QComboBox) -> str | None:
            return box.currentData() or None

        since = until = None
        if self.since_check.isChecked():
            day = self.since_edit.date().toPython()
            since = datetime.combine(day, time(), tzinfo=UTC)
        if self.until_check.isChecked():
            day = self.until_edit.date().toPython()
            until = datetime.combine(day, time(), tzinfo=UTC) + timedelta(days=1)
        return AuditFilters(
            account=chosen(self.account_box),
            entity=chosen(self.entity_box),
            action=chosen(self.action_box),
            outcome=chosen(self.outcome_box),
            since=since,
            until=until,
            search=self.search.text().strip() or None,
        )

    def is_loading(self) -> bool:
        return self.task is not None and self.task.running

    def refresh(self) -> None:
        store, profile = self.context.store, self.context.profile_name
        self._reads += 1
        generation = self._reads
        if store is None or profile is None:
            self._read(generation, ([], [], []))
            return
        self.task = run_task(
            read_audit,
            store,
            profile,
            self.filters(),
            on_done=lambda result: self._read(generation, result),
            on_error=lambda exc: self.context.report_error(exc, parent=self),
            parent=self,
            name="audit log",
        )

    def _read(self, generation: int, result: tuple[list[AuditEntry], list[Any], list[str]]) -> None:
        if generation != self._reads:
            return
        self.entries, self.known, self._entities = result
        self._export_note = None
        self._fill_choices()
        self._render()

    def _render(self) -> None:
        """The events, the count (or the last export's message) in the current language; the
        selected events stay selected."""
        selection = self.view.selectionModel()
        chosen = [self.model.record_id(index.row()) for index in selection.selectedRows()]
        names = {a.user_id: a.label for a in self.known}
        self.model.set_entries(self.entries, names)
        fit_columns(self.view)
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for pk in chosen:
            row = self.model.row_of(pk) if pk is not None else -1
            if row >= 0:
                selection.select(self.model.index(row, 0), flags)
        self.count_label.setText(self._count_text())
        self._update_buttons()

    def _count_text(self) -> str:
        if self._export_note is not None:
            count, file = self._export_note
            return self.tr("Exported %n event(s) to {file}.", "", count).format(file=file)
        count = len(self.entries)
        text = self.tr("%n event(s)", "", count)
        if count >= LIMIT:
            text += " " + self.tr("(the newest; narrow the filters to see older ones)")
        return text

    def _update_buttons(self) -> None:
        entry = self.selected_entry()
        openable = entry is not None and entry.entity in PAGE_OF and bool(entry.record_id)
        self.open_button.setEnabled(openable)
        self.open_button.setToolTip(
            "" if openable else self.tr("Select an event about a record to open it.")
        )
        for button in (self.csv_button, self.json_button):
            button.setEnabled(bool(self.entries))

    # ------------------------------------------------------------------ actions

    def selected_entry(self) -> AuditEntry | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.entry_at(rows[0].row()) if rows else None

    def open_record(self) -> Any:
        """Show the selected event's record on its page, selected."""
        entry = self.selected_entry()
        if entry is None or entry.entity not in PAGE_OF or not entry.record_id:
            return None
        open_page = getattr(self.window(), "open_page", None)
        if not callable(open_page):
            return None
        page = open_page(PAGE_OF[entry.entity])
        browser = getattr(page, "browser", None)
        if browser is None and entry.entity == "credit_transactions":
            browser = getattr(page, "transactions", None)  # the Credits page's first tab
            page.tabs.setCurrentWidget(browser)
        if browser is not None:
            browser.reveal([entry.record_id])
        return page

    def export(self, kind: str, path: Path | str | None = None) -> TaskHandle | None:
        """Write the events shown to CSV or JSON (asking where when no `path` is given)."""
        if not self.entries:
            return None
        if path is None:
            default = Path.home() / f"audit-{datetime.now():%Y-%m-%d}.{kind}"
            chosen, _filter = QFileDialog.getSaveFileName(
                self,
                self.tr("Export the audit log"),
                str(default),
                self.tr("CSV files (*.csv)") if kind == "csv" else self.tr("JSON files (*.json)"),
            )
            if not chosen:
                return None
            path = chosen
        target = Path(path)
        entries = list(self.entries)
        return run_task(
            export_entries,
            entries,
            target,
            format=kind,
            on_done=lambda count: self._exported(count, target),
            on_error=lambda exc: self.context.report_error(exc, parent=self),
            parent=self,
            name="export the audit log",
        )

    def _exported(self, count: int, target: Path) -> None:
        self._export_note = (count, str(target))
        self.count_label.setText(self._count_text())
        self.exported.emit(target)

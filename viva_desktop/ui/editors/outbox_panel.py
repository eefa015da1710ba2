"""The outbox panel of the Sync page: the changes waiting to be sent, what the server refused
(retry or discard) and the conflicts, which open side by side. Creates the server could not
perform wait in it as "could not be created" with the server's message and what it likely
means, to retry, edit, copy as text or discard."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from viva_desktop.services.local.outbox import (
    CreateFailure,
    EntryState,
    Op,
    Outbox,
    OutboxEntry,
    ReplayReport,
    copy_text,
)
from viva_desktop.ui.browser.cells import install_cell_delegate
from viva_desktop.ui.browser.columns import apply_widths, fit_columns
from viva_desktop.ui.common.changes import data_changes_of
from viva_desktop.ui.common.icons import icon
from viva_desktop.ui.common.worker import TaskHandle, run_task
from viva_desktop.ui.dialogs.conflict import ConflictDialog, entity_label, record_title
from viva_desktop.ui.editors.failed_edit import FailedCreateDialog
from viva_desktop.ui.editors.queue import outbox_of, runner_of
from viva_desktop.ui.models import OutboxModel

OPEN_OR_STUCK = (EntryState.PENDING, EntryState.IN_FLIGHT, EntryState.CONFLICT, EntryState.FAILED)


Others = list[tuple[str, int, list[OutboxEntry]]]


def read_others(outbox: Outbox, with_entries: bool) -> Others:
    """(how to name the account, how many changes wait, those entries) for every other
    account with changes queued on this profile; the entries only for a team store, where
    teammates see each other's queues read-only (worker thread)."""
    from viva_desktop.services.local.store import accounts

    counts = outbox.queued_by_others()
    if not counts:
        return []
    names = accounts.labels(outbox.store, outbox.profile)
    others: Others = []
    for account, count in counts.items():
        entries = outbox.entries_of(account, OPEN_OR_STUCK) if with_entries else []
        theirs = [e for e in entries if e.account == account]
        others.append((names.get(account, account), count, theirs))
    return others


def read_entries(outbox: Outbox, include_done: bool) -> list[OutboxEntry]:
    """What waits or needs attention; with `include_done`, the last 500 entries of any state."""
    entries = outbox.entries(None if include_done else OPEN_OR_STUCK)
    return entries[-500:] if include_done else entries


def table_view(model: Any, name: str) -> QTableView:
    """A read-only list of whole rows, as the Sync page shows them."""
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setSortingEnabled(False)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    apply_widths(view, model.COLUMNS)
    install_cell_delegate(view)  # "—" for empty cells, full text as a tooltip when cut
    return view


class OutboxPanel(QGroupBox):
    """Lists the queued changes and acts on the selected ones. `open_dialog` opens a dialog
    the way the hosting page opens its dialogs; `busy` says whether the page is syncing (no
    separate sending meanwhile)."""

    def __init__(
        self,
        context: Any,
        open_dialog: Callable[[QDialog], Any],
        busy: Callable[[], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("OutboxPanel")
        self.context = context
        self._open_dialog = open_dialog
        self._busy = busy
        self.runner = runner_of(context)
        self.outbox_task: TaskHandle | None = None
        self._outbox_reads = 0
        self.entries: list[OutboxEntry] = []

        self.replay_button = QPushButton(icon("send"), "")
        self.replay_button.clicked.connect(self.replay_now)
        self.resolve_button = QPushButton(icon("conflict"), "")
        self.resolve_button.clicked.connect(self.resolve_selected)
        self.retry_button = QPushButton(icon("refresh"), "")
        self.retry_button.clicked.connect(self.retry_selected)
        self.discard_button = QPushButton(icon("remove"), "")
        self.discard_button.clicked.connect(self.discard_selected)
        self.edit_button = QPushButton(icon("edit"), "")
        self.edit_button.clicked.connect(self.edit_selected)
        self.copy_button = QPushButton(icon("copy"), "")
        self.copy_button.clicked.connect(self.copy_selected)
        self.show_done = QCheckBox()
        self.show_done.toggled.connect(lambda _c: self.load_outbox())
        self.outbox_summary = QLabel()
        self.outbox_summary.setWordWrap(True)
        # Other accounts' changes: named, never shown as this account's, never sent as it.
        self.others_note = QLabel()
        self.others_note.setObjectName("Muted")
        self.others_note.setWordWrap(True)
        self.others_note.hide()
        self.teammates = QListWidget()  # a team store: each teammate's queue, read-only
        self.teammates.setObjectName("TeammatesQueue")
        self.teammates.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.teammates.setMaximumHeight(120)
        self.teammates.hide()
        self.others: Others = []
        self.outbox_model = OutboxModel(parent=self)
        self.outbox_model.tooltip = self._entry_tooltip
        self.outbox_model.decorate = self._entry_icon
        self.outbox_view = table_view(self.outbox_model, "OutboxTable")
        self.outbox_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.outbox_view.selectionModel().selectionChanged.connect(
            lambda *_: self.update_controls()
        )
        self.outbox_view.doubleClicked.connect(lambda _i: self.resolve_selected())
        actions = QHBoxLayout()
        for widget in (
            self.replay_button,
            self.resolve_button,
            self.retry_button,
            self.edit_button,
            self.copy_button,
            self.discard_button,
        ):
            actions.addWidget(widget)
        actions.addStretch(1)
        # The switch sits with the summary: the row of actions stays narrow enough for a
        # laptop window in every language.
        heading = QHBoxLayout()
        heading.addWidget(self.outbox_summary, 1)
        heading.addWidget(self.show_done)
        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addWidget(self.outbox_view, 1)
        layout.addWidget(self.others_note)
        layout.addWidget(self.teammates)
        layout.addLayout(actions)

        context.outbox_changed.connect(lambda _n: self.load_outbox())
        context.scope_changed.connect(lambda _account: self.load_outbox())
        self.runner.started.connect(self._replay_started)
        self.runner.finished.connect(self._replayed)
        self.runner.failed.connect(lambda _exc: self.load_outbox())

    def retranslate(self) -> None:
        self.setTitle(self.tr("Changes waiting to be sent"))
        self.replay_button.setText(self.tr("Send now"))
        self.resolve_button.setText(self.tr("Resolve conflict…"))
        self.retry_button.setText(self.tr("Retry"))
        self.discard_button.setText(self.tr("Discard…"))
        self.edit_button.setText(self.tr("Edit…"))
        self.edit_button.setToolTip(self.tr("Change a new record the server could not create"))
        self.copy_button.setText(self.tr("Copy as text"))
        self.copy_button.setToolTip(self.tr("Copy what the selected changes send, as text"))
        self.show_done.setText(self.tr("Show sent changes too"))
        for button in (
            self.replay_button,
            self.resolve_button,
            self.retry_button,
            self.edit_button,
            self.copy_button,
            self.discard_button,
        ):
            button.setAccessibleName(button.text().rstrip("…"))
        self.teammates.setAccessibleName(self.tr("Changes queued by other accounts"))
        self._render_entries()
        self._render_others()

    # ------------------------------------------------------------------ reading

    @property
    def outbox(self) -> Outbox | None:
        return outbox_of(self.context)

    def is_loading(self) -> bool:
        return self.outbox_task is not None and self.outbox_task.running

    def load_outbox(self) -> None:
        outbox = self.outbox
        if outbox is None:
            self.entries = []
            self.others = []
            self._render_entries()
            self._render_others()
            return
        team = outbox.store.backend == "postgresql"
        reads = self._outbox_reads + 1
        run_task(
            read_others,
            outbox,
            team,
            on_done=lambda others: self._others_read(reads, others),
            on_error=lambda exc: self.context.report_error(exc, parent=self),
            parent=self,
            name="outbox of other accounts",
        )
        self._outbox_reads += 1
        generation = self._outbox_reads
        self.outbox_task = run_task(
            read_entries,
            outbox,
            self.show_done.isChecked(),
            on_done=lambda entries: self._entries_read(generation, entries),
            on_error=lambda exc: self.context.report_error(exc, parent=self),
            parent=self,
            name="outbox entries",
        )

    def _entries_read(self, generation: int, entries: list[OutboxEntry]) -> None:
        if generation != self._outbox_reads:
            return
        self.entries = entries
        self._render_entries()
        self.update_controls()

    def _others_read(self, generation: int, others: Others) -> None:
        if generation != self._outbox_reads:
            return
        self.others = others
        self._render_others()

    def _render_others(self) -> None:
        notes = [
            self.tr(
                "%n change(s) queued by {account}: sent when that account signs in here.",
                "",
                count,
            ).format(account=account)
            for account, count, _entries in self.others
        ]
        self.others_note.setText("\n".join(notes))
        self.others_note.setVisible(bool(notes))
        self.teammates.clear()
        for account, _count, entries in self.others:
            for entry in entries:
                self.teammates.addItem(
                    f"{account}: {self.entry_summary(entry)} — {self.state_label(entry)}"
                )
        self.teammates.setVisible(self.teammates.count() > 0)

    # ------------------------------------------------------------------ showing

    def entry_summary(self, entry: OutboxEntry) -> str:
        verbs = {
            "create": self.tr("New"),
            "update": self.tr("Edit"),
            "delete": self.tr("Delete"),
            "grant": self.tr("Grant"),
            "vote": self.tr("Vote"),
        }
        what = entity_label(entry.entity)
        if entry.op == "grant":
            return self.tr("Grant {amount} credits").format(amount=entry.payload.get("amount"))
        if entry.op == "vote":
            return self.tr("Vote {decision}: {case}").format(
                decision=entry.payload.get("decision"), case=record_title(entry)
            )
        text = f"{verbs.get(entry.op, entry.op)} · {what}: {record_title(entry)}"
        if entry.op == "update":
            text += f" ({', '.join(entry.fields)})"
        return text

    def state_label(self, entry: OutboxEntry) -> str:
        if entry.state == EntryState.FAILED and CreateFailure.from_result(entry.result):
            return self.tr("Could not be created")
        return {
            EntryState.PENDING: self.tr("Waiting"),
            EntryState.IN_FLIGHT: self.tr("Sending"),
            EntryState.DONE: self.tr("Sent"),
            EntryState.CONFLICT: self.tr("Conflict: your decision"),
            EntryState.FAILED: self.tr("Refused"),
        }.get(entry.state, entry.state)

    def _render_entries(self) -> None:
        records = [
            {
                "seq": entry.seq,
                "summary": self.entry_summary(entry),
                "state": entry.state,
                "state_label": self.state_label(entry),
                "attempts": entry.attempts,
                "last_error": entry.last_error or "",
                "created_at": entry.created_at,
            }
            for entry in self.entries
        ]
        self.outbox_model.set_records(records)
        fit_columns(self.outbox_view)
        counts = {state: 0 for state in EntryState}
        for entry in self.entries:
            counts[EntryState(entry.state)] += 1
        waiting = counts[EntryState.PENDING] + counts[EntryState.IN_FLIGHT]
        parts = [self.tr("%n waiting", "", waiting)]
        if counts[EntryState.CONFLICT]:
            parts.append(self.tr("%n conflict(s)", "", counts[EntryState.CONFLICT]))
        if counts[EntryState.FAILED]:
            parts.append(self.tr("%n refused", "", counts[EntryState.FAILED]))
        self.outbox_summary.setText(" · ".join(parts))

    def _entry_tooltip(self, record: dict[str, Any]) -> str | None:
        entry = self._entry(record.get("seq"))
        if entry is None:
            return None
        lines = [record["summary"]]
        failure = CreateFailure.from_result(entry.result)
        if failure is not None:
            lines.append(
                self.tr("The server answered: {answer}").format(
                    answer=f"{failure.status or ''} {failure.message or ''}".strip()
                )
            )
            lines.append(failure.meaning)
        elif entry.last_error:
            lines.append(entry.last_error)
        if entry.state == EntryState.CONFLICT:
            lines.append(self.tr("Double-click to compare and decide."))
        return "\n".join(lines)

    def _entry_icon(self, record: dict[str, Any]) -> Any:
        names = {
            EntryState.CONFLICT: "conflict",
            EntryState.FAILED: "error",
            EntryState.PENDING: "pending",
            EntryState.IN_FLIGHT: "send",
            EntryState.DONE: "approve",
        }
        name = names.get(record.get("state"))
        return icon(name) if name else None

    # ------------------------------------------------------------------ selection

    def _entry(self, seq: Any) -> OutboxEntry | None:
        return next((e for e in self.entries if e.seq == seq), None)

    def selected_entries(self) -> list[OutboxEntry]:
        found = []
        for index in sorted(
            self.outbox_view.selectionModel().selectedRows(), key=lambda i: i.row()
        ):
            seq = self.outbox_model.record_id(index.row())
            entry = self._entry(int(seq)) if seq is not None else None
            if entry is not None:
                found.append(entry)
        return found

    def select_entry(self, seq: int) -> None:
        row = self.outbox_model.row_of(str(seq))
        if row >= 0:
            self.outbox_view.selectRow(row)

    # ------------------------------------------------------------------ actions

    def replay_now(self) -> TaskHandle | None:
        return self.runner.replay()

    def _replay_started(self, _task: TaskHandle) -> None:
        self.outbox_summary.setText(self.tr("Sending the queued changes…"))
        self.update_controls()

    def _replayed(self, report: ReplayReport) -> None:
        self.outbox_summary.setText(self.replay_text(report))
        self.load_outbox()
        self.update_controls()

    def replay_text(self, report: ReplayReport) -> str:
        text = self.tr("%n change(s) sent.", "", len(report.sent))
        if report.conflicts:
            text += " " + self.tr("%n conflict(s) need your decision.", "", len(report.conflicts))
        if report.failed:
            text += " " + self.tr("%n refused by the server.", "", len(report.failed))
        if report.stopped_by is not None:
            text += " " + self.tr("Stopped: {reason}; the rest waits.").format(
                reason=report.stopped_by.user_message
            )
        return text

    def resolve_selected(self) -> ConflictDialog | None:
        entries = self.selected_entries()
        outbox = self.outbox
        if len(entries) != 1 or entries[0].state != EntryState.CONFLICT or outbox is None:
            return None
        dialog = ConflictDialog(outbox, entries[0], self)
        dialog.resolved.connect(self._resolved)
        return self._open_dialog(dialog)

    def _resolved(self, entry: OutboxEntry) -> None:
        data_changes_of(self.context).notify(entry.entity)
        self.context.refresh_outbox_count()
        self.load_outbox()
        if entry.state == EntryState.PENDING:
            self.runner.replay()  # "keep mine": send it on top of the server's version

    def retry_selected(self) -> TaskHandle | None:
        outbox = self.outbox
        entries = [e for e in self.selected_entries() if e.state == EntryState.FAILED]
        if outbox is None or not entries:
            return None

        return self._change_each(outbox.retry, entries, "retry queued changes", replay=True)

    def discard_selected(self, *, confirm: bool = True) -> TaskHandle | None:
        outbox = self.outbox
        entries = [e for e in self.selected_entries() if e.state != EntryState.DONE]
        if outbox is None or not entries:
            return None
        if confirm:
            answer = QMessageBox.question(
                self,
                self.tr("Discard changes"),
                self.tr(
                    "Discard %n queued change(s)? The server's version is put back in the "
                    "local copy; this cannot be undone.",
                    "",
                    len(entries),
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return None

        return self._change_each(outbox.discard, entries, "discard queued changes")

    def _change_each(
        self,
        change: Callable[[int], object],
        entries: list[OutboxEntry],
        name: str,
        *,
        replay: bool = False,
    ) -> TaskHandle:
        """`change` each entry (by its sequence number) on a worker, then refresh the views."""

        def change_all() -> None:
            for entry in entries:
                change(entry.seq)

        return run_task(
            change_all,
            on_done=lambda _r: self._after_change(entries, replay=replay),
            on_error=lambda exc: self.context.report_error(exc, parent=self),
            parent=self,
            name=name,
        )

    def copy_selected(self) -> str:
        """Put what the selected entries send on the clipboard (to keep it elsewhere)."""
        text = "\n\n".join(copy_text(e) for e in self.selected_entries())
        if text:
            QApplication.clipboard().setText(text)
            self.outbox_summary.setText(self.tr("Copied to the clipboard."))
        return text

    def edit_selected(self) -> FailedCreateDialog | None:
        entries = self.selected_entries()
        outbox = self.outbox
        if len(entries) != 1 or not _failed_create(entries[0]) or outbox is None:
            return None
        dialog = FailedCreateDialog(entries[0], self)
        dialog.accepted.connect(lambda: self._edited(outbox, entries[0], dialog.changes()))
        return self._open_dialog(dialog)

    def _edited(self, outbox: Outbox, entry: OutboxEntry, changes: dict[str, Any]) -> None:
        run_task(
            outbox.edit_failed,
            entry.seq,
            changes,
            on_done=lambda _e: self._after_change([entry], replay=True),
            on_error=lambda exc: self.context.report_error(exc, parent=self),
            parent=self,
            name="edit a failed create",
        )

    def _after_change(self, entries: list[OutboxEntry], *, replay: bool = False) -> None:
        data_changes_of(self.context).notify(*sorted({e.entity for e in entries}))
        self.context.refresh_outbox_count()
        self.load_outbox()
        if replay:
            self.runner.replay()

    # ------------------------------------------------------------------ controls

    def update_controls(self) -> None:
        chosen = self.selected_entries()
        replaying = self.runner.running
        can_send = self.runner.can_replay
        waiting = any(e.state == EntryState.PENDING for e in self.entries)
        self.replay_button.setEnabled(can_send and waiting and not replaying and not self._busy())
        self.replay_button.setToolTip(
            "" if can_send else self.tr("Sign in to the server to send the queued changes.")
        )
        self.resolve_button.setEnabled(len(chosen) == 1 and chosen[0].state == EntryState.CONFLICT)
        self.retry_button.setEnabled(
            bool(chosen) and all(e.state == EntryState.FAILED for e in chosen)
        )
        self.discard_button.setEnabled(
            bool(chosen)
            and all(e.state not in (EntryState.DONE, EntryState.IN_FLIGHT) for e in chosen)
        )
        self.edit_button.setEnabled(len(chosen) == 1 and _failed_create(chosen[0]))
        self.copy_button.setEnabled(bool(chosen))


def _failed_create(entry: OutboxEntry) -> bool:
    return entry.state == EntryState.FAILED and entry.op == Op.CREATE

"""Sync: bring the local copy up to date, and see and settle what waits to be sent.

"Synchronise now" first sends the queued changes (so the download shows them settled), then
pulls every entity page by page with live progress (pages, records, rate, time left); it can be
cancelled at any time and the next run resumes where it stopped. The outbox lists what waits,
what the server refused (retry or discard) and the conflicts, which open side by side.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from viva_desktop.services.local.outbox import (
    EntryState,
    Outbox,
    OutboxEntry,
    ReplayProgress,
    ReplayReport,
)
from viva_desktop.services.local.store import Store, SyncStatus
from viva_desktop.services.local.sync import ENTITIES, SyncEngine, SyncProgress, SyncReport
from viva_desktop.services.remote.api.errors import AuthExpired
from viva_desktop.ui.browser.cells import install_cell_delegate
from viva_desktop.ui.browser.columns import apply_widths, fit_columns
from viva_desktop.ui.common.changes import data_changes_of
from viva_desktop.ui.common.formatting import age_text, duration_text
from viva_desktop.ui.common.icons import icon
from viva_desktop.ui.common.layouts import vertical_split
from viva_desktop.ui.common.worker import TaskHandle, run_task
from viva_desktop.ui.dialogs.conflict import ConflictDialog, entity_label, record_title
from viva_desktop.ui.editors.queue import outbox_of, replay_outbox, runner_of
from viva_desktop.ui.models import OutboxModel, SyncStatesModel
from viva_desktop.ui.pages.browser_page import DialogHost

SHOWN_ENTITIES = (*ENTITIES, "users")


@dataclass
class SyncOutcome:
    replay: ReplayReport | None
    report: SyncReport


def synchronise(
    api: Any,
    store: Store,
    profile: str,
    outbox: Outbox | None,
    full: bool = False,
    progress: Any = None,
    cancel: Any = None,
) -> SyncOutcome:
    """Send what waits, then pull everything (worker thread). A replay that meets a server
    problem leaves the rest queued; the download still runs."""
    replay = None
    if outbox is not None and outbox.count():
        replay = replay_outbox(outbox, api, progress, cancel)
    engine = SyncEngine(api, store, profile)
    options: dict[str, Any] = {"full": full}
    if progress is not None:
        options["progress"] = progress
    if cancel is not None:
        options["cancel"] = cancel
    return SyncOutcome(replay, engine.run(ENTITIES, **options))


def read_overview(store: Store, profile: str) -> list[dict[str, Any]]:
    """One row per entity: the last run's state, and how old and large the local copy is."""
    states = {s.entity: s for s in store.sync_states(profile)}
    rows = []
    for entity in SHOWN_ENTITIES:
        state = states.get(entity)
        age = store.data_age(entity, profile)
        rows.append(
            {
                "entity": entity,
                "status": state.status if state else None,
                "pages": state.pages if state else None,
                "items": age.count,
                "run_items": state.items if state else None,
                "total": state.total if state else None,
                "last_complete_at": (state.last_complete_at if state else None) or age.newest,
                "last_error": state.last_error if state else None,
                "resumable": bool(state and state.resumable),
            }
        )
    return rows


OPEN_OR_STUCK = (EntryState.PENDING, EntryState.IN_FLIGHT, EntryState.CONFLICT, EntryState.FAILED)


def read_entries(outbox: Outbox, include_done: bool) -> list[OutboxEntry]:
    """What waits or needs attention; with `include_done`, the last 500 entries of any state."""
    entries = outbox.entries(None if include_done else OPEN_OR_STUCK)
    return entries[-500:] if include_done else entries


class SyncPage(DialogHost):
    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("SyncPage")
        self.sync_task: TaskHandle | None = None
        self.outbox_task: TaskHandle | None = None
        self.overview_task: TaskHandle | None = None
        self._overview_reads = 0
        self._outbox_reads = 0
        self.live: dict[str, SyncProgress] = {}
        self.replaying: ReplayProgress | None = None
        self.overview: list[dict[str, Any]] = []
        self.entries: list[OutboxEntry] = []
        self.last_outcome: SyncOutcome | None = None
        self.runner = runner_of(context)

        self.title = QLabel()
        self.title.setObjectName("PageTitle")
        self.banner = QLabel()
        self.banner.setObjectName("Banner")
        self.banner.setWordWrap(True)
        self.banner.hide()

        # --- download
        self.sync_button = QPushButton(icon("sync"), "")
        self.sync_button.clicked.connect(self.start_sync)
        self.cancel_button = QPushButton(icon("cancel"), "")
        self.cancel_button.clicked.connect(self.cancel_sync)
        self.full_box = QCheckBox()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.states = SyncStatesModel(parent=self)
        self.states_view = self._table(self.states, "SyncStatesTable")
        controls = QHBoxLayout()
        controls.addWidget(self.sync_button)
        controls.addWidget(self.cancel_button)
        controls.addWidget(self.full_box)
        controls.addStretch(1)
        self.download = QGroupBox()
        download = QVBoxLayout(self.download)
        download.addLayout(controls)
        download.addWidget(self.summary)
        download.addWidget(self.states_view, 1)

        # --- outbox
        self.replay_button = QPushButton(icon("send"), "")
        self.replay_button.clicked.connect(self.replay_now)
        self.resolve_button = QPushButton(icon("conflict"), "")
        self.resolve_button.clicked.connect(self.resolve_selected)
        self.retry_button = QPushButton(icon("refresh"), "")
        self.retry_button.clicked.connect(self.retry_selected)
        self.discard_button = QPushButton(icon("remove"), "")
        self.discard_button.clicked.connect(self.discard_selected)
        self.show_done = QCheckBox()
        self.show_done.toggled.connect(lambda _c: self.load_outbox())
        self.outbox_summary = QLabel()
        self.outbox_summary.setWordWrap(True)
        self.outbox_model = OutboxModel(parent=self)
        self.outbox_model.tooltip = self._entry_tooltip
        self.outbox_model.decorate = self._entry_icon
        self.outbox_view = self._table(self.outbox_model, "OutboxTable")
        self.outbox_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.outbox_view.selectionModel().selectionChanged.connect(lambda *_: self._update())
        self.outbox_view.doubleClicked.connect(lambda _i: self.resolve_selected())
        actions = QHBoxLayout()
        for widget in (
            self.replay_button,
            self.resolve_button,
            self.retry_button,
            self.discard_button,
        ):
            actions.addWidget(widget)
        actions.addStretch(1)
        actions.addWidget(self.show_done)
        self.queue = QGroupBox()
        queue = QVBoxLayout(self.queue)
        queue.addWidget(self.outbox_summary)
        queue.addWidget(self.outbox_view, 1)
        queue.addLayout(actions)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.banner)
        layout.addWidget(vertical_split(self.download, self.queue), 1)

        context.online_changed.connect(lambda _o: self._update())
        context.offline_mode_changed.connect(lambda _o: self._update())
        context.session_changed.connect(lambda _i: self._update())
        context.profile_changed.connect(lambda _p: self.refresh())
        context.outbox_changed.connect(lambda _n: self.load_outbox())
        self.runner.started.connect(self._replay_started)
        self.runner.finished.connect(self._replayed)
        self.runner.failed.connect(lambda _exc: self.load_outbox())
        self.retranslate()
        self.refresh()

    def _table(self, model: Any, name: str) -> QTableView:
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

    # ------------------------------------------------------------------ state

    @property
    def syncing(self) -> bool:
        return self.sync_task is not None and self.sync_task.running

    @property
    def can_sync(self) -> bool:
        context = self.context
        return (
            context.store is not None
            and context.profile_name is not None
            and context.api is not None
            and not context.offline_mode
        )

    def is_loading(self) -> bool:
        return any(t is not None and t.running for t in (self.outbox_task, self.overview_task))

    def refresh(self) -> None:
        self.load_overview()
        self.load_outbox()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Sync"))
        self.download.setTitle(self.tr("Local copy"))
        self.queue.setTitle(self.tr("Changes waiting to be sent"))
        self.sync_button.setText(self.tr("Synchronise now"))
        self.sync_button.setToolTip(
            self.tr("Send the queued changes, then download everything that changed.")
        )
        self.cancel_button.setText(self.tr("Cancel"))
        self.full_box.setText(self.tr("Full pass (check every record again)"))
        self.full_box.setToolTip(
            self.tr(
                "Also finds records deleted on the server. Otherwise posts and transactions "
                "are downloaded incrementally between the daily full passes."
            )
        )
        self.replay_button.setText(self.tr("Send now"))
        self.resolve_button.setText(self.tr("Resolve conflict…"))
        self.retry_button.setText(self.tr("Retry"))
        self.discard_button.setText(self.tr("Discard…"))
        self.show_done.setText(self.tr("Show sent changes too"))
        self._render_states()
        self._render_entries()
        self._update()

    # ------------------------------------------------------------------ download

    def start_sync(self) -> TaskHandle | None:
        if self.syncing or not self.can_sync:
            return self.sync_task
        context = self.context
        self.live.clear()
        self.replaying = None
        self.sync_task = run_task(
            synchronise,
            context.api,
            context.store,
            context.profile_name,
            outbox_of(context),
            self.full_box.isChecked(),
            on_done=self._synced,
            on_error=self._sync_failed,
            on_progress=self._progress,
            on_cancelled=self._sync_cancelled,
            parent=self,
            name="synchronise",
        )
        self.summary.setText(self.tr("Starting…"))
        self._update()
        return self.sync_task

    def cancel_sync(self) -> None:
        if self.syncing and self.sync_task is not None:
            self.sync_task.cancel()
            self.summary.setText(self.tr("Cancelling after the current page…"))
            self.cancel_button.setEnabled(False)

    def _progress(self, value: Any) -> None:
        if isinstance(value, ReplayProgress):
            self.replaying = value
            self.summary.setText(
                self.tr("Sending queued changes: {done} of {total}").format(
                    done=value.done, total=value.total
                )
            )
            return
        if not isinstance(value, SyncProgress):
            return
        previous = next(reversed(self.live), None) if self.live else None
        self.live[value.entity] = value
        if previous is not None and previous != value.entity:
            self.load_overview()  # the previous entity finished: show its stored state
        text = self.tr("Downloading {entity}: {pages} page(s), {items} record(s)").format(
            entity=entity_label(value.entity), pages=value.pages, items=f"{value.items:,}"
        )
        if value.rate:
            text += " · " + self.tr("{rate} records/s").format(rate=f"{value.rate:,.0f}")
        if value.eta_s is not None and not value.done:
            text += " · " + self.tr("{time} left").format(time=duration_text(value.eta_s))
        self.summary.setText(text)
        self._render_states()

    def _synced(self, outcome: SyncOutcome) -> None:
        self.sync_task = None
        self.last_outcome = outcome
        report = outcome.report
        items = sum(r.items for r in report.results.values())
        if report.ok:
            text = self.tr("Up to date: %n record(s) downloaded.", "", items)
        else:
            failed = ", ".join(entity_label(e) for e in report.failed)
            text = self.tr("Downloaded %n record(s); not complete: {entities}.", "", items).format(
                entities=failed
            )
        if outcome.replay is not None:
            text = self._replay_text(outcome.replay) + " " + text
        self.summary.setText(text)
        self.live.clear()
        data_changes_of(self.context).notify()
        self.context.refresh_data_age()
        self.context.refresh_outbox_count()
        self.refresh()
        self._update()

    def _sync_failed(self, exc: BaseException) -> None:
        self.sync_task = None
        self.live.clear()
        self.summary.setText(
            self.tr("The synchronisation stopped: {reason}").format(
                reason=getattr(exc, "user_message", None) or type(exc).__name__
            )
        )
        data_changes_of(self.context).notify()
        self.refresh()
        self._update()
        if isinstance(exc, AuthExpired):
            self.context.expire_session(exc)
        else:
            self.context.report_error(exc, retry=self.start_sync, parent=self)

    def _sync_cancelled(self) -> None:
        self.sync_task = None
        self.live.clear()
        self.summary.setText(
            self.tr("Cancelled. The next synchronisation continues where this one stopped.")
        )
        data_changes_of(self.context).notify()
        self.refresh()
        self._update()

    def load_overview(self) -> None:
        store, profile = self.context.store, self.context.profile_name
        if store is None or profile is None:
            self.overview = []
            self._render_states()
            return
        self._overview_reads += 1
        generation = self._overview_reads
        self.overview_task = run_task(
            read_overview,
            store,
            profile,
            on_done=lambda rows: self._overview_read(generation, rows),
            on_error=lambda exc: self.context.report_error(exc, parent=self),
            parent=self,
            name="sync overview",
        )

    def _overview_read(self, generation: int, rows: list[dict[str, Any]]) -> None:
        if generation != self._overview_reads:
            return  # an older read, overtaken by a newer one
        self.overview = rows
        self._render_states()

    def _render_states(self) -> None:
        status_labels = {
            SyncStatus.IDLE: self.tr("Not run"),
            SyncStatus.RUNNING: self.tr("Interrupted: resumes next time"),
            SyncStatus.COMPLETE: self.tr("Complete"),
            SyncStatus.CANCELLED: self.tr("Cancelled: resumes next time"),
            SyncStatus.FAILED: self.tr("Failed"),
        }
        records = []
        now = datetime.now(UTC)
        for row in self.overview or [{"entity": e} for e in SHOWN_ENTITIES]:
            entity = row["entity"]
            live = self.live.get(entity)
            record = dict(row)
            record["entity_label"] = entity_label(entity)
            if entity == "users":
                record["status_label"] = self.tr("With communities")
            else:
                record["status_label"] = status_labels.get(row.get("status"), self.tr("Never"))
            if live is not None:
                record["status_label"] = (
                    self.tr("Complete") if live.done else self.tr("Downloading…")
                )
                record["pages"] = live.pages
                record["run_items"] = live.items
                record["rate"] = (
                    self.tr("{rate}/s").format(rate=f"{live.rate:,.0f}") if live.rate else ""
                )
                record["eta"] = duration_text(live.eta_s) if live.eta_s is not None else ""
            when = record.get("last_complete_at")
            record["age"] = age_text(when, now) if when else self.tr("never")
            records.append(record)
        self.states.set_records(records)
        if not self.live:  # not while a sync reports progress: the columns would jitter
            fit_columns(self.states_view)

    # ------------------------------------------------------------------ outbox

    @property
    def outbox(self) -> Outbox | None:
        return outbox_of(self.context)

    def load_outbox(self) -> None:
        outbox = self.outbox
        if outbox is None:
            self.entries = []
            self._render_entries()
            return
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
        self._update()

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
        if entry.last_error:
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

    def replay_now(self) -> TaskHandle | None:
        return self.runner.replay()

    def _replay_started(self, _task: TaskHandle) -> None:
        self.outbox_summary.setText(self.tr("Sending the queued changes…"))
        self._update()

    def _replayed(self, report: ReplayReport) -> None:
        self.outbox_summary.setText(self._replay_text(report))
        self.load_outbox()
        self._update()

    def _replay_text(self, report: ReplayReport) -> str:
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
        return self.open_dialog(dialog)

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

        def retry_all() -> None:
            for entry in entries:
                outbox.retry(entry.seq)

        return run_task(
            retry_all,
            on_done=lambda _r: self._after_change(entries, replay=True),
            on_error=lambda exc: self.context.report_error(exc, parent=self),
            parent=self,
            name="retry queued changes",
        )

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

        def discard_all() -> None:
            for entry in entries:
                outbox.discard(entry.seq)

        return run_task(
            discard_all,
            on_done=lambda _r: self._after_change(entries),
            on_error=lambda exc: self.context.report_error(exc, parent=self),
            parent=self,
            name="discard queued changes",
        )

    def _after_change(self, entries: list[OutboxEntry], *, replay: bool = False) -> None:
        data_changes_of(self.context).notify(*sorted({e.entity for e in entries}))
        self.context.refresh_outbox_count()
        self.load_outbox()
        if replay:
            self.runner.replay()

    # ------------------------------------------------------------------ controls

    def _update(self) -> None:
        context = self.context
        if context.offline_mode or context.api is None:
            self.banner.setText(
                self.tr(
                    "Offline: the local copy cannot be updated and queued changes wait until "
                    "you connect to the server."
                )
            )
            self.banner.show()
        elif context.session_info is None:
            self.banner.setText(
                self.tr(
                    "Not signed in: only public data can be downloaded, and queued changes "
                    "wait until you sign in."
                )
            )
            self.banner.show()
        else:
            self.banner.hide()
        syncing = self.syncing
        self.sync_button.setEnabled(self.can_sync and not syncing)
        self.sync_button.setToolTip(
            "" if self.can_sync else self.tr("Connect to the server to synchronise.")
        )
        self.cancel_button.setEnabled(syncing)
        self.full_box.setEnabled(not syncing)
        chosen = self.selected_entries()
        replaying = self.runner.running
        can_send = self.runner.can_replay
        waiting = any(e.state == EntryState.PENDING for e in self.entries)
        self.replay_button.setEnabled(can_send and waiting and not replaying and not syncing)
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

"""Sync: bring the local copy up to date, and see and settle what waits to be sent.

"Synchronise now" first sends the queued changes (so the download shows them settled), then
pulls every entity page by page with live progress (pages, records, rate, time left); it can be
cancelled at any time and the next run resumes where it stopped. The outbox panel
(`ui/editors/outbox_panel.py`) lists what waits, what the server refused (retry or discard)
and the conflicts, which open side by side.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viva_desktop.services.local.outbox import Outbox, ReplayProgress, ReplayReport
from viva_desktop.services.local.store import Store, SyncStatus
from viva_desktop.services.local.sync import ENTITIES, SyncEngine, SyncProgress, SyncReport
from viva_desktop.services.local.sync import waits as stored_waits
from viva_desktop.services.remote.api.errors import AuthExpired
from viva_desktop.ui.browser.columns import fit_columns
from viva_desktop.ui.common.changes import data_changes_of
from viva_desktop.ui.common.formatting import age_text, clock_text, duration_text
from viva_desktop.ui.common.icons import icon
from viva_desktop.ui.common.layouts import vertical_split
from viva_desktop.ui.common.worker import TaskHandle, run_task
from viva_desktop.ui.dialogs.conflict import entity_label
from viva_desktop.ui.editors.outbox_panel import OutboxPanel, table_view
from viva_desktop.ui.editors.queue import outbox_of, replay_outbox, runner_of
from viva_desktop.ui.editors.sync_waits import SyncWaits
from viva_desktop.ui.models import SyncStatesModel
from viva_desktop.ui.pages.browser_page import DialogHost
from viva_desktop.ui.pages.server_reset_panel import ServerResetPanel

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
    entities: list[str] | None = None,
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
    return SyncOutcome(replay, engine.run(entities or ENTITIES, **options))


def read_overview(store: Store, profile: str, account: str | None = None) -> list[dict[str, Any]]:
    """One row per entity: the last run's state, and how old and large the local copy is
    (a per-caller entity's as `account` synced it)."""
    states = {s.entity: s for s in store.sync_states(profile, account=account)}
    waiting = {w.entity: w.resume_at for w in stored_waits.pending(store, profile)}
    rows = []
    for entity in SHOWN_ENTITIES:
        state = states.get(entity)
        age = store.data_age(entity, profile, account=account)
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
                "resume_at": waiting.get(entity),
            }
        )
    return rows


class SyncPage(DialogHost):
    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("SyncPage")
        self.sync_task: TaskHandle | None = None
        self.overview_task: TaskHandle | None = None
        self._overview_reads = 0
        self.live: dict[str, SyncProgress] = {}
        self.replaying: ReplayProgress | None = None
        self.overview: list[dict[str, Any]] = []
        self.last_outcome: SyncOutcome | None = None
        self.runner = runner_of(context)
        self._full_run = False
        self._waits_cancelled = False  # the user cancelled: stored waits do not resume

        self.title = QLabel()
        self.title.setObjectName("PageTitle")
        self.banner = QLabel()
        self.banner.setObjectName("Banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.reset_panel = ServerResetPanel()
        self.reset_panel.resync_requested.connect(self.full_resync)

        # --- download
        self.sync_button = QPushButton(icon("sync"), "")
        self.sync_button.clicked.connect(self.start_sync)
        self.cancel_button = QPushButton(icon("cancel"), "")
        self.cancel_button.clicked.connect(self.cancel_sync)
        self.full_box = QCheckBox()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        # Rate-limit waits resumed on a timer, and a silent server while a sync runs.
        self.waits = SyncWaits(lambda: getattr(self.context.api, "client", None), self)
        self.waits.resume_due.connect(lambda entities: self.start_sync(entities))
        self.stall_label = QLabel()
        self.stall_label.setObjectName("SyncStall")
        self.stall_label.setWordWrap(True)
        self.stall_label.hide()
        self.waits.stall_changed.connect(self._show_stall)
        self.states = SyncStatesModel(parent=self)
        self.states_view = table_view(self.states, "SyncStatesTable")
        controls = QHBoxLayout()
        controls.addWidget(self.sync_button)
        controls.addWidget(self.cancel_button)
        controls.addWidget(self.full_box)
        controls.addStretch(1)
        self.download = QGroupBox()
        download = QVBoxLayout(self.download)
        download.addLayout(controls)
        download.addWidget(self.summary)
        download.addWidget(self.stall_label)
        download.addWidget(self.states_view, 1)

        # --- outbox
        self.outbox_panel = OutboxPanel(context, self.open_dialog, lambda: self.syncing, self)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.banner)
        layout.addWidget(self.reset_panel)
        layout.addWidget(vertical_split(self.download, self.outbox_panel), 1)

        context.online_changed.connect(lambda _o: self._update())
        context.offline_mode_changed.connect(lambda _o: self._update())
        context.session_changed.connect(lambda _i: self._update())
        context.profile_changed.connect(lambda _p: self.refresh())
        context.scope_changed.connect(lambda _account: self.refresh())
        self.runner.started.connect(lambda _t: self._update())
        self.runner.finished.connect(lambda _r: self._update())
        self.retranslate()
        self.refresh()

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
        overview = self.overview_task is not None and self.overview_task.running
        return overview or self.outbox_panel.is_loading()

    def refresh(self) -> None:
        self.load_overview()
        self.outbox_panel.load_outbox()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Sync"))
        self.download.setTitle(self.tr("Local copy"))
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
        self.outbox_panel.retranslate()
        self._render_states()
        self._update()

    # ------------------------------------------------------------------ download

    def start_sync(self, entities: list[str] | None = None) -> TaskHandle | None:
        """Synchronise (`entities`: only those, e.g. the ones a rate-limit wait held back)."""
        if self.syncing or not self.can_sync:
            return self.sync_task
        context = self.context
        self.waits.cancel()
        self.waits.watch(True)
        self._waits_cancelled = False
        self.live.clear()
        self.replaying = None
        self._full_run = self.full_box.isChecked()
        self.sync_task = run_task(
            synchronise,
            context.api,
            context.store,
            context.profile_name,
            outbox_of(context),
            self.full_box.isChecked(),
            entities=list(entities) if entities else None,
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

    def full_resync(self) -> TaskHandle | None:
        """A full pass now: offered when the server's data looks reset or replaced."""
        self.full_box.setChecked(True)
        return self.start_sync()

    def cancel_sync(self) -> None:
        # A planned resume too: nothing goes on by itself until the next "Synchronise now".
        self._waits_cancelled = True
        if not self.syncing:
            self._drop_waits()
        else:
            self.waits.cancel()
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
        if value.waiting_until is not None or value.synced_by is not None:
            self.summary.setText(self._waiting_text(value))
            self._render_states()
            return
        text = self.tr("Downloading {entity}: {pages} page(s), {items} record(s)").format(
            entity=entity_label(value.entity), pages=value.pages, items=f"{value.items:,}"
        )
        if value.rate:
            text += " · " + self.tr("{rate} records/s").format(rate=f"{value.rate:,.0f}")
        if value.eta_s is not None and not value.done:
            text += " · " + self.tr("{time} left").format(time=duration_text(value.eta_s))
        self.summary.setText(text)
        self._render_states()

    def _drop_waits(self) -> None:
        self.waits.cancel()
        store, profile = self.context.store, self.context.profile_name
        if store is None or profile is None:
            return
        run_task(
            stored_waits.release_all,
            store,
            profile,
            on_done=lambda _n: self.summary.setText(
                self.tr("Cancelled. The next synchronisation continues where this one stopped.")
            ),
            on_error=lambda exc: self.context.report_error(exc, parent=self),
            parent=self,
            name="drop rate-limit waits",
        )
        self._update()

    def _waiting_text(self, value: SyncProgress) -> str:
        if value.synced_by is not None:
            return self.tr("{entity}: being synced by {who} — waiting for it to finish").format(
                entity=entity_label(value.entity), who=value.synced_by
            )
        assert value.waiting_until is not None
        return self.waits.waiting_text(value.entity, value.waiting_until)

    def _show_stall(self, text: str) -> None:
        self.stall_label.setText(text)
        self.stall_label.setVisible(bool(text))

    def _synced(self, outcome: SyncOutcome) -> None:
        self.sync_task = None
        self.waits.watch(False)
        self.last_outcome = outcome
        report = outcome.report
        if report.server_reset is not None or self._full_run:
            self.reset_panel.show_evidence(report.server_reset)
        items = sum(r.items for r in report.results.values())
        if report.ok:
            text = self.tr("Up to date: %n record(s) downloaded.", "", items)
        else:
            failed = ", ".join(entity_label(e) for e in report.failed)
            text = self.tr("Downloaded %n record(s); not complete: {entities}.", "", items).format(
                entities=failed
            )
        if outcome.replay is not None:
            text = self.outbox_panel.replay_text(outcome.replay) + " " + text
        if report.waiting and report.resume_at is not None:
            # The worker is let go; the sync goes on by itself when the wait ends.
            self.waits.schedule(report.resume_at, sorted(report.waiting))
            text += " " + self.waits.left_text(sorted(report.waiting), report.resume_at)
        self.summary.setText(text)
        self.live.clear()
        data_changes_of(self.context).notify()
        self.context.refresh_data_age()
        self.context.refresh_outbox_count()
        self.refresh()
        self._update()

    def _sync_failed(self, exc: BaseException) -> None:
        self.sync_task = None
        self.waits.watch(False)
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
        self.waits.watch(False)
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
            self.context.scope_account,
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
        waiting = [r for r in rows if r.get("resume_at") is not None]
        if waiting and not (self.syncing or self.waits.scheduled or self._waits_cancelled):
            # Waits stored by an earlier run (also before a restart) resume on time.
            when = min(r["resume_at"] for r in waiting)
            self.waits.schedule(when, [r["entity"] for r in waiting])
            self._update()

    def _render_states(self) -> None:
        status_labels = {
            SyncStatus.IDLE: self.tr("Not run"),
            SyncStatus.RUNNING: self.tr("Interrupted: resumes next time"),
            SyncStatus.COMPLETE: self.tr("Complete"),
            SyncStatus.CANCELLED: self.tr("Cancelled: resumes next time"),
            SyncStatus.FAILED: self.tr("Failed"),
            SyncStatus.WAITING: self.tr("Waiting for the server's rate limit"),
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
            if row.get("resume_at") is not None and (live is None or live.waiting_until):
                record["status_label"] = self.tr("Waiting: resumes at {time}").format(
                    time=clock_text(row["resume_at"])
                )
            if live is not None and live.waiting_until is not None:
                record["status_label"] = self.tr("Waiting: resumes at {time}").format(
                    time=clock_text(live.waiting_until)
                )
            elif live is not None:
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
        self.cancel_button.setEnabled(syncing or self.waits.scheduled)
        self.full_box.setEnabled(not syncing)
        self.outbox_panel.update_controls()

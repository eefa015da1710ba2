"""The outbox of the active server profile, as the UI uses it.

`outbox_of(context)` gives the profile's `Outbox` (one per store and profile, attached to the
context so the status bar counts what waits), and `OutboxRunner` replays it in the background
whenever the server is reachable again: edits queued offline are sent without anyone having
to remember to press a button, and conflicts are set aside for the Sync page, never forced.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from viva_desktop.services.local.outbox import Outbox, ReplayReport
from viva_desktop.services.remote.api.errors import AuthExpired
from viva_desktop.ui.common.changes import data_changes_of
from viva_desktop.ui.common.worker import TaskHandle, run_task

if TYPE_CHECKING:
    from viva_desktop.ui.common.context import AppContext

log = logging.getLogger("viva.ui.outbox")


class AppOutbox(Outbox):
    """The service's outbox as attached to the UI context (one per store and profile)."""


def _me(context: AppContext) -> str | None:
    """Whose queue: the signed-in account's, or in offline review the reviewed one's (never
    the previous account's after a sign-out)."""
    return context.scope_account


def _my_name(context: AppContext) -> str | None:
    info = context.session_info
    if info is not None and info.name:
        return info.name
    from viva_desktop.ui.editors.current_user import current_user_of

    return current_user_of(context).me.name


def outbox_of(context: AppContext) -> AppOutbox | None:
    """The active profile's outbox (None without a store or a profile)."""
    store, profile = context.store, context.profile_name
    if store is None or profile is None:
        return None
    current = context.outbox
    me = _me(context)
    server = context.services.base_url if context.services is not None else None
    if isinstance(current, AppOutbox) and current.store is store and current.profile == profile:
        current.user_id = me  # only this account's changes are shown and sent
        current.user_name = _my_name(context) if me is not None else None
        current.server = server or current.server
        return current
    box = AppOutbox(store, profile, user_id=me)
    box.user_name = _my_name(context) if me is not None else None
    box.server = server
    context.set_outbox(box)
    runner_of(context)
    return box


def replay_outbox(
    outbox: Outbox, api: Any, progress: Any = None, cancel: Any = None
) -> ReplayReport:
    """Send what waits (worker thread)."""
    options: dict[str, Any] = {}
    if progress is not None:
        options["progress"] = progress
    if cancel is not None:
        options["cancel"] = cancel
    return outbox.replay(api, **options)


def touched_entities(report: ReplayReport) -> list[str]:
    entries = [*report.sent, *report.conflicts, *report.failed]
    return sorted({e.entity for e in entries})


class OutboxRunner(QObject):
    """Replays the outbox when the server comes back, and on request (the Sync page)."""

    started = Signal(object)  # TaskHandle
    finished = Signal(object)  # ReplayReport
    failed = Signal(object)  # exception

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.context = context
        self.task: TaskHandle | None = None
        self.last_report: ReplayReport | None = None
        context.online_changed.connect(self._online_changed)
        context.session_changed.connect(lambda info: self._online_changed(info is not None))
        # The status bar counts the active profile's queue: follow profile switches.
        context.profile_changed.connect(lambda _profile: outbox_of(self.context))
        # ...and the current account's: another account's changes are never counted as hers.
        context.scope_changed.connect(lambda _account: self._scope_changed())

    def _scope_changed(self) -> None:
        outbox_of(self.context)
        self.context.refresh_outbox_count()

    @property
    def running(self) -> bool:
        return self.task is not None and self.task.running

    @property
    def can_replay(self) -> bool:
        context = self.context
        return (
            not context.offline_mode
            and context.api is not None
            and context.session_info is not None
        )

    def replay(self) -> TaskHandle | None:
        """Send what waits now; None when offline or already sending."""
        if self.running:
            return self.task
        outbox = outbox_of(self.context)
        if outbox is None or not self.can_replay:
            return None
        self.task = run_task(
            replay_outbox,
            outbox,
            self.context.api,
            on_done=self._done,
            on_error=self._failed,
            parent=self,
            name="replay the outbox",
        )
        self.started.emit(self.task)
        return self.task

    def _online_changed(self, online: bool) -> None:
        if not online or not self.can_replay or self.running:
            return
        outbox = outbox_of(self.context)
        if outbox is None:
            return
        run_task(
            outbox.count,
            on_done=lambda count: self.replay() if count else None,
            on_error=lambda exc: log.info("cannot count the outbox: %s", exc),
            parent=self,
            name="outbox count",
        )

    def _done(self, report: ReplayReport) -> None:
        self.task = None
        self.last_report = report
        touched = touched_entities(report)
        if touched:
            data_changes_of(self.context).notify(*touched)
        self.context.refresh_outbox_count()
        if report.sent or report.conflicts or report.failed:
            self.context.notify(
                self.tr("Queued changes"),
                self.tr("%n sent", "", len(report.sent))
                + (
                    "; " + self.tr("%n need your decision (Sync page)", "", len(report.conflicts))
                    if report.conflicts
                    else ""
                )
                + (
                    "; " + self.tr("%n refused by the server", "", len(report.failed))
                    if report.failed
                    else ""
                ),
            )
        self.finished.emit(report)

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        self.context.refresh_outbox_count()
        if isinstance(exc, AuthExpired):
            self.context.expire_session(exc)
        self.failed.emit(exc)


def runner_of(context: AppContext) -> OutboxRunner:
    runner = context.findChild(OutboxRunner)
    if runner is None:
        runner = OutboxRunner(context)
    return runner

"""`HealthWatch`: the health monitoring that outlives any page.

It wraps the context's `HealthMonitor` (which polls through the worker, records each sample in
the store and notifies confirmed state changes) and adds what the admin pages need around it:
the user's thresholds from `settings.health` applied to the probe; polling started as soon as a
profile is active and kept going while the window sits in the tray (nothing here depends on a
page or on the window being visible); old samples pruned; and one shared week of history,
loaded from the store once and then extended with every live sample.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QObject, Signal

from viva_desktop.services.monitoring.health import HealthSample, HealthThresholds
from viva_desktop.ui.admin.health_history import (
    RETENTION,
    HealthHistory,
    load_history,
    max_gap_for,
)
from viva_desktop.ui.admin.health_monitor import HealthMonitor
from viva_desktop.ui.common.context import AppContext
from viva_desktop.ui.common.worker import TaskHandle, run_task

log = logging.getLogger("viva.ui.health")

PRUNE_EVERY = timedelta(hours=1)


def thresholds_for(context: AppContext) -> HealthThresholds:
    """The client-side limits from the user's settings (the others are the server's own)."""
    return HealthThresholds(latency_warning_ms=float(context.settings.health.latency_warn_ms))


class HealthWatch(QObject):
    history_changed = Signal()  # `history` was loaded, extended or dropped
    history_failed = Signal(object)  # the exception that stopped the history from loading

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.setObjectName("HealthWatch")
        self._context = context
        self._last_prune: dict[str, datetime] = {}
        self._history: HealthHistory | None = None
        self._wanted = False
        self._loading: TaskHandle | None = None
        self._pending: list[HealthSample] = []
        # Connected before the monitor exists, so the probe has the user's thresholds before
        # the monitor's first poll of a newly activated profile.
        context.profile_changed.connect(self._profile_changed)
        context.settings_changed.connect(self._apply_thresholds)
        existing = context.findChild(HealthMonitor)
        self.monitor = existing if existing is not None else HealthMonitor(context)
        self.monitor.sampled.connect(self._sampled)
        self._apply_thresholds()
        self.ensure_polling()

    # ------------------------------------------------------------------ state

    @property
    def context(self) -> AppContext:
        return self._context

    @property
    def thresholds(self) -> HealthThresholds:
        return thresholds_for(self._context)

    @property
    def max_gap(self) -> timedelta:
        return max_gap_for(self._context.settings.health.poll_interval_s)

    @property
    def history(self) -> HealthHistory | None:
        """The active profile's last week, or None until loaded."""
        return self._history

    @property
    def loading(self) -> bool:
        return self._loading is not None and self._loading.running

    def ensure_polling(self) -> None:
        """Start the monitor when a profile is active and nothing was polled yet."""
        if self.monitor.latest is None and not self.monitor.polling:
            self.monitor.start()

    # ------------------------------------------------------------------ history

    def request_history(self, *, reload: bool = False) -> None:
        """Make `history` available (loading it in the background); `history_changed` follows."""
        self._wanted = True
        profile = self._context.profile_name
        current = self._history
        if not reload and current is not None and current.profile == profile:
            return
        if self.loading:
            return
        store = self._context.store
        if store is None or profile is None:
            return
        self._pending = []
        self._loading = run_task(
            load_history,
            store,
            profile,
            max_gap=self.max_gap,
            on_done=self._history_loaded,
            on_error=self._history_failed,
            parent=self,
            name="load health history",
        )

    def _history_loaded(self, history: HealthHistory) -> None:
        self._loading = None
        if history.profile != self._context.profile_name:
            self.request_history()  # the profile changed meanwhile
            return
        for sample in self._pending:
            history = history.with_sample(sample)
        self._pending = []
        self._history = history
        self.history_changed.emit()

    def _history_failed(self, exc: BaseException) -> None:
        self._loading = None
        log.warning("could not load the health history: %s", exc)
        self.history_failed.emit(exc)

    # ------------------------------------------------------------------ reactions

    def _profile_changed(self, *_args: object) -> None:
        self._apply_thresholds()
        if self._history is not None:
            self._history = None
            self.history_changed.emit()
        if self._wanted:
            self.request_history()

    def _apply_thresholds(self, *_args: object) -> None:
        services = self._context.services
        if services is not None:
            services.probe.thresholds = self.thresholds

    def _sampled(self, sample: HealthSample) -> None:
        if self.loading:
            self._pending.append(sample)
        elif self._history is not None and self._history.profile == sample.profile:
            self._history = self._history.with_sample(sample, datetime.now(UTC))
            self.history_changed.emit()
        self._prune_if_due(sample.profile)

    def _prune_if_due(self, profile: str) -> None:
        store = self._context.store
        now = datetime.now(UTC)
        last = self._last_prune.get(profile)
        if store is None or (last is not None and now - last < PRUNE_EVERY):
            return
        self._last_prune[profile] = now
        run_task(
            store.prune_health_samples,
            profile,
            older_than=now - RETENTION,
            on_done=_log_pruned,
            on_error=lambda exc: log.warning("could not prune health samples: %s", exc),
            parent=self,
            name="prune health samples",
        )


def _log_pruned(count: object) -> None:
    if count:
        log.info("pruned %s old health samples", count)


def health_watch_of(context: AppContext) -> HealthWatch:
    """The context's one health watch (created on first use)."""
    watch = context.findChild(HealthWatch)
    if watch is None:
        watch = HealthWatch(context)
    return watch

"""Background health polling of the active profile: one `HealthProbe.poll()` per interval,
through the worker, never two at a time.

Each sample goes to the dashboard (`sampled`), to the store's history (for the charts of the
health page), and to the context's online/offline state; a confirmed state change is logged.
Desktop notifications come from the fleet watch's alert lifecycle.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from viva_desktop.services.local.store import Store
from viva_desktop.services.monitoring.health import (
    HealthProbe,
    HealthSample,
    HealthState,
    StateTracker,
    Transition,
    severity,
)
from viva_desktop.ui.common.context import AppContext
from viva_desktop.ui.common.worker import TaskHandle, run_task

log = logging.getLogger("viva.ui.health")


def poll_and_record(probe: HealthProbe, store: Store | None) -> HealthSample:
    """One poll; the sample is kept in the store when there is one (history must not stop
    the live view, so a store failure is only logged)."""
    sample = probe.poll()
    if store is not None:
        try:
            store.add_health_samples([sample])
        except Exception as exc:
            log.warning("could not record a health sample: %s", exc)
    return sample


class HealthMonitor(QObject):
    sampled = Signal(object)  # HealthSample
    polling_changed = Signal(bool)

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent or context)
        self._context = context
        self._tracker = StateTracker(debounce=2)
        self._latest: HealthSample | None = None
        self._handle: TaskHandle | None = None
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.poll_now)
        context.profile_changed.connect(self._restart)
        context.offline_mode_changed.connect(self._restart)
        context.settings_changed.connect(self._apply_interval)
        self._apply_interval()

    @property
    def latest(self) -> HealthSample | None:
        return self._latest

    @property
    def polling(self) -> bool:
        return self._handle is not None and self._handle.running

    def start(self) -> None:
        if self._context.services is None or self._context.offline_mode:
            return
        self._timer.start()
        self.poll_now()

    def stop(self) -> None:
        self._timer.stop()

    def poll_now(self) -> None:
        services = self._context.services
        if services is None or self._context.offline_mode or self.polling:
            return
        self._handle = run_task(
            poll_and_record,
            services.probe,
            self._context.store,
            on_done=self._on_sample,
            on_error=lambda exc: log.warning("health poll failed: %s", exc),
            on_cancelled=lambda: self.polling_changed.emit(False),
            parent=self,
            name="health poll",
        )
        self.polling_changed.emit(True)

    def _apply_interval(self) -> None:
        seconds = self._context.settings.health.poll_interval_s
        self._timer.setInterval(max(1000, int(seconds * 1000)))

    def _restart(self, *_args: object) -> None:
        self._latest = None
        self._tracker.reset()
        self.stop()
        if self._context.services is not None and not self._context.offline_mode:
            self.start()

    def _on_sample(self, sample: HealthSample) -> None:
        self.polling_changed.emit(False)
        services = self._context.services
        if services is None or sample.profile != services.profile.name:
            return  # a poll of a profile that is no longer active
        self._latest = sample
        self._context.report_reachability(sample.state is not HealthState.DOWN)
        self.sampled.emit(sample)
        transition = self._tracker.feed(sample)
        if transition is not None:
            log_transition(sample.profile, transition)
        # Desktop notifications come from the fleet's alert lifecycle (`fleet_watch.py`), which
        # covers this profile too: pending period, keep-firing, recovery with its length.


def log_transition(profile: str, transition: Transition) -> None:
    """One log line per confirmed state change (the first state seen included): INFO back to
    healthy or first seen, WARNING into a worse state, with why when the poll says."""
    current, previous = transition.current, transition.previous
    worse = previous is not None and severity(current) > severity(previous)
    level = logging.WARNING if worse or current is HealthState.DOWN else logging.INFO
    reason = transition.sample.error or transition.sample.db_error
    log.log(
        level,
        "health of %s: %s -> %s%s",
        profile,
        previous.value if previous is not None else "(first sample)",
        current.value,
        f" ({reason})" if reason else "",
        extra={"profile": profile, "event": "health_state"},
    )


def health_monitor_of(context: AppContext) -> HealthMonitor:
    """The context's one health monitor (created on first use)."""
    monitor = context.findChild(HealthMonitor)
    if monitor is None:
        monitor = HealthMonitor(context)
    return monitor

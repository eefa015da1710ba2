"""`FleetWatch`: the fleet watcher of the running app, and its bridge to the GUI thread.

The service (`services.monitoring.watcher.FleetWatcher`) checks every configured deployment on
its own threads; its listener calls arrive here on those threads and are passed on as queued
signals, so the GUI thread only ever receives finished snapshots. It follows the settings (the
profiles, their intervals and channels) and the built-in sandbox's real address, keeps running
while the window is hidden in the tray, and sends the desktop notifications of the deployments
that use the desktop channel. The live monitor's checks of the active server are handed to the
watcher as that deployment's checks (`FleetWatcher.take`): its row shows the first one at once,
and the server is asked once per interval, not by both. It is closed when the application quits.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from viva_desktop.services.monitoring.alerts import AlertEvent
from viva_desktop.services.monitoring.fleet_setup import (
    build_watcher,
    deployments_of,
    maintenance_of,
    notifiers_of,
    policy_of,
)
from viva_desktop.services.monitoring.fleet_status import DeploymentStatus
from viva_desktop.services.monitoring.health import (
    HealthSample,
    HealthState,
    HealthThresholds,
    severity,
)
from viva_desktop.services.monitoring.signed_in import data_route_check
from viva_desktop.services.monitoring.silences import end_silence, silence
from viva_desktop.services.monitoring.watcher import FleetUpdate, FleetWatcher
from viva_desktop.ui.admin.health_monitor import health_monitor_of
from viva_desktop.ui.common.context import AppContext
from viva_desktop.ui.common.worker import run_task

log = logging.getLogger("viva.ui.fleet")

COALESCE_MS = 250  # checks arriving within this time are shown together


class FleetWatch(QObject):
    changed = Signal()  # `statuses` changed
    alerted = Signal(object)  # AlertEvent (every change of an alert state, silenced ones too)
    _update = Signal(object)  # FleetUpdate, from the watcher's threads

    def __init__(self, context: AppContext, *, start: bool = True) -> None:
        super().__init__(context)
        self.setObjectName("FleetWatch")
        self._context = context
        self._statuses: dict[str, DeploymentStatus] = {}
        self._watched: frozenset[str] = frozenset()  # the profiles watched, as last configured
        self.watcher: FleetWatcher = build_watcher(
            context.settings, self._deployments(), store=None
        )
        self.watcher.store = context.store
        self._fleet_settings = context.settings.fleet.model_copy(deep=True)
        self._listener = self._update.emit  # one object, so it can be removed again
        self.watcher.add_listener(self._listener)
        self._update.connect(self._on_update)
        # The live monitor of the active server checks it anyway: its samples are this
        # deployment's checks too (shown at once, and the server is not asked twice).
        health_monitor_of(context).sampled.connect(self._take_live)
        self._coalesce = QTimer(self)
        self._coalesce.setSingleShot(True)
        self._coalesce.setInterval(COALESCE_MS)
        self._coalesce.timeout.connect(self.changed)
        context.settings_changed.connect(self.reconfigure)
        context.profile_changed.connect(self.reconfigure)
        context.session_changed.connect(self.reconfigure)
        context.offline_mode_changed.connect(self.reconfigure)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.close)
        # Deleted with its context (tests, a re-created context): stop the threads too.
        watcher, listener = self.watcher, self._listener
        self.destroyed.connect(lambda *_: _close_quietly(watcher, listener))
        self.reconfigure()
        self.reload_silences()
        if start:
            self.watcher.start()

    def restate(self) -> None:
        """Take the statuses again (no check): they carry texts the service made, such as a
        silence's reason, which a language switch must have said anew (views call this)."""
        self._refresh_all()

    # ------------------------------------------------------------------ reading

    @property
    def context_store(self):  # -> Store | None
        """The store the history is kept in (None when the app runs without one)."""
        return self._context.store

    @property
    def statuses(self) -> list[DeploymentStatus]:
        """Every watched deployment, worst first."""
        return sorted(self._statuses.values(), key=DeploymentStatus.rank)

    def status(self, profile: str) -> DeploymentStatus | None:
        return self._statuses.get(profile)

    @property
    def settled(self) -> bool:
        """Every status received so far was announced by `changed`."""
        return not self._coalesce.isActive()

    def worst_state(self) -> HealthState | None:
        """The worst current state of the fleet (None before any check)."""
        states = [s.latest.state for s in self._statuses.values() if s.latest is not None]
        return max(states, key=severity) if states else None

    def in_trouble(self) -> list[DeploymentStatus]:
        return [s for s in self.statuses if s.trouble or s.alert_state.firing]

    # ------------------------------------------------------------------ actions

    def check_now(self, profile: str | None = None) -> None:
        """Check one deployment (or all) now, on a worker thread."""
        if profile is None:
            run_task(self.watcher.check_all, parent=self, name="check the fleet")
        else:
            run_task(self.watcher.check, profile, parent=self, name="check a deployment")

    def silence(
        self,
        profile: str,
        *,
        duration: timedelta | None = None,
        until: datetime | None = None,
        reason: str | None = None,
    ) -> None:
        """Silence `profile` (kept in the store); the status shows it after the reload."""
        store = self._context.store
        if store is None:
            return
        run_task(
            silence,
            store,
            profile,
            now=datetime.now(UTC),
            duration=duration,
            until=until,
            reason=reason,
            on_done=lambda _s: self.reload_silences(),
            on_error=lambda exc: self._context.report_error(exc),
            parent=self,
            name="silence a deployment",
        )

    def end_silences(self, profile: str) -> None:
        store = self._context.store
        if store is None:
            return
        pks = [s.pk for s in self.watcher.silences.silences(profile) if s.pk is not None]

        def work() -> None:
            for pk in pks:
                end_silence(store, pk, datetime.now(UTC))

        run_task(
            work,
            on_done=lambda _r: self.reload_silences(),
            on_error=lambda exc: self._context.report_error(exc),
            parent=self,
            name="end a silence",
        )

    def reload_silences(self) -> None:
        store = self._context.store
        if store is None:
            return
        run_task(
            self.watcher.silences.load,
            store,
            datetime.now(UTC),
            on_done=lambda _r: self._refresh_all(),
            on_error=lambda exc: log.warning("could not read the silences: %s", exc),
            parent=self,
            name="read silences",
        )

    def reconfigure(self, *_args: object) -> None:
        """Follow the settings: profiles added or removed, intervals, channels."""
        deployments = self._deployments()
        self.watcher.set_deployments(deployments)
        self._watched = frozenset(d.profile for d in deployments)
        # The live view of the active server records its own samples: not twice.
        context = self._context
        live = context.services is not None and not context.offline_mode
        self.watcher.unrecorded = frozenset(
            {context.profile_name} if live and context.profile_name else set()
        )
        settings = self._context.settings
        self.watcher.set_policy(policy_of(settings))
        if settings.fleet != self._fleet_settings:  # channels changed: new notifiers
            self._fleet_settings = settings.fleet.model_copy(deep=True)
            self.watcher.set_notifiers(notifiers_of(settings))
        self.watcher.thresholds = HealthThresholds(
            latency_warning_ms=float(settings.health.latency_warn_ms)
        )
        self.watcher.silences.set_maintenance(maintenance_of(self._context.settings))
        for name in [n for n in self._statuses if n not in self._watched]:
            del self._statuses[name]
        self._refresh_all()

    def close(self) -> None:
        _close_quietly(self.watcher, self._listener)

    # ------------------------------------------------------------------ internals

    def _deployments(self):  # -> list[Deployment]
        settings = self._context.settings
        urls = {
            p.name: url
            for p in settings.profiles
            if p.is_sandbox and (url := self._context.resolve_url(p))
        }
        deployments = deployments_of(settings, urls=urls)
        # The signed-in extra where this app holds a session: the active profile's.
        active, client = self._context.profile_name, self._context.client
        if client is not None and self._context.session_info is not None:
            deployments = [
                replace(d, signed_in=partial(data_route_check, client))
                if d.profile == active
                else d
                for d in deployments
            ]
        return deployments

    def _refresh_all(self) -> None:
        for status in self.watcher.statuses():
            self._statuses[status.profile] = status
        self.changed.emit()

    def _take_live(self, sample: HealthSample) -> None:
        if sample.profile not in self._watched:
            return
        run_task(
            self.watcher.take,
            sample,
            on_error=lambda exc: log.warning("the live check was not taken: %s", exc),
            parent=self,
            name="take the live check",
        )

    def _on_update(self, update: FleetUpdate) -> None:
        status = update.status
        if status.profile not in self._watched:  # not the watcher's lock: its threads hold it
            return
        if update.deliveries:
            for delivery in update.deliveries:
                if not delivery.ok:
                    log.warning(
                        "alert not delivered via %s to %s: %s",
                        delivery.channel,
                        delivery.target,
                        delivery.detail,
                    )
            return
        self._statuses[status.profile] = status
        if not self._coalesce.isActive():  # many checks in a burst: one repaint
            self._coalesce.start()
        if update.alert is not None:
            self.changed.emit()  # an alert is shown at once
            self.alerted.emit(update.alert)
            self._notify(update.alert, status)

    def _notify(self, event: AlertEvent, status: DeploymentStatus) -> None:
        if not event.notify or event.silenced or "desktop" not in status.deployment.channels:
            return
        if not self._context.settings.health.notify:
            return
        if event.kind == "resolved":
            title = self.tr("Recovered: {profile}").format(profile=status.deployment.display_name)
        else:
            title = self.tr("Alert: {profile}").format(profile=status.deployment.display_name)
        self._context.notify(title, event.message)


def _close_quietly(watcher: FleetWatcher, listener: object) -> None:
    watcher.remove_listener(listener)  # type: ignore[arg-type]
    try:
        watcher.close()
    except Exception:
        log.debug("closing the fleet watcher failed", exc_info=True)


def fleet_watch_of(context: AppContext) -> FleetWatch:
    """The context's one fleet watch (created and started on first use)."""
    watch = context.findChild(FleetWatch)
    if watch is None:
        watch = FleetWatch(context)
    return watch

"""The fleet watcher: every configured deployment checked at once, each at its own interval.

One scheduler thread wakes when the next deployment is due and hands the check to a small
thread pool, so a slow or dead server never delays the others, and a deployment is never
checked twice at a time. Each check:

1. polls `/health/status` (no sign-in needed) with the deployment's own HTTP client;
2. folds the sample into the heartbeats, the availability timeline and the current incident;
3. feeds the alert lifecycle; a change is recorded in the store, marked silenced when a
   silence or a maintenance window covers it, and sent to the channels the deployment uses
   (on their own thread: a webhook's retries never hold up a check);
4. tells the listeners (the UI bridge, the `watch` command) with a fresh status snapshot.

Samples and alert events are written to the store in batches (one transaction per second at
most), by one watcher only on a shared team store (`recorder.py`), and history older than the
retention is pruned once an hour. Nothing here imports Qt:
the GUI's bridge turns listener calls into signals. Time comes from an injectable `clock`.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import httpx

from viva_desktop.services.local.store import Store, fleet_tables, health_samples
from viva_desktop.services.monitoring.alerts import AlertEvent, AlertPolicy
from viva_desktop.services.monitoring.availability import Timeline
from viva_desktop.services.monitoring.causes import verdict
from viva_desktop.services.monitoring.fleet_status import (
    HEARTBEATS,
    Deployment,
    DeploymentStatus,
    Tracked,
)
from viva_desktop.services.monitoring.health import (
    HealthProbe,
    HealthSample,
    HealthState,
    HealthThresholds,
)
from viva_desktop.services.monitoring.history_rows import sample_from_row, state_of
from viva_desktop.services.monitoring.notifiers import Delivery, Notifier
from viva_desktop.services.monitoring.recorder import RecorderLock
from viva_desktop.services.monitoring.silences import SilenceBook
from viva_desktop.services.monitoring.tls_expiry import certificate_days_left

log = logging.getLogger("viva.monitoring.fleet")

Clock = Callable[[], datetime]
TLS_EVERY = timedelta(hours=6)
PRUNE_EVERY = timedelta(hours=1)
FLUSH_EVERY_S = 1.0
SILENCES_EVERY_S = 60.0
FIRST_SPREAD_S = 5.0


@dataclass(frozen=True)
class FleetUpdate:
    """What listeners get: a deployment's new status, and the alert change it caused if any."""

    status: DeploymentStatus
    alert: AlertEvent | None = None
    deliveries: tuple[Delivery, ...] = ()


Listener = Callable[[FleetUpdate], None]


def utc_now() -> datetime:
    return datetime.now(UTC)


class FleetWatcher:
    def __init__(
        self,
        deployments: Iterable[Deployment] = (),
        *,
        store: Store | None = None,
        policy: AlertPolicy | None = None,
        notifiers: Sequence[Notifier] = (),
        silences: SilenceBook | None = None,
        thresholds: HealthThresholds | None = None,
        retention: timedelta = timedelta(days=30),
        clock: Clock = utc_now,
        max_workers: int = 8,
        check_tls: bool = True,
    ) -> None:
        self.store = store
        self.policy = policy or AlertPolicy()
        self.notifiers = list(notifiers)
        self.silences = silences or SilenceBook()
        self.thresholds = thresholds or HealthThresholds()
        self.retention = retention
        self.clock = clock
        self.check_tls = check_tls
        self._lock = threading.RLock()
        self._tracked: dict[str, Tracked] = {}
        self._clients: dict[str, httpx.Client] = {}
        self._due: dict[str, float] = {}
        self._running: dict[str, Future[DeploymentStatus]] = {}
        self._listeners: list[Listener] = []
        self._rows: list[dict[str, object]] = []
        self._events: list[dict[str, object]] = []
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="fleet-check")
        self._send_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="fleet-notify")
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_prune: datetime | None = None
        self._last_flush = 0.0
        self._closed = False
        self._recorder: RecorderLock | None = None
        # Profiles whose samples another poller already records (the app's live view of the
        # active server): their checks feed everything here but are not stored twice.
        self.unrecorded: frozenset[str] = frozenset()
        self._silences_read = time.monotonic()
        self.set_deployments(deployments)

    # ------------------------------------------------------------------ configuration

    def set_deployments(self, deployments: Iterable[Deployment]) -> None:
        """Watch exactly these deployments; the state of ones already watched is kept when
        their URL is unchanged."""
        wanted = {d.profile: d for d in deployments}
        with self._lock:
            for name in list(self._tracked):
                old = self._tracked[name].deployment
                new = wanted.get(name)
                if new is None or new.url != old.url or new.verify_tls != old.verify_tls:
                    del self._tracked[name]
                    self._due.pop(name, None)
                    client = self._clients.pop(name, None)
                    if client is not None:
                        client.close()
                else:  # same address: keep the history, take the new settings
                    self._tracked[name].deployment = new
            for name, deployment in wanted.items():
                if name not in self._tracked:
                    self._tracked[name] = Tracked(deployment, self.policy)
                    self._due[name] = time.monotonic() + _phase(name, deployment.interval_s)
        self._wake.set()

    def set_policy(self, policy: AlertPolicy) -> None:
        """A new alert policy, for every deployment (their current alert states are kept)."""
        with self._lock:
            self.policy = policy
            for item in self._tracked.values():
                item.tracker.policy = policy
                item.policy = policy

    def set_notifiers(self, notifiers: Sequence[Notifier]) -> None:
        """New channels (the settings changed); the old ones are closed once idle."""
        with self._lock:
            old, self.notifiers = self.notifiers, list(notifiers)

        def close_old() -> None:
            for notifier in old:
                closer = getattr(notifier, "close", None)
                if callable(closer):
                    closer()

        self._send_pool.submit(close_old)  # after whatever they are sending now

    def deployments(self) -> list[Deployment]:
        with self._lock:
            return [t.deployment for t in self._tracked.values()]

    def add_listener(self, listener: Listener) -> None:
        with self._lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        with self._lock, contextlib.suppress(ValueError):
            self._listeners.remove(listener)

    # ------------------------------------------------------------------ reading

    def statuses(self) -> list[DeploymentStatus]:
        """Every deployment's status, worst first."""
        now = self.clock()
        with self._lock:
            tracked = list(self._tracked.values())
        out = []
        for item in tracked:
            with item.lock:
                out.append(item.snapshot(now, self.silences.reason(item.deployment.profile, now)))
        return sorted(out, key=DeploymentStatus.rank)

    def status(self, profile: str) -> DeploymentStatus | None:
        return next((s for s in self.statuses() if s.profile == profile), None)

    def next_check_in(self, profile: str) -> float | None:
        """Seconds until the schedule checks `profile` itself (None when not watched)."""
        with self._lock:
            due = self._due.get(profile)
        return None if due is None else max(0.0, due - time.monotonic())

    def timeline(self, profile: str) -> Timeline | None:
        with self._lock:
            item = self._tracked.get(profile)
        return None if item is None else item.timeline

    # ------------------------------------------------------------------ checking

    def check(self, profile: str) -> DeploymentStatus:
        """One check of `profile` now (blocking), with everything that follows from it."""
        with self._lock:
            item = self._tracked[profile]
        with item.checking:  # "check now" and the schedule never overlap on one deployment
            if not item.loaded:
                self._load_history(item)
            started = self.clock()  # the check's time is when it began, on the watcher's clock
            sample = replace(verdict(self._probe(item).poll()), taken_at=started)
            return self._complete(item, sample)

    def take(self, sample: HealthSample) -> DeploymentStatus | None:
        """A check another poller made (the app's live view of the active server) counts as
        this watcher's own: the rest of a check follows (certificate, signed-in extra, alert
        lifecycle, listeners) and the schedule waits a full interval before checking that
        deployment itself, so a server watched both ways is asked once per interval, not
        twice. Blocking (the extras make requests); None for a profile not watched."""
        with self._lock:
            item = self._tracked.get(sample.profile)
            if item is None:
                return None
            self._due[sample.profile] = time.monotonic() + item.deployment.interval_s
        with item.checking:
            if not item.loaded:
                self._load_history(item)
            return self._complete(item, verdict(sample))

    def _complete(self, item: Tracked, sample: HealthSample) -> DeploymentStatus:
        """What follows a check's answer: certificate, signed-in extra, state and alerts."""
        self._maybe_check_tls(item, sample.taken_at)
        self._signed_in_extra(item, sample)
        with item.lock:
            item.note(sample)
            event = item.tracker.feed(sample)
        return self._after_check(item, sample, event, sample.taken_at)

    def check_all(self) -> list[DeploymentStatus]:
        """One check of every deployment, in parallel (blocking); flushes the store after."""
        with self._lock:
            names = list(self._tracked)
        futures = [self._pool.submit(self.check, name) for name in names]
        for future in futures:
            future.result()
        self.flush()
        self.wait_for_notifications()
        return self.statuses()

    def feed(self, sample: HealthSample) -> DeploymentStatus:
        """Take a sample obtained elsewhere (tests, a probe of the UI) as a check."""
        with self._lock:
            item = self._tracked[sample.profile]
        sample = verdict(sample)
        with item.lock:
            item.note(sample)
            event = item.tracker.feed(sample)
        return self._after_check(item, sample, event, sample.taken_at)

    def _probe(self, item: Tracked) -> HealthProbe:
        deployment = item.deployment
        with self._lock:
            client = self._clients.get(deployment.profile)
        if client is None:  # made outside the lock, which the GUI's reads also take
            made = httpx.Client(verify=_verify(deployment), follow_redirects=False)
            with self._lock:
                client = self._clients.setdefault(deployment.profile, made)
            if client is not made:
                made.close()
        return HealthProbe(
            client,
            deployment.url,
            deployment.profile,
            timeout=deployment.timeout_s,
            thresholds=self.thresholds,
        )

    def _load_history(self, item: Tracked) -> None:
        store, profile = self.store, item.deployment.profile
        if store is None:
            item.loaded = True
            return
        now = self.clock()
        try:
            with store.read() as conn:
                runs = fleet_tables.read_runs(
                    conn,
                    profile,
                    since=now - self.retention,
                    max_gap_s=item.deployment.max_gap.total_seconds(),
                )
            recent = store.health_samples(profile, limit=HEARTBEATS)
        except Exception as exc:  # history must never stop the live watch
            log.warning("could not read the health history of %s: %s", profile, exc)
            runs, recent = [], []
        with item.lock:
            item.load(
                ((_aware(start), _aware(last), state_of(state)) for start, last, state in runs),
                (sample_from_row(row) for row in recent),
            )

    def _signed_in_extra(self, item: Tracked, sample: HealthSample) -> None:
        check = item.deployment.signed_in
        result = None
        if check is not None and sample.state is not HealthState.DOWN:
            try:
                result = check()
            except Exception as exc:  # an extra must never break the check itself
                log.warning("the signed-in check of %s failed: %s", item.deployment.profile, exc)
        with item.lock:
            item.signed_in = result

    def _maybe_check_tls(self, item: Tracked, now: datetime) -> None:
        if not self.check_tls or not item.deployment.url.lower().startswith("https://"):
            return
        if item.tls_checked_at is not None and now - item.tls_checked_at < TLS_EVERY:
            return
        days = certificate_days_left(item.deployment.url, now, item.deployment.timeout_s)
        with item.lock:
            item.tls_days_left, item.tls_checked_at = days, now

    def _after_check(
        self, item: Tracked, sample: HealthSample, event: AlertEvent | None, now: datetime
    ) -> DeploymentStatus:
        profile = item.deployment.profile
        reason = self.silences.reason(profile, now)
        if event is not None and reason is not None:
            event = replace(event, silenced=True)
        with self._lock:
            if self.store is not None:
                if profile not in self.unrecorded:
                    self._rows.append(sample.as_dict())
                if event is not None:
                    self._events.append(_event_row(event))
            listeners = list(self._listeners)
        with item.lock:
            status = item.snapshot(now, reason)
        if event is not None and event.notify and not event.silenced:
            self._send_pool.submit(self._send, item.deployment, event, status)
        update = FleetUpdate(status, event)
        for listener in listeners:
            try:
                listener(update)
            except Exception:
                log.exception("a fleet listener failed")
        return status

    def _send(self, deployment: Deployment, event: AlertEvent, status: DeploymentStatus) -> None:
        deliveries: list[Delivery] = []
        with self._lock:
            notifiers = list(self.notifiers)
        for notifier in notifiers:
            if notifier.name in deployment.channels:
                try:
                    deliveries.extend(notifier.send(event))
                except Exception:
                    log.exception("the %s channel failed", notifier.name)
        if deliveries:
            with self._lock:
                listeners = list(self._listeners)
            update = FleetUpdate(status, None, tuple(deliveries))
            for listener in listeners:
                with contextlib.suppress(Exception):
                    listener(update)

    def wait_for_notifications(self) -> None:
        """Block until every alert handed to the channels so far was sent (or failed)."""
        self._send_pool.submit(lambda: None).result()
        # Two workers: a second no-op makes sure both finished what they had.
        self._send_pool.submit(lambda: None).result()

    # ------------------------------------------------------------------ store

    def flush(self) -> None:
        """Write the samples and alert events gathered so far (one transaction)."""
        with self._lock:
            rows, events = self._rows, self._events
            self._rows, self._events = [], []
        self._last_flush = time.monotonic()
        if self.store is None or not (rows or events):
            return
        if self._recorder is None or self._recorder.store is not self.store:
            self._recorder = RecorderLock(self.store)
        if not self._recorder.holds():
            return  # another watcher records into this team store
        try:
            with self.store.write() as conn:
                health_samples.add(conn, rows)
                fleet_tables.add_events(conn, events)
        except Exception as exc:
            log.warning("could not record %d health samples: %s", len(rows), exc)
        self._prune_if_due()

    def _prune_if_due(self) -> None:
        now = self.clock()
        if self.store is None or (
            self._last_prune is not None and now - self._last_prune < PRUNE_EVERY
        ):
            return
        self._last_prune = now
        cutoff = now - self.retention
        try:
            with self.store.write() as conn:
                removed = fleet_tables.prune(conn, older_than=cutoff)
            if removed:
                log.info("pruned %d fleet history rows older than %s", removed, cutoff)
        except Exception as exc:
            log.warning("could not prune the fleet history: %s", exc)
        with self._lock:
            tracked = list(self._tracked.values())
        for item in tracked:
            item.timeline.prune(cutoff)

    # ------------------------------------------------------------------ running

    def start(self) -> None:
        """Check every deployment at its interval on a background thread until `stop`."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="fleet-watcher", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        for future in list(self._running.values()):
            with contextlib.suppress(Exception):
                future.result(timeout)
        self.flush()

    def close(self) -> None:
        """Stop and release everything (threads, HTTP clients); safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self.stop()
        self._pool.shutdown(wait=True)
        self._send_pool.shutdown(wait=True)
        for notifier in self.notifiers:
            closer = getattr(notifier, "close", None)
            if callable(closer):
                closer()
        with self._lock:
            for client in self._clients.values():
                client.close()
            self._clients.clear()
        if self._recorder is not None:
            self._recorder.release()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _loop(self) -> None:
        while not self._stop.is_set():
            now = time.monotonic()
            with self._lock:
                for name, due in self._due.items():
                    running = self._running.get(name)
                    if due <= now and (running is None or running.done()):
                        interval = self._tracked[name].deployment.interval_s
                        self._due[name] = now + interval
                        self._running[name] = self._pool.submit(self._safe_check, name)
                next_due = min(self._due.values(), default=now + 60.0)
            if time.monotonic() - self._last_flush >= FLUSH_EVERY_S:
                self.flush()
            self._reload_silences_if_due()
            self._wake.wait(max(0.05, min(next_due - time.monotonic(), FLUSH_EVERY_S)))
            self._wake.clear()

    def _reload_silences_if_due(self) -> None:
        """Silences set elsewhere (the GUI, another app on a team store) apply within a
        minute."""
        if self.store is None or time.monotonic() - self._silences_read < SILENCES_EVERY_S:
            return
        self._silences_read = time.monotonic()
        try:
            self.silences.load(self.store, self.clock())
        except Exception as exc:
            log.warning("could not read the silences: %s", exc)

    def _safe_check(self, name: str) -> DeploymentStatus | None:
        try:
            return self.check(name)
        except KeyError:
            return None  # removed meanwhile
        except Exception:
            log.exception("checking %s failed", name)
            return None


def _verify(deployment: Deployment) -> ssl.SSLContext:
    """httpx's `verify` for a deployment: one shared SSL context per setting (True, False or a
    CA bundle's path). Each new `httpx.Client` would otherwise load the CA bundle again, some
    30 ms with the GIL held, for each of fifty deployments in the first round."""
    verify = deployment.verify_tls
    changed = 0  # a CA bundle edited on disk makes a new context
    if isinstance(verify, str):
        with contextlib.suppress(OSError):
            changed = os.stat(verify).st_mtime_ns
    return _tls_context(verify, changed)


@functools.cache
def _tls_context(verify: bool | str, _changed: int) -> ssl.SSLContext:
    if isinstance(verify, str):  # a CA bundle's path (a bare path is deprecated in httpx)
        return ssl.create_default_context(cafile=verify)
    return httpx.create_ssl_context(verify=verify)


def _phase(name: str, interval_s: float) -> float:
    """A steady offset of the first check within the first seconds, so fifty deployments
    started together are not checked in one burst (and each keeps its own phase)."""
    return (zlib.crc32(name.encode()) % 1000) / 1000.0 * min(interval_s, FIRST_SPREAD_S)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _event_row(event: AlertEvent) -> dict[str, object]:
    return {
        "profile": event.profile,
        "at": event.at,
        "alert_state": event.alert_state.value,
        "previous_alert_state": event.previous_alert_state.value,
        "state": event.state.value,
        "previous_state": event.previous_state.value if event.previous_state else None,
        "since": event.since,
        "message": event.message,
        "cause": event.cause.value if event.cause else None,
        "notified": event.notify and not event.silenced,
        "silenced": event.silenced,
        "outage_s": event.outage_s,
    }

"""The fleet watcher against three real sandboxes, one broken at run time, with the history in
a real store (SQLite and PostgreSQL) and alerts to a webhook receiver on loopback."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from tests.support.alert_receivers import WebhookReceiver
from tests.support.sandboxes import start_sandbox
from viva_desktop.services.local.store import fleet_tables, open_store
from viva_desktop.services.monitoring.alerts import AlertPolicy, AlertState
from viva_desktop.services.monitoring.fleet_status import Deployment
from viva_desktop.services.monitoring.health import HealthState
from viva_desktop.services.monitoring.notifiers import WebhookNotifier
from viva_desktop.services.monitoring.silences import SilenceBook, silence
from viva_desktop.services.monitoring.watcher import FleetUpdate, FleetWatcher

STEP = timedelta(seconds=15)


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta = STEP) -> None:
        self.now += delta


@pytest.fixture(scope="module")
def fleet() -> Iterator[dict]:
    servers = {name: start_sandbox(seed=False) for name in ("alpha", "beta", "gamma")}
    try:
        yield servers
    finally:
        for server in servers.values():
            server.stop()


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    server = WebhookReceiver().start()
    try:
        yield server
    finally:
        server.stop()


def deployments(fleet: dict) -> list[Deployment]:
    return [
        Deployment(name, server.url, interval_s=15, tags=("eu",)) for name, server in fleet.items()
    ]


def test_db_down_at_run_time_fires_records_and_recovers(
    fleet: dict, receiver: WebhookReceiver, store_url: str
) -> None:
    clock = FakeClock()
    store = open_store(store_url)
    hook = WebhookNotifier([receiver.url], retries=2, backoff_s=0.01)
    watcher = FleetWatcher(
        deployments(fleet),
        store=store,
        policy=AlertPolicy(pending_checks=2, keep_firing_s=30),
        notifiers=[hook],
        clock=clock,
    )
    updates: list[FleetUpdate] = []
    watcher.add_listener(updates.append)
    try:
        watcher.check_all()
        clock.advance()
        fleet["beta"].set_faults(db_down=True)
        first = {s.profile: s for s in watcher.check_all()}
        assert first["beta"].state is HealthState.UNHEALTHY
        assert first["beta"].alert_state is AlertState.PENDING
        assert receiver.bodies == []
        clock.advance()
        statuses = watcher.check_all()
        # worst first
        assert next(s.profile for s in statuses) == "beta"
        beta = statuses[0]
        assert beta.alert_state is AlertState.FIRING
        assert beta.incident is not None
        assert beta.incident.since == clock.now - STEP
        # an ongoing outage counts: availability is below 100 % while it lasts
        assert beta.availability["24h"].percent is not None
        assert beta.availability["24h"].percent < 100
        assert all(s.availability["24h"].percent == 100 for s in statuses[1:])
        assert receiver.wait_for(lambda bodies: len(bodies) == 1)
        alert = receiver.bodies[0]
        assert (alert["profile"], alert["state"], alert["previous_state"]) == (
            "beta",
            "unhealthy",
            "healthy",
        )
        assert alert["url"] == fleet["beta"].url
        assert alert["alert"] == "firing"

        fleet["beta"].clear_faults()
        for _ in range(3):  # recovering, then the keep-firing period (30 s) passes
            clock.advance()
            watcher.check_all()
        assert watcher.status("beta").alert_state is AlertState.NORMAL
        assert receiver.wait_for(lambda bodies: len(bodies) == 2)
        recovery = receiver.bodies[1]
        assert recovery["alert"] == "resolved"
        assert recovery["state"] == "healthy"
        assert recovery["outage_s"] == 30.0  # from the first bad check to the first good one
        assert "30 s" in recovery["message"]

        # the history per deployment, in the store
        assert len(store.health_samples("beta")) == 6
        assert len(store.health_samples("alpha")) == 6
        with store.read() as conn:
            events = fleet_tables.read_events(conn, "beta")
        assert [e["alert_state"] for e in reversed(events)] == [
            "pending",
            "firing",
            "recovering",
            "normal",
        ]
        assert [e["notified"] for e in reversed(events)] == [False, True, False, True]
        assert any(u.alert is not None and u.alert.notify for u in updates)
    finally:
        fleet["beta"].clear_faults()
        watcher.close()
        store.close()


def test_history_is_read_back_by_a_new_watcher(fleet: dict, tmp_path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 's.sqlite3'}")
    clock = FakeClock()
    try:
        first = FleetWatcher(deployments(fleet)[:1], store=store, clock=clock, check_tls=False)
        for _ in range(4):
            first.check_all()
            clock.advance()
        first.close()
        second = FleetWatcher(deployments(fleet)[:1], store=store, clock=clock)
        [status] = second.check_all()
        assert len(status.heartbeats) == 5
        assert status.availability["24h"].observed_s == pytest.approx(60)
        second.close()
    finally:
        store.close()


def test_silenced_alerts_are_recorded_but_not_sent(
    fleet: dict, receiver: WebhookReceiver, tmp_path
) -> None:
    store = open_store(f"sqlite:///{tmp_path / 's.sqlite3'}")
    clock = FakeClock()
    book = SilenceBook()
    silence(store, "gamma", now=clock.now, duration=timedelta(hours=1), reason="upgrade")
    book.load(store, clock.now)
    watcher = FleetWatcher(
        [d for d in deployments(fleet) if d.profile == "gamma"],
        store=store,
        policy=AlertPolicy(pending_checks=1),
        notifiers=[WebhookNotifier([receiver.url], retries=0)],
        silences=book,
        clock=clock,
    )
    try:
        fleet["gamma"].set_faults(db_down=True)
        [status] = watcher.check_all()
        assert status.alert_state is AlertState.FIRING
        assert status.silenced is not None
        assert "silenced until" in status.silenced
        with store.read() as conn:
            [event] = fleet_tables.read_events(conn, "gamma")
        assert event["silenced"] is True
        assert event["notified"] is False
        assert receiver.attempts == 0
    finally:
        fleet["gamma"].clear_faults()
        watcher.close()
        store.close()


def test_the_scheduler_checks_each_deployment_at_its_own_interval(fleet: dict) -> None:
    fast, slow = deployments(fleet)[:2]
    fast = Deployment(fast.profile, fast.url, interval_s=1)
    slow = Deployment(slow.profile, slow.url, interval_s=3600)
    watcher = FleetWatcher([fast, slow])
    counts: dict[str, int] = {}
    enough = threading.Event()

    def listen(update: FleetUpdate) -> None:
        counts[update.status.profile] = counts.get(update.status.profile, 0) + 1
        if counts.get(fast.profile, 0) >= 3 and counts.get(slow.profile, 0) >= 1:
            enough.set()

    watcher.add_listener(listen)
    watcher.start()
    try:
        assert enough.wait(10)
        assert threading.current_thread().name not in {"fleet-watcher"}
    finally:
        watcher.close()
    assert counts[slow.profile] == 1
    assert counts[fast.profile] >= 3


def test_an_unreachable_deployment_is_no_data_and_does_not_hold_up_the_others(fleet: dict) -> None:
    from tests.support.sandboxes import free_port

    clock = FakeClock()
    dead = Deployment("dead", f"http://127.0.0.1:{free_port()}", timeout_s=1)
    watcher = FleetWatcher(
        [dead, *deployments(fleet)], policy=AlertPolicy(pending_checks=1), clock=clock
    )
    try:
        statuses = watcher.check_all()
        assert statuses[0].profile == "dead"
        assert statuses[0].state is HealthState.DOWN
        assert statuses[0].alert_state is AlertState.NO_DATA
        assert statuses[0].as_json()["incident"]["cause"] == "no_answer"
        assert {s.state for s in statuses[1:]} == {HealthState.HEALTHY}
    finally:
        watcher.close()


def test_the_signed_in_extra_where_a_session_exists() -> None:
    from functools import partial

    from viva_desktop.sandbox.seed import ADMIN_EMAIL, DEMO_PASSWORD
    from viva_desktop.services.monitoring.signed_in import data_route_check
    from viva_desktop.services.remote.api import Api, ApiClient
    from viva_desktop.services.remote.session import Session
    from viva_desktop.services.remote.vault import MemoryVault

    server = start_sandbox()  # seeded: the admin can sign in
    client = ApiClient(server.url, timeout=5)
    watcher = FleetWatcher(policy=AlertPolicy(pending_checks=1))
    try:
        Session("seeded", Api(client), MemoryVault()).login(ADMIN_EMAIL, DEMO_PASSWORD)
        extra = partial(data_route_check, client)
        watcher.set_deployments([Deployment("seeded", server.url, signed_in=extra)])
        [status] = watcher.check_all()
        assert status.signed_in is not None
        assert status.signed_in.ok
        assert status.as_json()["signed_in"]["ok"] is True
        # the health route still says 200 with the database down; the data route does not
        server.set_faults(db_down=True)
        [status] = watcher.check_all()
        assert status.state is HealthState.UNHEALTHY
        assert status.signed_in is not None
        assert not status.signed_in.ok
    finally:
        watcher.close()
        client.close()
        server.stop()


def test_a_check_made_by_the_live_monitor_counts_as_the_watchers_own(fleet: dict) -> None:
    """The app's live monitor of the active server hands its samples over: the deployment's
    status and listeners take them like a check, and the schedule waits a full interval
    before asking that server itself (one request per interval, not two)."""
    import httpx

    from viva_desktop.services.monitoring.health import HealthProbe

    [alpha, beta] = [Deployment(d.profile, d.url, interval_s=600) for d in deployments(fleet)[:2]]
    watcher = FleetWatcher([alpha, beta])
    seen: list[FleetUpdate] = []
    watcher.add_listener(seen.append)
    try:
        assert (watcher.next_check_in(alpha.profile) or 0.0) <= 5.0  # first round: soon
        with httpx.Client() as http:
            sample = HealthProbe(http, alpha.url, alpha.profile).poll()
        status = watcher.take(sample)
        assert status is not None
        assert status.latest is not None
        assert status.latest.taken_at == sample.taken_at
        assert status.state is HealthState.HEALTHY
        assert [u.status.profile for u in seen] == [alpha.profile]
        assert (watcher.next_check_in(alpha.profile) or 0.0) > 590.0
        assert (watcher.next_check_in(beta.profile) or 0.0) <= 5.0  # the others unchanged
        assert watcher.status(beta.profile).latest is None
        assert watcher.take(replace(sample, profile="not-watched")) is None
        assert watcher.next_check_in("not-watched") is None
    finally:
        watcher.close()

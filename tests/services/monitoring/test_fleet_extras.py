"""TLS days left from a real handshake on loopback, channels per deployment, and retention."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.support.alert_receivers import WebhookReceiver, self_signed_certificate
from tests.support.sandboxes import start_sandbox
from viva_desktop.services.local.store import fleet_tables, open_store
from viva_desktop.services.monitoring.alerts import AlertPolicy
from viva_desktop.services.monitoring.fleet_status import Deployment
from viva_desktop.services.monitoring.health import HealthSample, HealthState
from viva_desktop.services.monitoring.notifiers import WebhookNotifier
from viva_desktop.services.monitoring.tls_expiry import certificate_days_left
from viva_desktop.services.monitoring.watcher import FleetWatcher


@pytest.fixture
def https_server(tmp_path: Path) -> Iterator[str]:
    cert, key = self_signed_certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_tls_days_left_even_for_an_untrusted_certificate(https_server: str) -> None:
    days = certificate_days_left(https_server, datetime.now(UTC))
    assert days is not None
    assert 0.9 < days <= 1.0  # the test certificate is valid for a day
    assert certificate_days_left("http://127.0.0.1:1", datetime.now(UTC)) is None


def test_the_watcher_reports_tls_days_for_https(https_server: str) -> None:
    watcher = FleetWatcher([Deployment("tls", https_server, timeout_s=2)])
    try:
        [status] = watcher.check_all()
    finally:
        watcher.close()
    assert status.tls_days_left is not None
    assert status.as_json()["tls_days_left"] == pytest.approx(1.0, abs=0.1)


def test_a_deployment_without_the_webhook_channel_sends_nothing() -> None:
    server = start_sandbox(seed=False)
    receiver = WebhookReceiver().start()
    watcher = FleetWatcher(
        [
            Deployment("quiet", server.url, channels=frozenset({"desktop"})),
            Deployment("loud", server.url, channels=frozenset({"webhook"})),
        ],
        policy=AlertPolicy(pending_checks=1),
        notifiers=[WebhookNotifier([receiver.url], retries=0)],
    )
    try:
        server.set_faults(db_down=True)
        watcher.check_all()
        assert receiver.wait_for(lambda bodies: len(bodies) >= 1)
        assert [b["profile"] for b in receiver.bodies] == ["loud"]
    finally:
        watcher.close()
        receiver.stop()
        server.stop()


def test_history_older_than_the_retention_is_pruned(store_url: str) -> None:
    now = datetime.now(UTC)
    with open_store(store_url) as store:
        old = HealthSample("p", now - timedelta(days=40), HealthState.HEALTHY)
        new = HealthSample("p", now - timedelta(days=1), HealthState.HEALTHY)
        store.add_health_samples([old, new])
        watcher = FleetWatcher(
            [Deployment("p", "http://127.0.0.1:9")],
            store=store,
            retention=timedelta(days=30),
        )
        watcher.feed(HealthSample("p", now, HealthState.HEALTHY))
        watcher.flush()  # writes, then prunes (the first time at once)
        watcher.close()
        assert store.health_samples("p")[0]["taken_at"] > now - timedelta(days=2)
        assert len(store.health_samples("p")) == 2
        with store.read() as conn:
            assert fleet_tables.read_events(conn, "p") == []


@pytest.mark.postgres
def test_one_watcher_records_into_a_team_store(pg_url: str) -> None:
    from viva_desktop.services.monitoring.recorder import RecorderLock

    first_store, second_store = open_store(pg_url), open_store(pg_url)
    now = datetime.now(UTC)
    deployment = Deployment("shared", "http://127.0.0.1:9")
    first = FleetWatcher([deployment], store=first_store)
    second = FleetWatcher([deployment], store=second_store)
    try:
        first.feed(HealthSample("shared", now, HealthState.HEALTHY))
        first.flush()
        second.feed(HealthSample("shared", now, HealthState.HEALTHY))
        second.flush()
        assert len(first_store.health_samples("shared")) == 1  # not one copy per laptop
        # the recorder quits: another takes over when it asks again
        first.close()
        late = RecorderLock(second_store, retry_s=0)
        assert late.holds()
        late.release()
    finally:
        first.close()
        second.close()
        first_store.close()
        second_store.close()


def test_a_personal_store_always_records(tmp_path) -> None:
    from viva_desktop.services.monitoring.recorder import RecorderLock

    with open_store(f"sqlite:///{tmp_path / 's.sqlite3'}") as store:
        assert RecorderLock(store).holds()
    assert not RecorderLock(None).holds()

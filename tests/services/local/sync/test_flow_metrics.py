"""The ADMIN-only flow-economics step of a sync, against the sandbox over HTTP, into SQLite and
PostgreSQL: an ADMIN stores a snapshot of the metrics, a citizen stores none (and its sync
still completes), and a 403 from the server skips the step without failing the run."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from viva_desktop.sandbox.seed import ADMIN_EMAIL, CITIZEN_EMAIL, DEMO_PASSWORD
from viva_desktop.services.local.store import Store, flow_metrics
from viva_desktop.services.local.sync import SyncEngine
from viva_desktop.services.local.sync.flow_metrics import (
    HISTORY_ROUTE,
    METRICS_ROUTE,
    FlowStatus,
)

from .conftest import SignIn

PROFILE = "sandbox"


def server_metrics(url: str) -> dict:
    """The metrics as the server answers them to the admin, read with plain HTTP."""
    with httpx.Client(base_url=url) as http:
        login = http.post("/auth/login", json={"email": ADMIN_EMAIL, "password": DEMO_PASSWORD})
        token = login.json()["access_token"]
        return http.get(METRICS_ROUTE, headers={"Authorization": f"Bearer {token}"}).json()


def test_an_admin_sync_stores_a_snapshot_of_the_metrics(
    sandbox, sign_in: SignIn, synced_store: Store
) -> None:
    client = sign_in(sandbox.url, ADMIN_EMAIL)
    before = datetime.now(UTC)
    report = SyncEngine(client.api, synced_store, PROFILE).run()
    assert report.ok, report.failed
    assert report.flow_metrics.status == FlowStatus.STORED
    account = client.session.user_id
    truth = server_metrics(sandbox.url)

    with synced_store.read() as conn:
        assert flow_metrics.count(conn, PROFILE) == 1
        snapshot = flow_metrics.latest(conn, PROFILE, account, before, datetime.now(UTC))
        # Admin-only data: nobody else's read finds it.
        assert flow_metrics.latest(conn, PROFILE, None, before, datetime.now(UTC)) is None
        assert flow_metrics.latest(conn, PROFILE, "someone", before, datetime.now(UTC)) is None
    assert snapshot is not None
    assert snapshot.values["giniIndex"] == pytest.approx(truth["giniIndex"])
    assert snapshot.values["totalPoolBalance"] == truth["totalPoolBalance"]
    assert snapshot.values["meanBalance"] == truth["meanBalance"]
    assert snapshot.values["medianBalance"] == truth["medianBalance"]
    assert snapshot.values["activeUsers"] == truth["activeUsers"]
    assert snapshot.values["generousUsers"] == truth["generousUsers"]
    assert len(client.calls(HISTORY_ROUTE)) == 1

    # A second whole run adds a second snapshot; a run of some entities adds none.
    SyncEngine(client.api, synced_store, PROFILE).run()
    SyncEngine(client.api, synced_store, PROFILE).run(["offers"])
    with synced_store.read() as conn:
        assert flow_metrics.count(conn, PROFILE, account) == 2


def test_a_citizen_sync_stores_no_metrics_and_completes(
    sandbox, sign_in: SignIn, synced_store: Store
) -> None:
    client = sign_in(sandbox.url, CITIZEN_EMAIL)
    report = SyncEngine(client.api, synced_store, PROFILE).run()
    assert report.ok, report.failed
    assert report.flow_metrics.status == FlowStatus.NOT_ADMIN
    assert client.calls(HISTORY_ROUTE) == []
    assert client.calls(METRICS_ROUTE) == []
    with synced_store.read() as conn:
        assert flow_metrics.count(conn, PROFILE) == 0


def test_a_403_skips_the_step_without_failing_the_run(
    sandbox, sign_in: SignIn, synced_store: Store
) -> None:
    client = sign_in(sandbox.url, ADMIN_EMAIL)
    sandbox.set_faults(error_rate=1.0, error_status=403, paths=[HISTORY_ROUTE])
    report = SyncEngine(client.api, synced_store, PROFILE).run()
    assert report.ok, report.failed
    assert report.flow_metrics.status == FlowStatus.NOT_AVAILABLE
    assert client.calls(METRICS_ROUTE) == []
    with synced_store.read() as conn:
        assert flow_metrics.count(conn, PROFILE) == 0

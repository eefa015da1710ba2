"""The flow-economics figures of a report (issue 16): an ADMIN's report has them, counted here
again from the server's own answer (plain HTTP) and compared with an earlier snapshot; a
citizen's report has nothing about them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.support.synced_sandbox import PROFILE, SyncedSandbox, sync_sandbox
from viva_desktop.sandbox.seed import ADMIN_EMAIL, CITIZEN_EMAIL
from viva_desktop.services.local.store import Store, flow_metrics, open_store
from viva_desktop.services.reports import Period, build_report
from viva_desktop.services.reports.flow import FLOW_FIGURES


@pytest.fixture(scope="module")
def admin_synced(tmp_path_factory: pytest.TempPathFactory) -> SyncedSandbox:
    return sync_sandbox(tmp_path_factory.mktemp("synced-as-admin"), email=ADMIN_EMAIL)


@pytest.fixture(scope="module")
def citizen_synced(tmp_path_factory: pytest.TempPathFactory) -> SyncedSandbox:
    return sync_sandbox(tmp_path_factory.mktemp("synced-as-citizen"), email=CITIZEN_EMAIL)


def opened(synced: SyncedSandbox, folder: Path) -> Iterator[Store]:
    store = open_store(synced.copy_to(folder), attempts=1)
    try:
        yield store
    finally:
        store.close()


@pytest.fixture
def admin_store(admin_synced: SyncedSandbox, tmp_path: Path) -> Iterator[Store]:
    yield from opened(admin_synced, tmp_path)


@pytest.fixture
def citizen_store(citizen_synced: SyncedSandbox, tmp_path: Path) -> Iterator[Store]:
    yield from opened(citizen_synced, tmp_path)


def test_an_admin_report_has_the_flow_figures_of_the_server(
    admin_store: Store, admin_synced: SyncedSandbox
) -> None:
    truth = admin_synced.truth["flow_metrics"]
    period = Period.last_of("month")
    report = build_report(admin_store, PROFILE, admin_synced.account_id, None, period)
    assert report.figure("flow_gini_index").current == pytest.approx(truth["giniIndex"] * 100)
    assert report.figure("flow_total_pool_balance").current == truth["totalPoolBalance"]
    assert report.figure("flow_mean_balance").current == truth["meanBalance"]
    assert report.figure("flow_median_balance").current == truth["medianBalance"]
    assert report.figure("flow_active_users").current == truth["activeUsers"]
    assert report.figure("flow_generous_users").current == truth["generousUsers"]
    assert report.figure("flow_wealth_concentration").current == pytest.approx(
        truth["wealthConcentration"]
    )
    # No snapshot was taken a month ago: nothing to compare with, and the report says so.
    assert report.figure("flow_gini_index").previous is None
    assert any("previous period" in note for note in report.notes)
    assert any(line.startswith("Flow economics of the whole server:") for line in report.summary)
    assert any(line.startswith("Credits in the community pools: ") for line in report.summary)


def test_an_admin_report_compares_with_the_previous_periods_last_snapshot(
    admin_store: Store, admin_synced: SyncedSandbox
) -> None:
    truth = admin_synced.truth["flow_metrics"]
    period = Period.last_of("month")
    account = admin_synced.account_id
    earlier = datetime.combine(period.previous().last, datetime.min.time()).astimezone(UTC)
    older = {**truth, "totalPoolBalance": truth["totalPoolBalance"] - 40, "giniIndex": 0.5}
    oldest = {**truth, "totalPoolBalance": 1}
    with admin_store.write() as conn:
        flow_metrics.add(conn, PROFILE, account, earlier - timedelta(days=3), oldest)
        flow_metrics.add(conn, PROFILE, account, earlier + timedelta(hours=1), older)
    report = build_report(admin_store, PROFILE, account, None, period)
    pools = report.figure("flow_total_pool_balance")
    assert pools.previous == truth["totalPoolBalance"] - 40  # the last one of that period
    assert pools.change == 40
    assert report.figure("flow_gini_index").previous == pytest.approx(50)
    assert any("40 more than in the previous period" in line for line in report.summary)


def test_a_citizen_report_shows_nothing_of_the_flow_economics(
    citizen_store: Store, citizen_synced: SyncedSandbox, admin_synced: SyncedSandbox
) -> None:
    period = Period.last_of("month")
    with citizen_store.read() as conn:
        assert flow_metrics.count(conn, PROFILE) == 0
    # Even if an admin's snapshot sat in the same store (a team store), it is not the
    # citizen's: it is read in the admin's scope only.
    with citizen_store.write() as conn:
        flow_metrics.add(
            conn, PROFILE, admin_synced.account_id, datetime.now(UTC), {"giniIndex": 0.3}
        )
    report = build_report(citizen_store, PROFILE, citizen_synced.account_id, None, period)
    assert not [f for f in report.figures if f.key in FLOW_FIGURES]
    text = " ".join((*report.summary, *report.notes)).lower()
    assert "flow" not in text
    assert "gini" not in text

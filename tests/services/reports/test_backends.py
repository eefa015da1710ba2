"""The report counts the same on both store backends: the seeded sandbox synced into SQLite
and into PostgreSQL, each report checked against the server's own answers."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tests.services.local.store.conftest import (  # noqa: F401 - fixtures of the store tests
    migrated_pg_template,
    store_url,
)
from tests.support.synced_sandbox import PROFILE, sync_sandbox
from viva_desktop.services.local.store import open_store
from viva_desktop.services.reports import Period, build_report, find_community

from .test_builder import ROCHAPEA, community_id, expected

KEYS = ("offers_created", "events_created", "events_held", "attendance", "posts", "credits_in")


def test_the_year_report_matches_the_server_on_each_backend(
    store_url: str,  # noqa: F811 - the fixture imported above
    tmp_path: Path,
) -> None:
    synced = sync_sandbox(tmp_path / "sandbox", store_url=store_url)
    store = open_store(store_url, attempts=1)
    try:
        now = datetime.now(UTC)
        period = Period.last_of("year")
        community = find_community(store, PROFILE, ROCHAPEA)
        report = build_report(store, PROFILE, synced.account_id, community, period, now=now)
        wanted = expected(synced.truth, period, community_id(synced.truth, ROCHAPEA), now)
        assert {k: report.figure(k).current for k in KEYS} == {k: wanted[k] for k in KEYS}
        assert report.figure("offers_created").current > 0
    finally:
        store.close()

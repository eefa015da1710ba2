"""Row counts of tables PostgreSQL never analysed (issue 17, defect 9): the Database page's
"Rows (estimate)" was empty for them. The statistics' live-row count stands in, marked as not
analysed, and an analysed table keeps the planner's estimate."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from tests.services.admin.test_dbmonitor import wait_until
from tests.support.postgres import plain
from viva_desktop.services.admin.dbmonitor import DatabaseMonitor


@pytest.fixture
def monitor(pg_url: str) -> Iterator[DatabaseMonitor]:
    with DatabaseMonitor(pg_url, connect_attempts=2, delay=0.01) as opened:
        yield opened


@pytest.fixture
def admin(pg_url: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(plain(pg_url), autocommit=True) as conn:
        yield conn


def test_a_table_never_analysed_shows_its_live_rows(
    monitor: DatabaseMonitor, admin: psycopg.Connection[Any]
) -> None:
    admin.execute("CREATE TABLE fresh (id int PRIMARY KEY, note text)")
    admin.execute("INSERT INTO fresh SELECT g, repeat('y', 300) FROM generate_series(1, 1200) g")
    admin.execute("CREATE TABLE known (id int PRIMARY KEY, note text)")
    admin.execute("INSERT INTO known SELECT g, repeat('z', 300) FROM generate_series(1, 800) g")
    admin.execute("ANALYZE known")

    def sizes():
        tables = {t.name: t for t in monitor.snapshot().largest_tables}
        fresh = tables.get("fresh")
        return tables if fresh is not None and fresh.estimated_rows else None

    tables = wait_until(sizes)  # the statistics arrive a moment after the inserts
    assert tables["fresh"].analysed is False
    assert tables["fresh"].estimated_rows == 1200
    assert tables["known"].analysed is True
    assert tables["known"].estimated_rows == 800

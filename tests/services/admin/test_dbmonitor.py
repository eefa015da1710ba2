"""The read-only database monitor against the real PostgreSQL of the test command."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import psycopg
import pytest

from tests.support.postgres import plain, row_lock_wait, sleeping_session
from tests.support.sandboxes import free_port
from viva_desktop.services.admin import dbmonitor
from viva_desktop.services.admin.dbmonitor import (
    DatabaseAuthError,
    DatabaseMonitor,
    DatabaseMonitorError,
    DatabasePermissionError,
    DatabaseQueryError,
    DatabaseUnreachableError,
    DbSnapshot,
    describe_target,
    format_bytes,
)
from viva_desktop.services.common.cancel import CancelToken

pytestmark = pytest.mark.postgres

T = TypeVar("T")


def wait_until(probe: Callable[[], T | None], timeout: float = 10.0) -> T:
    """Poll `probe` until it returns something truthy (the database needs a moment to show it)."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        pause.wait(0.02)


@pytest.fixture
def monitor(pg_url: str) -> Iterator[DatabaseMonitor]:
    with DatabaseMonitor(pg_url, connect_attempts=2, delay=0.01) as mon:
        yield mon


@pytest.fixture
def admin(pg_url: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(plain(pg_url), autocommit=True) as conn:
        yield conn


@pytest.fixture
def table(admin: psycopg.Connection[Any]) -> str:
    admin.execute("CREATE TABLE accounts (id int PRIMARY KEY, note text)")
    admin.execute(
        "INSERT INTO accounts SELECT g, repeat('x', 200) FROM generate_series(1, 5000) AS g"
    )
    admin.execute("ANALYZE accounts")
    return "accounts"


def test_ping_and_the_session_is_read_only(monitor: DatabaseMonitor, table: str) -> None:
    assert monitor.ping() > 0
    assert monitor.is_read_only()
    with pytest.raises(DatabaseQueryError) as caught:
        monitor._run(lambda conn: conn.execute("INSERT INTO accounts VALUES (0, 'no')"))
    assert isinstance(caught.value.__cause__, psycopg.errors.ReadOnlySqlTransaction)
    with pytest.raises(DatabaseQueryError):
        monitor._run(lambda conn: conn.execute("CREATE TABLE intruder (a int)"))
    # The session is still usable after a refused write.
    assert monitor.ping() > 0


def test_an_explicit_transaction_is_read_only_too(monitor: DatabaseMonitor, table: str) -> None:
    def write_in_transaction(conn: psycopg.Connection[Any]) -> None:
        with conn.transaction():
            conn.execute("DELETE FROM accounts")

    with pytest.raises(DatabaseQueryError):
        monitor._run(write_in_transaction)


def test_sizes_hit_ratio_version_and_connections(
    monitor: DatabaseMonitor, table: str, admin: psycopg.Connection[Any]
) -> None:
    admin.execute("SELECT count(*) FROM accounts").fetchone()  # some buffer hits
    snap = monitor.snapshot()
    assert isinstance(snap, DbSnapshot)
    assert snap.database == admin.info.dbname
    assert snap.server_version.split(".")[0].isdigit()
    assert snap.uptime_s > 0
    assert snap.max_connections > 0
    assert snap.database_size_bytes > 1_000_000
    largest = snap.largest_tables[0]
    assert (largest.schema, largest.name) == ("public", "accounts")
    assert largest.table_bytes > 1_000_000  # 5000 rows of 200 characters
    assert largest.index_bytes > 0
    assert largest.total_bytes >= largest.table_bytes + largest.index_bytes
    assert largest.estimated_rows == 5000
    assert len(snap.largest_tables) <= 10
    assert snap.cache_hit_ratio is not None
    assert 0.0 < snap.cache_hit_ratio <= 1.0
    assert snap.connections_by_state.get("idle", 0) >= 1  # the admin connection
    assert snap.total_connections >= 1
    assert snap.full_visibility  # the test cluster's superuser sees everything
    assert snap.commits > 0
    assert snap.deadlocks == 0
    assert snap.long_queries == []
    assert snap.locks == []


def test_a_long_query_shows_up(
    monitor: DatabaseMonitor, pg_url: str, admin: psycopg.Connection[Any]
) -> None:
    with sleeping_session(pg_url, admin) as pid:
        found = wait_until(
            lambda: [
                q for q in monitor.snapshot(long_query_seconds=0.2).long_queries if q.pid == pid
            ]
        )
        (query,) = found
        assert query.query == "SELECT pg_sleep(60)"
        assert query.state == "active"
        assert query.duration_s > 0.2
        assert query.user == "postgres"
        assert query.wait_event is not None
        assert "PgSleep" in query.wait_event
        # A higher threshold hides it again.
        assert pid not in [q.pid for q in monitor.snapshot(long_query_seconds=3600).long_queries]


def test_a_row_lock_wait_shows_blocked_and_blocking(
    monitor: DatabaseMonitor, pg_url: str, table: str
) -> None:
    with row_lock_wait(pg_url) as (holder, waiter):
        locks = wait_until(lambda: monitor.snapshot().locks)
        (lock,) = locks
        assert lock.blocked_pid == waiter.info.backend_pid
        assert lock.blocking_pid == holder.info.backend_pid
        assert lock.relation == "accounts"
        assert lock.mode == "ShareLock"
        assert lock.lock_type == "transactionid"
        assert lock.blocked_query == "UPDATE accounts SET note = 'waited' WHERE id = 1"
        assert lock.blocking_query == "SELECT * FROM accounts WHERE id = 1 FOR UPDATE"
        assert lock.waiting_s is not None
        assert lock.waiting_s >= 0
        blocked = monitor.snapshot(long_query_seconds=0).long_queries
        assert waiter.info.backend_pid in [q.pid for q in blocked]
    assert monitor.snapshot().locks == []


def test_unreachable_port_fails_after_the_configured_attempts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = count_connects(monkeypatch)
    target = f"postgresql://viva@127.0.0.1:{free_port()}/viva"
    mon = DatabaseMonitor(target, connect_attempts=3, delay=0.001, backoff=2.0)
    with pytest.raises(DatabaseUnreachableError) as caught:
        mon.ping()
    assert calls == [1, 1, 1]
    assert caught.value.attempts == 3
    assert "127.0.0.1" in caught.value.user_message
    assert "3 times" in caught.value.user_message


def test_cancelling_stops_the_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = count_connects(monkeypatch)
    cancel = CancelToken()
    cancel.cancel()
    target = f"postgresql://viva@127.0.0.1:{free_port()}/viva"
    mon = DatabaseMonitor(target, connect_attempts=5, delay=60, cancel=cancel)
    with pytest.raises(DatabaseUnreachableError) as caught:
        mon.connect()
    assert calls == [1]
    assert caught.value.attempts == 1


def count_connects(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = psycopg.connect

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(dbmonitor.psycopg, "connect", counting)
    return calls


def test_unknown_role_is_an_auth_error_without_retries(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = count_connects(monkeypatch)
    dsn = plain(pg_url).replace("postgres@", "nobody_here@", 1)
    with pytest.raises(DatabaseAuthError) as caught:
        DatabaseMonitor(dsn, connect_attempts=4, delay=0.001).ping()
    assert calls == [1]
    assert "nobody_here@" in caught.value.user_message


def test_missing_database_is_reported_as_such(pg_url: str) -> None:
    dsn = plain(pg_url).rsplit("/", 1)[0] + "/no_such_database"
    with pytest.raises(DatabaseMonitorError) as caught:
        DatabaseMonitor(dsn, connect_attempts=3, delay=0.001).ping()
    assert type(caught.value) is DatabaseMonitorError
    assert "does not exist" in caught.value.user_message


@pytest.fixture
def limited_role(admin: psycopg.Connection[Any]) -> Iterator[str]:
    """A login role without pg_monitor: what a careless set-up would give the app."""
    name = f"viva_ro_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE ROLE "{name}" LOGIN')
    try:
        yield name
    finally:
        admin.execute(f'DROP ROLE IF EXISTS "{name}"')


def test_no_connect_privilege_is_a_permission_error(
    admin: psycopg.Connection[Any], pg_url: str, limited_role: str
) -> None:
    admin.execute(f'REVOKE CONNECT ON DATABASE "{admin.info.dbname}" FROM PUBLIC')
    dsn = plain(pg_url).replace("postgres@", f"{limited_role}@", 1)
    with pytest.raises(DatabasePermissionError) as caught:
        DatabaseMonitor(dsn, connect_attempts=3, delay=0.001).ping()
    assert "pg_monitor" in caught.value.user_message


def test_a_role_without_pg_monitor_sees_no_query_texts_of_others(
    admin: psycopg.Connection[Any], pg_url: str, limited_role: str
) -> None:
    dsn = plain(pg_url).replace("postgres@", f"{limited_role}@", 1)
    with sleeping_session(pg_url, admin) as pid, DatabaseMonitor(dsn) as mon:
        snapshot = mon.snapshot(long_query_seconds=0)
        assert not snapshot.full_visibility
        # Without pg_read_all_stats the query start is hidden too, so the sleeper may not even
        # qualify as long-running; if it shows, its text must be hidden.
        assert all(q.query is None for q in snapshot.long_queries if q.pid == pid)
    admin.execute(f'GRANT pg_monitor TO "{limited_role}"')
    with DatabaseMonitor(dsn) as mon:
        assert mon.snapshot().full_visibility


def test_statement_timeout_is_a_typed_error(pg_url: str) -> None:
    with DatabaseMonitor(pg_url, statement_timeout_ms=50) as mon:
        with pytest.raises(DatabaseQueryError) as caught:
            mon._run(lambda conn: conn.execute("SELECT pg_sleep(5)"))
        assert caught.value.timed_out
        assert "time limit" in caught.value.user_message
        assert mon.ping() > 0


def test_reconnects_after_the_session_was_killed(
    monitor: DatabaseMonitor, admin: psycopg.Connection[Any]
) -> None:
    pid = monitor._run(lambda conn: conn.info.backend_pid)
    admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    assert monitor.ping() > 0
    assert monitor._run(lambda conn: conn.info.backend_pid) != pid
    assert monitor.is_read_only()


def test_messages_never_show_the_password() -> None:
    dsn = "postgresql://viva:hunter2@db.example:6543/prod"
    assert describe_target(dsn) == "viva@db.example:6543/prod"
    assert describe_target("postgresql+psycopg://u@h/d") == "u@h:5432/d"


def test_format_bytes() -> None:
    assert format_bytes(512) == "512 B"
    assert format_bytes(8 * 1024 * 1024) == "8.0 MiB"
    assert format_bytes(3 * 1024**4) == "3.0 TiB"

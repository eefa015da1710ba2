"""Read-only statistics from a deployment's PostgreSQL, for administrators with database access.

The monitor connects with psycopg directly (not through the store's engine: this is somebody
else's production database) and makes its session read-only before it runs anything, so a bug
here can never change the deployment's data. Every statement has a timeout, because the
database being watched is, by definition, possibly in trouble.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg import conninfo, sql

from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.services.common.i18n import translate

APPLICATION_NAME = "viva-desktop monitor"


# --------------------------------------------------------------------------- errors


class DatabaseMonitorError(Exception):
    """Base of the monitor's errors: `user_message` for people, `str(error)` for the logs."""

    def __init__(self, user_message: str, technical: str = "", *, target: str = "") -> None:
        super().__init__(technical or user_message)
        self.user_message = user_message
        self.technical = technical
        self.target = target  # user@host:port/dbname, never with the password


class DatabaseUnreachableError(DatabaseMonitorError):
    """No connection after every attempt: wrong host or port, server down, network."""

    def __init__(self, technical: str, *, target: str, attempts: int) -> None:
        super().__init__(
            translate(
                "DbMonitor",
                "Cannot reach the database server {target} (tried {attempts} times). Check the "
                "host and port, and that the server accepts connections from this computer.",
            ).format(target=target, attempts=attempts),
            technical,
            target=target,
        )
        self.attempts = attempts


class DatabaseAuthError(DatabaseMonitorError):
    """The server refused the credentials (wrong password, unknown role, no pg_hba entry)."""

    def __init__(self, technical: str, *, target: str) -> None:
        super().__init__(
            translate(
                "DbMonitor",
                "The database server {target} refused the user name or password. Check the "
                "credentials of the read-only monitoring account.",
            ).format(target=target),
            technical,
            target=target,
        )


class DatabasePermissionError(DatabaseMonitorError):
    """Connected (or tried to) but the role may not do what the monitor needs."""

    def __init__(self, technical: str, *, target: str) -> None:
        super().__init__(
            translate(
                "DbMonitor",
                "The monitoring account lacks a permission on {target}. Grant it CONNECT on the "
                "database and the pg_monitor role.",
            ).format(target=target),
            technical,
            target=target,
        )


class DatabaseQueryError(DatabaseMonitorError):
    """A statistics query failed or took longer than the statement timeout."""

    def __init__(self, technical: str, *, target: str, timed_out: bool = False) -> None:
        message = (
            translate(
                "DbMonitor",
                "The database {target} did not answer a statistics query within the time limit; "
                "it may be overloaded.",
            )
            if timed_out
            else translate("DbMonitor", "A statistics query failed on {target}.")
        )
        super().__init__(message.format(target=target), technical, target=target)
        self.timed_out = timed_out


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class LongQuery:
    pid: int
    user: str | None
    database: str | None
    state: str | None
    duration_s: float
    query: str | None  # None when the monitoring role may not see other roles' queries
    wait_event: str | None = None
    application: str | None = None


@dataclass(frozen=True)
class LockWait:
    blocked_pid: int
    blocked_user: str | None
    blocking_pid: int
    blocking_user: str | None
    mode: str | None  # the lock mode the blocked session waits for
    lock_type: str | None
    relation: str | None
    waiting_s: float | None
    blocked_query: str | None
    blocking_query: str | None


@dataclass(frozen=True)
class TableSize:
    schema: str
    name: str
    total_bytes: int
    table_bytes: int
    index_bytes: int
    estimated_rows: int | None  # the planner's estimate; the live count when never analysed
    analysed: bool = True  # False: never analysed, `estimated_rows` is the statistics' count


@dataclass(frozen=True)
class DbSnapshot:
    taken_at: datetime
    database: str
    server_version: str
    uptime_s: float
    max_connections: int
    connections_by_state: dict[str, int]
    long_queries: list[LongQuery]
    locks: list[LockWait]
    database_size_bytes: int
    largest_tables: list[TableSize]
    cache_hit_ratio: float | None  # None before any block was read
    commits: int
    rollbacks: int
    deadlocks: int
    full_visibility: bool  # False: other roles' queries are hidden (grant pg_monitor)
    long_query_threshold_s: float = field(default=0.0)

    @property
    def total_connections(self) -> int:
        return sum(self.connections_by_state.values())


def format_bytes(size: int) -> str:
    """Human-readable size (binary units), e.g. `8.0 MiB`."""
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(value) < 1024 or unit == "TiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TiB"  # pragma: no cover - loop always returns


# --------------------------------------------------------------------------- queries

_CONNECTIONS = """
SELECT coalesce(state, 'unknown') AS state, count(*)
FROM pg_stat_activity
WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
GROUP BY 1 ORDER BY 2 DESC, 1
"""

_LONG_QUERIES = """
SELECT a.pid, a.usename, a.datname, a.state,
       extract(epoch FROM clock_timestamp() - a.query_start)::float8 AS duration,
       CASE WHEN a.query = '<insufficient privilege>' THEN NULL ELSE left(a.query, %(chars)s) END,
       CASE WHEN a.wait_event IS NULL THEN NULL ELSE a.wait_event_type || ': ' || a.wait_event END,
       a.application_name
FROM pg_stat_activity a
WHERE a.backend_type = 'client backend'
  AND a.pid <> pg_backend_pid()
  AND a.state IS DISTINCT FROM 'idle'
  AND a.query_start IS NOT NULL
  AND clock_timestamp() - a.query_start > make_interval(secs => %(threshold)s)
ORDER BY duration DESC
LIMIT %(limit)s
"""

# A row lock wait shows as a wait on the holder's transaction id; the relation then comes from
# the tuple lock the waiter already holds.
_LOCKS = """
SELECT w.pid, wa.usename, w.blocking, ba.usename, wl.mode, wl.locktype,
       coalesce(wl.relation,
                (SELECT t.relation FROM pg_locks t
                 WHERE t.pid = w.pid AND t.locktype = 'tuple' LIMIT 1))::regclass::text,
       extract(epoch FROM clock_timestamp() - coalesce(wl.waitstart, wa.query_start))::float8,
       CASE WHEN wa.query = '<insufficient privilege>' THEN NULL ELSE left(wa.query, %(chars)s) END,
       CASE WHEN ba.query = '<insufficient privilege>' THEN NULL ELSE left(ba.query, %(chars)s) END
FROM (SELECT pid, unnest(pg_blocking_pids(pid)) AS blocking FROM pg_stat_activity
      WHERE wait_event_type = 'Lock') AS w
JOIN pg_stat_activity wa ON wa.pid = w.pid
LEFT JOIN pg_stat_activity ba ON ba.pid = w.blocking
LEFT JOIN LATERAL (SELECT l.mode, l.locktype, l.relation, {waitstart_column} AS waitstart
                   FROM pg_locks l WHERE l.pid = w.pid AND NOT l.granted LIMIT 1) wl ON true
ORDER BY 8 DESC NULLS LAST, w.pid
LIMIT %(limit)s
"""


def _locks_query(server_version: int) -> str:
    """`pg_locks.waitstart` exists from PostgreSQL 14 on; older servers use the query start."""
    column = "l.waitstart" if server_version >= 140000 else "NULL::timestamptz"
    return _LOCKS.replace("{waitstart_column}", column)


_LARGEST_TABLES = """
SELECT n.nspname, c.relname, pg_total_relation_size(c.oid), pg_table_size(c.oid),
       pg_indexes_size(c.oid), c.reltuples::bigint, s.n_live_tup
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid
WHERE c.relkind IN ('r', 'p', 'm')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\\_toast%%'
  AND n.nspname NOT LIKE 'pg\\_temp%%'
ORDER BY 3 DESC, 1, 2
LIMIT %(limit)s
"""


def _table_size(
    schema: str, name: str, total: int, table: int, index: int, rows: int, live: int | None
) -> TableSize:
    """A table's sizes. PostgreSQL keeps -1 as the row estimate of a table never analysed
    (0 before version 14): the statistics' live-row count stands in, and says so."""
    if rows is not None and rows > 0:
        return TableSize(schema, name, total, table, index, int(rows))
    return TableSize(schema, name, total, table, index, live, analysed=False)


_DATABASE = """
SELECT current_database(), pg_database_size(current_database()),
       current_setting('server_version'),
       extract(epoch FROM now() - pg_postmaster_start_time())::float8,
       current_setting('max_connections')::int,
       d.blks_hit, d.blks_read, d.xact_commit, d.xact_rollback, d.deadlocks
FROM pg_stat_database d WHERE d.datname = current_database()
"""

_VISIBILITY = """
SELECT r.rolsuper OR pg_has_role(current_user, 'pg_read_all_stats', 'MEMBER')
FROM pg_roles r WHERE r.rolname = current_user
"""


# --------------------------------------------------------------------------- the monitor

_AUTH_MARKERS = (
    "password authentication failed",
    "authentication failed",
    "no password supplied",
    "does not exist",  # role "x" does not exist; refined below for databases
    "no pg_hba.conf entry",
    "pg_hba.conf rejects",
    "password is required",
)
_PERMISSION_MARKERS = ("permission denied", "must be superuser", "not permitted to log in")


def _normalise_dsn(dsn: str) -> str:
    """Accept SQLAlchemy-style URLs too (`postgresql+psycopg://`)."""
    for prefix in ("postgresql+psycopg://", "postgresql+psycopg2://", "postgres+psycopg://"):
        if dsn.startswith(prefix):
            return "postgresql://" + dsn[len(prefix) :]
    return dsn


def describe_target(dsn: str) -> str:
    """`user@host:port/dbname` for messages: never the password."""
    try:
        info = conninfo.conninfo_to_dict(_normalise_dsn(dsn))
    except psycopg.ProgrammingError:
        return translate("DbMonitor", "(invalid connection string)")
    user = info.get("user") or ""
    host = info.get("host") or info.get("hostaddr") or "localhost"
    port = info.get("port") or "5432"
    dbname = info.get("dbname") or user
    return f"{user + '@' if user else ''}{host}:{port}/{dbname}"


class DatabaseMonitor:
    """A read-only session on one PostgreSQL database, with the statistics a dashboard needs.

    Thread-safe: calls are serialised on one connection. The connection is opened on first use
    and re-opened after it breaks.
    """

    def __init__(
        self,
        dsn: str,
        *,
        password: str | None = None,
        connect_attempts: int = 5,
        delay: float = 1.0,
        backoff: float = 2.0,
        connect_timeout: float = 5.0,
        statement_timeout_ms: int = 5000,
        query_chars: int = 300,
        cancel: CancelToken | None = None,
    ) -> None:
        if connect_attempts < 1:
            raise ValueError("connect_attempts must be at least 1")
        self._dsn = _normalise_dsn(dsn)
        self._password = password
        self.connect_attempts = connect_attempts
        self.delay = delay
        self.backoff = backoff
        self.connect_timeout = connect_timeout
        self.statement_timeout_ms = statement_timeout_ms
        self.query_chars = query_chars
        self._cancel = cancel
        self.target = describe_target(dsn)
        self._lock = threading.RLock()
        self._conn: psycopg.Connection[Any] | None = None

    # -- connection ---------------------------------------------------------------------------

    def connect(self) -> None:
        """Open the read-only session, retrying connection failures with backoff."""
        with self._lock:
            if self._conn is not None and not self._conn.closed and not self._conn.broken:
                return
            self._conn = self._open_with_retry()

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> DatabaseMonitor:
        self.connect()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _open_with_retry(self) -> psycopg.Connection[Any]:
        wait = self.delay
        last = ""
        for attempt in range(1, self.connect_attempts + 1):
            try:
                return self._open()
            except psycopg.OperationalError as exc:
                text = str(exc)
                kind = _classify_connect_failure(text)
                if kind == "auth":
                    raise DatabaseAuthError(text, target=self.target) from exc
                if kind == "permission":
                    raise DatabasePermissionError(text, target=self.target) from exc
                if kind == "missing-database":
                    raise DatabaseMonitorError(
                        translate("DbMonitor", "The database {target} does not exist.").format(
                            target=self.target
                        ),
                        text,
                        target=self.target,
                    ) from exc
                last = text
            if attempt < self.connect_attempts:
                if self._sleep(wait):
                    break
                wait *= self.backoff
        raise DatabaseUnreachableError(last, target=self.target, attempts=attempt)

    def _sleep(self, seconds: float) -> bool:
        """Backoff pause; True when cancelled meanwhile."""
        if self._cancel is not None:
            return self._cancel.wait(seconds)
        time.sleep(seconds)
        return False

    def _open(self) -> psycopg.Connection[Any]:
        kwargs: dict[str, Any] = {
            "autocommit": True,
            "connect_timeout": max(1, round(self.connect_timeout)),
            "application_name": APPLICATION_NAME,
        }
        if self._password is not None:
            kwargs["password"] = self._password
        conn = psycopg.connect(self._dsn, **kwargs)
        try:
            # Session defaults: every implicit transaction is read-only and bounded in time.
            conn.execute("SET default_transaction_read_only = on")
            conn.execute(
                sql.SQL("SET statement_timeout = {}").format(
                    sql.Literal(int(self.statement_timeout_ms))
                )
            )
            conn.execute("SET lock_timeout = '1s'")
            conn.execute("SET idle_in_transaction_session_timeout = '60s'")
        except BaseException:
            conn.close()
            raise
        return conn

    def _run(self, fn: Callable[[psycopg.Connection[Any]], Any]) -> Any:
        """Run `fn` on the session, reconnecting once if the connection had broken."""
        with self._lock:
            for reconnect in (False, True):
                self.connect()
                assert self._conn is not None
                try:
                    return fn(self._conn)
                except psycopg.errors.InsufficientPrivilege as exc:
                    raise DatabasePermissionError(str(exc), target=self.target) from exc
                except psycopg.errors.QueryCanceled as exc:
                    raise DatabaseQueryError(str(exc), target=self.target, timed_out=True) from exc
                except psycopg.OperationalError as exc:
                    if self._conn is not None and (self._conn.broken or self._conn.closed):
                        self._conn = None
                        if not reconnect:
                            continue
                        raise DatabaseUnreachableError(
                            str(exc), target=self.target, attempts=1
                        ) from exc
                    raise DatabaseQueryError(str(exc), target=self.target) from exc
                except psycopg.Error as exc:
                    raise DatabaseQueryError(str(exc), target=self.target) from exc
            raise AssertionError("unreachable")  # pragma: no cover

    # -- statistics ---------------------------------------------------------------------------

    def ping(self) -> float:
        """Round trip of `SELECT 1`, in milliseconds."""

        def go(conn: psycopg.Connection[Any]) -> float:
            started = time.perf_counter()
            conn.execute("SELECT 1").fetchone()
            return (time.perf_counter() - started) * 1000.0

        return float(self._run(go))

    def is_read_only(self) -> bool:
        """Whether the session still refuses writes (it always should)."""
        return bool(
            self._run(
                lambda conn: (
                    conn.execute("SHOW default_transaction_read_only").fetchone()[0] == "on"
                )
            )
        )

    def snapshot(
        self,
        *,
        long_query_seconds: float = 30.0,
        max_rows: int = 50,
        largest: int = 10,
    ) -> DbSnapshot:
        """Everything the database panel shows, read in one round of queries."""
        chars = self.query_chars

        def go(conn: psycopg.Connection[Any]) -> DbSnapshot:
            row = conn.execute(_DATABASE).fetchone()
            if row is None:
                raise DatabaseQueryError(
                    "pg_stat_database has no row for the current database", target=self.target
                )
            (name, size, version, uptime, max_conn, hit, read, commits, rollbacks, deadlocks) = row
            states = {state: count for state, count in conn.execute(_CONNECTIONS).fetchall()}
            long_queries = [
                LongQuery(pid, user, db, state, duration, query, wait, app or None)
                for pid, user, db, state, duration, query, wait, app in conn.execute(
                    _LONG_QUERIES,
                    {"threshold": float(long_query_seconds), "chars": chars, "limit": max_rows},
                ).fetchall()
            ]
            locks = [
                LockWait(*values)
                for values in conn.execute(
                    _locks_query(conn.info.server_version), {"chars": chars, "limit": max_rows}
                ).fetchall()
            ]
            tables = [
                _table_size(schema, rel, total, table, index, rows, live)
                for schema, rel, total, table, index, rows, live in conn.execute(
                    _LARGEST_TABLES, {"limit": largest}
                ).fetchall()
            ]
            visibility = conn.execute(_VISIBILITY).fetchone()
            total_blocks = (hit or 0) + (read or 0)
            return DbSnapshot(
                taken_at=datetime.now(UTC),
                database=name,
                server_version=version,
                uptime_s=float(uptime),
                max_connections=int(max_conn),
                connections_by_state=states,
                long_queries=long_queries,
                locks=locks,
                database_size_bytes=int(size),
                largest_tables=tables,
                cache_hit_ratio=(hit / total_blocks) if total_blocks else None,
                commits=int(commits or 0),
                rollbacks=int(rollbacks or 0),
                deadlocks=int(deadlocks or 0),
                full_visibility=bool(visibility and visibility[0]),
                long_query_threshold_s=float(long_query_seconds),
            )

        snapshot: DbSnapshot = self._run(go)
        return snapshot


_MISSING_DATABASE = re.compile(r'database "[^"]*" does not exist')


def _classify_connect_failure(text: str) -> str:
    """'auth', 'permission', 'missing-database' or 'unreachable' (the only retried kind)."""
    lowered = text.lower()
    if _MISSING_DATABASE.search(lowered):
        return "missing-database"
    if any(marker in lowered for marker in _PERMISSION_MARKERS):
        return "permission"
    if any(marker in lowered for marker in _AUTH_MARKERS):
        return "auth"
    return "unreachable"

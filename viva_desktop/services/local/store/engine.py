"""Engines for the store: SQLite (the per-user default) or PostgreSQL (a shared team database).

SQLite runs in WAL mode (readers never wait for the sync writer), with foreign keys on and a
busy timeout. Python's sqlite3 module is told to stay out of transaction handling so that
SQLAlchemy's BEGIN is real (DDL included), and write transactions start with
`BEGIN IMMEDIATE` so two writers queue up instead of failing on a lock upgrade.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, make_url

from viva_desktop.services.common.cancel import NEVER_CANCELLED, CancelToken
from viva_desktop.services.common.paths import default_store_path, ensure
from viva_desktop.services.local.store.errors import StoreUnavailable, redact_url

BUSY_TIMEOUT_MS = 10_000
WRITE_OPTION = "viva_write"


def default_store_url() -> str:
    return f"sqlite:///{default_store_path()}"


def normalise_url(url: str | URL | None) -> URL:
    """The URL to use: the default SQLite file when none, psycopg 3 for PostgreSQL."""
    parsed = make_url(str(url) if url else default_store_url())
    if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() in ("", "psycopg2"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise ValueError(f"unsupported store backend: {parsed.get_backend_name()}")
    return parsed


def sqlite_path(url: URL) -> Path | None:
    """The database file of an SQLite URL (None for in-memory databases)."""
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database).expanduser()


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (see _sqlite_begin)
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA temp_store = MEMORY")
    finally:
        cursor.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    mode = "IMMEDIATE" if conn.get_execution_options().get(WRITE_OPTION) else "DEFERRED"
    conn.exec_driver_sql(f"BEGIN {mode}")


def create_store_engine(url: str | URL | None, *, connect_timeout: float = 5.0) -> sa.Engine:
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(parsed)
        if path is not None:
            ensure(path.parent)
        engine = sa.create_engine(
            parsed,
            connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
            pool_pre_ping=False,
        )
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return sa.create_engine(
        parsed,
        connect_args={
            "connect_timeout": max(1, round(connect_timeout)),
            "application_name": "viva-desktop",
        },
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=5,
    )


@dataclass(frozen=True)
class StoreHealth:
    ok: bool
    latency_ms: float | None
    backend: str  # "sqlite" or "postgresql"
    message: str


def ping(engine: sa.Engine) -> float:
    """Run `SELECT 1`; the round trip in milliseconds."""
    started = time.perf_counter()
    with engine.connect() as conn:
        value = conn.execute(sa.text("SELECT 1")).scalar()
    if value != 1:
        raise sa.exc.OperationalError("SELECT 1", {}, RuntimeError(f"unexpected reply {value!r}"))
    return (time.perf_counter() - started) * 1000


# PostgreSQL's SQLSTATEs for a transaction it rolled back to let another one go on.
_CONFLICT_CODES = frozenset({"40P01", "40001"})  # deadlock_detected, serialization_failure


def is_write_conflict(exc: sa.exc.DBAPIError) -> bool:
    """Whether the database rolled this transaction back because of a concurrent writer (so
    running it again is safe and likely to succeed)."""
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    return code in _CONFLICT_CODES


def connect_with_retry(
    url: str | URL | None,
    *,
    attempts: int = 5,
    delay: float = 0.5,
    backoff: float = 2.0,
    cancel: CancelToken = NEVER_CANCELLED,
    on_retry: Callable[[int, Exception, float], None] | None = None,
) -> sa.Engine:
    """An engine whose database answered `SELECT 1`, after up to `attempts` tries.

    Waits `delay`, then `delay * backoff`, ... between tries; raises `StoreUnavailable`.
    """
    parsed = normalise_url(url)
    shown = parsed.render_as_string(hide_password=False)
    last: Exception | None = None
    wait = delay
    tries = max(1, attempts)
    for attempt in range(1, tries + 1):
        engine = create_store_engine(parsed)
        try:
            ping(engine)
            return engine
        except (sa.exc.DBAPIError, OSError) as exc:
            engine.dispose()
            last = exc
        if attempt == tries:
            break
        if on_retry is not None:
            on_retry(attempt, last, wait)
        if cancel.wait(wait):
            break
        wait *= backoff
    reason = _short_reason(last)
    raise StoreUnavailable(shown, reason, attempts=attempt) from last


def _short_reason(exc: Exception | None) -> str:
    if exc is None:
        return "unknown error"
    original = getattr(exc, "orig", None) or exc
    text = str(original).strip().splitlines()
    return text[0] if text else type(original).__name__


__all__ = [
    "StoreHealth",
    "connect_with_retry",
    "create_store_engine",
    "default_store_url",
    "is_write_conflict",
    "normalise_url",
    "ping",
    "redact_url",
    "sqlite_path",
]

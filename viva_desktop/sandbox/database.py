"""The sandbox's database: one SQLite database (a file or private memory) written by one request
at a time, reached through a `UnitOfWork` per request, and switched off by the `db_down` fault.
The tables are in `storage.py`."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.pool import StaticPool
from sqlalchemy.util import LRUCache

from viva_desktop.sandbox.errors import DatabaseError
from viva_desktop.sandbox.storage import metadata


def sqlite_url(database: str | None) -> str:
    """`None` -> private in-memory database; a plain path or a `sqlite:///` URL -> that file."""
    if database is None or database in ("", ":memory:"):
        return "sqlite://"
    if "://" in database:
        if not database.startswith("sqlite"):
            raise ValueError(
                "the sandbox stores its data in SQLite: give a file path or sqlite:/// URL"
            )
        return database
    return f"sqlite:///{Path(database).expanduser().resolve()}"


# Every sandbox compiles the same statements for the same dialect: share the compiled forms
# across engines, so a fresh server does not pay for compiling them again.
_COMPILED = LRUCache(4000)


class DatabaseUnavailable(DatabaseError):
    """Raised on every access while the `db_down` fault is on."""


class UnitOfWork:
    """One request's database work: the connection (and the lock) are taken on first use, so
    routes that never touch the database keep working while it is down, as upstream."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._conn: sa.Connection | None = None
        self._transaction: sa.RootTransaction | None = None

    @property
    def conn(self) -> sa.Connection:
        if self._conn is None:
            self._conn, self._transaction = self._database.begin()
        return self._conn

    @property
    def started(self) -> bool:
        return self._conn is not None

    def finish(self, commit: bool) -> None:
        if self._conn is None:
            return
        try:
            if self._transaction is not None and self._transaction.is_active:
                if commit:
                    self._transaction.commit()
                else:
                    self._transaction.rollback()
        finally:
            self._conn.close()
            self._conn = None
            self._database.release()


class Database:
    """A single SQLite connection guarded by a lock: simple, thread-safe and fast enough."""

    def __init__(self, url: str | None = None) -> None:
        self.url = sqlite_url(url)
        self.in_memory = self.url in ("sqlite://", "sqlite:///:memory:")
        engine = sa.create_engine(
            self.url, poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
        sa.event.listen(engine, "connect", self._on_connect)
        self.engine = engine.execution_options(compiled_cache=_COMPILED)
        self._lock = threading.RLock()
        self.down = False

    def _on_connect(self, dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if not self.in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    def create_schema(self) -> None:
        with self._lock:
            metadata.create_all(self.engine)

    def copy_from(self, source: Database) -> None:
        """Replace this database's content with another's (SQLite's online backup)."""
        with source._lock, self._lock:
            target = self.engine.raw_connection()
            origin = source.engine.raw_connection()
            try:
                origin.driver_connection.backup(target.driver_connection)
            finally:
                origin.close()
                target.close()

    def begin(self) -> tuple[sa.Connection, sa.RootTransaction]:
        if self.down:
            raise DatabaseUnavailable("Can't reach database server (sandbox fault: db_down)")
        self._lock.acquire()
        try:
            conn = self.engine.connect()
            return conn, conn.begin()
        except BaseException:
            self._lock.release()
            raise

    def release(self) -> None:
        self._lock.release()

    def unit(self) -> UnitOfWork:
        return UnitOfWork(self)

    @contextmanager
    def transaction(self) -> Iterator[sa.Connection]:
        unit = self.unit()
        try:
            yield unit.conn
        except BaseException:
            unit.finish(commit=False)
            raise
        unit.finish(commit=True)

    def ping(self) -> None:
        """`SELECT 1`, as the real health check does."""
        with self.transaction() as conn:
            conn.execute(sa.text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()

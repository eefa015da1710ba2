"""PostgreSQL helpers for tests on the throwaway cluster of the test command: scratch
databases, and other sessions to watch (a long query, a lock wait)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import sqlalchemy as sa


def plain(url: str) -> str:
    """psycopg's own form of a SQLAlchemy `postgresql+psycopg://` URL."""
    return url.replace("postgresql+psycopg://", "postgresql://")


def sibling(server_url: str, database: str) -> str:
    """The URL of another database on the same server."""
    return server_url.rsplit("/", 1)[0] + "/" + database


@contextmanager
def scratch_database(
    server_url: str, *, prefix: str = "viva_test", template: str | None = None
) -> Iterator[str]:
    """A new database (a copy of `template` when given), dropped afterwards even while in
    use; yields its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"{copy}'))
    try:
        yield sibling(server_url, name)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def sleeping_session(url: str, admin: psycopg.Connection[Any]) -> Iterator[int]:
    """Another session running `SELECT pg_sleep(60)`; cancelled on exit. Yields its pid."""
    sleeper = psycopg.connect(plain(url), autocommit=True)
    pid = sleeper.info.backend_pid
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            sleeper.execute("SELECT pg_sleep(60)")
        except psycopg.errors.QueryCanceled as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    try:
        yield pid
    finally:
        admin.execute("SELECT pg_cancel_backend(%s)", (pid,))
        thread.join()
        sleeper.close()
    assert outcome, "the sleeping query should have been cancelled"


@contextmanager
def row_lock_wait(url: str) -> Iterator[tuple[psycopg.Connection[Any], psycopg.Connection[Any]]]:
    """(holder, waiter): `holder` locks row 1 of `accounts` FOR UPDATE and `waiter`, in a
    thread, waits to update it; on exit the lock is released and both sessions closed."""
    holder = psycopg.connect(plain(url))
    waiter = psycopg.connect(plain(url), autocommit=True)
    holder.execute("SELECT * FROM accounts WHERE id = 1 FOR UPDATE")
    thread = threading.Thread(
        target=waiter.execute, args=("UPDATE accounts SET note = 'waited' WHERE id = 1",)
    )
    thread.start()
    try:
        yield holder, waiter
    finally:
        holder.rollback()
        thread.join()
        holder.close()
        waiter.close()

"""Who writes the fleet's history into a shared (PostgreSQL) team store.

Every app and headless watcher on a team store watches the whole fleet, but if each one wrote
its checks, the history would hold one copy per laptop and the alert history one entry per
watcher. So one of them is the *recorder*: it holds a PostgreSQL session advisory lock on a
connection of its own for as long as it runs; the others watch and alert as usual but write
nothing, and ask again now and then, so another takes over within a minute when the recorder
quits. A SQLite store is one person's: its watcher always records.
"""

from __future__ import annotations

import logging
import threading
import time

import sqlalchemy as sa

from viva_desktop.services.local.store import Store

log = logging.getLogger("viva.monitoring.fleet")

LOCK_NAMESPACE = 0x56495642  # "VIVB", the store's namespace for advisory locks
LOCK_NAME = "fleet-history-recorder"
RETRY_S = 60.0


class RecorderLock:
    def __init__(self, store: Store | None, retry_s: float = RETRY_S) -> None:
        self.store = store
        self.retry_s = retry_s
        self._conn: sa.Connection | None = None
        self._asked_at: float | None = None
        self._lock = threading.Lock()

    @property
    def shared(self) -> bool:
        return self.store is not None and self.store.backend == "postgresql"

    def holds(self) -> bool:
        """Whether this watcher records (asking for the lock when it is time to)."""
        if self.store is None:
            return False
        if not self.shared:
            return True
        with self._lock:
            if self._conn is not None:
                return True
            now = time.monotonic()
            if self._asked_at is not None and now - self._asked_at < self.retry_s:
                return False
            self._asked_at = now
            conn = None
            try:
                conn = self.store.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
                got = bool(
                    conn.execute(
                        sa.text("SELECT pg_try_advisory_lock(:ns, hashtext(:name))"),
                        {"ns": LOCK_NAMESPACE, "name": LOCK_NAME},
                    ).scalar()
                )
            except sa.exc.SQLAlchemyError as exc:
                log.warning("could not ask who records the fleet history: %s", exc)
                got = False
            if got:
                self._conn = conn
                log.info("this watcher records the fleet history in the team store")
            elif conn is not None:
                conn.close()
            return got

    def release(self) -> None:
        with self._lock:
            conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.execute(
                    sa.text("SELECT pg_advisory_unlock(:ns, hashtext(:name))"),
                    {"ns": LOCK_NAMESPACE, "name": LOCK_NAME},
                )
            except sa.exc.SQLAlchemyError:
                pass  # closing the connection releases it anyway
            finally:
                conn.close()

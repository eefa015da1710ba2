"""The offline store: one object the UI's table models, the sync engine and the outbox share.

`open_store()` connects with retry, rejects a damaged SQLite file (moving it aside), backs a
SQLite file up before upgrading its schema, and brings the schema to the newest revision.
Every method opens its own connection, so a `Store` can be used from any worker thread.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any, TypeVar

import sqlalchemy as sa

from viva_desktop.services.common.cancel import NEVER_CANCELLED, CancelToken
from viva_desktop.services.common.i18n import translate
from viva_desktop.services.local.store import (
    health_samples,
    migrate,
    sqlite_file,
    syncstate,
    writes,
)
from viva_desktop.services.local.store.engine import (
    WRITE_OPTION,
    StoreHealth,
    connect_with_retry,
    is_write_conflict,
    normalise_url,
    ping,
    sqlite_path,
)
from viva_desktop.services.local.store.entities import SPECS, spec_for
from viva_desktop.services.local.store.errors import (
    StoreMigrationError,
    StoreUnavailable,
    redact_url,
)
from viva_desktop.services.local.store.export import (
    BATCH,
    ExportFormat,
    atomic_text_file,
    write_csv,
    write_json,
)
from viva_desktop.services.local.store.models import LocalChange
from viva_desktop.services.local.store.queries import (
    Filters,
    Row,
    Sort,
    count_rows,
    facet_rows,
    range_of,
    select_rows,
    to_row,
    to_rows,
)
from viva_desktop.services.local.store.scopes import scope_clauses, state_account
from viva_desktop.services.local.store.sqlite_file import CorruptionRecovery
from viva_desktop.services.local.store.syncstate import SyncState

log = logging.getLogger("viva.store")
T = TypeVar("T")


@dataclass(frozen=True)
class DataAge:
    """How old one entity's local copy is: every view shows it."""

    count: int
    oldest: datetime | None
    newest: datetime | None


class Store:
    def __init__(
        self,
        engine: sa.Engine,
        *,
        recovered_from_corruption: CorruptionRecovery | None = None,
        backup: Path | None = None,
        upgraded_from: str | None = None,
    ) -> None:
        self.engine = engine
        self.backend: str = engine.dialect.name
        self.url = redact_url(engine.url.render_as_string(hide_password=False))
        self.path: Path | None = sqlite_path(engine.url)
        # Set when the SQLite file was damaged and replaced by an empty store: resync.
        self.recovered_from_corruption = recovered_from_corruption
        # The copy made before this open upgraded the schema, if any.
        self.backup = backup
        self.upgraded_from = upgraded_from
        self._closed = threading.Event()

    # ------------------------------------------------------------------ lifecycle

    def close(self) -> None:
        self._closed.set()
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def health_check(self) -> StoreHealth:
        """Status and `SELECT 1` latency, for the status bar and the health dashboard."""
        try:
            latency = ping(self.engine)
        except (sa.exc.DBAPIError, OSError) as exc:
            reason = str(getattr(exc, "orig", exc)).strip().splitlines()
            return StoreHealth(
                False,
                None,
                self.backend,
                translate("Store", "Store unreachable: {reason}").format(
                    reason=reason[0] if reason else type(exc).__name__
                ),
            )
        return StoreHealth(True, latency, self.backend, translate("Store", "Store reachable"))

    @contextlib.contextmanager
    def read(self) -> Iterator[sa.Connection]:
        """A connection for a consistent read (one snapshot for everything inside)."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextlib.contextmanager
    def write(self) -> Iterator[sa.Connection]:
        """One write transaction: committed at the end of the block, rolled back on error."""
        with self.engine.connect() as conn:
            conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                yield conn

    def write_retrying(self, work: Callable[[sa.Connection], T], attempts: int = 3) -> T:
        """Run `work` in one write transaction, again from the start when the database chose
        it as the victim of a deadlock or a serialization failure with another writer of a
        shared store (PostgreSQL rolls it back whole; repeating it is then safe)."""
        for attempt in range(1, attempts + 1):
            try:
                with self.write() as conn:
                    return work(conn)
            except sa.exc.DBAPIError as exc:
                if attempt == attempts or not is_write_conflict(exc):
                    raise
                log.info("write conflict with another writer, trying again: %s", exc.orig)
        raise AssertionError("unreachable")  # pragma: no cover

    @contextlib.contextmanager
    def exclusive(self, job: str) -> Iterator[bool]:
        """Run a block as the only holder of the lock named `job` among every client of this
        store; yields False (and holds nothing) when another client has it.

        PostgreSQL: a session advisory lock, so laptops sharing a team database do not sync
        or replay the same data at once. SQLite: a lock within this process (the file is
        one user's).
        """
        if self.backend != "postgresql":
            lock = _local_lock(f"{self.url}|{job}")
            acquired = lock.acquire(blocking=False)
            try:
                yield acquired
            finally:
                if acquired:
                    lock.release()
            return
        key = {"ns": _PG_LOCK_NAMESPACE, "job": job}
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            acquired = bool(
                conn.execute(
                    sa.text("SELECT pg_try_advisory_lock(:ns, hashtext(:job))"), key
                ).scalar()
            )
            try:
                yield acquired
            finally:
                if acquired:
                    conn.execute(sa.text("SELECT pg_advisory_unlock(:ns, hashtext(:job))"), key)

    # ------------------------------------------------------------------ views

    def query(
        self,
        entity: str,
        *,
        profile: str,
        search: str | None = None,
        filters: Filters | None = None,
        sort: Sort | None = None,
        offset: int = 0,
        limit: int = 200,
        account: str | None = None,
    ) -> list[Row]:
        """One page of the selection, for a lazy table model. Per-caller entities are read
        in `account`'s scope (see `scopes`): without an account they are empty."""
        spec = spec_for(entity)
        with self.read() as conn:
            stmt = select_rows(
                spec,
                conn,
                profile=profile,
                search=search,
                filters=filters,
                sort=sort,
                offset=offset,
                limit=limit,
                account=account,
            )
            return to_rows(spec, profile, conn.execute(stmt))

    def count(
        self,
        entity: str,
        *,
        profile: str,
        search: str | None = None,
        filters: Filters | None = None,
        account: str | None = None,
    ) -> int:
        with self.read() as conn:
            return count_rows(
                spec_for(entity),
                conn,
                profile=profile,
                search=search,
                filters=filters,
                account=account,
            )

    def facets(
        self,
        entity: str,
        column: str,
        *,
        profile: str,
        search: str | None = None,
        filters: Filters | None = None,
        limit: int = 500,
        account: str | None = None,
    ) -> list[tuple[Any, int]]:
        """Distinct values of `column` with their counts, most frequent first."""
        with self.read() as conn:
            stmt = facet_rows(
                spec_for(entity),
                conn,
                column,
                profile=profile,
                search=search,
                filters=filters,
                limit=limit,
                account=account,
            )
            return [(value, int(n)) for value, n in conn.execute(stmt)]

    def date_range(
        self,
        entity: str,
        column: str,
        *,
        profile: str,
        search: str | None = None,
        filters: Filters | None = None,
        account: str | None = None,
    ) -> tuple[Any, Any]:
        """(min, max) of a date (or number) column over the selection."""
        with self.read() as conn:
            stmt = range_of(
                spec_for(entity),
                conn,
                column,
                profile=profile,
                search=search,
                filters=filters,
                account=account,
            )
            low, high = conn.execute(stmt).one()
        return low, high

    def get(
        self, entity: str, profile: str, record_id: str, *, account: str | None = None
    ) -> Row | None:
        spec = spec_for(entity)
        with self.read() as conn:
            stmt = select_rows(
                spec, conn, profile=profile, filters={"id": record_id}, limit=1, account=account
            )
            found = conn.execute(stmt).first()
        return to_row(spec, profile, found) if found else None

    def data_age(self, entity: str, profile: str, *, account: str | None = None) -> DataAge:
        spec = spec_for(entity)
        table = spec.table
        # Records made here that the server does not have yet (or refused) are not counted.
        on_server = sa.or_(
            table.c.local_changes.is_(None), table.c.local_changes.not_in(LocalChange.LOCAL_ONLY)
        )
        stmt = sa.select(
            sa.func.count(sa.case((on_server, 1))),
            sa.func.min(table.c.synced_at),
            sa.func.max(table.c.synced_at),
        ).where(table.c.profile == profile, *scope_clauses(spec, account))
        with self.read() as conn:
            count, oldest, newest = conn.execute(stmt).one()
        return DataAge(int(count), oldest, newest)

    def profiles(self) -> list[str]:
        """Server profiles that have data in this store."""
        names: set[str] = set()
        with self.read() as conn:
            for spec in SPECS.values():
                names.update(conn.execute(sa.select(spec.table.c.profile).distinct()).scalars())
        return sorted(names)

    def optimize(self, entities: Iterable[str] | None = None) -> None:
        """Housekeeping after a large sync, so the view queries keep choosing fast plans.

        PostgreSQL: refresh the planner's statistics and fold the full-text index's pending
        entries in (`VACUUM (ANALYZE)`). SQLite: fold the write-ahead log back into the file.
        SQLite is deliberately not ANALYZEd: its statistics make it fetch every full-text hit
        before sorting, where walking the sort index is far faster for common words.
        """
        if self.backend == "postgresql":
            names = [spec_for(e).table.name for e in (entities or SPECS)]
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                for name in names:
                    conn.exec_driver_sql(f'VACUUM (ANALYZE) "{name}"')
            return
        with self.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    # ------------------------------------------------------------------ export

    def export(
        self,
        entity: str,
        destination: Path | str | IO[str],
        *,
        format: ExportFormat | str = ExportFormat.CSV,
        profile: str,
        search: str | None = None,
        filters: Filters | None = None,
        sort: Sort | None = None,
        columns: Iterable[str] | None = None,
        progress: Callable[[int], None] | None = None,
        cancel: CancelToken = NEVER_CANCELLED,
        account: str | None = None,
    ) -> int:
        """Write the selection to CSV (view columns) or JSON (full records); returns the count.
        Per-caller entities export only `account`'s scope."""
        spec = spec_for(entity)
        kind = ExportFormat(format)
        chosen = list(columns) if columns is not None else list(spec.export_columns)
        for name in chosen:
            if name not in spec.columns:
                raise ValueError(f"{entity} has no column {name!r}")

        def run(stream: IO[str]) -> int:
            with self.read() as conn:
                stmt = select_rows(
                    spec,
                    conn,
                    profile=profile,
                    search=search,
                    filters=filters,
                    sort=sort,
                    limit=None,
                    account=account,
                )
                result = conn.execution_options(yield_per=BATCH).execute(stmt)
                rows = (to_row(spec, profile, r) for r in result)
                if kind is ExportFormat.CSV:
                    return write_csv(
                        stream, chosen, (r.values for r in rows), progress=progress, cancel=cancel
                    )
                return write_json(
                    stream, (_export_record(r) for r in rows), progress=progress, cancel=cancel
                )

        if isinstance(destination, str | Path):
            encoding = "utf-8-sig" if kind is ExportFormat.CSV else "utf-8"
            with atomic_text_file(Path(destination), encoding=encoding) as stream:
                count = run(stream)
        else:
            count = run(destination)
        log.info(
            "exported %d %s of %s as %s to %s",
            count,
            entity,
            profile,
            kind.value,
            destination if isinstance(destination, str | Path) else "a stream",
            extra={"event": "export"},
        )
        return count

    # ------------------------------------------------------------------ writes

    def upsert(
        self,
        entity: str,
        profile: str,
        records: Iterable[dict[str, Any]],
        *,
        synced_at: datetime | None = None,
        run_id: str | None = None,
        account: str | None = None,
    ) -> int:
        """Store server records; per-caller ones in the scope of `account`, who read them."""
        with self.write() as conn:
            return writes.upsert(
                conn, entity, profile, records, synced_at=synced_at, run_id=run_id, account=account
            )

    # ------------------------------------------------------------------ sync state

    def sync_state(
        self, profile: str, entity: str, *, account: str | None = None
    ) -> SyncState | None:
        with self.read() as conn:
            return syncstate.read(conn, profile, entity, state_account(entity, account))

    def sync_states(self, profile: str, *, account: str | None = None) -> list[SyncState]:
        """The shared entities' states, and `account`'s own per-caller ones."""
        with self.read() as conn:
            return syncstate.read_all(conn, profile, account)

    def reset_sync(self, profile: str, entity: str | None = None) -> None:
        with self.write() as conn:
            syncstate.reset(conn, profile, entity)

    # ------------------------------------------------------------------ health history

    def add_health_samples(self, samples: Iterable[Any]) -> int:
        with self.write() as conn:
            return health_samples.add(conn, samples)

    def health_samples(
        self,
        profile: str,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        with self.read() as conn:
            return health_samples.read(conn, profile, since=since, until=until, limit=limit)

    def prune_health_samples(self, profile: str, *, older_than: datetime) -> int:
        with self.write() as conn:
            return health_samples.prune(conn, profile, older_than=older_than)


# Advisory-lock namespace of Viva Desktop jobs ("VIVB"), next to the schema upgrade's key.
_PG_LOCK_NAMESPACE = 0x56495642
_local_locks: dict[str, threading.Lock] = {}
_local_locks_guard = threading.Lock()


def _local_lock(name: str) -> threading.Lock:
    with _local_locks_guard:
        return _local_locks.setdefault(name, threading.Lock())


def _export_record(row: Row) -> dict[str, Any]:
    return {
        **row.raw,
        "_sync": {
            "profile": row.profile,
            "syncedAt": row.synced_at,
            "localChanges": row.local_changes,
            "goneAt": row.gone_at,
        },
    }


def open_store(
    url: str | None = None,
    *,
    attempts: int = 5,
    delay: float = 0.5,
    backoff: float = 2.0,
    check: str = "quick",
    keep_backups: int = 3,
    cancel: CancelToken = NEVER_CANCELLED,
    on_retry: Callable[[int, Exception, float], None] | None = None,
) -> Store:
    """Open (creating or upgrading as needed) the store at `url`; SQLite default when None.

    `check` is the SQLite corruption check run before use: "quick", "full" or "none".
    Raises `StoreUnavailable` when the database cannot be reached after `attempts` tries
    (waiting `delay`, `delay * backoff`, ... in between) and `StoreMigrationError` when the
    schema cannot be brought up to date.
    """
    parsed = normalise_url(url)
    path = sqlite_path(parsed)
    recovered: CorruptionRecovery | None = None
    if path is not None and check != "none":
        reason = sqlite_file.check_file(path, thorough=check == "full")
        if reason is not None:
            recovered = sqlite_file.move_aside(path, reason)
    engine = connect_with_retry(
        parsed, attempts=attempts, delay=delay, backoff=backoff, cancel=cancel, on_retry=on_retry
    )
    shown = redact_url(parsed.render_as_string(hide_password=False))
    backup: Path | None = None
    try:
        current, head = migrate.needs_upgrade(engine)
        if current != head:
            if path is not None and current is not None:
                backup = sqlite_file.backup(path, label=f"rev{current}", keep=keep_backups)
            migrate.upgrade(engine)
    except sa.exc.OperationalError as exc:
        engine.dispose()
        raise StoreUnavailable(
            parsed.render_as_string(hide_password=False), str(exc.orig or exc)
        ) from exc
    except Exception as exc:
        engine.dispose()
        raise StoreMigrationError(shown, _describe(exc), str(backup) if backup else None) from exc
    return Store(
        engine,
        recovered_from_corruption=recovered,
        backup=backup,
        upgraded_from=current if current != head else None,
    )


def _describe(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    if "Can't locate revision" in str(exc):
        return (
            "the store was written by a newer version of Viva Desktop ("
            + (text[0] if text else "")
            + ")"
        )
    return text[0] if text else type(exc).__name__

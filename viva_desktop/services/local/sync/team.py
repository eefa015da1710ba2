"""Syncing into a team store that others write too.

Only one app writes an entity at a time (`Store.exclusive`, a PostgreSQL advisory lock). The
one writing notes who it is in `sync_runners` ("<account> on <host>"); another app that finds
the entity taken waits for it, showing who syncs it and how far they got, and then goes on,
or skips the entity as "synced by <account> at 12:01" when that run completed it within the
last few minutes. A lock is never reported as a failure.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from viva_desktop.services.common.i18n import translate
from viva_desktop.services.local.store import Store, syncstate
from viva_desktop.services.local.store.sync_tables import SyncRunnerRow, entity_key, replace_row
from viva_desktop.services.local.store.syncstate import SyncStatus
from viva_desktop.services.local.sync.report import EntityResult, SyncProgress

TABLE = SyncRunnerRow.__table__
FRESH_FOR = timedelta(minutes=5)
"""A teammate's completed run this recent is not repeated."""


@dataclass(frozen=True)
class Runner:
    runner: str | None  # the account's e-mail (or user id)
    host: str | None  # "<host>#<pid>": one app among several on a machine
    started_at: datetime
    heartbeat_at: datetime
    finished_at: datetime | None
    status: str

    @property
    def label(self) -> str:
        """The account and the host, as people say it: "maria@example.org on laptop-3"."""
        host = (self.host or "").split("#", 1)[0] or "?"
        return translate("Sync", "{account} on {host}").format(
            account=self.runner or translate("Sync", "a teammate"), host=host
        )


def this_host() -> str:
    return f"{socket.gethostname()}#{os.getpid()}"


def holder(store: Store, profile: str, entity: str, account: str) -> Runner | None:
    """Who writes (or last wrote) the entity."""
    with store.read() as conn:
        row = conn.execute(
            sa.select(TABLE).where(*entity_key(TABLE, profile, entity, account))
        ).first()
    if row is None:
        return None
    return Runner(
        row.runner, row.host, row.started_at, row.heartbeat_at, row.finished_at, row.status
    )


@contextmanager
def running(
    store: Store, profile: str, entity: str, account: str, who: str | None, host: str
) -> Iterator[None]:
    """Mark the entity as being written by `who` on `host` for the block (the lock is held)."""
    now = datetime.now(UTC)
    with store.write() as conn:
        replace_row(
            conn,
            TABLE,
            profile,
            entity,
            account,
            runner=who,
            host=host,
            started_at=now,
            heartbeat_at=now,
            finished_at=None,
            status="running",
        )
    status = "stopped"
    try:
        yield
        status = "finished"
    finally:
        end = datetime.now(UTC)
        with store.write() as conn:
            conn.execute(
                sa.update(TABLE)
                .where(*entity_key(TABLE, profile, entity, account), TABLE.c.host == host)
                .values(status=status, finished_at=end, heartbeat_at=end)
            )


def recent_teammate_run(
    store: Store,
    profile: str,
    entity: str,
    account: str,
    *,
    host: str,
    complete_at: datetime | None,
) -> Runner | None:
    """The teammate's run that completed the entity within `FRESH_FOR`, if that is what the
    store shows (`complete_at`: the entity's last complete sync)."""
    found = holder(store, profile, entity, account)
    if found is None or found.host == host or found.status != "finished":
        return None
    if complete_at is None or found.finished_at is None:
        return None
    now = datetime.now(UTC)
    if now - complete_at > FRESH_FOR or complete_at < found.started_at:
        return None
    return found


def someone() -> str:
    """Who syncs, when the store does not say (a run from before this was recorded)."""
    return translate("Sync", "a teammate")


def skipped_note(runner: Runner) -> str:
    """The note of an entity not synced again: "synced by maria@example.org at 12:01"."""
    when = (runner.finished_at or runner.heartbeat_at).astimezone().strftime("%H:%M")
    return translate("Sync", "synced by {account} at {time}").format(
        account=runner.runner or translate("Sync", "a teammate"), time=when
    )


def teammate_progress(store: Store, profile: str, entity: str, account: str) -> SyncProgress:
    """What a run waiting for a teammate's reports: who writes the entity, and how far the
    store shows them."""
    runner = holder(store, profile, entity, account)
    with store.read() as conn:
        state = syncstate.read(conn, profile, entity, account)
    return SyncProgress(
        entity,
        state.pages if state else 0,
        state.items if state else 0,
        state.total if state else None,
        0.0,
        None,
        False,
        False,
        synced_by=runner.label if runner is not None else someone(),
    )


def done_by_teammate(
    store: Store, profile: str, entity: str, account: str, host: str
) -> EntityResult | None:
    """The entity as a teammate's run just left it, when that run completed it within the last
    few minutes: not repeated."""
    with store.read() as conn:
        state = syncstate.read(conn, profile, entity, account)
    if state is None or state.status != SyncStatus.COMPLETE:
        return None
    runner = recent_teammate_run(
        store, profile, entity, account, host=host, complete_at=state.last_complete_at
    )
    if runner is None:
        return None
    return EntityResult(
        entity,
        SyncStatus.COMPLETE,
        state.pages,
        state.items,
        full_pass=state.full_pass,
        note=skipped_note(runner),
    )

"""Rate-limit waits that outlive a sync run: which entity waits, until when.

A run that meets a long wait stores it and lets its worker go; whoever runs the sync next (a
timer in the app, the app after a restart, a systemd timer) reads the stored waits, starts no
request on a waiting entity before its time, and resumes it from its marker afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from viva_desktop.services.local.store import Store
from viva_desktop.services.local.store.sync_tables import SyncWaitRow, entity_key, replace_row

TABLE = SyncWaitRow.__table__


@dataclass(frozen=True)
class StoredWait:
    entity: str
    account: str
    resume_at: datetime
    route: str | None
    since: datetime


def hold(
    store: Store,
    profile: str,
    entity: str,
    account: str,
    resume_at: datetime,
    route: str | None = None,
) -> None:
    """Remember that `entity` waits until `resume_at`."""
    with store.write() as conn:
        replace_row(
            conn,
            TABLE,
            profile,
            entity,
            account,
            resume_at=resume_at,
            route=route,
            since=datetime.now(UTC),
        )


def release(store: Store, profile: str, entity: str, account: str) -> None:
    """The entity runs again: its wait is over."""
    with store.write() as conn:
        conn.execute(sa.delete(TABLE).where(*entity_key(TABLE, profile, entity, account)))


def of(store: Store, profile: str, entity: str, account: str) -> StoredWait | None:
    with store.read() as conn:
        row = conn.execute(
            sa.select(TABLE).where(*entity_key(TABLE, profile, entity, account))
        ).first()
    return _wait(row) if row else None


def pending(store: Store, profile: str) -> list[StoredWait]:
    """Every stored wait of the profile, soonest first (past ones included: they are due)."""
    with store.read() as conn:
        rows = conn.execute(
            sa.select(TABLE).where(TABLE.c.profile == profile).order_by(TABLE.c.resume_at)
        ).all()
    return [_wait(row) for row in rows]


def next_resume(store: Store, profile: str) -> datetime | None:
    """When the soonest stored wait of the profile ends, if any."""
    waits = pending(store, profile)
    return waits[0].resume_at if waits else None


def _wait(row: sa.Row) -> StoredWait:
    return StoredWait(row.entity, row.account, row.resume_at, row.route, row.since)


def release_all(store: Store, profile: str) -> int:
    """Forget every stored wait of the profile (the user cancelled the sync: nothing resumes
    by itself; the entities stay resumable from their markers)."""
    with store.write() as conn:
        return conn.execute(sa.delete(TABLE).where(TABLE.c.profile == profile)).rowcount or 0

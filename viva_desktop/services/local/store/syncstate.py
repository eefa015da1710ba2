"""Persistence of sync progress: one row per profile and entity, written in the same
transaction as the page of records it describes, so the marker never runs ahead of the data
(or behind it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from viva_desktop.services.local.store.models import SyncStateRow

TABLE = SyncStateRow.__table__


class SyncStatus:
    IDLE = "idle"
    RUNNING = "running"  # a run is in progress, or was interrupted (crash, network loss)
    COMPLETE = "complete"
    CANCELLED = "cancelled"
    FAILED = "failed"
    WAITING = "waiting"  # the server's rate limit: resumes at the time `sync_waits` keeps


@dataclass(frozen=True)
class SyncState:
    profile: str
    entity: str
    run_id: str | None
    status: str
    full_pass: bool
    marker: dict[str, Any] | None
    pages: int
    items: int
    total: int | None
    started_at: datetime | None
    updated_at: datetime | None
    finished_at: datetime | None
    last_error: str | None
    high_water: datetime | None
    last_complete_at: datetime | None
    last_full_at: datetime | None
    # Who the run read as, for per-caller entities ("" for the shared ones).
    account: str = ""

    @property
    def resumable(self) -> bool:
        """An unfinished run whose next page is known: the next sync continues it."""
        unfinished = (
            SyncStatus.RUNNING,
            SyncStatus.CANCELLED,
            SyncStatus.FAILED,
            SyncStatus.WAITING,
        )
        return self.status in unfinished and self.run_id is not None


def _key(profile: str, entity: str, account: str) -> list[sa.ColumnElement[bool]]:
    return [TABLE.c.profile == profile, TABLE.c.entity == entity, TABLE.c.account == account]


def read(conn: sa.Connection, profile: str, entity: str, account: str = "") -> SyncState | None:
    """The state of `entity` (as `account`, for a per-caller entity)."""
    row = conn.execute(sa.select(TABLE).where(*_key(profile, entity, account))).first()
    return SyncState(**row._mapping) if row else None


def read_all(conn: sa.Connection, profile: str, account: str | None = None) -> list[SyncState]:
    """The shared entities' states and `account`'s own (None: the shared ones only)."""
    accounts = [""] if not account else ["", account]
    rows = conn.execute(
        sa.select(TABLE)
        .where(TABLE.c.profile == profile, TABLE.c.account.in_(accounts))
        .order_by(TABLE.c.entity)
    ).all()
    return [SyncState(**row._mapping) for row in rows]


def write(conn: sa.Connection, profile: str, entity: str, account: str = "", **values: Any) -> None:
    """Create or update the state row with `values` (other columns keep their value)."""
    key = _key(profile, entity, account)
    exists = conn.execute(sa.select(sa.literal(1)).where(*key)).first()
    if exists:
        conn.execute(sa.update(TABLE).where(*key).values(**values))
        return
    defaults: dict[str, Any] = {
        "status": SyncStatus.IDLE,
        "full_pass": True,
        "pages": 0,
        "items": 0,
    }
    conn.execute(
        sa.insert(TABLE).values(
            profile=profile, entity=entity, account=account, **{**defaults, **values}
        )
    )


def reset(conn: sa.Connection, profile: str, entity: str | None = None) -> None:
    """Forget progress (the next sync starts a fresh full pass)."""
    stmt = sa.delete(TABLE).where(TABLE.c.profile == profile)
    if entity is not None:
        stmt = stmt.where(TABLE.c.entity == entity)
    conn.execute(stmt)

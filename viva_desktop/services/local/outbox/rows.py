"""The outbox's persistence: one `outbox` row per queued operation, read and written for one
server profile in one store."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from viva_desktop.services.local.audit import record_entry
from viva_desktop.services.local.outbox.entries import (
    LOCAL_ID_PREFIX,
    OPEN_STATES,
    TABLE,
    EntryState,
    Op,
    OutboxEntry,
    OutboxError,
)
from viva_desktop.services.local.store import Store, scopes, writes
from viva_desktop.services.local.store.audit import Outcome


class OutboxRows:
    """The queue rows of one server profile in one store, and the reads every part shares."""

    def __init__(
        self,
        store: Store,
        profile: str,
        *,
        user_id: str | None = None,
        max_attempts: int = 5,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.store = store
        self.profile = profile
        # Who edits: the queue shown and sent is this account's own (entries queued before
        # accounts were recorded, with no account, too); it also fills author fields.
        self.user_id = user_id
        # Their name, for the author's card of a record created here: the Owner column shows
        # it at once instead of "—" until the next sync.
        self.user_name: str | None = None
        self.server: str | None = None  # the server's address, for the audit trail
        self.max_attempts = max_attempts
        self._now = clock

    # ------------------------------------------------------------------ reading

    def entries(self, states: Iterable[str] | None = None) -> list[OutboxEntry]:
        """This account's entries in replay order, optionally only in the given states."""
        return self.entries_of(self.user_id, states)

    def entries_of(
        self, account: str | None, states: Iterable[str] | None = None
    ) -> list[OutboxEntry]:
        """The entries `account` queued (with those of no recorded account), in replay order:
        a teammate's queue is shown read-only this way."""
        stmt = (
            sa.select(TABLE)
            .where(TABLE.c.profile == self.profile, _queued_by(account))
            .order_by(TABLE.c.seq)
        )
        if states is not None:
            stmt = stmt.where(TABLE.c.state.in_([str(s) for s in states]))
        with self.store.read() as conn:
            return [OutboxEntry(**row._mapping) for row in conn.execute(stmt)]

    def get(self, seq: int) -> OutboxEntry:
        with self.store.read() as conn:
            return self._entry(conn, seq)

    def pending(self) -> list[OutboxEntry]:
        return self.entries(OPEN_STATES)

    def conflicts(self) -> list[OutboxEntry]:
        return self.entries([EntryState.CONFLICT])

    def count(self, states: Iterable[str] = OPEN_STATES) -> int:
        stmt = (
            sa.select(sa.func.count())
            .select_from(TABLE)
            .where(
                TABLE.c.profile == self.profile,
                TABLE.c.state.in_([str(s) for s in states]),
                _queued_by(self.user_id),
            )
        )
        with self.store.read() as conn:
            return int(conn.execute(stmt).scalar_one())

    def queued_by_others(self, states: Iterable[str] = OPEN_STATES) -> dict[str, int]:
        """account → how many of its changes wait, for every other account of this profile:
        they are sent only when that account signs in."""
        others = TABLE.c.account.is_not(None)
        if self.user_id:
            others = sa.and_(others, TABLE.c.account != self.user_id)
        stmt = (
            sa.select(TABLE.c.account, sa.func.count())
            .where(
                TABLE.c.profile == self.profile,
                TABLE.c.state.in_([str(s) for s in states]),
                others,
            )
            .group_by(TABLE.c.account)
            .order_by(TABLE.c.account)
        )
        with self.store.read() as conn:
            return {str(account): int(n) for account, n in conn.execute(stmt)}

    # ------------------------------------------------------------------ rows

    def _insert(
        self,
        conn: sa.Connection,
        entity: str,
        op: Op,
        target_id: str | None,
        payload: dict[str, Any],
        *,
        base: dict[str, Any] | None,
    ) -> OutboxEntry:
        now = self._now()
        ref = f"viva-desktop-{uuid.uuid4().hex}"
        result = conn.execute(
            sa.insert(TABLE).values(
                profile=self.profile,
                account=self.user_id,
                entity=entity,
                op=str(op),
                target_id=target_id,
                payload=payload,
                base=base,
                state=EntryState.PENDING,
                attempts=0,
                client_ref=ref,
                created_at=now,
                updated_at=now,
            )
        )
        seq = result.inserted_primary_key[0]
        entry = self._entry(conn, seq)
        record_entry(conn, entry, Outcome.QUEUED, server=self.server)
        return entry

    def _set(self, conn: sa.Connection, seq: int, **values: Any) -> None:
        conn.execute(
            sa.update(TABLE).where(TABLE.c.seq == seq).values(updated_at=self._now(), **values)
        )

    def _entry(self, conn: sa.Connection, seq: int) -> OutboxEntry:
        row = conn.execute(sa.select(TABLE).where(TABLE.c.seq == seq)).first()
        if row is None:
            raise OutboxError(f"no outbox entry #{seq}")
        return OutboxEntry(**row._mapping)

    def _raw(self, conn: sa.Connection, entity: str, record_id: str) -> dict[str, Any]:
        raw = writes.raw_of(conn, entity, self.profile, record_id, account=self.user_id)
        if raw is None:
            raise OutboxError(f"{entity} {record_id} is not in the store")
        return raw

    def _open_for(
        self, conn: sa.Connection, entity: str, target: str, *, exclude: int
    ) -> list[OutboxEntry]:
        rows = conn.execute(
            sa.select(TABLE)
            .where(
                TABLE.c.profile == self.profile,
                TABLE.c.entity == entity,
                TABLE.c.target_id == target,
                TABLE.c.seq != exclude,
                TABLE.c.state.in_([str(s) for s in (*OPEN_STATES, EntryState.CONFLICT)]),
                # A per-caller record (a juror's case) is each account's own copy.
                *([_queued_by(self.user_id)] if scopes.is_scoped(entity) else []),
            )
            .order_by(TABLE.c.seq)
        )
        return [OutboxEntry(**row._mapping) for row in rows]

    def _open_delete(self, conn: sa.Connection, entity: str, record_id: str) -> bool:
        return any(e.op == Op.DELETE for e in self._open_for(conn, entity, record_id, exclude=-1))

    def _open_create(self, conn: sa.Connection, entity: str, record_id: str) -> OutboxEntry | None:
        if not record_id.startswith(LOCAL_ID_PREFIX):
            return None
        row = conn.execute(
            sa.select(TABLE).where(
                TABLE.c.profile == self.profile,
                TABLE.c.entity == entity,
                TABLE.c.target_id == record_id,
                TABLE.c.op == Op.CREATE,
                TABLE.c.state == EntryState.PENDING,
            )
        ).first()
        return OutboxEntry(**row._mapping) if row else None

    def _server_base(
        self, conn: sa.Connection, entity: str, record_id: str, raw: dict[str, Any]
    ) -> dict[str, Any]:
        """The record as the server last had it: before any edit still waiting in the queue."""
        for entry in self._open_for(conn, entity, record_id, exclude=-1):
            if entry.base is not None:
                return entry.base
        return raw


def _queued_by(account: str | None) -> sa.ColumnElement[bool]:
    """Entries of `account`, and those queued with no account recorded."""
    if not account:
        return TABLE.c.account.is_(None)
    return sa.or_(TABLE.c.account == account, TABLE.c.account.is_(None))

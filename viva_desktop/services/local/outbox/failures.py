"""Creates the server cannot perform, and what the user does with them.

On the real server every offer and event create answers 500 (`Argument id is missing`). A
create that ends in a 5xx is settled first (is the record there after all?); when the settle
proves it did not happen and one repeat gets the same answer, the entry stops retrying by
itself: it waits in the Failed list with the server's message and what it likely means, and
its local record is marked "could not be created" (kept out of server counts). Replaying
other edits never sends it again; the user retries it, edits it, copies it as text or
discards it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from viva_desktop.services.local.audit import record_entry
from viva_desktop.services.local.outbox.entries import EntryState, Op, OutboxEntry, OutboxError
from viva_desktop.services.local.outbox.local import LocalRecords
from viva_desktop.services.local.outbox.refusals import CreateFailure
from viva_desktop.services.local.store import LocalChange, spec_for, writes
from viva_desktop.services.local.store.audit import Outcome as Audited

FAILED_CREATE = LocalChange.FAILED
"""`local_changes` of a record whose create the server refused twice: "could not be created"."""

LOCAL_ONLY = LocalChange.LOCAL_ONLY
"""`local_changes` values of records that are not on the server (kept out of its counts)."""


def mark_record(
    conn: sa.Connection, entity: str, profile: str, record_id: str, change: str
) -> None:
    """Set what the local-only record shows: waiting to be sent, or could not be created."""
    table = spec_for(entity).table
    conn.execute(
        sa.update(table)
        .where(table.c.profile == profile, table.c.id == record_id)
        .values(local_changes=change)
    )


class FailedCreates(LocalRecords):
    """The outbox's part for creates the server refused: set aside, edited, retried."""

    def _refuse(
        self, entry: OutboxEntry, failure: CreateFailure, *, request_id: str | None = None
    ) -> OutboxEntry:
        """The create is set aside as failed, its record marked, in one transaction."""
        with self.store.write() as conn:
            self._set(
                conn,
                entry.seq,
                state=EntryState.FAILED,
                last_error=failure.summary,
                result={"failure": failure.to_dict()},
            )
            if entry.target_id:
                mark_record(conn, entry.entity, self.profile, entry.target_id, FAILED_CREATE)
            record_entry(
                conn,
                entry,
                Audited.FAILED,
                server=getattr(self, "server", None),
                message=failure.summary,
                request_id=request_id,
                replayed=True,
            )
            return self._entry(conn, entry.seq)

    def failed_creates(self) -> list[OutboxEntry]:
        """The Failed list: creates the server did not perform, oldest first."""
        return [e for e in self.entries([EntryState.FAILED]) if e.op == Op.CREATE]

    def edit_failed(self, seq: int, changes: Mapping[str, Any]) -> OutboxEntry:
        """Change what a failed create sends, and queue it again (a settle runs first, in
        case an earlier attempt did create it after all)."""
        changes = dict(changes)
        with self.store.write() as conn:
            current = self._entry(conn, seq)
            if current.state != EntryState.FAILED or current.op != Op.CREATE:
                raise OutboxError(f"entry #{seq} is not a failed create")
            unknown = sorted(set(changes) - set(current.payload) - set(_editable(current)))
            if unknown:
                raise OutboxError(f"{current.entity}: cannot edit {', '.join(unknown)}")
            payload = {**current.payload, **changes}
            self._set(
                conn, seq, payload=payload, state=EntryState.PENDING, attempts=1, last_error=None
            )
            if current.target_id:
                owner = current.account or self.user_id
                raw = writes.raw_of(
                    conn, current.entity, self.profile, current.target_id, account=owner
                )
                if raw is not None:
                    writes.write_local(
                        conn,
                        current.entity,
                        self.profile,
                        {**raw, **changes},
                        change=LocalChange.CREATED,
                        account=owner,
                    )
            return self._entry(conn, seq)


def _editable(entry: OutboxEntry) -> tuple[str, ...]:
    try:
        return tuple(spec_for(entry.entity).editable)
    except (KeyError, ValueError):
        return ()

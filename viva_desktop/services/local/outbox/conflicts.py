"""What the user does with entries the replay set aside: settle a conflict, discard or retry an
edit, and forget old finished entries."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from viva_desktop.services.local.audit import record_resolution
from viva_desktop.services.local.outbox.entries import (
    TABLE,
    EntryState,
    Op,
    OutboxEntry,
    OutboxError,
)
from viva_desktop.services.local.outbox.failures import mark_record
from viva_desktop.services.local.outbox.local import LocalRecords
from viva_desktop.services.local.store import LocalChange, writes


class OutboxActions(LocalRecords):
    """Resolve, discard, retry and purge."""

    def resolve(self, entry: OutboxEntry | int, keep: str) -> OutboxEntry:
        """Settle a conflict: `keep="theirs"` takes the server's version into the store and
        drops the edit; `keep="mine"` queues the edit again on top of the server's version
        (the next replay sends it, unless the server changed again)."""
        seq = entry if isinstance(entry, int) else entry.seq
        if keep not in ("mine", "theirs"):
            raise OutboxError("keep must be 'mine' or 'theirs'")
        with self.store.write() as conn:
            current = self._entry(conn, seq)
            if current.state != EntryState.CONFLICT:
                raise OutboxError(f"entry #{seq} is not a conflict")
            record_resolution(conn, current, keep, server=self.server)
            if keep == "theirs":
                self._take_theirs(conn, current)
                self._set(
                    conn,
                    seq,
                    state=EntryState.DONE,
                    result={"resolution": "theirs"},
                    last_error=None,
                )
            else:
                if current.remote is None:
                    raise OutboxError("the record was deleted on the server: keep theirs")
                self._set(conn, seq, state=EntryState.PENDING, base=current.remote, last_error=None)
            return self._entry(conn, seq)

    def discard(self, entry: OutboxEntry | int) -> OutboxEntry:
        """Drop an open, failed or conflicting edit and put the server's version back."""
        seq = entry if isinstance(entry, int) else entry.seq
        with self.store.write() as conn:
            current = self._entry(conn, seq)
            if current.state == EntryState.DONE:
                raise OutboxError(f"entry #{seq} is already done")
            record_resolution(conn, current, "discarded", server=self.server)
            if current.op == Op.CREATE and current.target_id:
                writes.delete_row(
                    conn,
                    current.entity,
                    self.profile,
                    current.target_id,
                    account=current.account or self.user_id,
                )
            else:
                self._take_theirs(conn, current)
            self._set(
                conn,
                seq,
                state=EntryState.DONE,
                result={"resolution": "discarded"},
                last_error=None,
            )
            return self._entry(conn, seq)

    def retry(self, entry: OutboxEntry | int) -> OutboxEntry:
        """Put a failed entry back in the queue (after the cause was fixed)."""
        seq = entry if isinstance(entry, int) else entry.seq
        with self.store.write() as conn:
            current = self._entry(conn, seq)
            if current.state != EntryState.FAILED:
                raise OutboxError(f"entry #{seq} has not failed")
            # A create the server refused may have been made by its last attempt after all:
            # counting that attempt makes the next one look for it before sending.
            tried = 1 if current.op == Op.CREATE and current.attempts else 0
            self._set(conn, seq, state=EntryState.PENDING, attempts=tried)
            if current.op == Op.CREATE and current.target_id:
                mark_record(
                    conn, current.entity, self.profile, current.target_id, LocalChange.CREATED
                )
            return self._entry(conn, seq)

    def purge(self, *, older_than: timedelta = timedelta(days=30)) -> int:
        """Forget done entries older than `older_than`."""
        limit = self._now() - older_than
        with self.store.write() as conn:
            result = conn.execute(
                sa.delete(TABLE).where(
                    TABLE.c.profile == self.profile,
                    TABLE.c.state == EntryState.DONE,
                    TABLE.c.updated_at < limit,
                )
            )
            return result.rowcount or 0

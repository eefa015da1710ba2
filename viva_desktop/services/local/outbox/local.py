"""Keeping the stored record in line with the outbox: the server's version after a sent entry,
or back to the server's version when an edit is dropped."""

from __future__ import annotations

import sqlalchemy as sa

from viva_desktop.services.local.outbox.entries import TABLE, EntryState, Op, OutboxEntry
from viva_desktop.services.local.outbox.rows import OutboxRows
from viva_desktop.services.local.outbox.sending import Done
from viva_desktop.services.local.outbox.server import STORED
from viva_desktop.services.local.store import LocalChange, writes


class LocalRecords(OutboxRows):
    """Writes the outcome of an entry into the stored records."""

    def _settle_locally(self, conn: sa.Connection, entry: OutboxEntry, outcome: Done) -> None:
        """Bring the stored record in line with the server after a successful entry."""
        entity, target, record = entry.entity, entry.target_id, outcome.record
        if entity not in STORED or not target:
            return
        owner = entry.account or self.user_id  # whose copy, for a per-caller record
        if entry.op in (Op.VOTE, Op.GRANT):
            if not self._open_for(conn, entity, target, exclude=entry.seq):
                raw = writes.raw_of(conn, entity, self.profile, target, account=owner)
                if raw is not None:
                    writes.write_local(conn, entity, self.profile, raw, change=None, account=owner)
            return
        # Replies often leave out what lists carry (the author's card, counters): keep those.
        known = writes.raw_of(conn, entity, self.profile, target, account=owner) or {}
        if record is not None:
            record = {**known, **record}
        if entry.op == Op.CREATE and outcome.server_id:
            writes.delete_row(conn, entity, self.profile, target, account=owner)
            target = outcome.server_id
            # Later entries aimed at the local id now aim at the server's record.
            conn.execute(
                sa.update(TABLE)
                .where(
                    TABLE.c.profile == self.profile,
                    TABLE.c.entity == entity,
                    TABLE.c.target_id == entry.target_id,
                    TABLE.c.seq != entry.seq,
                )
                .values(target_id=target)
            )
        if record is None:  # a hard delete, or nothing to show
            writes.delete_row(conn, entity, self.profile, target, account=owner)
            return
        later = self._open_for(conn, entity, target, exclude=entry.seq)
        if later:
            # Later edits of the record now start from the server's new version...
            conn.execute(
                sa.update(TABLE)
                .where(TABLE.c.seq.in_([e.seq for e in later if e.state != EntryState.CONFLICT]))
                .values(base=record)
            )
            # ...and the store keeps showing them on top of it.
            merged = {**record, **{k: v for e in later for k, v in e.payload.items()}}
            writes.write_local(
                conn, entity, self.profile, merged, change=LocalChange.UPDATED, account=owner
            )
        else:
            writes.write_local(
                conn,
                entity,
                self.profile,
                record,
                change=None,
                synced_at=self._now(),
                account=owner,
            )

    def _take_theirs(self, conn: sa.Connection, entry: OutboxEntry) -> None:
        """Put the server's version of the entry's record back into the store."""
        target = entry.target_id
        if entry.entity not in STORED or not target:
            return
        owner = entry.account or self.user_id
        theirs = entry.remote if entry.state == EntryState.CONFLICT else entry.base
        if entry.state == EntryState.CONFLICT and entry.remote is None:
            writes.delete_row(conn, entry.entity, self.profile, target, account=owner)
            return
        if theirs is None:
            return
        still_open = self._open_for(conn, entry.entity, target, exclude=entry.seq)
        change = LocalChange.UPDATED if still_open else None
        writes.write_local(conn, entry.entity, self.profile, theirs, change=change, account=owner)

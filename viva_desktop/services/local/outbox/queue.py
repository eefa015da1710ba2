"""The outbox itself: queueing offline edits (each applied to the store at once) on top of the
replay and the user's actions on set-aside entries."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from viva_desktop.services.local.outbox.conflicts import OutboxActions
from viva_desktop.services.local.outbox.entries import (
    LOCAL_ID_PREFIX,
    TABLE,
    Op,
    OutboxEntry,
    OutboxError,
)
from viva_desktop.services.local.outbox.replay import OutboxReplay
from viva_desktop.services.local.outbox.server import AUTHOR_FIELD, CREATORS, DELETERS
from viva_desktop.services.local.store import LocalChange, spec_for, writes
from viva_desktop.services.remote.validation import iso_utc


class Outbox(OutboxReplay, OutboxActions):
    """The offline-edit queue of one server profile in one store. Thread-safe."""

    def update(self, entity: str, record_id: str, changes: Mapping[str, Any]) -> OutboxEntry:
        """Change fields of a stored record (server field names, e.g. `{"title": ...}`)."""
        spec = spec_for(entity)
        changes = dict(changes)
        unknown = sorted(set(changes) - set(spec.editable))
        if unknown or not changes:
            raise OutboxError(f"{entity}: cannot edit {', '.join(unknown) or 'nothing'} offline")
        with self.store.write() as conn:
            raw = self._raw(conn, entity, record_id)
            if self._open_delete(conn, entity, record_id):
                raise OutboxError(f"{entity} {record_id} is waiting to be deleted")
            local = {**raw, **changes}
            create = self._open_create(conn, entity, record_id)
            if create is not None:  # not sent yet: fold the change into the creation
                payload = {**create.payload, **changes}
                self._set(conn, create.seq, payload=payload)
                writes.write_local(
                    conn,
                    entity,
                    self.profile,
                    local,
                    change=LocalChange.CREATED,
                    account=self.user_id,
                )
                return self._entry(conn, create.seq)
            writes.write_local(
                conn, entity, self.profile, local, change=LocalChange.UPDATED, account=self.user_id
            )
            return self._insert(conn, entity, Op.UPDATE, record_id, changes, base=raw)

    def create(self, entity: str, payload: Mapping[str, Any]) -> OutboxEntry:
        """A new record, shown at once under a local id (`local-...`) until the server has it."""
        if entity not in CREATORS:
            raise OutboxError(f"{entity}: cannot be created offline")
        payload = dict(payload)
        local_id = f"{LOCAL_ID_PREFIX}{uuid.uuid4().hex}"
        now = iso_utc(self._now())
        record = {**payload, "id": local_id, "createdAt": now, "updatedAt": now}
        if self.user_id:
            record.setdefault(AUTHOR_FIELD[entity], self.user_id)
            if self.user_name:
                record.setdefault("User", {"id": self.user_id, "name": self.user_name})
        with self.store.write() as conn:
            writes.write_local(
                conn, entity, self.profile, record, change=LocalChange.CREATED, account=self.user_id
            )
            return self._insert(conn, entity, Op.CREATE, local_id, payload, base=None)

    def delete(self, entity: str, record_id: str) -> OutboxEntry | None:
        """Delete a record. A creation that was never sent just disappears (returns None)."""
        if entity not in DELETERS:
            raise OutboxError(f"{entity}: cannot be deleted offline")
        with self.store.write() as conn:
            raw = self._raw(conn, entity, record_id)
            create = self._open_create(conn, entity, record_id)
            if create is not None:
                conn.execute(
                    sa.delete(TABLE).where(
                        TABLE.c.profile == self.profile,
                        TABLE.c.entity == entity,
                        TABLE.c.target_id == record_id,
                    )
                )
                writes.delete_row(conn, entity, self.profile, record_id, account=self.user_id)
                return None
            base = self._server_base(conn, entity, record_id, raw)
            writes.write_local(
                conn, entity, self.profile, raw, change=LocalChange.DELETED, account=self.user_id
            )
            return self._insert(conn, entity, Op.DELETE, record_id, {}, base=base)

    def grant(
        self,
        user_id: str,
        amount: int,
        *,
        reason: str = "ADMIN_GRANT",
        description: str | None = None,
    ) -> OutboxEntry:
        """Grant whole credits (ADMIN). The entry's reference is sent as `relatedId`."""
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
            raise OutboxError("a grant is a whole number of credits, at least 1")
        payload = {"userId": user_id, "amount": amount, "reason": reason}
        if description:
            payload["description"] = description
        with self.store.write() as conn:
            return self._insert(conn, "credit_transactions", Op.GRANT, user_id, payload, base=None)

    def vote(self, case_id: str, decision: str, reason: str | None = None) -> OutboxEntry:
        """A juror's vote on a moderation case: KEEP, REMOVE or WARN."""
        if decision not in ("KEEP", "REMOVE", "WARN"):
            raise OutboxError(f"unknown moderation decision {decision!r}")
        payload = {"decision": decision, **({"reason": reason} if reason else {})}
        with self.store.write() as conn:
            raw = writes.raw_of(
                conn, "moderation_cases", self.profile, case_id, account=self.user_id
            )
            if raw is not None:
                writes.write_local(
                    conn,
                    "moderation_cases",
                    self.profile,
                    raw,
                    change=LocalChange.UPDATED,
                    account=self.user_id,
                )
            return self._insert(conn, "moderation_cases", Op.VOTE, case_id, payload, base=raw)

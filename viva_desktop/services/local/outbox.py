"""Offline edits: a durable queue of operations, applied to the store at once and replayed in
order when the server is back.

Every queued operation is one `outbox` row: what to do, to which record, the payload, and the
record as last synced (`base`). Replay re-reads the record before an update or a delete; when
the server changed the edited fields since `base`, the entry becomes a conflict the user
settles (`resolve(..., keep="mine" | "theirs")`) — the server's data is never overwritten
silently. A create that ends in a 5xx or a dropped connection is an *unknown outcome*
(contract §14): replay re-reads the caller's own records and matches the content sent, so
nothing is created twice and nothing is lost. Grants carry the entry's own `relatedId`, which
makes a repeat harmless. Each state change and the matching change to the stored record
commit together, so a crash mid-replay leaves a consistent queue: an entry found in flight is
settled by re-reading before anything is sent again.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import partial
from typing import Any

import sqlalchemy as sa

from viva_desktop.services.common.cancel import NEVER_CANCELLED, CancelledError, CancelToken
from viva_desktop.services.common.i18n import translate
from viva_desktop.services.local.store import LocalChange, Store, StoreBusy, spec_for, writes
from viva_desktop.services.local.store.models import OutboxRow
from viva_desktop.services.local.store.types import parse_timestamp
from viva_desktop.services.remote.api import Api
from viva_desktop.services.remote.api.errors import (
    ApiError,
    AuthExpired,
    Cancelled,
    DuplicateGrant,
    InvalidInput,
    NetworkUnreachable,
    NotFound,
    RateLimited,
    RequestTimeout,
    ServerError,
    UnknownOutcome,
)
from viva_desktop.services.remote.validation import iso_utc

log = logging.getLogger("viva.outbox")

TABLE = OutboxRow.__table__
LOCAL_ID_PREFIX = "local-"
# How far before the queueing time a record found by re-reading may have been created (clock
# differences between this machine and the server).
SETTLE_WINDOW = timedelta(minutes=10)

# The server is in trouble: keep the entry and stop this replay; the next one continues.
_TRANSIENT = (ServerError, NetworkUnreachable, RequestTimeout, RateLimited, UnknownOutcome)


class Op(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    GRANT = "grant"
    VOTE = "vote"


class EntryState(StrEnum):
    PENDING = "pending"
    IN_FLIGHT = "in_flight"
    DONE = "done"
    CONFLICT = "conflict"
    FAILED = "failed"


OPEN_STATES = (EntryState.PENDING, EntryState.IN_FLIGHT)


@dataclass(frozen=True)
class OutboxEntry:
    seq: int
    profile: str
    account: str | None
    entity: str
    op: str
    target_id: str | None
    payload: dict[str, Any]
    base: dict[str, Any] | None
    state: str
    attempts: int
    last_error: str | None
    client_ref: str
    created_at: datetime
    updated_at: datetime
    result: dict[str, Any] | None
    remote: dict[str, Any] | None
    server_id: str | None

    @property
    def fields(self) -> list[str]:
        """The record fields this entry changes."""
        return sorted(self.payload)

    def conflicting_fields(self, remote: Mapping[str, Any] | None = None) -> list[str]:
        """The edited fields whose server value (`remote`, by default the one recorded with a
        conflict) moved away from `base`."""
        theirs = self.remote if remote is None else remote
        if theirs is None or self.base is None:
            return self.fields
        return [f for f in self.fields if not _same(theirs.get(f), self.base.get(f))]


@dataclass(frozen=True)
class ReplayProgress:
    done: int
    total: int
    entry: OutboxEntry


@dataclass
class ReplayReport:
    sent: list[OutboxEntry] = field(default_factory=list)
    conflicts: list[OutboxEntry] = field(default_factory=list)
    failed: list[OutboxEntry] = field(default_factory=list)
    # Left for a later replay (a server problem, or waiting on an earlier entry).
    waiting: list[OutboxEntry] = field(default_factory=list)
    # The server problem that ended this replay early, if any.
    stopped_by: ApiError | None = None

    @property
    def complete(self) -> bool:
        return not self.waiting and self.stopped_by is None


class OutboxError(ValueError):
    """A queueing or resolving request that cannot be honoured (a programming or UI error)."""


# --------------------------------------------------------------------------- outcomes


@dataclass(frozen=True)
class _Done:
    record: dict[str, Any] | None  # the server's version afterwards (None: gone, or no record)
    server_id: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class _Conflict:
    remote: dict[str, Any] | None  # None: the record was deleted upstream


@dataclass(frozen=True)
class _NotYet:
    reason: str


_Outcome = _Done | _Conflict | _NotYet


class Outbox:
    """The offline-edit queue of one server profile in one store. Thread-safe."""

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
        self.user_id = user_id  # who edits: fills author fields of local creations
        self.max_attempts = max_attempts
        self._now = clock

    # ------------------------------------------------------------------ queueing

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
                writes.write_local(conn, entity, self.profile, local, change=LocalChange.CREATED)
                return self._entry(conn, create.seq)
            writes.write_local(conn, entity, self.profile, local, change=LocalChange.UPDATED)
            return self._insert(conn, entity, Op.UPDATE, record_id, changes, base=raw)

    def create(self, entity: str, payload: Mapping[str, Any]) -> OutboxEntry:
        """A new record, shown at once under a local id (`local-...`) until the server has it."""
        if entity not in _CREATORS:
            raise OutboxError(f"{entity}: cannot be created offline")
        payload = dict(payload)
        local_id = f"{LOCAL_ID_PREFIX}{uuid.uuid4().hex}"
        now = iso_utc(self._now())
        record = {**payload, "id": local_id, "createdAt": now, "updatedAt": now}
        if self.user_id:
            record.setdefault(_AUTHOR_FIELD[entity], self.user_id)
        with self.store.write() as conn:
            writes.write_local(conn, entity, self.profile, record, change=LocalChange.CREATED)
            return self._insert(conn, entity, Op.CREATE, local_id, payload, base=None)

    def delete(self, entity: str, record_id: str) -> OutboxEntry | None:
        """Delete a record. A creation that was never sent just disappears (returns None)."""
        if entity not in _DELETERS:
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
                writes.delete_row(conn, entity, self.profile, record_id)
                return None
            base = self._server_base(conn, entity, record_id, raw)
            writes.write_local(conn, entity, self.profile, raw, change=LocalChange.DELETED)
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
            raw = writes.raw_of(conn, "moderation_cases", self.profile, case_id)
            if raw is not None:
                writes.write_local(
                    conn, "moderation_cases", self.profile, raw, change=LocalChange.UPDATED
                )
            return self._insert(conn, "moderation_cases", Op.VOTE, case_id, payload, base=raw)

    # ------------------------------------------------------------------ reading

    def entries(self, states: Iterable[str] | None = None) -> list[OutboxEntry]:
        """Entries of this profile in replay order, optionally only in the given states."""
        stmt = sa.select(TABLE).where(TABLE.c.profile == self.profile).order_by(TABLE.c.seq)
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
            .where(TABLE.c.profile == self.profile, TABLE.c.state.in_([str(s) for s in states]))
        )
        with self.store.read() as conn:
            return int(conn.execute(stmt).scalar_one())

    # ------------------------------------------------------------------ replay

    def replay(
        self,
        api: Api,
        *,
        progress: Callable[[ReplayProgress], None] | None = None,
        cancel: CancelToken = NEVER_CANCELLED,
    ) -> ReplayReport:
        """Send the open entries in order. Conflicts and refused entries are set aside (and
        hold back later entries for the same record); a server problem stops the replay with
        the entry kept for next time. Raises `Cancelled` and `AuthExpired`."""
        me = getattr(api.client.auth, "user_id", None) or self.user_id
        job = f"outbox:{self.profile}:{me}"
        with self.store.exclusive(job) as mine:
            if not mine:
                return ReplayReport(stopped_by=StoreBusy(job))
            return self._replay(api, me, progress, cancel)

    def _replay(
        self,
        api: Api,
        me: str | None,
        progress: Callable[[ReplayProgress], None] | None,
        cancel: CancelToken,
    ) -> ReplayReport:
        report = ReplayReport()
        # Only the edits of the signed-in account (a shared store holds everyone's).
        queue = [e for e in self.pending() if e.account in (None, me)]
        blocked: set[tuple[str, str | None]] = {
            (e.entity, e.target_id) for e in self.entries([EntryState.CONFLICT, EntryState.FAILED])
        }
        for done, queued in enumerate(queue, start=1):
            try:
                cancel.raise_if_cancelled()
            except CancelledError as exc:
                raise Cancelled from exc
            entry = self.get(queued.seq)  # earlier entries may have rewritten it
            key = (entry.entity, entry.target_id)
            waits_on_create = (entry.target_id or "").startswith(LOCAL_ID_PREFIX) and (
                entry.op != Op.CREATE
            )
            if key in blocked or waits_on_create or report.stopped_by is not None:
                blocked.add(key)
                report.waiting.append(entry)
                continue
            claimed = self._claim(entry)
            if claimed is None:
                continue  # another replay took it
            try:
                outcome = self._send(api, claimed, me, cancel)
            except (CancelledError, AuthExpired) as exc:
                self._release(claimed, exc)
                if isinstance(exc, CancelledError) and not isinstance(exc, Cancelled):
                    raise Cancelled from exc
                raise
            except _TRANSIENT as exc:
                settled = self._release(claimed, exc)
                report.stopped_by = exc
                report.waiting.append(settled)
                blocked.add(key)
                log.info("replay stopped at #%d: %s", claimed.seq, exc)
                continue
            except ApiError as exc:
                failed = self._finish(claimed, EntryState.FAILED, error=str(exc))
                report.failed.append(failed)
                blocked.add(key)
                continue
            finished = self._apply(claimed, outcome)
            if finished.state == EntryState.DONE:
                report.sent.append(finished)
            elif finished.state == EntryState.CONFLICT:
                report.conflicts.append(finished)
                blocked.add(key)
            elif finished.state == EntryState.FAILED:
                report.failed.append(finished)
                blocked.add(key)
            else:
                report.waiting.append(finished)
                blocked.add(key)
            if progress is not None:
                progress(ReplayProgress(done, len(queue), finished))
        return report

    # ------------------------------------------------------------------ conflicts

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
            if current.op == Op.CREATE and current.target_id:
                writes.delete_row(conn, current.entity, self.profile, current.target_id)
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
            if self._entry(conn, seq).state != EntryState.FAILED:
                raise OutboxError(f"entry #{seq} has not failed")
            self._set(conn, seq, state=EntryState.PENDING, attempts=0)
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

    # ------------------------------------------------------------------ sending

    def _send(self, api: Api, entry: OutboxEntry, me: str | None, cancel: CancelToken) -> _Outcome:
        ops = _Ops(api, cancel, me)
        maybe_sent = entry.attempts > 1  # an earlier attempt may have reached the server
        if entry.op in (Op.CREATE, Op.GRANT):
            return self._send_once(ops, entry, maybe_sent)
        if entry.op == Op.UPDATE:
            return self._send_update(ops, entry)
        if entry.op == Op.DELETE:
            return self._send_delete(ops, entry)
        if entry.op == Op.VOTE:
            try:
                return _Done(ops.vote(entry))
            except InvalidInput as exc:
                if maybe_sent and "votado" in (exc.details.server_message or "").lower():
                    return _Done(None, note="vote already counted")
                raise
        raise OutboxError(f"unknown outbox operation {entry.op!r}")

    def _send_once(self, ops: _Ops, entry: OutboxEntry, maybe_sent: bool) -> _Outcome:
        """A create or a grant: a write that must not happen twice, whose outcome a 5xx or a
        dropped connection leaves unknown. Such an outcome is settled, never sent blindly
        again: a creation by finding the record sent among the caller's own; a grant by
        sending it again, since its `relatedId` makes the server refuse a repeat."""
        if entry.op == Op.CREATE:
            send, settle = partial(_create, ops, entry), partial(_find_created, ops, entry)
            if maybe_sent:  # an earlier attempt may have created it: look before sending
                found = settle()
                if isinstance(found, _Done):
                    return found
        else:
            send = settle = partial(_grant, ops, entry)
        try:
            return send()
        except UnknownOutcome:
            return settle()

    def _send_update(self, ops: _Ops, entry: OutboxEntry) -> _Outcome:
        try:
            remote = ops.read(entry.entity, str(entry.target_id))
        except NotFound:
            return _Conflict(None)
        if _applied(remote, entry.payload):
            return _Done(remote, note="already applied")
        if entry.conflicting_fields(remote):
            return _Conflict(remote)
        try:
            return _Done(ops.update(entry))
        except (ServerError, UnknownOutcome, NetworkUnreachable, RequestTimeout):
            remote = ops.read(entry.entity, str(entry.target_id))
            if _applied(remote, entry.payload):
                return _Done(remote, note="applied despite the error")
            raise

    def _send_delete(self, ops: _Ops, entry: OutboxEntry) -> _Outcome:
        try:
            remote = ops.read(entry.entity, str(entry.target_id))
        except NotFound:
            return _Done(None, note="already gone")
        if _deleted(remote):
            return _Done(remote, note="already gone")
        spec = spec_for(entry.entity)
        base = entry.base or {}
        if any(not _same(remote.get(f), base.get(f)) for f in spec.editable):
            return _Conflict(remote)
        try:
            return _Done(ops.delete(entry))
        except (ServerError, UnknownOutcome, NetworkUnreachable, RequestTimeout):
            try:
                remote = ops.read(entry.entity, str(entry.target_id))
            except NotFound:
                return _Done(None, note="deleted despite the error")
            if _deleted(remote):
                return _Done(remote, note="deleted despite the error")
            raise

    # ------------------------------------------------------------------ state changes

    def _claim(self, entry: OutboxEntry) -> OutboxEntry | None:
        with self.store.write() as conn:
            result = conn.execute(
                sa.update(TABLE)
                .where(TABLE.c.seq == entry.seq, TABLE.c.state.in_([str(s) for s in OPEN_STATES]))
                .values(
                    state=EntryState.IN_FLIGHT,
                    attempts=TABLE.c.attempts + 1,
                    updated_at=self._now(),
                )
            )
            if not result.rowcount:
                return None
            return self._entry(conn, entry.seq)

    def _release(
        self, entry: OutboxEntry, error: BaseException, *, counts: bool = False
    ) -> OutboxEntry:
        """Back to the queue. Server trouble never uses up an entry; a creation the server
        keeps not confirming (`counts`) fails for good after `max_attempts` tries."""
        exhausted = counts and entry.attempts >= self.max_attempts
        state = EntryState.FAILED if exhausted else EntryState.PENDING
        return self._finish(entry, state, error=str(error) or type(error).__name__)

    def _finish(self, entry: OutboxEntry, state: str, *, error: str | None = None) -> OutboxEntry:
        with self.store.write() as conn:
            self._set(conn, entry.seq, state=state, last_error=error)
            return self._entry(conn, entry.seq)

    def _apply(self, entry: OutboxEntry, outcome: _Outcome) -> OutboxEntry:
        """The entry's new state and the stored record's new version, in one transaction."""
        if isinstance(outcome, _NotYet):
            return self._release(entry, RuntimeError(outcome.reason), counts=True)
        with self.store.write() as conn:
            if isinstance(outcome, _Conflict):
                self._set(
                    conn,
                    entry.seq,
                    state=EntryState.CONFLICT,
                    remote=outcome.remote,
                    last_error=translate(
                        "Outbox", "The record was changed on the server since it was synced."
                    )
                    if outcome.remote is not None
                    else translate("Outbox", "The record was deleted on the server."),
                )
                return self._entry(conn, entry.seq)
            self._settle_locally(conn, entry, outcome)
            self._set(
                conn,
                entry.seq,
                state=EntryState.DONE,
                result=outcome.record or ({"note": outcome.note} if outcome.note else None),
                server_id=outcome.server_id,
                last_error=None,
            )
            return self._entry(conn, entry.seq)

    def _settle_locally(self, conn: sa.Connection, entry: OutboxEntry, outcome: _Done) -> None:
        """Bring the stored record in line with the server after a successful entry."""
        entity, target, record = entry.entity, entry.target_id, outcome.record
        if entity not in _STORED or not target:
            return
        if entry.op in (Op.VOTE, Op.GRANT):
            if not self._open_for(conn, entity, target, exclude=entry.seq):
                raw = writes.raw_of(conn, entity, self.profile, target)
                if raw is not None:
                    writes.write_local(conn, entity, self.profile, raw, change=None)
            return
        # Replies often leave out what lists carry (the author's card, counters): keep those.
        known = writes.raw_of(conn, entity, self.profile, target) or {}
        if record is not None:
            record = {**known, **record}
        if entry.op == Op.CREATE and outcome.server_id:
            writes.delete_row(conn, entity, self.profile, target)
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
            writes.delete_row(conn, entity, self.profile, target)
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
            writes.write_local(conn, entity, self.profile, merged, change=LocalChange.UPDATED)
        else:
            writes.write_local(
                conn, entity, self.profile, record, change=None, synced_at=self._now()
            )

    def _take_theirs(self, conn: sa.Connection, entry: OutboxEntry) -> None:
        """Put the server's version of the entry's record back into the store."""
        target = entry.target_id
        if entry.entity not in _STORED or not target:
            return
        theirs = entry.remote if entry.state == EntryState.CONFLICT else entry.base
        if entry.state == EntryState.CONFLICT and entry.remote is None:
            writes.delete_row(conn, entry.entity, self.profile, target)
            return
        if theirs is None:
            return
        still_open = self._open_for(conn, entry.entity, target, exclude=entry.seq)
        change = LocalChange.UPDATED if still_open else None
        writes.write_local(conn, entry.entity, self.profile, theirs, change=change)

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
        return self._entry(conn, seq)

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
        raw = writes.raw_of(conn, entity, self.profile, record_id)
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


# --------------------------------------------------------------------------- server calls


_STORED = frozenset(
    {"offers", "events", "posts", "comments", "communities", "users", "moderation_cases"}
)
_CREATORS = frozenset({"offers", "events", "posts", "comments"})
_DELETERS = frozenset({"offers", "events", "posts"})
_AUTHOR_FIELD = {
    "offers": "userId",
    "events": "organizerId",
    "posts": "authorId",
    "comments": "authorId",
}


class _Ops:
    """The API calls behind each entity and operation, and the re-reads that settle them."""

    def __init__(self, api: Api, cancel: CancelToken, me: str | None) -> None:
        self.api = api
        self.cancel = cancel
        self.me = me

    def read(self, entity: str, record_id: str) -> dict[str, Any]:
        api, cancel = self.api, self.cancel
        if entity == "offers":
            # The caller's own list first: a detail read bumps the view counter (and with it,
            # upstream, `updatedAt`).
            for offer in api.offers.mine(cancel=cancel):
                if offer.id == record_id:
                    return offer.to_wire()
            return api.offers.get(record_id, cancel=cancel).to_wire()
        if entity == "events":
            return api.events.get(record_id, cancel=cancel).to_wire()
        if entity == "posts":
            return api.posts.get(record_id, cancel=cancel).to_wire()
        if entity == "communities":
            return api.communities.get(record_id, cancel=cancel).to_wire()
        if entity == "users":
            return api.users.get(record_id, cancel=cancel).to_wire()
        raise OutboxError(f"{entity} records cannot be re-read")

    def update(self, entry: OutboxEntry) -> dict[str, Any]:
        resource = {
            "offers": self.api.offers,
            "events": self.api.events,
            "posts": self.api.posts,
            "communities": self.api.communities,
            "users": self.api.users,
        }.get(entry.entity)
        if resource is None:
            raise OutboxError(f"{entry.entity} cannot be updated")
        reply = resource.update(str(entry.target_id), entry.payload, cancel=self.cancel)
        return reply.to_wire()

    def delete(self, entry: OutboxEntry) -> dict[str, Any] | None:
        target = str(entry.target_id)
        if entry.entity == "offers":
            return self.api.offers.delete(target, cancel=self.cancel).to_wire()  # soft delete
        if entry.entity == "events":
            self.api.events.delete(target, cancel=self.cancel)
            return None
        if entry.entity == "posts":
            # Through /social: /posts refuses (500) a post with comments or reactions (D10).
            self.api.social.delete_post(target, cancel=self.cancel)
            return None
        raise OutboxError(f"{entry.entity} cannot be deleted")

    def create(self, entry: OutboxEntry) -> dict[str, Any]:
        payload = dict(entry.payload)
        if entry.entity == "offers":
            return self.api.offers.create(payload, cancel=self.cancel).to_wire()
        if entry.entity == "events":
            return self.api.events.create(payload, cancel=self.cancel).to_wire()
        if entry.entity == "posts":
            return self.api.posts.create(payload, cancel=self.cancel).to_wire()
        if entry.entity == "comments":
            comment = self.api.social.comment(
                str(payload["postId"]), str(payload["content"]), cancel=self.cancel
            )
            return {"postId": payload["postId"], **comment.to_wire()}
        raise OutboxError(f"{entry.entity} cannot be created")

    def settle_create(self, entry: OutboxEntry) -> dict[str, Any] | None:
        """After an unknown outcome: the caller's record matching what was sent, if any."""
        payload = entry.payload
        since = entry.created_at - SETTLE_WINDOW
        if entry.entity == "offers":
            candidates = [o.to_wire() for o in self.api.offers.mine(cancel=self.cancel)]
            keys = ("title", "description", "category")
        elif entry.entity == "events":
            candidates = [e.to_wire() for e in self.api.events.mine(cancel=self.cancel)]
            keys = ("title", "description")
        elif entry.entity == "posts":
            newest = self.api.posts.list(limit=100, offset=0, cancel=self.cancel)
            candidates = [p.to_wire() for p in newest if not self.me or p.author_id == self.me]
            keys = ("content",)
        elif entry.entity == "comments":
            post = self.api.posts.get(str(payload["postId"]), cancel=self.cancel)
            candidates = [
                {"postId": payload["postId"], **c.to_wire()}
                for c in post.comments
                if not self.me or c.author_id == self.me
            ]
            keys = ("content",)
        else:
            return None
        matches = [
            c
            for c in candidates
            if all(_same_text(c.get(k), payload.get(k)) for k in keys if k in payload)
            and (parse_timestamp(c.get("createdAt")) or since) >= since
        ]
        matches.sort(key=lambda c: str(c.get("createdAt") or ""))
        return matches[0] if matches else None

    def grant(self, entry: OutboxEntry) -> dict[str, Any] | None:
        payload = entry.payload
        result = self.api.credits.grant(
            str(payload["userId"]),
            int(payload["amount"]),
            str(payload.get("reason") or "ADMIN_GRANT"),
            related_id=entry.client_ref,
            description=payload.get("description"),
            cancel=self.cancel,
        )
        return result.to_wire()

    def vote(self, entry: OutboxEntry) -> dict[str, Any] | None:
        payload = entry.payload
        vote = self.api.moderation.vote(
            str(entry.target_id),
            str(payload["decision"]),
            payload.get("reason"),
            cancel=self.cancel,
        )
        return vote.to_wire()


# --------------------------------------------------------------------------- helpers


def _not_created() -> str:
    return translate(
        "Outbox", "The server did not confirm the creation and the record was not found."
    )


def _create(ops: _Ops, entry: OutboxEntry) -> _Outcome:
    created = ops.create(entry)
    return _Done(created, str(created["id"]))


def _find_created(ops: _Ops, entry: OutboxEntry) -> _Outcome:
    """The record an unconfirmed creation made, found by its content; not yet when none
    matches (the entry waits, and fails after `max_attempts` tries)."""
    found = ops.settle_create(entry)
    if found is None:
        return _NotYet(_not_created())
    return _Done(found, str(found["id"]), "found after an unknown outcome")


def _grant(ops: _Ops, entry: OutboxEntry) -> _Outcome:
    """Send a grant; a refusal as a duplicate means an earlier attempt already paid it."""
    try:
        return _Done(ops.grant(entry))
    except DuplicateGrant:
        return _Done(None, note="already granted")


def _same(a: Any, b: Any) -> bool:
    """Equal as the server means it: timestamps compared as instants, numbers as numbers."""
    if a == b:
        return True
    if isinstance(a, str) and isinstance(b, str):
        ta, tb = parse_timestamp(a), parse_timestamp(b)
        return ta is not None and ta == tb
    if isinstance(a, int | float) and isinstance(b, int | float):
        return float(a) == float(b)
    return (a in (None, [], "")) and (b in (None, [], ""))


def _same_text(a: Any, b: Any) -> bool:
    """Text as the server stores it: it strips tags and surrounding whitespace."""
    if not isinstance(a, str) or not isinstance(b, str):
        return _same(a, b)
    return " ".join(a.split()) == " ".join(b.split())


def _applied(remote: Mapping[str, Any], payload: Mapping[str, Any]) -> bool:
    return all(_same(remote.get(k), v) for k, v in payload.items())


def _deleted(remote: Mapping[str, Any]) -> bool:
    """Offers are deleted softly: they come back CANCELLED."""
    return remote.get("status") == "CANCELLED"

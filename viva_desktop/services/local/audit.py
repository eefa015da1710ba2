"""Recording this app's writes in the audit trail (`store.audit`): edits queued in the outbox,
what their replay did, conflicts settled, and the decisions sent directly (membership and
pool requests).

Each event names the account (server user id, with its e-mail when known), the server, the
entity and id, the action, the fields before and after, the outcome with the server's message,
and the id of the request that carried it. Queue events commit in the same transaction as the
outbox change they describe, so the trail never claims a change the queue does not hold.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from viva_desktop.services.local.store import Store, spec_for
from viva_desktop.services.local.store.audit import TABLE as TRAIL
from viva_desktop.services.local.store.audit import Action, Outcome, narrow, record
from viva_desktop.services.local.store.scopes import scope_clauses

__all__ = ["Action", "Outcome", "RequestCapture", "capture_requests", "record_direct"]

# Outbox operations as audit actions; an offer's delete is a cancel (it comes back CANCELLED).
_ACTIONS = {
    "create": Action.CREATE,
    "update": Action.UPDATE,
    "delete": Action.DELETE,
    "grant": Action.GRANT,
    "vote": Action.VOTE,
    "approve": Action.APPROVE,
    "reject": Action.REJECT,
    "distribute": Action.APPROVE,
}


def action_of(entity: str, op: str) -> str:
    if entity == "offers" and op == "delete":
        return Action.CANCEL
    return str(_ACTIONS.get(op, op))


class RequestCapture:
    """The ids of the write requests this thread sent while the capture was open."""

    def __init__(self) -> None:
        self.request_ids: list[str] = []

    @property
    def last(self) -> str | None:
        return self.request_ids[-1] if self.request_ids else None


@contextmanager
def capture_requests(api: Any) -> Iterator[RequestCapture]:
    """Collect the request ids of the writes (non-GET) sent from this thread meanwhile
    (requests of other threads sharing the client are ignored)."""
    capture = RequestCapture()
    client = getattr(api, "client", None)
    if client is None or not hasattr(client, "add_listener"):
        yield capture
        return
    thread = threading.get_ident()

    def seen(event: Any) -> None:
        if threading.get_ident() == thread and event.method != "GET" and event.request_id:
            capture.request_ids.append(event.request_id)

    remove = client.add_listener(seen)
    try:
        yield capture
    finally:
        remove()


def record_entry(
    conn: sa.Connection,
    entry: Any,
    outcome: str,
    *,
    server: str | None = None,
    message: str | None = None,
    request_id: str | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    action: str | None = None,
    replayed: bool = False,
) -> int:
    """One event about outbox `entry` (an `OutboxEntry`), inside the caller's transaction.

    Before and after default to the record's edited fields as last synced and as the edit
    sets them."""
    payload = dict(entry.payload or {})
    if after is None and before is None:
        before, after = narrow(entry.base, payload) if payload else (None, None)
    return record(
        conn,
        profile=entry.profile,
        server=server,
        account=entry.account,
        entity=entry.entity,
        record_id=entry.server_id or entry.target_id,
        action=action or action_of(entry.entity, entry.op),
        before=before,
        after=after,
        outcome=outcome,
        message=message,
        request_id=request_id,
        outbox_seq=entry.seq,
        replayed=replayed,
    )


def record_resolution(
    conn: sa.Connection, entry: Any, keep: str, *, server: str | None = None
) -> int:
    """A conflict settled: `keep` is "mine", "theirs" or "discarded"."""
    payload = dict(entry.payload or {})
    theirs, mine = narrow(entry.remote if entry.remote is not None else entry.base, payload)
    kept = mine if keep == "mine" else theirs
    return record_entry(
        conn,
        entry,
        Outcome.RESOLVED,
        server=server,
        action=Action.DISCARD if keep == "discarded" else Action.RESOLVE,
        before=theirs,
        after=kept,
        message={
            "mine": "kept mine",
            "theirs": "kept theirs",
            "discarded": "discarded",
        }.get(keep, keep),
    )


def record_direct(
    store: Store,
    *,
    profile: str,
    account: str | None,
    entity: str,
    op: str,
    record_id: str | None,
    payload: Mapping[str, Any] | None,
    outcome: str,
    server: str | None = None,
    before: Mapping[str, Any] | None = None,
    message: str | None = None,
    request_id: str | None = None,
) -> int:
    """A write sent straight to the server (membership and pool decisions), in a
    transaction of its own."""
    old, new = narrow(before, dict(payload or {})) if payload else (before, None)
    with store.write() as conn:
        return record(
            conn,
            profile=profile,
            server=server,
            account=account,
            entity=entity,
            record_id=record_id,
            action=action_of(entity, op),
            before=old,
            after=new,
            outcome=outcome,
            message=message,
            request_id=request_id,
        )


def record_upstream_changes(
    conn: sa.Connection,
    entity: str,
    profile: str,
    records: Sequence[Mapping[str, Any]],
    *,
    account: str | None = None,
    server: str | None = None,
    now: datetime | None = None,
) -> int:
    """Before a sync page is written: what the server changed in already stored records
    since the last sync (the fields people edit), as `upstream` events — "on the server
    between 10:02 and 12:30: title, price". Rows holding an offline edit are left to the
    outbox's conflict check. Returns how many records changed."""
    spec = spec_for(entity)
    if not spec.editable or not records:
        return 0
    incoming = {str(r["id"]): r for r in records if r.get("id") not in (None, "")}
    table = spec.table
    stored = conn.execute(
        sa.select(table.c.id, table.c.raw, table.c.synced_at).where(
            table.c.profile == profile,
            table.c.id.in_(list(incoming)),
            table.c.local_changes.is_(None),
            *scope_clauses(spec, account),
        )
    ).all()
    changed = 0
    for record_id, raw, synced_at in stored:
        new = incoming[record_id]
        fields = [f for f in spec.editable if f in new and raw.get(f) != new.get(f)]
        if not fields:
            continue
        changed += 1
        record(
            conn,
            profile=profile,
            server=server,
            account=account,
            entity=entity,
            record_id=record_id,
            action=Action.UPSTREAM,
            before={f: raw.get(f) for f in fields},
            after={f: new.get(f) for f in fields},
            outcome=Outcome.SEEN,
            # The window the change happened in: since the previous sync of the record.
            message=synced_at.isoformat() if synced_at else None,
            at=now,
        )
    return changed


def relink_created(conn: sa.Connection, profile: str, local_id: str, server_id: str) -> None:
    """A record created offline got its server id: its earlier events (queued under the
    local id) now name the server's record, so its History shows them all."""
    conn.execute(
        sa.update(TRAIL)
        .where(TRAIL.c.profile == profile, TRAIL.c.record_id == local_id)
        .values(record_id=server_id)
    )


def failure_of(exc: BaseException) -> tuple[str, str | None]:
    """(the server's own message, else the user message; the request id) of a refusal."""
    details = getattr(exc, "details", None)
    server = getattr(details, "server_message", None)
    message = server or getattr(exc, "user_message", None) or str(exc) or type(exc).__name__
    return str(message), getattr(details, "request_id", None) or None

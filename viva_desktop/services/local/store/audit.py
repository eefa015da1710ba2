"""The audit trail: every write this app makes, online or replayed, kept in the store.

One row per event (a change queued, a request sent or refused, a conflict settled) with the
account, the server, the time, the entity and id, the action, the fields before and after,
the outcome with the server's message, and the request id. Rows live in the store, so a team
store shares them; they are kept until the user prunes them.

`record()` takes an open connection, so an outbox state change and its audit row commit
together; `record_write()` is the same in a transaction of its own.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from viva_desktop.services.local.store.account_tables import AccountRow, AuditRow
from viva_desktop.services.local.store.entities import scrub

if TYPE_CHECKING:
    from viva_desktop.services.local.store.store import Store

TABLE = AuditRow.__table__


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    CANCEL = "cancel"
    APPROVE = "approve"  # membership or pool request
    REJECT = "reject"
    GRANT = "grant"
    VOTE = "vote"
    RESOLVE = "resolve"  # a conflict settled (keep mine / keep theirs)
    DISCARD = "discard"  # a queued edit dropped by the user
    UPSTREAM = "upstream"  # the server's version changed between two syncs


class Outcome(StrEnum):
    QUEUED = "queued"  # waiting in the outbox
    SENT = "sent"
    FAILED = "failed"  # refused: `message` holds the server's reason
    CONFLICT = "conflict"  # the server changed the same fields meanwhile
    RESOLVED = "resolved"  # a conflict settled: `message` says how
    SEEN = "seen"  # an upstream change noticed by the sync


@dataclass(frozen=True)
class AuditEntry:
    pk: int
    profile: str
    server: str | None
    account: str | None
    account_email: str | None
    at: datetime
    entity: str
    record_id: str | None
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    outcome: str
    message: str | None
    request_id: str | None
    outbox_seq: int | None
    replayed: bool

    @property
    def fields(self) -> list[str]:
        """The fields this write changed (or meant to change)."""
        return changed_fields(self.before, self.after)


def changed_fields(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> list[str]:
    """Keys whose value differs between `before` and `after` (either may be missing)."""
    old, new = before or {}, after or {}
    return sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))


def narrow(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """`before` limited to the keys of `after` (a record's full JSON against the fields an
    edit changes), both scrubbed of secrets; either stays None when it is None."""
    if after is None:
        return (scrub(dict(before)) if before is not None else None), None
    keys = set(after)
    old = {k: v for k, v in before.items() if k in keys} if before is not None else None
    return (scrub(old) if old is not None else None), scrub(dict(after))


def record(
    conn: sa.Connection,
    *,
    profile: str,
    entity: str,
    action: str,
    outcome: str,
    record_id: str | None = None,
    account: str | None = None,
    account_email: str | None = None,
    server: str | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    message: str | None = None,
    request_id: str | None = None,
    outbox_seq: int | None = None,
    replayed: bool = False,
    at: datetime | None = None,
) -> int:
    """Add one event to the trail inside the caller's transaction; returns its key. The
    account's e-mail is looked up among the profile's known accounts when not given."""
    if account and not account_email:
        accounts = AccountRow.__table__
        account_email = conn.execute(
            sa.select(accounts.c.email).where(
                accounts.c.profile == profile, accounts.c.user_id == account
            )
        ).scalar()
    result = conn.execute(
        sa.insert(TABLE).values(
            profile=profile,
            server=server,
            account=account,
            account_email=account_email,
            at=at or datetime.now(UTC),
            entity=entity,
            record_id=record_id,
            action=str(action),
            before=scrub(dict(before)) if before is not None else None,
            after=scrub(dict(after)) if after is not None else None,
            outcome=str(outcome),
            message=message,
            request_id=request_id,
            outbox_seq=outbox_seq,
            replayed=replayed,
        )
    )
    return int(result.inserted_primary_key[0])


def record_write(store: Store, **event: Any) -> int:
    """`record()` in a transaction of its own (writes that skip the outbox)."""
    with store.write() as conn:
        return record(conn, **event)


def entries(
    store: Store,
    profile: str,
    *,
    account: str | None = None,
    entity: str | None = None,
    record_id: str | None = None,
    actions: Sequence[str] | None = None,
    outcomes: Sequence[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    search: str | None = None,
    newest_first: bool = True,
    limit: int | None = None,
) -> list[AuditEntry]:
    """The trail of `profile`, filtered; `search` matches the entity, id, action, outcome,
    message, e-mail and the changed values (case-insensitive)."""
    stmt = sa.select(TABLE).where(TABLE.c.profile == profile)
    if account:
        stmt = stmt.where(TABLE.c.account == account)
    if entity:
        stmt = stmt.where(TABLE.c.entity == entity)
    if record_id:
        stmt = stmt.where(TABLE.c.record_id == record_id)
    if actions:
        stmt = stmt.where(TABLE.c.action.in_([str(a) for a in actions]))
    if outcomes:
        stmt = stmt.where(TABLE.c.outcome.in_([str(o) for o in outcomes]))
    if since is not None:
        stmt = stmt.where(TABLE.c.at >= since)
    if until is not None:
        stmt = stmt.where(TABLE.c.at <= until)
    if search and search.strip():
        term = search.strip().lower()
        # JSON text may hold non-ASCII letters escaped (`\u00e9`): match either spelling.
        patterns = {f"%{term}%", f"%{json.dumps(term)[1:-1]}%"}
        text = [
            TABLE.c.entity,
            TABLE.c.record_id,
            TABLE.c.action,
            TABLE.c.outcome,
            TABLE.c.message,
            TABLE.c.account_email,
            sa.cast(TABLE.c.before, sa.Text),
            sa.cast(TABLE.c.after, sa.Text),
        ]
        stmt = stmt.where(
            sa.or_(*(sa.func.lower(c).like(p) for c in text for p in sorted(patterns)))
        )
    order = (TABLE.c.at.desc(), TABLE.c.pk.desc()) if newest_first else (TABLE.c.at, TABLE.c.pk)
    stmt = stmt.order_by(*order)
    if limit is not None:
        stmt = stmt.limit(limit)
    with store.read() as conn:
        return [AuditEntry(**row._mapping) for row in conn.execute(stmt)]


def prune(store: Store, profile: str | None, *, older_than: datetime) -> int:
    """Forget the trail (of `profile`, or of every profile) before `older_than`: only ever
    on the user's request, or by the `audit_keep_days` setting they chose."""
    stmt = sa.delete(TABLE).where(TABLE.c.at < older_than)
    if profile is not None:
        stmt = stmt.where(TABLE.c.profile == profile)
    with store.write() as conn:
        return conn.execute(stmt).rowcount or 0


def as_dict(entry: AuditEntry) -> dict[str, Any]:
    """One entry as JSON-ready values (exports and `viva-desktop history --json`)."""
    return {
        "at": entry.at.isoformat(),
        "profile": entry.profile,
        "server": entry.server,
        "account": entry.account,
        "accountEmail": entry.account_email,
        "entity": entry.entity,
        "id": entry.record_id,
        "action": entry.action,
        "fields": entry.fields,
        "before": entry.before,
        "after": entry.after,
        "outcome": entry.outcome,
        "message": entry.message,
        "requestId": entry.request_id,
        "outboxSeq": entry.outbox_seq,
        "replayed": entry.replayed,
    }

"""Write paths of the store: upserts from the sync, marks for vanished records, and the local
versions of offline edits.

All functions take an open `Connection` inside a transaction, so the sync can write one page
of records and its progress marker atomically.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from viva_desktop.services.local.store import comment_text
from viva_desktop.services.local.store.entities import EntitySpec, safe_user, scrub, spec_for
from viva_desktop.services.local.store.scopes import owner_values, scope_clauses

_INSERT_BATCH = 500


def _insert(conn: sa.Connection, table: sa.Table) -> Any:
    module = sqlite if conn.dialect.name == "sqlite" else postgresql
    return module.insert(table)


def _key(table: sa.Table) -> list[sa.Column[Any]]:
    """The unique key of a stored record: (profile, id), with the account for per-caller
    entities (`models.AccountScoped`)."""
    return [table.c.profile, *([table.c.account] if "account" in table.c else []), table.c.id]


def _row(
    spec: EntitySpec, profile: str, record_id: str, account: str | None
) -> list[sa.ColumnElement[bool]]:
    return [
        spec.table.c.profile == profile,
        spec.table.c.id == record_id,
        *scope_clauses(spec, account),
    ]


def prepare(
    spec: EntitySpec,
    profile: str,
    record: Mapping[str, Any],
    *,
    synced_at: datetime,
    run_id: str | None,
    account: str | None = None,
) -> dict[str, Any]:
    """The row for one server record (secrets dropped, view columns extracted); per-caller
    records are stored in `account`'s scope (required for them)."""
    raw = safe_user(record) if spec.name == "users" else scrub(record)
    row = spec.extract(raw)
    row.update(owner_values(spec.name, account))
    row.update(
        profile=profile,
        id=str(record["id"]),
        raw=raw,
        synced_at=synced_at,
        seen_run=run_id,
        gone_at=None,
    )
    return row


def upsert(
    conn: sa.Connection,
    entity: str,
    profile: str,
    records: Iterable[Mapping[str, Any]],
    *,
    synced_at: datetime | None = None,
    run_id: str | None = None,
    account: str | None = None,
) -> int:
    """Insert or refresh records by (profile, id) — per-caller records by (profile, account,
    id), `account` being who read them; returns how many were written.

    A row holding an offline edit keeps its local version: the outbox decides at replay
    time what happens to it, never a sync in passing.
    """
    spec = spec_for(entity)
    when = synced_at or datetime.now(UTC)
    by_id: dict[str, dict[str, Any]] = {}
    for record in records:
        if record.get("id") in (None, ""):
            continue
        by_id[str(record["id"])] = prepare(
            spec, profile, record, synced_at=when, run_id=run_id, account=account
        )
    if not by_id:
        return 0
    if entity == "users":
        _merge_known_users(conn, spec, profile, by_id)
    elif entity == "posts":  # found by their stored comments too, and counting them
        comment_text.with_comments(conn, profile, by_id)
    # In key order: two writers of a shared store upserting overlapping records (the same
    # authors arrive with posts and with offers) then lock the rows in the same order, so
    # one waits for the other instead of both deadlocking.
    rows = [by_id[key] for key in sorted(by_id)]
    table = spec.table
    stmt = _insert(conn, table)
    updated = [c for c in rows[0] if c not in ("profile", "account", "id")]
    stmt = stmt.on_conflict_do_update(
        index_elements=_key(table),
        set_={name: stmt.excluded[name] for name in updated},
        where=table.c.local_changes.is_(None),
    )
    for start in range(0, len(rows), _INSERT_BATCH):
        conn.execute(stmt, rows[start : start + _INSERT_BATCH])
    return len(rows)


def _merge_known_users(
    conn: sa.Connection, spec: EntitySpec, profile: str, rows: dict[str, dict[str, Any]]
) -> None:
    """Users arrive partially (an author's `{id, name, avatar}`, a member's card): keep the
    fields already known instead of erasing them with a thinner copy."""
    table = spec.table
    known = conn.execute(
        sa.select(table.c.id, table.c.raw).where(
            table.c.profile == profile, table.c.id.in_(list(rows))
        )
    ).all()
    for user_id, raw in known:
        row = rows[user_id]
        merged = {**(raw or {}), **row["raw"]}
        row.update(spec.extract(merged))
        row["raw"] = merged


def mark_gone(
    conn: sa.Connection,
    entity: str,
    profile: str,
    run_id: str,
    *,
    scope: Mapping[str, Any] | None = None,
    when: datetime | None = None,
    account: str | None = None,
) -> int:
    """After a complete full pass: records the run did not see are gone upstream.

    Local creations waiting in the outbox are never marked; `scope` limits the mark to rows
    matching column values (the attendees of one event, for example).
    """
    spec = spec_for(entity)
    table = spec.table
    conditions = [
        table.c.profile == profile,
        table.c.gone_at.is_(None),
        sa.or_(table.c.seen_run.is_(None), table.c.seen_run != run_id),
        sa.or_(table.c.local_changes.is_(None), table.c.local_changes != "created"),
        *scope_clauses(spec, account),
    ]
    for name, value in (scope or {}).items():
        conditions.append(table.c[name] == value)
    result = conn.execute(
        sa.update(table).where(*conditions).values(gone_at=when or datetime.now(UTC))
    )
    return result.rowcount or 0


def write_local(
    conn: sa.Connection,
    entity: str,
    profile: str,
    record: Mapping[str, Any],
    *,
    change: str | None,
    synced_at: datetime | None = None,
    account: str | None = None,
) -> None:
    """Store `record` as the local version of a row, flagged with `change` (None clears it).

    Unlike `upsert`, this overwrites a row that already holds local changes: it *is* the
    local change (or the outbox settling it).
    """
    spec = spec_for(entity)
    table = spec.table
    existing = conn.execute(
        sa.select(table.c.synced_at, table.c.seen_run).where(
            *_row(spec, profile, str(record["id"]), account)
        )
    ).first()
    when = synced_at or (existing.synced_at if existing else None) or datetime.now(UTC)
    row = prepare(
        spec,
        profile,
        record,
        synced_at=when,
        run_id=existing.seen_run if existing else None,
        account=account,
    )
    row["local_changes"] = change
    stmt = _insert(conn, table)
    stmt = stmt.on_conflict_do_update(
        index_elements=_key(table),
        set_={
            name: stmt.excluded[name] for name in row if name not in ("profile", "account", "id")
        },
    )
    conn.execute(stmt, [row])


def delete_row(
    conn: sa.Connection, entity: str, profile: str, record_id: str, account: str | None = None
) -> int:
    spec = spec_for(entity)
    result = conn.execute(sa.delete(spec.table).where(*_row(spec, profile, record_id, account)))
    return result.rowcount or 0


def raw_of(
    conn: sa.Connection, entity: str, profile: str, record_id: str, account: str | None = None
) -> dict[str, Any] | None:
    """The stored server JSON of a record (a per-caller one in `account`'s scope)."""
    spec = spec_for(entity)
    return conn.execute(
        sa.select(spec.table.c.raw).where(*_row(spec, profile, record_id, account))
    ).scalar()

"""The counting queries behind a report: aggregates in the database (a report over 100 000
posts reads counts, never rows), through the store's own selection rules, so per-caller data
is counted only in the account's scope."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from viva_desktop.services.local.store import spec_for
from viva_desktop.services.local.store.queries import where
from viva_desktop.services.local.store.types import parse_timestamp

Filters = Mapping[str, Any]


def _clauses(
    conn: sa.Connection, entity: str, profile: str, filters: Filters, account: str | None
) -> list[sa.ColumnElement[bool]]:
    return where(spec_for(entity), conn, profile, None, filters, account)


def count(
    conn: sa.Connection,
    entity: str,
    profile: str,
    filters: Filters,
    account: str | None = None,
    *,
    extra: sa.ColumnElement[bool] | None = None,
) -> int:
    return _aggregate(conn, sa.func.count(), entity, profile, filters, account, extra)


def total(
    conn: sa.Connection,
    entity: str,
    column: str,
    profile: str,
    filters: Filters,
    account: str | None = None,
    *,
    extra: sa.ColumnElement[bool] | None = None,
) -> int:
    """The sum of `column` over the selection (0 when empty)."""
    summed = sa.func.coalesce(sa.func.sum(spec_for(entity).table.c[column]), 0)
    return _aggregate(conn, summed, entity, profile, filters, account, extra)


def _aggregate(
    conn: sa.Connection,
    expression: sa.ColumnElement[Any],
    entity: str,
    profile: str,
    filters: Filters,
    account: str | None,
    extra: sa.ColumnElement[bool] | None,
) -> int:
    """One number over the selection (and `extra`, when given)."""
    stmt = sa.select(expression).select_from(spec_for(entity).table)
    stmt = stmt.where(*_clauses(conn, entity, profile, filters, account))
    if extra is not None:
        stmt = stmt.where(extra)
    return int(conn.execute(stmt).scalar_one())


def grouped(
    conn: sa.Connection,
    entity: str,
    column: str,
    profile: str,
    filters: Filters,
    account: str | None = None,
) -> dict[Any, int]:
    """How many records have each value of `column`."""
    table = spec_for(entity).table
    stmt = (
        sa.select(table.c[column], sa.func.count())
        .where(*_clauses(conn, entity, profile, filters, account))
        .group_by(table.c[column])
    )
    return {value: int(n) for value, n in conn.execute(stmt)}


def ids(
    conn: sa.Connection, entity: str, profile: str, filters: Filters, account: str | None = None
) -> list[str]:
    table = spec_for(entity).table
    stmt = sa.select(table.c.id).where(*_clauses(conn, entity, profile, filters, account))
    return [row[0] for row in conn.execute(stmt)]


def raw_dates(
    conn: sa.Connection, entity: str, key: str, profile: str, filters: Filters
) -> list[datetime]:
    """A timestamp kept only in the records' server JSON (users' `createdAt`), parsed."""
    table = spec_for(entity).table
    stmt = sa.select(table.c.raw).where(*_clauses(conn, entity, profile, filters, None))
    found: list[datetime] = []
    for (raw,) in conn.execute(stmt):
        value = raw.get(key) if isinstance(raw, Mapping) else None
        moment = parse_timestamp(value) if value else None
        if moment is not None:
            found.append(moment)
    return found

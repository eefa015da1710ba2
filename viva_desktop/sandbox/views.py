"""Reading rows in the shapes the real server returns (column order, embedded relations)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa

from viva_desktop.sandbox import storage as db

USER_FIELDS = tuple(c.name for c in db.users.c if c.name != "password")
BRIEF = ("id", "name", "avatar")


def as_dict(row: Any) -> dict[str, Any]:
    return dict(row._mapping)


def columns(table: sa.Table, names: Sequence[str]) -> list[sa.Column]:
    return [table.c[name] for name in names]


def fetch_one(conn: sa.Connection, table: sa.Table, row_id: str) -> dict[str, Any] | None:
    found = conn.execute(sa.select(table).where(table.c.id == row_id)).first()
    return as_dict(found) if found else None


def user_object(conn: sa.Connection, user_id: str) -> dict[str, Any] | None:
    """The complete user row without the password: what register, login and refresh return."""
    found = conn.execute(
        sa.select(*columns(db.users, USER_FIELDS)).where(db.users.c.id == user_id)
    ).first()
    return as_dict(found) if found else None


def users_by_id(
    conn: sa.Connection, ids: Iterable[str | None], fields: Sequence[str] = BRIEF
) -> dict[str, dict[str, Any]]:
    """Embedded `User{...}` objects for many rows in one query."""
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    select_fields = list(dict.fromkeys(("id", *fields)))
    result: dict[str, dict[str, Any]] = {}
    chunk = sorted(wanted)
    for start in range(0, len(chunk), 500):
        rows = conn.execute(
            sa.select(*columns(db.users, select_fields)).where(
                db.users.c.id.in_(chunk[start : start + 500])
            )
        )
        for row in rows:
            data = as_dict(row)
            result[data["id"]] = {name: data[name] for name in fields}
    return result


def user_brief(
    conn: sa.Connection, user_id: str | None, fields: Sequence[str] = BRIEF
) -> dict[str, Any] | None:
    return users_by_id(conn, [user_id], fields).get(user_id) if user_id else None

"""Who sees what: per-caller records are read only in their account's scope.

The server answers some lists per caller (contract: a credit history "the caller's own", the
moderation cases "where the caller is a juror"). Those entities' tables carry the `account`
they were read as (`models.AccountScoped`); every read of them takes the account as an
argument and, without one, shows nothing — a page that forgets the account shows an empty
list, never another person's data. Public entities are shared by the accounts of a profile.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from viva_desktop.services.local.store.entities import EntitySpec, spec_for

if TYPE_CHECKING:
    from viva_desktop.services.local.store.store import Store

# The owner of per-caller rows stored before revision 0005 whose reader is not known.
UNKNOWN_ACCOUNT = ""


def is_scoped(entity: str | EntitySpec) -> bool:
    """Whether `entity` is answered per caller (and so stored per account)."""
    spec = spec_for(entity) if isinstance(entity, str) else entity
    return "account" in spec.table.c


def scope_clauses(spec: EntitySpec, account: str | None) -> list[sa.ColumnElement[bool]]:
    """The WHERE clauses limiting `spec`'s rows to `account`'s scope (none for public data;
    `false` for per-caller data when no account is given)."""
    if not is_scoped(spec):
        return []
    if not account:
        return [sa.false()]
    return [spec.table.c.account == account]


def owner_of(entity: str, account: str | None) -> str:
    """The `account` value to store with a row of `entity` read or written as `account`."""
    if not is_scoped(entity):
        return ""
    if not account:
        raise ValueError(f"{entity} is read per caller: the account is required")
    return account


def owner_values(entity: str, account: str | None) -> dict[str, Any]:
    """The column values that put a new row of `entity` in `account`'s scope."""
    return {"account": owner_of(entity, account)} if is_scoped(entity) else {}


def state_account(entity: str, account: str | None) -> str:
    """The account a sync state of `entity` is kept for ("" for shared entities)."""
    return (account or UNKNOWN_ACCOUNT) if is_scoped(entity) else ""


def forget_unknown_owner(conn: sa.Connection, entity: str, profile: str) -> int:
    """Drop per-caller rows of unknown owner (from before revision 0005) that hold no offline
    edit: the sync re-reads each account's own instead. Returns how many were dropped."""
    if not is_scoped(entity):
        return 0
    table = spec_for(entity).table
    result = conn.execute(
        sa.delete(table).where(
            table.c.profile == profile,
            table.c.account == UNKNOWN_ACCOUNT,
            table.c.local_changes.is_(None),
        )
    )
    return result.rowcount or 0


def count_visible(store: Store, profile: str, account: str | None, entity: str) -> int:
    """How many records of `entity` the account sees in the store (what its browser lists:
    records gone upstream included, as the browser shows them marked)."""
    return store.count(entity, profile=profile, account=account)

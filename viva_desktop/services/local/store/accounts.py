"""The accounts seen on each server profile: who signed in here, and who was last.

A session knows its account by the server's user id; people know it by its e-mail. This
table maps one to the other for the pages that name a teammate ("3 changes queued by
admin@…"), for the headless commands (`--email`) and for offline review, which opens the
scope of the account used last on the profile.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from viva_desktop.services.local.store.account_tables import AccountRow

if TYPE_CHECKING:
    from viva_desktop.services.local.store.store import Store

TABLE = AccountRow.__table__


@dataclass(frozen=True)
class Account:
    profile: str
    user_id: str
    email: str | None
    name: str | None
    role: str | None
    email_verified: bool | None
    last_used_at: datetime

    @property
    def label(self) -> str:
        """How the account is named to people: its e-mail, else its name, else its id."""
        return self.email or self.name or self.user_id


def remember(
    store: Store,
    profile: str,
    user_id: str,
    *,
    email: str | None = None,
    name: str | None = None,
    role: str | None = None,
    email_verified: bool | None = None,
    when: datetime | None = None,
) -> Account:
    """Record that `user_id` is in use on `profile` now (known fields are kept when a later
    call does not know them)."""
    values = {
        "email": email,
        "name": name,
        "role": role,
        "email_verified": email_verified,
        "last_used_at": when or datetime.now(UTC),
    }
    with store.write() as conn:
        module = sqlite if conn.dialect.name == "sqlite" else postgresql
        stmt = module.insert(TABLE).values(profile=profile, user_id=user_id, **values)
        stmt = stmt.on_conflict_do_update(
            index_elements=[TABLE.c.profile, TABLE.c.user_id],
            set_={
                name: sa.func.coalesce(stmt.excluded[name], TABLE.c[name])
                for name in values
                if name != "last_used_at"
            }
            | {"last_used_at": stmt.excluded.last_used_at},
        )
        conn.execute(stmt)
        row = conn.execute(
            sa.select(TABLE).where(TABLE.c.profile == profile, TABLE.c.user_id == user_id)
        ).one()
    return Account(**row._mapping)


def known(store: Store, profile: str) -> list[Account]:
    """The accounts of `profile`, most recently used first."""
    with store.read() as conn:
        rows = conn.execute(
            sa.select(TABLE)
            .where(TABLE.c.profile == profile)
            .order_by(TABLE.c.last_used_at.desc(), TABLE.c.user_id)
        ).all()
    return [Account(**row._mapping) for row in rows]


def last_used(store: Store, profile: str) -> Account | None:
    found = known(store, profile)
    return found[0] if found else None


def by_email(store: Store, profile: str, email: str) -> Account | None:
    """The account of `profile` with this e-mail (compared without case)."""
    wanted = email.strip().lower()
    for account in known(store, profile):
        if (account.email or "").lower() == wanted:
            return account
    return None


def labels(store: Store, profile: str) -> dict[str, str]:
    """user id → how to name that account, for every account known on `profile`."""
    return {a.user_id: a.label for a in known(store, profile)}

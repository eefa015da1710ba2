"""Who a sync reads as: the signed-in account behind an API client, and noting it on the
profile (its e-mail names it to teammates and to `viva-desktop export --email`)."""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa

from viva_desktop.services.local.store import Store, accounts

log = logging.getLogger("viva.sync")


def reader_of(api: Any) -> str | None:
    """The account the server answers as (the session's user id); None when signed out."""
    return getattr(getattr(api.client, "auth", None), "user_id", None)


def remember_reader(api: Any, store: Store, profile: str) -> None:
    """Note the signed-in account on `profile` (nothing when signed out)."""
    user_id = reader_of(api)
    info = getattr(api.client.auth, "info", None)
    if not user_id or info is None:
        return
    try:
        accounts.remember(
            store,
            profile,
            user_id,
            email=info.email or info.account,
            name=info.name,
            role=info.role,
        )
    except sa.exc.SQLAlchemyError:
        log.exception("could not remember the account of the sync")

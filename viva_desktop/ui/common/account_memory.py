"""The accounts a profile has seen, as the context keeps them in the store: who signed in
(its e-mail names it to teammates and to `viva-desktop export --email`), and which account
offline review opens by default (the one used last on the profile)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from viva_desktop.ui.common.worker import run_task

if TYPE_CHECKING:
    from viva_desktop.services.local.store import Store
    from viva_desktop.services.remote.session import SessionInfo
    from viva_desktop.ui.common.context import AppContext

log = logging.getLogger("viva.ui.context")


def remember_account_in_store(store: Store | None, info: SessionInfo, *, parent: QObject) -> None:
    """Note the signed-in account in the store, in the background."""
    if store is None:
        return
    from viva_desktop.services.local.store import accounts

    def remember() -> object:
        return accounts.remember(
            store,
            info.profile,
            info.user_id,
            email=info.email or info.account,
            name=info.name,
            role=info.role,
        )

    run_task(
        remember,
        on_error=lambda exc: log.info("cannot remember the account: %s", exc),
        parent=parent,
        name="remember account",
    )


def prune_audit_trail(context: AppContext) -> None:
    """Apply the `audit_keep_days` setting (in the background); without it the trail is
    kept until pruned by hand."""
    days, store = context.settings.audit_keep_days, context.store
    if not days or store is None:
        return
    from datetime import UTC, datetime, timedelta

    from viva_desktop.services.local.store import audit

    run_task(
        audit.prune,
        store,
        None,
        older_than=datetime.now(UTC) - timedelta(days=days),
        on_error=lambda exc: log.info("cannot prune the audit trail: %s", exc),
        parent=context,
        name="prune the audit trail",
    )


def recall_offline_account(context: AppContext, profile: str) -> None:
    """Offline review opens the scope of the account used last on `profile` (read in the
    background; another can be chosen with `set_offline_account`)."""
    store = context.store
    if store is None:
        return
    from viva_desktop.services.local.store import accounts

    def recalled(found: Any) -> None:
        still = context.offline_mode and context.profile_name == profile
        if still and context.scope_account is None and found is not None:
            context.set_offline_account(found.user_id)

    run_task(
        accounts.last_used,
        store,
        profile,
        on_done=recalled,
        on_error=lambda exc: log.info("cannot recall the last account: %s", exc),
        parent=context,
        name="last account of the profile",
    )

"""`CurrentUser`: who is working, for the permission checks of the pages and editors.

The role and id come from the session's token at once; the community and generosity score
from the user's profile, read in the background (and saved in the store, so the same checks
work offline, where the user is recognised by the profile's remembered e-mail).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from viva_desktop.services.remote.api.errors import ApiError
from viva_desktop.ui.common.worker import run_task
from viva_desktop.ui.editors.permissions import Me

if TYPE_CHECKING:
    from viva_desktop.ui.common.context import AppContext

log = logging.getLogger("viva.ui.me")


def _me_from(record: dict[str, Any], *, signed_in: bool, role: str | None = None) -> Me:
    score = record.get("generosityScore")
    verified = record.get("emailVerified")
    return Me(
        user_id=str(record["id"]) if record.get("id") else None,
        role=role or record.get("role"),
        name=record.get("name"),
        email=record.get("email"),
        community_id=record.get("communityId"),
        generosity_score=float(score) if isinstance(score, int | float) else None,
        signed_in=signed_in,
        email_verified=verified if isinstance(verified, bool) else None,
    )


def fetch_profile(api: Any, store: Any, profile: str | None, user_id: str) -> dict[str, Any]:
    """The signed-in user's profile from the server, kept in the store (worker thread)."""
    record = api.users.get(user_id).to_wire()
    if store is not None and profile is not None:
        store.upsert("users", profile, [record])
    try:  # the profile does not say it; creating offers and events depends on it
        record["emailVerified"] = api.auth.email_verification_status().email_verified
    except ApiError as exc:
        log.info("cannot read the e-mail verification status: %s", exc)
    return record


def find_stored(store: Any, profile: str, *, user_id: str | None, email: str | None) -> dict | None:
    """The user's own record in the store, by id or by the remembered e-mail."""
    filters = {"id": user_id} if user_id else {"email": email}
    rows = store.query("users", profile=profile, filters=filters, limit=1)
    return dict(rows[0].raw) if rows else None


class CurrentUser(QObject):
    changed = Signal(object)  # Me

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.context = context
        self._me = Me()
        self._generation = 0
        context.session_changed.connect(lambda *_: self.refresh())
        context.profile_changed.connect(lambda *_: self.refresh())
        context.offline_mode_changed.connect(lambda *_: self.refresh())
        context.scope_changed.connect(lambda *_: self.refresh())
        self.refresh()

    @property
    def me(self) -> Me:
        return self._me

    def refresh(self) -> None:
        self._generation += 1
        generation = self._generation
        context = self.context
        info = context.session_info
        store, profile = context.store, context.profile_name
        if info is not None and context.api is not None:
            self._set(
                Me(
                    user_id=info.user_id,
                    role=info.role,
                    name=info.name,
                    email=info.email,
                    signed_in=True,
                )
            )
            run_task(
                fetch_profile,
                context.api,
                store,
                profile,
                info.user_id,
                on_done=lambda record: self._profile_read(generation, record, info.role),
                on_error=lambda exc: self._profile_failed(generation, exc, info.user_id),
                parent=self,
                name="read my profile",
            )
            return
        self._set(Me())
        # Offline review: the reviewed account (its id), else the remembered e-mail.
        scope = context.scope_account
        account = context.profile.account if context.profile is not None else None
        if store is not None and profile is not None and (scope or account):
            run_task(
                find_stored,
                store,
                profile,
                user_id=scope,
                email=None if scope else account,
                on_done=lambda record: self._stored(generation, record),
                on_error=lambda exc: log.info("cannot look myself up offline: %s", exc),
                parent=self,
                name="find me in the store",
            )

    def _profile_read(self, generation: int, record: dict[str, Any], role: str | None) -> None:
        if generation == self._generation:
            self._set(_me_from(record, signed_in=True, role=role))

    def _profile_failed(self, generation: int, exc: BaseException, user_id: str) -> None:
        log.info("cannot read my profile: %s", exc)
        store, profile = self.context.store, self.context.profile_name
        if generation != self._generation or store is None or profile is None:
            return
        role = self._me.role
        run_task(
            find_stored,
            store,
            profile,
            user_id=user_id,
            email=None,
            on_done=lambda record: self._stored(generation, record, role=role, signed_in=True),
            on_error=lambda _exc: None,
            parent=self,
            name="find me in the store",
        )

    def _stored(
        self,
        generation: int,
        record: dict[str, Any] | None,
        *,
        role: str | None = None,
        signed_in: bool = False,
    ) -> None:
        if generation == self._generation and record:
            self._set(_me_from(record, signed_in=signed_in, role=role))

    def _set(self, me: Me) -> None:
        if me != self._me:
            self._me = me
            self.changed.emit(me)


def current_user_of(context: AppContext) -> CurrentUser:
    """The context's one tracker (created on first use)."""
    tracker = context.findChild(CurrentUser)
    if tracker is None:
        tracker = CurrentUser(context)
    return tracker

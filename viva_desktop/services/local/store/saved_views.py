"""Saved views: a browser's search, filters, date range, columns and sort kept under a name.

Views belong to a profile and an account; a view marked `shared` is listed to every account of
the profile (in a team store, to the whole team), read-only for those who did not make it. The
state is a plain JSON object the browser writes and reads back (`state` below), so exporting
and importing views is writing and reading JSON:

    {"format": "viva-desktop/saved-views", "version": 1,
     "views": [{"page": "offers", "name": "Pending in Rochapea", "state": {...}}]}
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from viva_desktop.services.common.i18n import QT_TRANSLATE_NOOP, translate
from viva_desktop.services.local.store.view_tables import SavedViewRow
from viva_desktop.services.remote.api.errors import InvalidInput

if TYPE_CHECKING:
    from viva_desktop.services.local.store.store import Store

TABLE = SavedViewRow.__table__
FORMAT = "viva-desktop/saved-views"
VERSION = 1
MAX_NAME = 200


@dataclass(frozen=True)
class SavedView:
    pk: int
    profile: str
    account: str
    page: str
    name: str
    state: dict[str, Any]
    shared: bool
    created_at: datetime
    updated_at: datetime

    def owned_by(self, account: str | None) -> bool:
        return self.account == (account or "")


def _invalid(text: str, **values: Any) -> InvalidInput:
    return InvalidInput(user_message=translate("SavedViews", text).format(**values))


def clean_name(name: str) -> str:
    cleaned = " ".join(str(name).split())
    if not cleaned:
        raise _invalid(QT_TRANSLATE_NOOP("SavedViews", "A view needs a name."))
    if len(cleaned) > MAX_NAME:
        raise _invalid(
            QT_TRANSLATE_NOOP("SavedViews", "A view's name has at most {n} characters."), n=MAX_NAME
        )
    return cleaned


def _view(row: Any) -> SavedView:
    return SavedView(**row._mapping)


def views(
    store: Store, profile: str, account: str | None, page: str | None = None
) -> list[SavedView]:
    """The views `account` may use on `profile` (its own and the shared ones), by name."""
    owner = account or ""
    stmt = sa.select(TABLE).where(
        TABLE.c.profile == profile, sa.or_(TABLE.c.account == owner, TABLE.c.shared.is_(True))
    )
    if page is not None:
        stmt = stmt.where(TABLE.c.page == page)
    stmt = stmt.order_by(TABLE.c.page, sa.func.lower(TABLE.c.name), TABLE.c.pk)
    with store.read() as conn:
        return [_view(row) for row in conn.execute(stmt)]


def find(store: Store, profile: str, account: str | None, page: str, name: str) -> SavedView | None:
    """The view of that name: the account's own first, else a shared one."""
    found = [v for v in views(store, profile, account, page) if v.name == name]
    found.sort(key=lambda v: not v.owned_by(account))
    return found[0] if found else None


def save(
    store: Store,
    profile: str,
    account: str | None,
    page: str,
    name: str,
    state: Mapping[str, Any],
    *,
    shared: bool = False,
    replace: bool = True,
) -> SavedView:
    """Save `state` under `name` (replacing the account's own view of that name unless
    `replace` is False, then the name must be free)."""
    name = clean_name(name)
    owner = account or ""
    now = datetime.now(UTC)
    payload = json.loads(json.dumps(dict(state)))  # plain JSON only, a private copy
    with store.write() as conn:
        existing = conn.execute(
            sa.select(TABLE.c.pk).where(
                TABLE.c.profile == profile,
                TABLE.c.account == owner,
                TABLE.c.page == page,
                TABLE.c.name == name,
            )
        ).scalar()
        if existing is not None and not replace:
            raise _invalid(
                QT_TRANSLATE_NOOP("SavedViews", "There is already a view called “{name}”."),
                name=name,
            )
        if existing is not None:
            conn.execute(
                sa.update(TABLE)
                .where(TABLE.c.pk == existing)
                .values(state=payload, shared=shared, updated_at=now)
            )
            pk = existing
        else:
            pk = conn.execute(
                sa.insert(TABLE).values(
                    profile=profile,
                    account=owner,
                    page=page,
                    name=name,
                    state=payload,
                    shared=shared,
                    created_at=now,
                    updated_at=now,
                )
            ).inserted_primary_key[0]
        return _view(conn.execute(sa.select(TABLE).where(TABLE.c.pk == pk)).one())


def _own(conn: sa.Connection, view: SavedView, account: str | None) -> None:
    if not view.owned_by(account):
        raise _invalid(
            QT_TRANSLATE_NOOP(
                "SavedViews", "“{name}” was shared by a teammate: only they can change it."
            ),
            name=view.name,
        )


def rename(store: Store, view: SavedView, account: str | None, new_name: str) -> SavedView:
    name = clean_name(new_name)
    with store.write() as conn:
        _own(conn, view, account)
        taken = conn.execute(
            sa.select(TABLE.c.pk).where(
                TABLE.c.profile == view.profile,
                TABLE.c.account == view.account,
                TABLE.c.page == view.page,
                TABLE.c.name == name,
                TABLE.c.pk != view.pk,
            )
        ).scalar()
        if taken is not None:
            raise _invalid(
                QT_TRANSLATE_NOOP("SavedViews", "There is already a view called “{name}”."),
                name=name,
            )
        conn.execute(
            sa.update(TABLE)
            .where(TABLE.c.pk == view.pk)
            .values(name=name, updated_at=datetime.now(UTC))
        )
        return _view(conn.execute(sa.select(TABLE).where(TABLE.c.pk == view.pk)).one())


def set_shared(store: Store, view: SavedView, account: str | None, shared: bool) -> SavedView:
    with store.write() as conn:
        _own(conn, view, account)
        conn.execute(sa.update(TABLE).where(TABLE.c.pk == view.pk).values(shared=shared))
        return _view(conn.execute(sa.select(TABLE).where(TABLE.c.pk == view.pk)).one())


def delete(store: Store, view: SavedView, account: str | None) -> None:
    with store.write() as conn:
        _own(conn, view, account)
        conn.execute(sa.delete(TABLE).where(TABLE.c.pk == view.pk))


def to_json(chosen: Iterable[SavedView]) -> str:
    """The views as a JSON document (no profile, account or ids: portable)."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "views": [{"page": v.page, "name": v.name, "state": v.state} for v in chosen],
    }
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)


def parse_json(text: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(page, name, state) of every view in an exported document; InvalidInput naming what is
    wrong when it is not one."""
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise _invalid(
            QT_TRANSLATE_NOOP("SavedViews", "This is not a JSON file: {reason}"), reason=str(exc)
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise _invalid(
            QT_TRANSLATE_NOOP("SavedViews", "This file holds no saved views of Viva Desktop.")
        )
    if document.get("version") != VERSION:
        raise _invalid(
            QT_TRANSLATE_NOOP("SavedViews", "Saved views of version {v} cannot be read."),
            v=document.get("version"),
        )
    found = []
    for entry in document.get("views") or []:
        if not isinstance(entry, dict):
            raise _invalid(
                QT_TRANSLATE_NOOP("SavedViews", "This file holds no saved views of Viva Desktop.")
            )
        page, name, state = entry.get("page"), entry.get("name"), entry.get("state")
        if not isinstance(page, str) or not isinstance(name, str) or not isinstance(state, dict):
            raise _invalid(
                QT_TRANSLATE_NOOP("SavedViews", "This file holds no saved views of Viva Desktop.")
            )
        found.append((page, clean_name(name), state))
    return found


def import_json(
    store: Store, profile: str, account: str | None, text: str, *, pages: Iterable[str] = ()
) -> list[SavedView]:
    """Add the views of an exported document as the account's own (a name already taken gets
    " (2)", " (3)"…); views of pages not in `pages` (when given) are refused."""
    parsed = parse_json(text)
    known = set(pages)
    if known:
        unknown = sorted({page for page, _n, _s in parsed if page not in known})
        if unknown:
            raise _invalid(
                QT_TRANSLATE_NOOP("SavedViews", "Unknown pages in the file: {pages}."),
                pages=", ".join(unknown),
            )
    added = []
    for page, name, state in parsed:
        taken = {v.name for v in views(store, profile, account, page) if v.owned_by(account)}
        chosen, n = name, 2
        while chosen in taken:
            chosen = f"{name} ({n})"
            n += 1
        added.append(save(store, profile, account, page, chosen, state, replace=False))
    return added

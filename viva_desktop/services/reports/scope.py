"""Which community a report is about: chosen by id, name or slug among the synced ones."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from viva_desktop.services.local.store import Store, spec_for


class ReportScopeError(ValueError):
    """The community asked for is not in the local copy (the message says which exist)."""


@dataclass(frozen=True)
class CommunityChoice:
    id: str
    name: str
    slug: str | None = None


def communities_of(store: Store, profile: str) -> list[CommunityChoice]:
    """The synced communities of `profile`, by name."""
    table = spec_for("communities").table
    stmt = (
        sa.select(table.c.id, table.c.name, table.c.slug)
        .where(table.c.profile == profile)
        .order_by(table.c.name, table.c.id)
    )
    with store.read() as conn:
        return [CommunityChoice(r.id, r.name or r.id, r.slug) for r in conn.execute(stmt)]


def find_community(store: Store, profile: str, wanted: str) -> CommunityChoice:
    """The community whose id, slug or name (without case) is `wanted`."""
    key = wanted.strip().casefold()
    known = communities_of(store, profile)
    for choice in known:
        if key in (choice.id.casefold(), (choice.slug or "").casefold(), choice.name.casefold()):
            return choice
    names = ", ".join(choice.name for choice in known) or "none"
    raise ReportScopeError(f"no community {wanted!r} in the local copy (known: {names})")

"""The largest page size each list route of a server accepts: fewest requests per sync.

The contract (§3.10) names no maximum for any list route: the real server takes any numeric
`limit`, and the no-paging routes (`/offers`, `/communities`) ignore it. So a sync asks for
its configured page size, and only a server (or a proxy before it) that answers 400 to a
page size teaches it a smaller one: the size is halved until a page comes back, and the size
that worked is stored per server and route, so later syncs start there and the search is not
repeated (each refused try is a request spent against the rate limit).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.services.local.store import Store
from viva_desktop.services.local.store.sync_tables import PageSizeRow
from viva_desktop.services.remote.api.errors import InvalidInput
from viva_desktop.services.remote.api.pagination import Page, PageMarker, Paginator

log = logging.getLogger("viva.sync")
TABLE = PageSizeRow.__table__

Learned = Callable[[int, int], None]
"""Called with (accepted, refused) once a smaller page size came back after a refusal."""


def remembered(store: Store, server: str | None, route: str) -> int | None:
    """The page size found for this server's route, or None when none had to be found."""
    if not server:
        return None
    with store.read() as conn:
        value = conn.execute(
            sa.select(TABLE.c.accepted).where(TABLE.c.server == server, TABLE.c.route == route)
        ).scalar()
    return int(value) if value is not None else None


def remember(store: Store, server: str | None, route: str, accepted: int, refused: int) -> None:
    """Store the page size this server's route accepted (replacing an older finding)."""
    if not server:
        return
    with store.write() as conn:
        conn.execute(sa.delete(TABLE).where(TABLE.c.server == server, TABLE.c.route == route))
        conn.execute(
            sa.insert(TABLE).values(
                server=server,
                route=route,
                accepted=accepted,
                refused=refused,
                found_at=datetime.now(UTC),
            )
        )


def page_size_for(store: Store, server: str | None, route: str, configured: int) -> int:
    """The size to ask for: the configured one, or less when the server taught a smaller one."""
    found = remembered(store, server, route)
    return min(configured, found) if found is not None else configured


def fitting_pages(
    paginator: Paginator[Any],
    size: int,
    start: PageMarker,
    cancel: CancelToken | None,
    on_learned: Learned,
) -> Iterator[Page[Any]]:
    """`paginator`'s pages from `start`, asking for `size` items a page, or for half as many
    each time the server refuses a size (400) before any page of that size came back.

    A 400 after a page of the same size was accepted is about something else: raised as is,
    like the refusal of a single item per page.
    """
    marker: PageMarker = dict(start)
    refused: int | None = None
    while True:
        received = False
        try:
            for page in paginator.pages(page_size=size, start=marker, cancel=cancel):
                if refused is not None and not received:
                    log.info("page size %d accepted after %d was refused", size, refused)
                    on_learned(size, refused)
                received = True
                yield page
                if page.next_marker is None:
                    return
                marker = page.next_marker
            return
        except InvalidInput:
            if received or size <= 1:
                raise
            refused = size
            size = max(1, size // 2)


__all__ = ["fitting_pages", "page_size_for", "remember", "remembered"]

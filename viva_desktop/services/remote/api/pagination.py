"""One iterator over every list style the server uses (contract §3.10).

The server pages in five ways: limit+offset with a total (`/events`, `/credits/transactions`),
a bare array that needs both limit and offset (`/posts`), a cursor envelope (`/social/feed`),
a limit with no offset (`/notifications`) and no paging at all (`/offers`, `/communities`).
`Paginator` hides them behind `pages()` and `items()`. Each `Page` carries the small,
JSON-serialisable marker that fetched it and the one for the next page, so the sync engine can
persist a marker and resume there after a crash.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.services.remote.api.client import ApiResponse
from viva_desktop.services.remote.api.errors import Cancelled
from viva_desktop.services.remote.api.parsing import field_of, require_data

T = TypeVar("T")

PageMarker = dict[str, Any]
"""`{}` for the first page, `{"offset": 200}` or `{"cursor": "<post id>"}` after it."""

Get = Callable[[Mapping[str, Any], CancelToken | None], ApiResponse]
"""Send the list request with these paging parameters (the filters are already bound)."""

ParseItems = Callable[[Any, ApiResponse], list[T]]


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    marker: PageMarker  # the marker that fetched this page
    next_marker: PageMarker | None  # None on the last page
    total: int | None = None  # when the server says


FetchPage = Callable[[PageMarker, int, CancelToken | None], Page[T]]


class Paginator(Generic[T]):
    """Iterate the pages of one list; `style` names the server's paging style."""

    def __init__(self, fetch: FetchPage[T], *, style: str) -> None:
        self._fetch = fetch
        self.style = style

    def pages(
        self,
        page_size: int = 100,
        start: PageMarker | None = None,
        cancel: CancelToken | None = None,
    ) -> Iterator[Page[T]]:
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        marker: PageMarker = dict(start or {})
        while True:
            if cancel is not None and cancel.cancelled:
                raise Cancelled
            page = self._fetch(marker, page_size, cancel)
            yield page
            if page.next_marker is None:
                return
            marker = page.next_marker

    def items(
        self,
        page_size: int = 100,
        start: PageMarker | None = None,
        cancel: CancelToken | None = None,
    ) -> Iterator[T]:
        for page in self.pages(page_size, start, cancel):
            yield from page.items

    def first_page(self, page_size: int = 100, cancel: CancelToken | None = None) -> Page[T]:
        return next(iter(self.pages(page_size, None, cancel)))


def _offset(marker: PageMarker) -> int:
    value = marker.get("offset", 0)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"not an offset marker: {marker!r}")
    return value


def offset_with_total(get: Get, parse: ParseItems[T], key: str) -> Paginator[T]:
    """`{<key>: [...], total, limit, offset}`: stop when the total is reached."""

    def fetch(marker: PageMarker, size: int, cancel: CancelToken | None) -> Page[T]:
        offset = _offset(marker)
        response = get({"limit": size, "offset": offset}, cancel)
        data = require_data(response)
        items = parse(field_of(data, key, response), response)
        total = data.get("total") if isinstance(data.get("total"), int) else None
        end = offset + len(items)
        more = bool(items) and (end < total if total is not None else len(items) >= size)
        return Page(items, {"offset": offset}, {"offset": end} if more else None, total)

    return Paginator(fetch, style="offset+total")


def offset_bare(get: Get, parse: ParseItems[T]) -> Paginator[T]:
    """A bare array with required limit and offset: a short page is the last one."""

    def fetch(marker: PageMarker, size: int, cancel: CancelToken | None) -> Page[T]:
        offset = _offset(marker)
        response = get({"limit": size, "offset": offset}, cancel)
        items = parse(require_data(response), response)
        more = len(items) >= size
        return Page(items, {"offset": offset}, {"offset": offset + len(items)} if more else None)

    return Paginator(fetch, style="offset")


def cursor(get: Get, parse: ParseItems[T], *, id_of: Callable[[T], str]) -> Paginator[T]:
    """`{data, hasMore}`, the next cursor being the id of the last item received."""

    def fetch(marker: PageMarker, size: int, cancel: CancelToken | None) -> Page[T]:
        position = marker.get("cursor")
        if position is not None and not isinstance(position, str):
            raise ValueError(f"not a cursor marker: {marker!r}")
        params: dict[str, Any] = {"limit": size}
        if position:
            params["cursor"] = position
        response = get(params, cancel)
        data = require_data(response)
        items = parse(field_of(data, "data", response), response)
        more = bool(data.get("hasMore")) and bool(items)
        this = {"cursor": position} if position else {}
        return Page(items, this, {"cursor": id_of(items[-1])} if more else None)

    return Paginator(fetch, style="cursor")


def growing_limit(get: Get, parse: ParseItems[T]) -> Paginator[T]:
    """A `limit` and no offset (`/notifications`): ask for offset+size rows and keep the tail,
    so every row stays reachable; fine for the short lists that use this style."""

    def fetch(marker: PageMarker, size: int, cancel: CancelToken | None) -> Page[T]:
        offset = _offset(marker)
        response = get({"limit": offset + size}, cancel)
        rows = parse(require_data(response), response)
        items = rows[offset:]
        more = len(rows) >= offset + size and bool(items)
        return Page(items, {"offset": offset}, {"offset": offset + len(items)} if more else None)

    return Paginator(fetch, style="limit")


def unpaged(get: Get, parse: ParseItems[T]) -> Paginator[T]:
    """A complete bare array (`/offers`, `/communities`): one page; the server ignores `limit`."""

    def fetch(marker: PageMarker, size: int, cancel: CancelToken | None) -> Page[T]:
        response = get({}, cancel)
        items = parse(require_data(response), response)
        return Page(items, {}, None, len(items))

    return Paginator(fetch, style="unpaged")

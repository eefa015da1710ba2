"""Where each synced entity comes from: its lists on the server, read through the API layer's
paginators, in the order a sync pulls them."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.services.remote.api import Api
from viva_desktop.services.remote.api.client import ApiResponse
from viva_desktop.services.remote.api.errors import bad_response
from viva_desktop.services.remote.api.pagination import (
    Get,
    Paginator,
    offset_bare,
    offset_with_total,
    unpaged,
)

ENTITIES: tuple[str, ...] = (
    "communities",
    "offers",
    "events",
    "posts",
    "credit_transactions",
    "moderation_cases",
)
"""What a sync pulls, in this order (communities first: the other views filter on them)."""


@dataclass(frozen=True)
class Source:
    """How one entity is read from the server."""

    entity: str
    # One paginator per part (communities: the public list, then the private ones).
    parts: Callable[[Api], Sequence[Paginator[Any]]]
    # Wire field of a newest-first order that allows incremental walks.
    newest_first_on: str | None = None
    needs_login: bool = False
    # The list route its pages come from: its rate-limit budget paces the walk.
    route: str = ""


# The lists are read as the server's JSON, through the API layer's paginators and client.
# The store keeps that JSON verbatim (`raw`); parsing 100 000 records into typed models only
# to dump them back would cost more than the rest of the sync together, and would rewrite
# the server's values on the way (timestamps, for one).


def _records(data: Any, response: ApiResponse) -> list[dict[str, Any]]:
    """The list items of a page, checked to be records with an id."""
    if not isinstance(data, list) or not all(
        isinstance(item, dict) and item.get("id") not in (None, "") for item in data
    ):
        raise bad_response(
            method=response.method,
            path=response.path,
            request_id=response.request_id,
            status=response.status,
            why="expected a list of records with ids",
        )
    return data


def _lister(api: Api, path: str, *, authenticated: bool, **filters: Any) -> Get:
    def get(paging: Mapping[str, Any], cancel: CancelToken | None) -> ApiResponse:
        params = {**filters, **paging}
        return api.client.get(path, params=params, authenticated=authenticated, cancel=cancel)

    return get


SOURCES: dict[str, Source] = {
    source.entity: source
    for source in (
        Source(
            "communities",
            lambda api: [
                unpaged(_lister(api, "/communities", authenticated=False), _records),
                # Private communities are listed only on request (contract §6.2).
                unpaged(
                    _lister(api, "/communities", authenticated=False, visibility="PRIVATE"),
                    _records,
                ),
            ],
            route="/communities",
        ),
        Source(
            "offers",
            lambda api: [unpaged(_lister(api, "/offers", authenticated=False), _records)],
            route="/offers",
        ),
        Source(
            "events",
            lambda api: [
                offset_with_total(
                    _lister(api, "/events", authenticated=False, upcoming=False),
                    _records,
                    "events",
                )
            ],
            route="/events",
        ),
        Source(
            "posts",
            lambda api: [offset_bare(_lister(api, "/posts", authenticated=False), _records)],
            newest_first_on="createdAt",
            route="/posts",
        ),
        Source(
            "credit_transactions",
            lambda api: [
                offset_with_total(
                    _lister(api, "/credits/transactions", authenticated=True),
                    _records,
                    "transactions",
                )
            ],
            newest_first_on="createdAt",
            needs_login=True,
            route="/credits/transactions",
        ),
        Source(
            "moderation_cases",
            lambda api: [
                unpaged(_lister(api, "/consensus/moderation/pending", authenticated=True), _records)
            ],
            needs_login=True,
            route="/consensus/moderation/pending",
        ),
    )
}

"""`/search` (contract §6.7): offers and events, no users."""

from __future__ import annotations

from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.services.remote.api.models.misc import SearchResult
from viva_desktop.services.remote.api.resources.base import Resource, query


class SearchResource(Resource):
    def query(
        self,
        q: str,
        *,
        type: str | None = None,
        category: str | None = None,
        lat: float | None = None,
        lng: float | None = None,
        radius: float | None = None,
        cancel: CancelToken | None = None,
    ) -> SearchResult:
        """Offers of any status (up to 50) and events (up to 20) matching `q`."""
        params = query(q=q, type=type, category=category, lat=lat, lng=lng, radius=radius)
        response = self._get("/search", params=params, authenticated=False, cancel=cancel)
        return self._one(SearchResult, response)

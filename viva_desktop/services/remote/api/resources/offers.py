"""`/offers` (contract §6.3). Upstream, creating an offer always fails with 500 (D1)."""

from __future__ import annotations

from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.services.remote.api.models.inputs import Payload
from viva_desktop.services.remote.api.models.offers import Offer, OfferDetail
from viva_desktop.services.remote.api.pagination import Paginator, unpaged
from viva_desktop.services.remote.api.parsing import parse_list
from viva_desktop.services.remote.api.resources.base import Resource, query, seg


class OffersResource(Resource):
    def list(
        self,
        *,
        type: str | None = None,
        category: str | None = None,
        community_id: str | None = None,
        near_lat: float | None = None,
        near_lng: float | None = None,
        max_distance: float | None = None,
        cancel: CancelToken | None = None,
    ) -> list[Offer]:
        """Active offers, newest first, all at once (the server ignores `limit`)."""
        params = self._filters(type, category, community_id, near_lat, near_lng, max_distance)
        return self._many(
            Offer, self._get("/offers", params=params, authenticated=False, cancel=cancel)
        )

    def paginator(
        self,
        *,
        type: str | None = None,
        category: str | None = None,
        community_id: str | None = None,
    ) -> Paginator[Offer]:
        filters = self._filters(type, category, community_id, None, None, None)
        get = self._lister("/offers", filters, authenticated=False)
        return unpaged(get, lambda data, r: parse_list(Offer, data, r))

    def get(self, offer_id: str, *, cancel: CancelToken | None = None) -> OfferDetail:
        """Each read bumps the offer's `views`. Unknown ids give `NotFound` (the server's 500,
        D3, and a fixed server's 404 alike)."""
        response = self._get(f"/offers/{seg(offer_id)}", authenticated=False, cancel=cancel)
        return self._one(OfferDetail, response)

    def mine(self, *, cancel: CancelToken | None = None) -> list[OfferDetail]:
        return self._many(OfferDetail, self._get("/offers/user/my-offers", cancel=cancel))

    def create(self, dto: Payload, *, cancel: CancelToken | None = None) -> OfferDetail:
        """Needs a verified e-mail. A 500 is an `UnknownOutcome`: re-read before retrying."""
        return self._one(OfferDetail, self._write("POST", "/offers", dto, cancel=cancel))

    def update(
        self, offer_id: str, dto: Payload, *, cancel: CancelToken | None = None
    ) -> OfferDetail:
        response = self._write("PUT", f"/offers/{seg(offer_id)}", dto, cancel=cancel)
        return self._one(OfferDetail, response)

    def delete(self, offer_id: str, *, cancel: CancelToken | None = None) -> OfferDetail:
        """A soft delete: the row comes back with status CANCELLED."""
        response = self._write("DELETE", f"/offers/{seg(offer_id)}", cancel=cancel)
        return self._one(OfferDetail, response)

    @staticmethod
    def _filters(
        type: str | None,
        category: str | None,
        community_id: str | None,
        near_lat: float | None,
        near_lng: float | None,
        max_distance: float | None,
    ) -> dict[str, object]:
        return query(
            type=type,
            category=category,
            communityId=community_id,
            nearLat=near_lat,
            nearLng=near_lng,
            maxDistance=max_distance,
        )

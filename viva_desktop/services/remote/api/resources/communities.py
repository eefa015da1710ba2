"""`/communities` (contract §6.2). Approving members needs community reputation, not a role."""

from __future__ import annotations

from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.services.remote.api.models.communities import (
    Community,
    CommunityDetail,
    Member,
    MembershipRequest,
    MessageReply,
)
from viva_desktop.services.remote.api.models.inputs import Payload
from viva_desktop.services.remote.api.pagination import Paginator, unpaged
from viva_desktop.services.remote.api.parsing import parse_list
from viva_desktop.services.remote.api.resources.base import Resource, query, seg


class CommunitiesResource(Resource):
    def list(
        self,
        *,
        type: str | None = None,
        visibility: str | None = None,
        search: str | None = None,
        near_lat: float | None = None,
        near_lng: float | None = None,
        max_distance: float | None = None,
        cancel: CancelToken | None = None,
    ) -> list[Community]:
        """Every match at once (no paging). PRIVATE ones only with `visibility="PRIVATE"`."""
        params = query(
            type=type,
            visibility=visibility,
            search=search,
            nearLat=near_lat,
            nearLng=near_lng,
            maxDistance=max_distance,
        )
        return self._many(Community, self._get("/communities", params=params, cancel=cancel))

    def paginator(
        self,
        *,
        type: str | None = None,
        visibility: str | None = None,
        search: str | None = None,
    ) -> Paginator[Community]:
        get = self._lister(
            "/communities",
            {"type": type, "visibility": visibility, "search": search},
            authenticated=False,
        )
        return unpaged(get, lambda data, r: parse_list(Community, data, r))

    def get(self, community_id: str, *, cancel: CancelToken | None = None) -> CommunityDetail:
        response = self._get(
            f"/communities/{seg(community_id)}", authenticated=False, cancel=cancel
        )
        return self._one(CommunityDetail, response)

    def by_slug(self, slug: str, *, cancel: CancelToken | None = None) -> CommunityDetail:
        response = self._get(f"/communities/slug/{seg(slug)}", authenticated=False, cancel=cancel)
        return self._one(CommunityDetail, response)

    def members(self, community_id: str, *, cancel: CancelToken | None = None) -> list[Member]:
        response = self._get(f"/communities/{seg(community_id)}/members", cancel=cancel)
        return self._many(Member, response)

    def membership_requests(
        self, community_id: str, *, cancel: CancelToken | None = None
    ) -> list[MembershipRequest]:
        """Pending requests, oldest first; needs membership with reputation >= 5."""
        response = self._get(f"/communities/{seg(community_id)}/membership-requests", cancel=cancel)
        return self._many(MembershipRequest, response)

    def approve_request(
        self,
        community_id: str,
        request_id: str,
        note: str | None = None,
        *,
        cancel: CancelToken | None = None,
    ) -> MessageReply:
        return self._decide(community_id, request_id, "approve", note, cancel)

    def reject_request(
        self,
        community_id: str,
        request_id: str,
        note: str | None = None,
        *,
        cancel: CancelToken | None = None,
    ) -> MessageReply:
        return self._decide(community_id, request_id, "reject", note, cancel)

    def create(self, dto: Payload, *, cancel: CancelToken | None = None) -> CommunityDetail:
        response = self._write("POST", "/communities", dto, cancel=cancel)
        return self._one(CommunityDetail, response)

    def update(
        self, community_id: str, dto: Payload, *, cancel: CancelToken | None = None
    ) -> Community:
        response = self._write("PUT", f"/communities/{seg(community_id)}", dto, cancel=cancel)
        return self._one(Community, response)

    def _decide(
        self,
        community_id: str,
        request_id: str,
        verb: str,
        note: str | None,
        cancel: CancelToken | None,
    ) -> MessageReply:
        path = f"/communities/{seg(community_id)}/membership-requests/{seg(request_id)}/{verb}"
        # A repeated decision is refused with 400 "already approved/rejected": safe to retry.
        response = self._write("POST", path, query(reviewNote=note), cancel=cancel, idempotent=True)
        return self._one(MessageReply, response)

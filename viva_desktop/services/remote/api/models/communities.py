"""Communities, their members and membership requests (contract §6.2)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from viva_desktop.services.remote.api.models.base import Counts, UtcDatetime, VivaModel


class Community(VivaModel):
    """A list row. Prefer `member_count` (from `_count.User`) over the stale `members_count`."""

    id: str
    slug: str | None = None
    name: str | None = None
    description: str | None = None
    logo: str | None = None
    banner_image: str | None = None
    location: str | None = None
    lat: float | None = None
    lng: float | None = None
    radius_km: float | None = None
    type: str | None = None
    visibility: str | None = None
    requires_approval: bool | None = None
    allow_external_offers: bool | None = None
    primary_color: str | None = None
    language: str | None = None
    currency: str | None = None
    members_count: int | None = None
    active_offers_count: int | None = None
    created_at: UtcDatetime | None = None
    updated_at: UtcDatetime | None = None
    counts: Counts | None = Field(default=None, alias="_count")

    @property
    def member_count(self) -> int:
        if self.counts is not None and "User" in (self.counts.model_extra or {}):
            return self.counts.get("User")
        return self.members_count or 0

    @property
    def offer_count(self) -> int:
        if self.counts is not None and "Offer" in (self.counts.model_extra or {}):
            return self.counts.get("Offer")
        return self.active_offers_count or 0


class CommunityDetail(Community):
    """`GET /communities/{id}` or `/slug/{slug}`. A private community comes back reduced to a
    few fields with `restricted: true`; the caller flags are always false (§13 D11)."""

    governance: dict[str, Any] | None = Field(default=None, alias="CommunityGovernance")
    is_member: bool = False
    is_founder: bool = False
    can_propose: bool = False
    can_vote: bool = False
    can_moderate: bool = False
    restricted: bool = False


class Member(VivaModel):
    id: str
    name: str | None = None
    avatar: str | None = None
    bio: str | None = None
    level: int | None = None
    credits: int | None = None


class MembershipRequest(VivaModel):
    id: str
    user_id: str | None = None
    message: str | None = None
    created_at: UtcDatetime | None = None
    status: str | None = None


class MessageReply(VivaModel):
    """The many `{message: "..."}` replies (approve, reject, delete...)."""

    message: str | None = None
    success: bool | None = None

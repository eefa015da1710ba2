"""Bodies we send: one model per writable DTO, serialised to exactly what the server accepts.

The server whitelists DTO properties (an undeclared key is a 400) and converts types loosely
(the string "false" becomes true, contract §3.3). So inputs forbid unknown fields, keep real
JSON types, and leave out whatever is None or was never set. Field rules (required, lengths,
ranges) are checked with per-field messages by `services.validation` before sending.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel
from pydantic_core import to_jsonable_python

from viva_desktop.services.remote.api.models.base import UtcDatetime


class InputModel(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, alias_generator=to_camel)


class OfferInput(InputModel):
    """CreateOfferDto / UpdateOfferDto (§6.3); status, featured and communityId are not
    settable through the API."""

    title: str | None = None
    description: str | None = None
    category: str | None = None
    type: str | None = None
    price_eur: float | None = None
    price_credits: int | None = None
    stock: int | None = None
    lat: float | None = None
    lng: float | None = None
    address: str | None = None
    tags: list[str] | None = None
    images: list[str] | None = None


class EventInput(InputModel):
    """CreateEventDto / UpdateEventDto (§6.4); `type` takes the DTO's VIRTUAL, IN_PERSON or
    HYBRID, not the database's event types."""

    title: str | None = None
    description: str | None = None
    starts_at: UtcDatetime | None = None
    ends_at: UtcDatetime | None = None
    address: str | None = None
    lat: float | None = None
    lng: float | None = None
    capacity: int | None = None
    category: str | None = None
    type: str | None = None
    credits_reward: int | None = None
    tags: list[str] | None = None
    requirements: list[str] | None = None
    community_id: str | None = None
    offer_id: str | None = None
    image: str | None = None


class PostInput(InputModel):
    """`POST /posts` and `PUT /posts/{id}` (the posts variant of CreatePostDto, §6.5)."""

    content: str | None = None
    type: str | None = None
    images: list[str] | None = None
    visibility: str | None = None
    tags: list[str] | None = None
    mentions: list[str] | None = None
    related_offer_id: str | None = None
    lat: float | None = None
    lng: float | None = None


class SocialPostInput(InputModel):
    """`POST /social/posts` (the social variant: `media`, `location` as "lat,lng")."""

    content: str | None = None
    type: str | None = None
    media: list[str] | None = None
    location: str | None = None
    visibility: str | None = None
    related_offer_id: str | None = None
    related_event_id: str | None = None
    tags: list[str] | None = None


class GrantInput(InputModel):
    """GrantCreditsDto (§6.6): whole credits, ADMIN_GRANT has no daily limit."""

    user_id: str
    amount: int
    reason: str = "ADMIN_GRANT"
    related_id: str | None = None
    description: str | None = None


class UserUpdate(InputModel):
    """UpdateUserDto (§6.1): role, email, phone and credits cannot be changed."""

    name: str | None = None
    bio: str | None = None
    avatar: str | None = None
    address: str | None = None
    neighborhood: str | None = None
    lat: float | None = None
    lng: float | None = None
    interests: list[str] | None = None


class CommunityInput(InputModel):
    """CreateCommunityDto / UpdateCommunityDto (§6.2)."""

    slug: str | None = None
    name: str | None = None
    type: str | None = None
    visibility: str | None = None
    description: str | None = None
    logo: str | None = None
    banner_image: str | None = None
    location: str | None = None
    primary_color: str | None = None
    language: str | None = None
    currency: str | None = None
    lat: float | None = None
    lng: float | None = None
    radius_km: float | None = None
    requires_approval: bool | None = None
    allow_external_offers: bool | None = None
    onboarding_pack: dict[str, Any] | None = None


Payload = Mapping[str, Any] | BaseModel


def to_payload(dto: Payload) -> dict[str, Any]:
    """The JSON body for `dto`: wire names, real JSON types, no None and no unset fields."""
    if isinstance(dto, BaseModel):
        return dto.model_dump(mode="json", by_alias=True, exclude_none=True, exclude_unset=True)
    return {str(k): _jsonable(v) for k, v in dto.items() if v is not None}


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return to_jsonable_python(value)
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return to_jsonable_python(value)

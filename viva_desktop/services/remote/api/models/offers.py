"""Offers (contract §6.3)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from viva_desktop.services.remote.api.models.base import UserRef, UtcDatetime, VivaModel


class Offer(VivaModel):
    """A list row of `GET /offers` (active offers only, newest first)."""

    id: str
    user_id: str | None = None
    community_id: str | None = None
    type: str | None = None
    category: str | None = None
    title: str | None = None
    description: str | None = None
    images: list[Any] = Field(default_factory=list)
    price_eur: float | None = None
    price_credits: int | None = None
    stock: int | None = None
    lat: float | None = None
    lng: float | None = None
    address: str | None = None
    tags: list[str] = Field(default_factory=list)
    status: str | None = None
    featured: bool | None = None
    views: int | None = None
    interested: int | None = None
    created_at: UtcDatetime | None = None
    updated_at: UtcDatetime | None = None
    user: UserRef | None = Field(default=None, alias="User")
    distance: float | None = None  # km, only in search results with coordinates


class OfferInterest(VivaModel):
    id: str | None = None
    user_id: str | None = None
    user: UserRef | None = Field(default=None, alias="User")


class TimeBankOffer(VivaModel):
    id: str
    offer_id: str | None = None
    skill_id: str | None = None
    estimated_hours: float | None = None
    can_teach: bool | None = None
    max_students: int | None = None
    experience_level: str | None = None
    tools_needed: list[str] = Field(default_factory=list)


class OfferDetail(Offer):
    """The full row: detail, my-offers, the soft-delete reply. Each detail read bumps `views`."""

    supporters: int | None = None
    shares: int | None = None
    expires_at: UtcDatetime | None = None
    group_buy: dict[str, Any] | None = Field(default=None, alias="GroupBuy")
    time_bank_offer: TimeBankOffer | None = Field(default=None, alias="TimeBankOffer")
    event: dict[str, Any] | None = Field(default=None, alias="Event")
    interests: list[OfferInterest] = Field(default_factory=list, alias="OfferInterest")
    user_is_interested: bool | None = None

"""Accounts: the login reply and user profiles (contract §5, §6.1)."""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, Field

from viva_desktop.services.remote.api.models.base import UtcDatetime, VivaModel


class AccountSummary(VivaModel):
    """The safe part of the login reply's `user`: that object holds 2FA secrets (§13.2 S3),
    so everything else is dropped rather than kept as an extra."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    id: str
    email: str | None = None
    name: str | None = None
    role: str | None = None
    avatar: str | None = None
    email_verified: bool | None = None
    credits: int | None = None
    level: int | None = None
    community_id: str | None = None
    two_factor_enabled: bool | None = None
    generosity_score: float | None = None
    language: str | None = None


class LoginReply(VivaModel):
    """Register, login and refresh all answer 201 with this (§5)."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    access_token: str = Field(alias="access_token", repr=False)
    refresh_token: str | None = Field(default=None, alias="refresh_token", repr=False)
    user: AccountSummary | None = None


class EmailVerificationStatus(VivaModel):
    email_verified: bool
    message: str | None = None


class Skill(VivaModel):
    id: str
    user_id: str | None = None
    category: str | None = None
    name: str | None = None
    description: str | None = None
    verified: bool | None = None
    endorsements: int | None = None


class CommunityRef(VivaModel):
    id: str
    name: str | None = None
    slug: str | None = None
    logo: str | None = None
    lat: float | None = None
    lng: float | None = None


class UserProfile(VivaModel):
    """`GET /users/{id}`; also the reply of `PUT /users/{id}` (its password hash is dropped)."""

    id: str
    email: str | None = None
    name: str | None = None
    bio: str | None = None
    avatar: str | None = None
    role: str | None = None
    credits: int | None = None
    semilla_balance: float | None = None
    level: int | None = None
    experience: int | None = None
    total_saved: float | None = None
    hours_shared: float | None = None
    hours_received: float | None = None
    co2_avoided: float | None = None
    people_helped: int | None = None
    people_helped_by: int | None = None
    connections_count: int | None = None
    address: str | None = None
    neighborhood: str | None = None
    interests: list[str] = Field(default_factory=list)
    skills: list[Skill] = Field(default_factory=list, alias="Skill")
    badges: list[dict[str, Any]] = Field(default_factory=list, alias="UserBadge")
    generosity_score: float | None = None
    flow_power: float | None = None
    community_id: str | None = None
    community: CommunityRef | None = Field(default=None, alias="Community")
    created_at: UtcDatetime | None = None
    updated_at: UtcDatetime | None = None


class UserSummary(VivaModel):
    """`GET /users/search/email/{email}`: `{id, email, name, avatar, credits}`."""

    id: str
    email: str | None = None
    name: str | None = None
    avatar: str | None = None
    credits: int | None = None

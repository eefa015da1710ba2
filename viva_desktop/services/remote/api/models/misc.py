"""Search, notifications, analytics, moderation and pool requests (contract §6.7-6.12)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from viva_desktop.services.remote.api.models.base import UserRef, UtcDatetime, VivaModel
from viva_desktop.services.remote.api.models.events import Event
from viva_desktop.services.remote.api.models.offers import Offer


class SearchResult(VivaModel):
    """`GET /search`: offers of any status and events; no users (§6.7)."""

    offers: list[Offer] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    total_results: int = 0


class Notification(VivaModel):
    id: str
    user_id: str | None = None
    type: str | None = None
    title: str | None = None
    body: str | None = None
    data: dict[str, Any] | None = None
    read: bool = False
    action_url: str | None = None
    link: str | None = None
    created_at: UtcDatetime | None = None
    read_at: UtcDatetime | None = None


class ReadAllResult(VivaModel):
    count: int = 0


class Savings(VivaModel):
    total: float = 0
    currency: str | None = None


class HoursExchanged(VivaModel):
    total: float = 0
    transaction_count: int | None = None


class Co2Avoided(VivaModel):
    total: float = 0
    unit: str | None = None
    breakdown: dict[str, float] = Field(default_factory=dict)


class Participants(VivaModel):
    active_users: int = 0  # in fact every user (§13 D16)
    group_buy_participations: int = 0
    event_attendances: int = 0


class CreditFlows(VivaModel):
    earned: int = 0
    spent: int = 0
    circulating: int = 0


class CommunityMetrics(VivaModel):
    """`GET /analytics/community/metrics` (ADMIN)."""

    savings: Savings = Field(default_factory=Savings)
    hours_exchanged: HoursExchanged = Field(default_factory=HoursExchanged)
    co2_avoided: Co2Avoided = Field(default_factory=Co2Avoided)
    participants: Participants = Field(default_factory=Participants)
    credits: CreditFlows = Field(default_factory=CreditFlows)


class TimeseriesPoint(VivaModel):
    """One month (the server ignores `interval`, §13 D16)."""

    period: str
    credits: int = 0
    hours: float = 0
    group_buys: int = 0


class ModerationVote(VivaModel):
    id: str
    dao_id: str | None = None
    voter_id: str | None = None
    decision: str | None = None
    reason: str | None = None
    weight: float | None = None
    created_at: UtcDatetime | None = None
    user: UserRef | None = Field(default=None, alias="User")


class ModerationStats(VivaModel):
    keep: float = 0
    remove: float = 0
    warn: float = 0
    total: float = 0
    quorum: int | None = None
    hours_remaining: float | None = None


class ModerationContent(VivaModel):
    """Summary of the reported object; its keys depend on the content type (§6.11)."""

    content: str | None = None
    title: str | None = None
    name: str | None = None
    description: str | None = None


class ModerationCase(VivaModel):
    id: str
    content_id: str | None = None
    content_type: str | None = None
    report_reason: str | None = None
    reporter_id: str | None = None
    status: str | None = None
    quorum: int | None = None
    deadline: UtcDatetime | None = None
    final_decision: str | None = None
    executed_at: UtcDatetime | None = None
    created_at: UtcDatetime | None = None
    votes: list[ModerationVote] = Field(default_factory=list, alias="ModerationVote")
    reporter: UserRef | None = Field(default=None, alias="User")
    content: ModerationContent | None = None
    stats: ModerationStats | None = None


class PoolRequest(VivaModel):
    """A flow-economics pool request; its shape is documented only loosely (§6.12)."""

    id: str
    status: str | None = None
    user_id: str | None = None
    amount: float | None = None
    reason: str | None = None
    description: str | None = None
    created_at: UtcDatetime | None = None
    updated_at: UtcDatetime | None = None
    user: UserRef | None = Field(default=None, alias="User")


class PoolDecision(VivaModel):
    success: bool = False
    message: str | None = None
    result: Any = None

"""Credits: balance, transactions, grants, leaderboard (contract §6.6)."""

from __future__ import annotations

from typing import Any

from viva_desktop.services.remote.api.models.base import UtcDatetime, VivaModel


class CreditLevel(VivaModel):
    level: int | None = None
    name: str | None = None
    min_credits: int | None = None
    badge: str | None = None


class CreditBalance(VivaModel):
    balance: int
    level: CreditLevel | None = None
    next_level: CreditLevel | None = None
    progress: float | None = None


class CreditTransaction(VivaModel):
    id: str
    user_id: str | None = None
    amount: int
    balance: int | None = None
    reason: str | None = None
    description: str | None = None
    related_id: str | None = None
    metadata: dict[str, Any] | None = None
    expires_at: UtcDatetime | None = None
    created_at: UtcDatetime | None = None


class GrantResult(VivaModel):
    new_balance: int
    amount: int
    level: CreditLevel | int | None = None
    leveled_up: bool = False
    transaction: CreditTransaction | None = None


class LeaderboardEntry(VivaModel):
    id: str
    name: str | None = None
    avatar: str | None = None
    credits: int | None = None
    level: CreditLevel | int | None = None

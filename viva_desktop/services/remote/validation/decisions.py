"""Requests that decide something: credit grants, moderation votes and reports, and admin
decisions on economic pool requests."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import Field

from viva_desktop.services.common.i18n import QT_TRANSLATE_NOOP, translate
from viva_desktop.services.remote.validation.choices import (
    CREDIT_DAILY_LIMITS,
    LARGE_GRANT,
    CreditReason,
    ModerationContentType,
    ModerationDecision,
    PoolAction,
    PoolRequestStatus,
)
from viva_desktop.services.remote.validation.fields import (
    CHOICE,
    LOWER_CASE,
    UPPER_CASE,
    Identifier,
    Integer,
    MultilineText,
    Text,
)
from viva_desktop.services.remote.validation.form import Request, check
from viva_desktop.services.remote.validation.messages import Message
from viva_desktop.services.remote.validation.result import ValidationResult


class Grant(Request):
    """`POST /credits/grant` (GrantCreditsDto)."""

    userId: Identifier
    amount: Annotated[Integer, Field(ge=1)]
    reason: Annotated[CreditReason, CHOICE]
    relatedId: Text = None
    description: MultilineText = None


class ModerationVote(Request):
    """`POST /consensus/moderation/{daoId}/vote`."""

    decision: Annotated[ModerationDecision, CHOICE]
    reason: MultilineText = None


class ModerationReport(Request):
    """`POST /consensus/moderation`."""

    contentId: Identifier
    contentType: Annotated[ModerationContentType, CHOICE]
    reason: MultilineText


class PoolDecision(Request):
    """An admin decision on an economic pool request. `action` picks the route and those routes
    take no body; `status` is the request's current one, when known. Nothing is sent."""

    action: Annotated[
        PoolAction,
        LOWER_CASE,
        Message(QT_TRANSLATE_NOOP("Validation", "Choose approve, reject or distribute.")),
    ] = Field(exclude=True)
    status: Annotated[PoolRequestStatus, UPPER_CASE] = Field(None, exclude=True)


def validate_grant(dto: Mapping[str, Any]) -> ValidationResult:
    """`POST /credits/grant` (GrantCreditsDto: userId, amount, reason, relatedId?, description?)."""
    form = check(Grant, dto)
    amount, reason = form.values.get("amount"), form.values.get("reason")
    if amount is not None and amount > LARGE_GRANT:
        form.warn(
            "amount",
            translate(
                "Validation", "That is a large grant ({amount} credits); please check it."
            ).format(amount=amount),
        )
    if reason == "ADMIN_DEDUCT":
        form.warn(
            "reason",
            translate(
                "Validation",
                "A grant always adds credits: the server has no way to deduct them.",
            ),
        )
    elif reason in CREDIT_DAILY_LIMITS:
        form.warn(
            "reason",
            translate(
                "Validation",
                "This reason has a daily limit of {limit} credits per person, admin grants "
                "included; ADMIN_GRANT has none.",
            ).format(limit=CREDIT_DAILY_LIMITS[reason]),
        )
    if not form.values.get("relatedId") and "relatedId" not in form.errors:
        form.warn(
            "relatedId",
            translate(
                "Validation",
                "Add a reference (e.g. a ticket number): the server then refuses a second "
                "grant with the same person, reason and reference, which makes retrying safe.",
            ),
        )
    return form.result()


def validate_moderation_vote(dto: Mapping[str, Any]) -> ValidationResult:
    """`POST /consensus/moderation/{daoId}/vote` (`{decision, reason?}`)."""
    form = check(ModerationVote, dto)
    if form.values.get("decision") in ("REMOVE", "WARN") and not form.values.get("reason"):
        form.warn(
            "reason",
            translate(
                "Validation", "A reason helps the other jurors and the author understand the vote."
            ),
        )
    return form.result()


def validate_moderation_report(dto: Mapping[str, Any]) -> ValidationResult:
    """`POST /consensus/moderation` (`{contentId, contentType, reason}`)."""
    return check(ModerationReport, dto).result()


# The status a request must have for each action (otherwise the server answers a bare 500).
_POOL_TRANSITIONS = {"approve": "PENDING", "reject": "PENDING", "distribute": "APPROVED"}


def validate_pool_decision(dto: Mapping[str, Any]) -> ValidationResult:
    """An admin decision on an economic pool request: `{action, status?}`.

    `action` is approve, reject or distribute and picks the route; those routes take no body, so
    `cleaned` stays empty. Given the request's current `status`, the check catches what the
    server would answer with a bare 500: approving or rejecting a request that is not PENDING,
    distributing one that is not APPROVED.
    """
    form = check(PoolDecision, dto)
    action, current = form.values.get("action"), form.values.get("status")
    if action is not None and current is not None and current != _POOL_TRANSITIONS[action]:
        if action == "distribute":
            message = translate("Validation", "Only an approved request can be distributed.")
        else:
            message = translate("Validation", "Only a pending request can be decided.")
        form.error("action", message)
    return form.result()

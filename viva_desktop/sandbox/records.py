"""New rows with the database defaults of the real schema, shared by the seed and the routes."""

from __future__ import annotations

import uuid
from typing import Any

from viva_desktop.sandbox.jsonutil import now_iso


def new_id() -> str:
    return str(uuid.uuid4())


def user_row(*, email: str, name: str, password_hash: str, **values: Any) -> dict[str, Any]:
    now = values.pop("now", None) or now_iso()
    row: dict[str, Any] = {
        "id": new_id(),
        "email": email,
        "phone": None,
        "password": password_hash,
        "name": name,
        "bio": None,
        "avatar": None,
        "role": "CITIZEN",
        "emailVerified": False,
        "phoneVerified": False,
        "lat": None,
        "lng": None,
        "address": None,
        "neighborhood": None,
        "searchRadius": 5,
        "credits": 0,
        "level": 1,
        "experience": 0,
        "activeStreak": 0,
        "lastActiveAt": now,
        "totalSaved": 0,
        "hoursShared": 0,
        "hoursReceived": 0,
        "co2Avoided": 0,
        "peopleHelped": 0,
        "peopleHelpedBy": 0,
        "connectionsCount": 0,
        "language": "es",
        "notificationPreferences": {},
        "privacy": {},
        "interests": [],
        "weeklyMood": None,
        "dailySeeds": True,
        "createdAt": now,
        "updatedAt": now,
        "deletedAt": None,
        "voteCredits": 10,
        "backupCodes": [],
        "communityId": None,
        "consciousnessLevel": 1,
        "dailyActions": 0,
        "economicLayer": "TRADITIONAL",
        "flowPower": 1,
        "gailuDID": None,
        "gailuNodeId": None,
        "generosityScore": 0,
        "isEmailVerified": False,
        "lastDemurrageAt": now,
        "lastLayerChange": None,
        "layerConfig": {},
        "proofOfHelpScore": 0,
        "semillaBalance": 0,
        "softCredits": None,
        "twoFactorEnabled": False,
        "twoFactorSecret": None,
        "walletAddress": None,
        "walletType": None,
        "telegramUsername": None,
        "whatsappNumber": None,
        "contactPreference": "APP",
    }
    row.update(values)
    return row


def community_row(*, slug: str, name: str, **values: Any) -> dict[str, Any]:
    now = values.pop("now", None) or now_iso()
    row: dict[str, Any] = {
        "id": new_id(),
        "slug": slug,
        "name": name,
        "description": None,
        "logo": None,
        "bannerImage": None,
        "location": None,
        "lat": None,
        "lng": None,
        "radiusKm": None,
        "type": "NEIGHBORHOOD",
        "visibility": "PUBLIC",
        "requiresApproval": False,
        "allowExternalOffers": False,
        "primaryColor": None,
        "language": "es",
        "currency": "EUR",
        "membersCount": 0,
        "activeOffersCount": 0,
        "createdAt": now,
        "updatedAt": now,
    }
    row.update(values)
    return row


def governance_row(*, community_id: str, founders: list[str], **values: Any) -> dict[str, Any]:
    now = values.pop("now", None) or now_iso()
    row: dict[str, Any] = {
        "id": new_id(),
        "communityId": community_id,
        "minProposalReputation": 10,
        "minVoteReputation": 1,
        "minModerateReputation": 5,
        "quorumPercentage": 20,
        "approvalPercentage": 66,
        "proposalDuration": 7,
        "votingDuration": 3,
        "useQuadraticVoting": True,
        "maxVoteCredits": 100,
        "autoModerateThreshold": 5,
        "banThreshold": 10,
        "founders": founders,
        "foundedAt": now,
        "bootstrapEndDate": None,
        "createdAt": now,
        "updatedAt": now,
    }
    row.update(values)
    return row


def offer_row(*, user_id: str, title: str, **values: Any) -> dict[str, Any]:
    now = values.pop("now", None) or now_iso()
    row: dict[str, Any] = {
        "id": new_id(),
        "userId": user_id,
        "type": "SERVICE",
        "category": "General",
        "title": title,
        "description": "",
        "images": [],
        "priceEur": None,
        "priceCredits": None,
        "stock": None,
        "lat": None,
        "lng": None,
        "address": None,
        "tags": [],
        "status": "ACTIVE",
        "featured": False,
        "views": 0,
        "interested": 0,
        "supporters": 0,
        "shares": 0,
        "expiresAt": None,
        "createdAt": now,
        "updatedAt": now,
        "communityId": None,
    }
    row.update(values)
    return row


def event_row(*, organizer_id: str, title: str, starts_at: str, ends_at: str, **values: Any):
    now = values.pop("now", None) or now_iso()
    row: dict[str, Any] = {
        "id": new_id(),
        "offerId": None,
        "organizerId": organizer_id,
        "communityId": None,
        "title": title,
        "description": "",
        "image": None,
        "lat": 0.0,
        "lng": 0.0,
        "address": "",
        "startsAt": starts_at,
        "endsAt": ends_at,
        "capacity": None,
        "creditsReward": 0,
        "tags": [],
        "type": "SOCIAL",
        "requirements": [],
        "status": "ACTIVE",
        "qrCode": None,
        "createdAt": now,
        "updatedAt": now,
    }
    row.update(values)
    return row


def post_row(*, author_id: str, content: str, **values: Any) -> dict[str, Any]:
    now = values.pop("now", None) or now_iso()
    row: dict[str, Any] = {
        "id": new_id(),
        "authorId": author_id,
        "content": content,
        "images": [],
        "lat": None,
        "lng": None,
        "type": "STORY",
        "visibility": "PUBLIC",
        "tags": [],
        "mentions": [],
        "relatedOfferId": None,
        "thanksCount": 0,
        "supportsCount": 0,
        "commentsCount": 0,
        "sharesCount": 0,
        "helpedCount": 0,
        "createdAt": now,
        "updatedAt": now,
        "editedAt": None,
    }
    row.update(values)
    return row


def notification_row(*, user_id: str, type_: str, title: str, body: str, **values: Any):
    row: dict[str, Any] = {
        "id": f"notif_{new_id()}",
        "userId": user_id,
        "type": type_,
        "title": title,
        "body": body,
        "data": None,
        "read": False,
        "actionUrl": None,
        "createdAt": now_iso(),
        "readAt": None,
        "link": None,
    }
    row.update(values)
    return row


def audit_row(*, user_id: str | None, action: str, entity: str, entity_id: str | None, **values):
    row: dict[str, Any] = {
        "id": "c" + uuid.uuid4().hex[:24],
        "userId": user_id,
        "action": action,
        "entity": entity,
        "entityId": entity_id,
        "oldData": None,
        "newData": None,
        "ip": None,
        "userAgent": None,
        "createdAt": now_iso(),
    }
    row.update(values)
    return row


def credit_transaction_row(
    *, user_id: str, amount: int, balance: int, reason: str, **values: Any
) -> dict[str, Any]:
    """A CreditTransaction in column order: grant and spend return it as stored (contract 6.6),
    so every writer builds it here and the key order cannot drift between them."""
    row: dict[str, Any] = {
        "id": new_id(),
        "userId": user_id,
        "amount": amount,
        "balance": balance,
        "reason": reason,
        "description": None,
        "relatedId": None,
        "metadata": None,
        "expiresAt": None,
        "createdAt": now_iso(),
    }
    row.update(values)
    return row

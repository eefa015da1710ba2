"""Server-shaped records for the browser and editor tests: the JSON the sync would store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

BASE = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
PROFILE = "Test server"
COMMUNITY_IDS = ("c-pamplona", "c-gracia", "c-triana")
COMMUNITY_NAMES = {
    "c-pamplona": "Pamplona Centro",
    "c-gracia": "Barcelona Gràcia",
    "c-triana": "Sevilla Triana",
}
OFFER_TYPES = ("SERVICE", "PRODUCT", "TIME_BANK")


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def community(i: int, key: str | None = None) -> dict[str, Any]:
    cid = key or f"c-extra-{i}"
    return {
        "id": cid,
        "slug": cid,
        "name": COMMUNITY_NAMES.get(cid, f"Comunidad {i}"),
        "description": "Economía colaborativa de barrio",
        "location": "Pamplona" if i % 2 == 0 else "Barcelona",
        "type": "NEIGHBORHOOD" if i % 3 else "REGION",
        "visibility": "PUBLIC",
        "membersCount": 0,
        "createdAt": iso(BASE - timedelta(days=90 - i)),
        "updatedAt": iso(BASE - timedelta(days=10)),
        "_count": {"User": 5 + i, "Offer": 11, "Event": 8},
    }


COMMUNITIES = [community(i, key) for i, key in enumerate(COMMUNITY_IDS)]


def user(i: int) -> dict[str, Any]:
    return {
        "id": f"user-{i}",
        "name": f"Persona {i:03d}",
        "email": f"persona{i}@comunidad.local",
        "role": "ADMIN" if i == 0 else "CITIZEN",
        "credits": 1000 - i * 7,
        "level": 1 + i % 6,
        "communityId": COMMUNITY_IDS[i % 3],
        "generosityScore": i % 13,
    }


def offer(i: int) -> dict[str, Any]:
    owner = i % 7
    return {
        "id": f"offer-{i:05d}",
        "userId": f"user-{owner}",
        "communityId": COMMUNITY_IDS[i % 3],
        "type": OFFER_TYPES[i % 3],
        "category": ("Hogar", "Educación", "Alimentación", "Transporte")[i % 4],
        "title": f"Oferta número {i}" + (" bicicleta" if i % 10 == 0 else ""),
        "description": "Descripción de prueba",
        "images": [],
        "priceEur": None if i % 5 == 0 else round(i * 1.5, 2),
        "priceCredits": i % 20,
        "stock": None,
        "lat": None,
        "lng": None,
        "address": None,
        "tags": ["reparación"] if i % 10 == 0 else [],
        "status": "CANCELLED" if i % 9 == 4 else "ACTIVE",
        "featured": False,
        "views": i,
        "interested": 0,
        "createdAt": iso(BASE + timedelta(hours=i)),
        "updatedAt": iso(BASE + timedelta(hours=i)),
        "User": {"id": f"user-{owner}", "name": f"Persona {owner:03d}", "avatar": None},
    }


def event(i: int) -> dict[str, Any]:
    organizer = i % 5
    starts = BASE + timedelta(days=i)
    return {
        "id": f"event-{i:04d}",
        "organizerId": f"user-{organizer}",
        "communityId": COMMUNITY_IDS[i % 3],
        "title": f"Taller {i}",
        "description": "Aprendemos juntos",
        "image": None,
        "lat": 42.8,
        "lng": -1.6,
        "address": "Plaza del Castillo",
        "startsAt": iso(starts),
        "endsAt": iso(starts + timedelta(hours=2)),
        "capacity": 20,
        "creditsReward": 2,
        "tags": [],
        "type": ("WORKSHOP", "SOCIAL", "MARKET")[i % 3],
        "requirements": [],
        "status": "ACTIVE",
        "createdAt": iso(BASE - timedelta(days=1)),
        "updatedAt": iso(BASE - timedelta(days=1)),
        "User": {"id": f"user-{organizer}", "name": f"Persona {organizer:03d}"},
        "EventAttendee": [],
        "_count": {"EventAttendee": i % 4},
    }


def post(i: int) -> dict[str, Any]:
    author = i % 4
    return {
        "id": f"post-{i:04d}",
        "authorId": f"user-{author}",
        "content": f"Publicación {i}: gracias a todo el barrio" + (" #huerta" if i % 2 else ""),
        "images": [],
        "type": ("STORY", "NEED", "OFFER")[i % 3],
        "visibility": "PUBLIC",
        "tags": [],
        "commentsCount": i % 3,
        "createdAt": iso(BASE + timedelta(hours=i)),
        "updatedAt": iso(BASE + timedelta(hours=i)),
        "editedAt": None,
        "User": {"id": f"user-{author}", "name": f"Persona {author:03d}"},
    }


def transaction(i: int) -> dict[str, Any]:
    return {
        "id": f"tx-{i:04d}",
        "userId": "user-0",
        "amount": 10 if i % 2 else -5,
        "balance": 1000 + i,
        "reason": ("COMMUNITY_HELP", "PURCHASE", "ADMIN_GRANT")[i % 3],
        "description": f"Movimiento {i}",
        "relatedId": None,
        "createdAt": iso(BASE + timedelta(days=i)),
        "expiresAt": iso(BASE + timedelta(days=365 + i)),
    }


def moderation_case(i: int) -> dict[str, Any]:
    return {
        "id": f"dao-post-{i:04d}-1700000000000",
        "contentId": f"post-{i:04d}",
        "contentType": "POST" if i % 2 == 0 else "OFFER",
        "reportReason": f"Motivo {i}",
        "reporterId": f"user-{i % 3}",
        "status": "VOTING",
        "quorum": 5,
        "deadline": iso(BASE + timedelta(hours=24 + i)),
        "finalDecision": None,
        "createdAt": iso(BASE + timedelta(hours=i)),
        "ModerationVote": [],
        "content": {"content": f"Contenido reportado {i}", "authorId": "user-2"},
        "stats": {"keep": 0, "remove": 1, "warn": 0, "total": 1, "quorum": 5, "hoursRemaining": 20},
    }


ACCOUNT = "user-0"  # the account the per-caller records were read as


def fill(store, *, offers: int = 60) -> None:
    """A small deployment in `store` under `PROFILE`."""
    store.upsert("communities", PROFILE, COMMUNITIES)
    store.upsert("users", PROFILE, [user(i) for i in range(12)])
    store.upsert("offers", PROFILE, [offer(i) for i in range(offers)])
    store.upsert("events", PROFILE, [event(i) for i in range(9)])
    store.upsert("posts", PROFILE, [post(i) for i in range(8)])
    # Per-caller lists: the transactions and juror cases of ACCOUNT, who read them.
    store.upsert(
        "credit_transactions", PROFILE, [transaction(i) for i in range(6)], account=ACCOUNT
    )
    store.upsert(
        "moderation_cases", PROFILE, [moderation_case(i) for i in range(4)], account=ACCOUNT
    )

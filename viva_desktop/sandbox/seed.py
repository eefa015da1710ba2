"""Seed data and the accounts everyone uses against the sandbox.

The constants below are imported by tests and by the app's sandbox mode; every seeded account's
password is `DEMO_PASSWORD`, like upstream."""

from __future__ import annotations

import random
import threading
import time
import uuid
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from viva_desktop.sandbox import seed_activity as activity
from viva_desktop.sandbox import seed_content as content
from viva_desktop.sandbox import storage as db
from viva_desktop.sandbox.database import Database
from viva_desktop.sandbox.jsonutil import iso, utcnow
from viva_desktop.sandbox.records import (
    community_row,
    event_row,
    governance_row,
    offer_row,
    user_row,
)
from viva_desktop.sandbox.security import seeded_password_hash

DEMO_PASSWORD = "Test1234!"
ADMIN_EMAIL = "admin@comunidad.local"
CITIZEN_EMAIL = "maria@comunidad.local"  # unverified, like upstream's maria
VERIFIED_CITIZEN_EMAIL = "juan@comunidad.local"
UNVERIFIED_EMAIL = "lucia@comunidad.local"  # no community, pending membership request
COORDINATOR_EMAIL = "coordinadora@comunidad.local"  # generosityScore 12 in Rochapea Solidaria
MERCHANT_EMAIL = "tienda@comunidad.local"
TWO_FACTOR_EMAIL = "elena@comunidad.local"
TWO_FACTOR_SECRET = "VIVASANDBOXTOTPSECRETKEY234567AB"
TWO_FACTOR_BACKUP_CODES = (
    "5A1B2C3D",
    "6E7F8091",
    "A2B3C4D5",
    "E6F70819",
    "2A3B4C5D",
    "6E7F8A9B",
    "C0D1E2F3",
    "4A5B6C7D",
)
APPROVAL_COMMUNITY_SLUG = "pamplona-rochapea"  # requiresApproval with pending requests
PRIVATE_COMMUNITY_SLUG = "txantrea-cooperativa"
SEED_RANDOM = 20251126


class _Ids:
    """Stable UUIDs for seeded rows, so ids do not change between runs."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng

    def __call__(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))


TEMPLATE_MAX_AGE = 600.0  # seconds; seed times are relative to "now", so refresh now and then
_template_lock = threading.Lock()
_template: tuple[float, Database] | None = None


def prepare_database(database: Database, *, seed: bool, scale: int = 0) -> None:
    """Create the schema and seed it. A private in-memory database without `scale` is copied
    from a per-process template seeded once, which makes starting a server nearly free."""
    if seed and scale == 0 and database.in_memory:
        database.copy_from(_seeded_template())
        return
    database.create_schema()
    if seed:
        seed_database(database, scale=scale)


def _seeded_template() -> Database:
    global _template
    with _template_lock:
        if _template is None or time.monotonic() - _template[0] > TEMPLATE_MAX_AGE:
            template = Database(None)
            template.create_schema()
            seed_database(template)
            _template = (time.monotonic(), template)
        return _template[1]


def seed_database(database: Database, *, scale: int = 0) -> bool:
    """Seed an empty database (an existing file keeps its data); True when it seeded."""
    with database.transaction() as conn:
        if conn.execute(sa.select(sa.func.count()).select_from(db.users)).scalar_one():
            return False
        people = _seed_demo(conn)
        if scale:
            from viva_desktop.sandbox.scale import generate

            generate(conn, scale, people)
    return True


def _seed_demo(conn: sa.Connection) -> dict[str, Any]:
    rng = random.Random(SEED_RANDOM)
    ids = _Ids(rng)
    now = utcnow()

    def ago(days: float = 0, hours: float = 0) -> str:
        return iso(now - timedelta(days=days, hours=hours))

    created = ago(days=90)
    communities: dict[str, str] = {}
    rows = []
    for (
        key,
        slug,
        name,
        ctype,
        visibility,
        approval,
        radius,
        lat,
        lng,
        description,
    ) in content.COMMUNITIES:
        communities[key] = ids()
        rows.append(
            community_row(
                id=communities[key],
                slug=slug,
                name=name,
                type=ctype,
                visibility=visibility,
                requiresApproval=approval,
                radiusKm=radius,
                lat=lat,
                lng=lng,
                description=description,
                now=created,
            )
        )
    conn.execute(db.communities.insert(), rows)

    password = seeded_password_hash(DEMO_PASSWORD)
    users: dict[str, str] = {}
    rows = []
    for index, item in enumerate(content.USERS):
        key, email, name, role, verified, credits, level, exp, helped, community, score, extra = (
            item
        )
        users[key] = ids()
        active = ago(hours=index) if helped >= 5 else ago(days=45)
        rows.append(
            user_row(
                id=users[key],
                email=email,
                name=name,
                password_hash=password,
                role=role,
                emailVerified=verified,
                credits=credits,
                level=level,
                experience=exp,
                peopleHelped=helped,
                communityId=communities.get(community) if community else None,
                generosityScore=score,
                now=ago(days=80 - index),
                **extra,
            )
        )
        rows[-1]["lastActiveAt"] = active
    two_factor = next(r for r in rows if r["email"] == TWO_FACTOR_EMAIL)
    two_factor.update(
        twoFactorEnabled=True,
        twoFactorSecret=TWO_FACTOR_SECRET,
        backupCodes=[seeded_password_hash(code) for code in TWO_FACTOR_BACKUP_CODES],
    )
    conn.execute(db.users.insert(), rows)

    skills: dict[str, str] = {}
    conn.execute(
        db.skills.insert(),
        [
            {
                "id": skills.setdefault(f"{o}:{n}", ids()),
                "userId": users[o],
                "category": c,
                "name": n,
                "description": d,
                "verified": v,
                "endorsements": e,
            }
            for o, c, n, d, v, e in content.SKILLS
        ],
    )
    conn.execute(
        db.user_badges.insert(),
        [
            {
                "id": ids(),
                "userId": users["itziar"],
                "badgeType": "PIONEER",
                "earnedAt": ago(days=60),
                "metadata": None,
                "isNew": False,
                "progress": 100,
            }
        ],
    )

    conn.execute(
        db.governance.insert(),
        [
            governance_row(
                id=f"gov_{ids()}",
                community_id=communities["rochapea"],
                founders=[users["itziar"]],
                bootstrapEndDate=iso(now + timedelta(days=20)),
                now=ago(days=10),
            )
        ],
    )
    pairs = [
        ("centro", "rochapea"),
        ("centro", "navarra"),
        ("gracia", "valencia"),
        ("rochapea", "navarra"),
    ]
    conn.execute(
        db.community_connections.insert(),
        [
            {
                "id": ids(),
                "sourceCommunityId": communities[a],
                "targetCommunityId": communities[b],
                "status": "APPROVED",
                "shareOffers": True,
                "shareEvents": True,
                "initiatedBy": users["admin"],
                "approvedBy": users["itziar"],
                "createdAt": ago(days=60),
                "approvedAt": ago(days=59),
            }
            for a, b in pairs
        ],
    )
    requests = [
        (
            "lucia",
            "rochapea",
            "PENDING",
            "Vivo en la Rochapea y quiero ayudar en el banco de alimentos.",
            3,
        ),
        ("pablo", "rochapea", "PENDING", "Me gustaría unirme a los repartos de los sábados.", 2),
        ("david", "rochapea", "REJECTED", None, 20),
        ("maria", "txantrea", "PENDING", "Interesada en la cooperativa de vivienda.", 5),
    ]
    conn.execute(
        db.membership_requests.insert(),
        [
            {
                "id": _request_id(now - timedelta(days=d), users[u], communities[c]),
                "communityId": communities[c],
                "userId": users[u],
                "status": s,
                "message": m,
                "reviewedBy": users["itziar"] if s != "PENDING" else None,
                "reviewNote": None,
                "createdAt": ago(days=d),
                "reviewedAt": ago(days=d - 1) if s != "PENDING" else None,
            }
            for u, c, s, m, d in requests
        ],
    )

    offers: list[str] = []
    rows = []
    for (
        owner,
        otype,
        category,
        title,
        description,
        eur,
        credits,
        stock,
        tags,
        views,
        interested,
        status,
        community,
        days,
    ) in content.OFFERS:
        offers.append(ids())
        lat, lng = _near(rng, community)
        rows.append(
            offer_row(
                id=offers[-1],
                user_id=users[owner],
                type=otype,
                category=category,
                title=title,
                description=description,
                priceEur=eur,
                priceCredits=credits,
                stock=stock,
                lat=lat,
                lng=lng,
                address=_address(community),
                tags=tags,
                status=status,
                views=views,
                interested=interested,
                communityId=communities.get(community) if community else None,
                now=ago(days=days),
            )
        )
    conn.execute(db.offers.insert(), rows)
    by_title = {row["title"]: row for row in rows}
    time_bank = [
        (
            offers[0],
            skills["maria:Jardinería urbana"],
            2,
            True,
            6,
            "INTERMEDIATE",
            ["herramientas de jardinería"],
        )
    ]
    time_bank += [
        (row["id"], None, 2, True, 4, "BEGINNER", []) for row in rows if row["type"] == "TIME_BANK"
    ]
    conn.execute(
        db.time_bank_offers.insert(),
        [
            {
                "id": ids(),
                "offerId": o,
                "skillId": s,
                "estimatedHours": h,
                "canTeach": t,
                "maxStudents": m,
                "experienceLevel": lvl,
                "toolsNeeded": tools,
            }
            for o, s, h, t, m, lvl, tools in time_bank
        ],
    )
    conn.execute(
        db.group_buys.insert(),
        [
            {
                "id": ids(),
                "offerId": row["id"],
                "minParticipants": 10,
                "maxParticipants": 40,
                "currentParticipants": 3,
                "deadline": iso(now + timedelta(days=9)),
                "pickupLat": row["lat"],
                "pickupLng": row["lng"],
                "pickupAddress": row["address"],
                "createdAt": row["createdAt"],
                "status": "ACTIVE",
            }
            for row in rows
            if row["type"] == "GROUP_BUY"
        ],
    )
    interests = [
        ("juan", 1),
        ("ana", 1),
        ("carlos", 0),
        ("maria", 15),
        ("elena", 15),
        ("lucia", 12),
    ]
    conn.execute(
        db.offer_interests.insert(),
        [
            {"id": ids(), "userId": users[u], "offerId": offers[i], "interestedAt": ago(days=2)}
            for u, i in interests
        ],
    )

    events: list[str] = []
    attendees = []
    rows = []
    for (
        owner,
        title,
        description,
        etype,
        days,
        hours,
        capacity,
        reward,
        tags,
        reqs,
        community,
        people,
    ) in content.EVENTS:
        events.append(ids())
        starts = now + timedelta(days=days)
        lat, lng = _near(rng, community)
        rows.append(
            event_row(
                id=events[-1],
                organizer_id=users[owner],
                title=title,
                description=description,
                type=etype,
                starts_at=iso(starts),
                ends_at=iso(starts + timedelta(hours=hours)),
                capacity=capacity,
                creditsReward=reward,
                tags=tags,
                requirements=reqs,
                communityId=communities[community],
                lat=lat,
                lng=lng,
                address=_address(community),
                status="COMPLETED" if days < 0 else "ACTIVE",
                now=ago(days=max(30, -days + 5)),
            )
        )
        for position, person in enumerate(people):
            attendees.append(
                {
                    "id": ids(),
                    "eventId": events[-1],
                    "userId": users[person],
                    "role": "PARTICIPANT",
                    "registeredAt": ago(days=max(1, -days + 3), hours=position),
                    "checkedInAt": iso(starts + timedelta(minutes=10)) if days < 0 else None,
                    "feedback": None,
                    "creditsEarned": reward if days < 0 else 0,
                }
            )
    conn.execute(db.events.insert(), rows)
    conn.execute(db.event_attendees.insert(), attendees)

    posts = activity.seed_posts(conn, rng, ids, users, offers, ago)
    activity.seed_credits(conn, ids, users, events, offers, ago)
    activity.seed_notifications(conn, ids, users, communities, ago)
    activity.seed_moderation(conn, ids, users, posts, offers, by_title, now, ago)
    activity.seed_pools(conn, ids, users, ago)
    activity.seed_time_bank(conn, ids, users, offers, ago)
    return {
        "users": users,
        "communities": communities,
        "offers": offers,
        "events": events,
        "posts": posts,
    }


def _request_id(moment, user_id: str, community_id: str) -> str:
    """Membership request ids are composite upstream: `req_<ms>_<userId>_<communityId>`."""
    return f"req_{int(moment.timestamp() * 1000)}_{user_id}_{community_id}"


_PLACES = {
    "centro": ("Calle Mayor", 42.8169, -1.6432, "Pamplona"),
    "rochapea": ("Calle Joaquín Beunza", 42.8262, -1.6455, "Pamplona"),
    "navarra": ("Avenida de Villava", 42.8330, -1.6190, "Burlada"),
    "gracia": ("Carrer de Verdi", 41.4036, 2.1586, "Barcelona"),
    "lavapies": ("Calle del Ave María", 40.4088, -3.7031, "Madrid"),
    "valencia": ("Camí de Vera", 39.4699, -0.3763, "Valencia"),
    "triana": ("Calle Betis", 37.3826, -6.0038, "Sevilla"),
    "txantrea": ("Calle Santa Cruz", 42.8275, -1.6248, "Pamplona"),
}


def _near(rng: random.Random, community: str | None) -> tuple[float | None, float | None]:
    if community is None:
        return None, None
    _street, lat, lng, _city = _PLACES[community]
    return round(lat + rng.uniform(-0.01, 0.01), 4), round(lng + rng.uniform(-0.01, 0.01), 4)


def _address(community: str | None) -> str | None:
    if community is None:
        return None
    street, _lat, _lng, city = _PLACES[community]
    return f"{street} {sum(map(ord, community)) % 60 + 1}, {city}"

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

from viva_desktop.sandbox import seed_content as content
from viva_desktop.sandbox import storage as db
from viva_desktop.sandbox.jsonutil import iso, utcnow
from viva_desktop.sandbox.records import (
    community_row,
    credit_transaction_row,
    event_row,
    governance_row,
    offer_row,
    post_row,
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
_template: tuple[float, db.Database] | None = None


def prepare_database(database: db.Database, *, seed: bool, scale: int = 0) -> None:
    """Create the schema and seed it. A private in-memory database without `scale` is copied
    from a per-process template seeded once, which makes starting a server nearly free."""
    if seed and scale == 0 and database.in_memory:
        database.copy_from(_seeded_template())
        return
    database.create_schema()
    if seed:
        seed_database(database, scale=scale)


def _seeded_template() -> db.Database:
    global _template
    with _template_lock:
        if _template is None or time.monotonic() - _template[0] > TEMPLATE_MAX_AGE:
            template = db.Database(None)
            template.create_schema()
            seed_database(template)
            _template = (time.monotonic(), template)
        return _template[1]


def seed_database(database: db.Database, *, scale: int = 0) -> bool:
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

    posts = _seed_posts(conn, rng, ids, users, offers, ago)
    _seed_credits(conn, ids, users, events, offers, ago)
    _seed_notifications(conn, ids, users, communities, ago)
    _seed_moderation(conn, ids, users, posts, offers, by_title, now, ago)
    _seed_pools(conn, ids, users, ago)
    _seed_time_bank(conn, ids, users, offers, ago)
    return {
        "users": users,
        "communities": communities,
        "offers": offers,
        "events": events,
        "posts": posts,
    }


def _seed_posts(conn, rng, ids, users, offers, ago) -> list[str]:
    rows = []
    for (
        author,
        ptype,
        visibility,
        text,
        tags,
        thanks,
        supports,
        comments,
        days,
        offer,
    ) in content.POSTS:
        rows.append(
            post_row(
                id=ids(),
                author_id=users[author],
                content=text,
                type=ptype,
                visibility=visibility,
                tags=tags,
                relatedOfferId=offers[offer] if offer is not None else None,
                thanksCount=thanks,
                supportsCount=supports,
                commentsCount=comments,
                now=ago(days=days, hours=len(rows)),
            )
        )
    authors = [key for key, *_ in content.USERS]
    kinds = ["STORY", "STORY", "THANKS", "TIP", "NEED", "OFFER", "ACHIEVEMENT", "MILESTONE"]
    visibilities = ["PUBLIC"] * 6 + ["NEIGHBORS", "FRIENDS"]
    while len(rows) < 40:
        i = len(rows)
        text = f"{rng.choice(content.POST_OPENINGS)} {rng.choice(content.POST_BODIES)}"
        rows.append(
            post_row(
                id=ids(),
                author_id=users[authors[i % len(authors)]],
                content=text,
                type=kinds[i % len(kinds)],
                visibility=visibilities[i % len(visibilities)],
                tags=rng.choice(content.POST_TAGS),
                thanksCount=rng.randint(0, 12),
                supportsCount=rng.randint(0, 8),
                commentsCount=rng.randint(0, 5),
                now=ago(days=12 + i * 0.7),
            )
        )
    conn.execute(db.posts.insert(), rows)
    post_ids = [row["id"] for row in rows]
    conn.execute(
        db.comments.insert(),
        [
            {
                "id": ids(),
                "postId": post_ids[p],
                "authorId": users[u],
                "content": text,
                "createdAt": ago(days=1, hours=-n),
                "editedAt": None,
            }
            for n, (p, u, text) in enumerate(content.COMMENTS)
        ],
    )
    conn.execute(
        db.reactions.insert(),
        [
            {
                "id": ids(),
                "postId": post_ids[p],
                "userId": users[u],
                "type": t,
                "createdAt": ago(days=1),
            }
            for p, u, t in content.REACTIONS
        ],
    )
    return post_ids


def _seed_credits(conn, ids, users, events, offers, ago) -> None:
    history = {
        "maria": [
            (40, "COMMUNITY_HELP", 40),
            (25, "EVENT_ATTENDANCE", 20),
            (-10, "PURCHASE", 12),
            (5, "DAILY_SEED", 5),
            (2, "OFFER_CREATED", 2),
        ],
        "juan": [(30, "TIME_BANK_HOUR", 30), (5, "EVENT_ATTENDANCE", 9), (-15, "PURCHASE", 4)],
        "admin": [(1000, "ADMIN_GRANT", 60)],
        "itziar": [
            (100, "COMMUNITY_HELP", 50),
            (20, "EVENT_ATTENDANCE", 20),
            (2, "COMMUNITY_HELP", 3),
        ],
        "carlos": [(5, "EVENT_ATTENDANCE", 9), (10, "ECO_ACTION", 15), (-8, "LOCAL_PURCHASE", 6)],
        "elena": [(50, "REFERRAL", 25), (25, "SUPPORT_POST", 10)],
        "nerea": [(200, "COMMUNITY_HELP", 70), (10, "ECO_ACTION", 2)],
        "tienda": [(300, "LOCAL_PURCHASE", 40), (160, "SERVICE", 8)],
    }
    credits = {user[0]: user[5] for user in content.USERS}
    rows = []
    for key, entries in history.items():
        # Histories end at the user's current balance; older movements are not listed.
        balance = credits[key] - sum(amount for amount, _reason, _days in entries)
        for amount, reason, days in sorted(entries, key=lambda entry: -entry[2]):
            balance += amount
            rows.append(
                credit_transaction_row(
                    id=ids(),
                    user_id=users[key],
                    amount=amount,
                    balance=balance,
                    reason=reason,
                    description=_credit_text(reason, amount),
                    relatedId=events[0] if reason == "EVENT_ATTENDANCE" else None,
                    expiresAt=ago(days=days - 365) if amount > 0 else None,
                    createdAt=ago(days=days),
                )
            )
    conn.execute(db.credit_transactions.insert(), rows)


def _credit_text(reason: str, amount: int) -> str:
    texts = {
        "COMMUNITY_HELP": "Ayuda a la comunidad",
        "EVENT_ATTENDANCE": "Asistencia a evento",
        "PURCHASE": "Compra con créditos",
        "DAILY_SEED": "Semilla diaria",
        "OFFER_CREATED": "Oferta publicada",
        "TIME_BANK_HOUR": "Hora de banco de tiempo",
        "ADMIN_GRANT": "Créditos concedidos por administración",
        "ECO_ACTION": "Acción ecológica",
        "LOCAL_PURCHASE": "Compra en comercio local",
        "REFERRAL": "Invitación aceptada",
        "SUPPORT_POST": "Apoyo a publicación",
        "SERVICE": "Servicio prestado",
    }
    return texts.get(reason, reason.replace("_", " ").capitalize())


def _seed_notifications(conn, ids, users, communities, ago) -> None:
    items = [
        (
            "maria",
            "EVENT_REMINDER",
            "Recordatorio de evento",
            "Mañana: Taller de compostaje comunitario",
            None,
            True,
            1,
        ),
        (
            "maria",
            "CREDITS_EARNED",
            "Has ganado créditos",
            "Has recibido 5 créditos por tu semilla diaria",
            None,
            False,
            5,
        ),
        (
            "maria",
            "POST_SUPPORT",
            "Apoyo a tu publicación",
            "A 3 personas les ha gustado tu publicación",
            None,
            False,
            4,
        ),
        (
            "maria",
            "WEEKLY_IMPACT",
            "Tu impacto semanal",
            "Has ayudado a 4 vecinos esta semana",
            None,
            True,
            8,
        ),
        (
            "admin",
            "ANNOUNCEMENT",
            "Bienvenida",
            "Panel de administración disponible",
            None,
            True,
            30,
        ),
        (
            "admin",
            "CREDITS_EARNED",
            "Créditos concedidos",
            "Se han registrado 1000 créditos",
            None,
            False,
            60,
        ),
        (
            "itziar",
            "HELP_REQUEST",
            "Nueva solicitud de membresía",
            "Lucía Fernández quiere unirse a Rochapea Solidaria",
            {"communityId": communities["rochapea"], "requesterId": users["lucia"]},
            False,
            3,
        ),
        (
            "itziar",
            "HELP_REQUEST",
            "Nueva solicitud de membresía",
            "Pablo Sánchez quiere unirse a Rochapea Solidaria",
            {"communityId": communities["rochapea"], "requesterId": users["pablo"]},
            False,
            2,
        ),
        (
            "juan",
            "EVENT_REMINDER",
            "Recordatorio de evento",
            "Reparación colectiva de muebles en 3 días",
            None,
            False,
            1,
        ),
        ("elena", "NEW_MESSAGE", "Nuevo mensaje", "Carlos te ha escrito", None, False, 2),
    ]
    conn.execute(
        db.notifications.insert(),
        [
            {
                "id": f"notif_{ids()}",
                "userId": users[u],
                "type": t,
                "title": title,
                "body": body,
                "data": data,
                "read": read,
                "actionUrl": None,
                "createdAt": ago(days=d),
                "readAt": ago(days=d - 0.5) if read else None,
                "link": None,
            }
            for u, t, title, body, data, read, d in items
        ],
    )


def _seed_moderation(conn, ids, users, posts, offers, by_title, now, ago) -> None:
    """Two cases still voting with the admin and the coordinator among the jurors, one closed."""
    spam_post = posts[17]
    cases = [
        (
            f"dao-{spam_post}-{int((now - timedelta(hours=5)).timestamp() * 1000)}",
            spam_post,
            "POST",
            "Spam: promete créditos a cambio de datos personales",
            "maria",
            "VOTING",
            19,
            None,
            5,
        ),
        (
            f"dao-{offers[21]}-{int((now - timedelta(hours=2)).timestamp() * 1000)}",
            offers[21],
            "OFFER",
            "Posible producto robado",
            "sara",
            "VOTING",
            22,
            None,
            2,
        ),
        (
            f"dao-{posts[13]}-{int((now - timedelta(days=6)).timestamp() * 1000)}",
            posts[13],
            "POST",
            "Contenido privado",
            "ana",
            "EXECUTED",
            -100,
            "KEEP",
            150,
        ),
    ]
    conn.execute(
        db.moderation_cases.insert(),
        [
            {
                "id": cid,
                "contentId": content_id,
                "contentType": ctype,
                "reportReason": reason,
                "reporterId": users[reporter],
                "status": status,
                "quorum": 5,
                "deadline": iso(now + timedelta(hours=deadline_h)),
                "finalDecision": decision,
                "executedAt": ago(days=5) if status == "EXECUTED" else None,
                "createdAt": ago(hours=hrs),
            }
            for cid, content_id, ctype, reason, reporter, status, deadline_h, decision, hrs in (
                cases
            )
        ],
    )
    votes = [
        (cases[0][0], "juan", "REMOVE", "Es spam claro", 5.5),
        (cases[0][0], "carlos", "REMOVE", None, 2.5),
        (cases[1][0], "nerea", "KEEP", "No hay pruebas", 3.3),
        *[
            (cases[2][0], who, "KEEP", None, 2.0)
            for who in ("juan", "carlos", "itziar", "nerea", "iker")
        ],
    ]
    conn.execute(
        db.moderation_votes.insert(),
        [
            {
                "id": f"vote-{ids()}",
                "daoId": dao,
                "voterId": users[who],
                "decision": decision,
                "reason": reason,
                "weight": weight,
                "createdAt": ago(hours=1),
            }
            for dao, who, decision, reason, weight in votes
        ],
    )
    jurors = {
        cases[0][0]: ("admin", "itziar", "juan", "carlos", "elena"),
        cases[1][0]: ("admin", "itziar", "nerea", "maria", "laura"),
        cases[2][0]: ("juan", "carlos", "itziar", "nerea", "iker"),
    }
    conn.execute(
        db.notifications.insert(),
        [
            {
                "id": f"notif-{ids()}",
                "userId": users[who],
                "type": "HELP_REQUEST",
                "title": "Se necesita tu voto en moderación",
                "body": "Has sido seleccionado como jurado para revisar un contenido reportado",
                "data": {
                    "daoId": dao,
                    "contentId": next(c[1] for c in cases if c[0] == dao),
                    "contentType": next(c[2] for c in cases if c[0] == dao),
                },
                "read": False,
                "actionUrl": "/governance/moderation",
                "createdAt": ago(hours=1),
                "readAt": None,
                "link": None,
            }
            for dao, people in jurors.items()
            for who in people
        ],
    )


def _seed_pools(conn, ids, users, ago) -> None:
    balances = {
        "NEEDS": 500,
        "PROJECTS": 1200,
        "EMERGENCY": 800,
        "CELEBRATION": 150,
        "EQUALITY": 340,
    }
    descriptions = {
        "NEEDS": "Fondo para necesidades básicas de los miembros",
        "PROJECTS": "Fondo para proyectos comunitarios",
        "EMERGENCY": "Fondo de emergencia",
        "CELEBRATION": "Fondo para fiestas y celebraciones",
        "EQUALITY": "Fondo de redistribución (2 % de cada transacción)",
    }
    pools = {ptype: ids() for ptype in balances}
    conn.execute(
        db.community_pools.insert(),
        [
            {
                "id": pools[p],
                "type": p,
                "balance": b,
                "totalReceived": b + 100,
                "totalDistributed": 100,
                "description": descriptions[p],
                "lastDistribution": ago(days=12),
                "createdAt": ago(days=90),
                "updatedAt": ago(days=12),
            }
            for p, b in balances.items()
        ],
    )
    requests = [
        (
            "lucia",
            "EMERGENCY",
            100,
            "Necesito ayuda para pagar la factura de la luz de este mes",
            "PENDING",
            2,
        ),
        ("ana", "NEEDS", 60, "Material escolar para mis dos hijos", "PENDING", 4),
        (
            "mikel",
            "PROJECTS",
            250,
            "Sistema de riego por goteo para la huerta comunitaria",
            "APPROVED",
            9,
        ),
        ("javier", "CELEBRATION", 80, "Fiesta de la Velá de Triana", "REJECTED", 15),
        ("nerea", "EQUALITY", 40, "Reparación de mi bicicleta de reparto", "DISTRIBUTED", 25),
    ]
    request_ids = [ids() for _ in requests]
    conn.execute(
        db.pool_requests.insert(),
        [
            {
                "id": rid,
                "userId": users[u],
                "poolId": pools[p],
                "amount": a,
                "reason": r,
                "status": s,
                "approvedBy": users["admin"] if s in ("APPROVED", "DISTRIBUTED") else None,
                "approvedAt": ago(days=d - 1) if s in ("APPROVED", "DISTRIBUTED") else None,
                "rejectedBy": users["admin"] if s == "REJECTED" else None,
                "rejectedAt": ago(days=d - 1) if s == "REJECTED" else None,
                "distributedAt": ago(days=d - 2) if s == "DISTRIBUTED" else None,
                "createdAt": ago(days=d),
                "updatedAt": ago(days=max(0, d - 2)),
            }
            for rid, (u, p, a, r, s, d) in zip(request_ids, requests, strict=True)
        ],
    )
    conn.execute(
        db.pool_request_votes.insert(),
        [
            {
                "id": ids(),
                "requestId": request_ids[0],
                "voterId": users[v],
                "vote": True,
                "comment": comment,
                "createdAt": ago(days=1),
            }
            for v, comment in (("itziar", "Conozco el caso, es urgente"), ("mikel", None))
        ],
    )


def _request_id(moment, user_id: str, community_id: str) -> str:
    """Membership request ids are composite upstream: `req_<ms>_<userId>_<communityId>`."""
    return f"req_{int(moment.timestamp() * 1000)}_{user_id}_{community_id}"


def _seed_time_bank(conn, ids, users, offers, ago) -> None:
    exchanges = [
        ("ana", "juan", 4, "Restauración de una cómoda", "COMPLETED", 95, 5),
        ("carlos", "maria", 0, "Clase de jardinería en el balcón", "COMPLETED", 62, 4),
        ("pablo", "mikel", 14, "Mañana de huerta", "COMPLETED", 33, 5),
        ("lucia", "rocio", 25, "Acompañamiento al centro de salud", "COMPLETED", 12, 5),
        ("elena", "nerea", 22, "Ruta segura en bici", "CONFIRMED", -3, None),
        ("jordi", "juan", 4, "Reparar una silla", "PENDING", -6, None),
    ]
    rows = []
    for requester, provider, offer, description, status, days, rating in exchanges:
        hours = 2 if offer != 25 else 3
        done = status == "COMPLETED"
        rows.append(
            {
                "id": ids(),
                "requesterId": users[requester],
                "providerId": users[provider],
                "offerId": offers[offer],
                "description": description,
                "hours": hours,
                "credits": hours,
                "scheduledFor": ago(days=days),
                "completedAt": ago(days=days - 0.1) if done else None,
                "status": status,
                "requesterRating": rating,
                "requesterComment": "¡Muchas gracias!" if done else None,
                "providerRating": 5 if done else None,
                "providerComment": None,
                "impactStory": None,
                "chainedFavor": False,
                "createdAt": ago(days=abs(days) + 3),
                "updatedAt": ago(days=max(days, 0)),
            }
        )
    conn.execute(db.time_bank_transactions.insert(), rows)


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

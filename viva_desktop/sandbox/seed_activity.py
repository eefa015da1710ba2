"""What the seeded members did: posts and their comments and reactions, credit transfers,
notifications, moderation cases, resource pools and time-bank exchanges (`seed.py` makes the
members, communities, offers and events they did it with)."""

from __future__ import annotations

from datetime import timedelta

from viva_desktop.sandbox import seed_content as content
from viva_desktop.sandbox import storage as db
from viva_desktop.sandbox.jsonutil import iso
from viva_desktop.sandbox.records import (
    credit_transaction_row,
    post_row,
)


def seed_posts(conn, rng, ids, users, offers, ago) -> list[str]:
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


def seed_credits(conn, ids, users, events, offers, ago) -> None:
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


def seed_notifications(conn, ids, users, communities, ago) -> None:
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


def seed_moderation(conn, ids, users, posts, offers, by_title, now, ago) -> None:
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


def seed_pools(conn, ids, users, ago) -> None:
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


def seed_time_bank(conn, ids, users, offers, ago) -> None:
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

"""Bulk data for `scale=N`: about N posts, N/10 offers, N/50 events and N/100 users, inserted
in batches so that 100 000 posts seed in a few seconds."""

from __future__ import annotations

import json
import random
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from viva_desktop.sandbox import enums
from viva_desktop.sandbox import seed_content as content
from viva_desktop.sandbox import storage as db
from viva_desktop.sandbox.jsonutil import iso, utcnow
from viva_desktop.sandbox.records import event_row, offer_row, post_row, user_row
from viva_desktop.sandbox.security import seeded_password_hash

BATCH = 5_000
FIRST = [
    "Ane",
    "Unai",
    "Maite",
    "Xabier",
    "Carmen",
    "Luis",
    "Irati",
    "Pedro",
    "Leire",
    "Raúl",
    "Nuria",
    "Óscar",
    "Amaia",
    "Sergio",
    "Eva",
    "Gorka",
    "Marta",
    "Asier",
    "Julia",
    "Andoni",
]
LAST = [
    "Aguirre",
    "Pérez",
    "Zubiri",
    "Gómez",
    "Lasa",
    "Díaz",
    "Otxoa",
    "Navarro",
    "Iriarte",
    "Gil",
    "Urdiain",
    "Castro",
    "Elizalde",
    "Molina",
    "Arregui",
    "Vidal",
]
TITLES = ["Clases de", "Ayuda con", "Préstamo de", "Intercambio de", "Reparación de", "Taller de"]
THINGS = [
    "guitarra",
    "matemáticas",
    "bicicletas",
    "costura",
    "huerta",
    "informática",
    "cocina",
    "herramientas",
    "mudanzas",
    "idiomas",
    "fotografía",
    "pintura",
]
CATEGORIES = ["Educación", "Hogar", "Transporte", "Alimentación", "Tecnología", "Cultura", "Salud"]
EVENT_WORDS = ["Encuentro", "Taller", "Mercadillo", "Jornada", "Asamblea", "Ruta", "Comida"]


_VERSION_MASK = ~(0xF000 << 64) & ~(0xC000 << 48)
_VERSION_BITS = (0x4000 << 64) | (0x8000 << 48)


def _uuid(rng: random.Random) -> str:
    """A UUID v4 from the seeded generator (what `uuid.UUID(int=..., version=4)` does, faster)."""
    h = f"{(rng.getrandbits(128) & _VERSION_MASK) | _VERSION_BITS:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _insert(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """Bulk insert straight through the driver: SQLAlchemy's per-row parameter processing is
    most of the cost at this size. JSON columns are serialised as SQLAlchemy would."""
    names = [c.name for c in table.c]
    as_json = [isinstance(c.type, sa.JSON) for c in table.c]
    sql = str(table.insert().compile(dialect=conn.dialect, column_keys=names))  # qmark style
    for start in range(0, len(rows), BATCH):
        values = [
            tuple(
                json.dumps(row[name]) if is_json else row[name]
                for name, is_json in zip(names, as_json, strict=True)
            )
            for row in rows[start : start + BATCH]
        ]
        conn.exec_driver_sql(sql, values)


def generate(conn: sa.Connection, scale: int, people: dict[str, Any]) -> None:
    rng = random.Random(scale)
    now = utcnow()
    communities = [cid for cid in people["communities"].values()]
    password = seeded_password_hash("Test1234!")

    users = list(people["users"].values())
    new_users = []
    for i in range(scale // 100):
        name = f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]}"
        created = now - timedelta(days=rng.uniform(30, 400))
        new_users.append(
            user_row(
                id=_uuid(rng),
                email=f"vecino{i:05d}@sandbox.local",
                name=name,
                password_hash=password,
                communityId=rng.choice(communities),
                credits=rng.randint(0, 600),
                peopleHelped=rng.randint(0, 30),
                emailVerified=rng.random() < 0.6,
                now=iso(created),
                lastActiveAt=iso(now - timedelta(days=rng.uniform(0, 60))),
            )
        )
    _insert(conn, db.users, new_users)
    users += [u["id"] for u in new_users]

    offers = []
    for _ in range(scale // 10):
        created = now - timedelta(seconds=rng.uniform(0, 365 * 86400))
        title = f"{rng.choice(TITLES)} {rng.choice(THINGS)}"
        offers.append(
            offer_row(
                id=_uuid(rng),
                user_id=rng.choice(users),
                title=title,
                type=rng.choice(enums.OFFER_TYPES),
                category=rng.choice(CATEGORIES),
                description=f"{title} en el barrio. Escríbeme y lo organizamos.",
                priceCredits=rng.randint(1, 30),
                tags=[rng.choice(THINGS)],
                status="ACTIVE" if rng.random() < 0.9 else "CANCELLED",
                views=rng.randint(0, 200),
                interested=rng.randint(0, 30),
                communityId=rng.choice(communities),
                now=iso(created),
            )
        )
    _insert(conn, db.offers, offers)

    events = []
    for _ in range(scale // 50):
        starts = now + timedelta(days=rng.uniform(-60, 90))
        title = f"{rng.choice(EVENT_WORDS)} de {rng.choice(THINGS)}"
        events.append(
            event_row(
                id=_uuid(rng),
                organizer_id=rng.choice(users),
                title=title,
                starts_at=iso(starts),
                ends_at=iso(starts + timedelta(hours=2)),
                description=f"{title}: abierto a todo el vecindario.",
                address="Plaza del barrio",
                lat=42.8 + rng.uniform(-0.05, 0.05),
                lng=-1.64 + rng.uniform(-0.05, 0.05),
                type=rng.choice(enums.EVENT_TYPES),
                capacity=rng.choice([None, 20, 50]),
                communityId=rng.choice(communities),
                now=iso(now - timedelta(days=30)),
            )
        )
    _insert(conn, db.events, events)

    posts = []
    visibilities = ["PUBLIC"] * 7 + ["NEIGHBORS", "FRIENDS", "PRIVATE"]
    for i in range(scale):
        created = now - timedelta(days=1, seconds=i * 300 + rng.uniform(0, 299))
        text = f"{rng.choice(content.POST_OPENINGS)} {rng.choice(content.POST_BODIES)}"
        posts.append(
            post_row(
                id=_uuid(rng),
                author_id=rng.choice(users),
                content=text,
                type=rng.choice(enums.POST_TYPES),
                visibility=rng.choice(visibilities),
                tags=rng.choice(content.POST_TAGS),
                thanksCount=rng.randint(0, 20),
                supportsCount=rng.randint(0, 10),
                commentsCount=rng.randint(0, 6),
                now=iso(created),
            )
        )
    _insert(conn, db.posts, posts)

    comments, reactions = [], []
    for i in range(scale // 20):
        post = posts[(i * 7) % len(posts)]
        comments.append(
            {
                "id": _uuid(rng),
                "postId": post["id"],
                "authorId": rng.choice(users),
                "content": rng.choice(
                    ["¡Qué bien!", "Me apunto", "Gracias por compartir", "¿Cuándo?"]
                ),
                "createdAt": post["createdAt"],
                "editedAt": None,
            }
        )
        reactions.append(
            {
                "id": _uuid(rng),
                "postId": posts[i]["id"],
                "userId": users[i % len(users)],
                "type": enums.REACTION_TYPES[i % 4],
                "createdAt": posts[i]["createdAt"],
            }
        )
    _insert(conn, db.comments, comments)
    _insert(conn, db.reactions, reactions)

"""A large offline store for the view benchmarks: N posts shaped like the server's answers
(`GET /posts`, contract §posts), written through the store's own upsert, as a sync would.

Generating the records is much faster than syncing them from a scaled sandbox, and the data
is the same for every run (a fixed seed), so the view figures compare like with like.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from viva_desktop.services.local.store import Store, open_store
from viva_desktop.services.local.store.writes import upsert

PROFILE = "bench"
BATCH = 5_000
SEARCH_TERM = "huerto"  # in about 1 post in 12: a selective but not rare full-text filter

TYPES = ("OFFER", "NEED", "STORY", "EVENT", "ANNOUNCEMENT", "QUESTION")
VISIBILITY = ("PUBLIC", "COMMUNITY", "PRIVATE")
FIRST = ("Ane", "Unai", "Maite", "Xabier", "Carmen", "Luis", "Irati", "Pedro", "Leire", "Raúl")
LAST = ("Aguirre", "Pérez", "Zubiri", "Gómez", "Lasa", "Díaz", "Otxoa", "Navarro", "Iriarte")
PHRASES = (
    "¡Los tomates del huerto comunitario están listos!",
    "Busco personas para practicar inglés en grupo.",
    "Reparé una silla antigua hoy, quedó como nueva.",
    "Ofrezco clases de guitarra a cambio de horas de cuidado.",
    "¿Alguien tiene una escalera para prestar este fin de semana?",
    "Mañana hay mercado de trueque en la plaza.",
    "Necesito ayuda para mudarme el sábado por la mañana.",
    "Gracias a todas las personas que vinieron a la limpieza del río.",
    "Compartimos semillas de calabaza y pimiento.",
    "Taller de compostaje para principiantes el jueves.",
    "Se busca voluntariado para el banco de alimentos.",
    "Nueva ruta en bicicleta por el valle, ¿quién se apunta?",
)
TAGS = ("alimentos", "local", "ecológico", "idiomas", "reparación", "cultura", "ayuda", "trueque")


def synthetic_posts(count: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    authors = [
        (str(uuid.UUID(int=rng.getrandbits(128))), f"{rng.choice(FIRST)} {rng.choice(LAST)}")
        for _ in range(500)
    ]
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for _ in range(count):
        author_id, author_name = rng.choice(authors)
        created = start + timedelta(seconds=rng.randrange(0, 2 * 365 * 86_400))
        stamp = created.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        content = " ".join(rng.sample(PHRASES, rng.randint(1, 3)))
        yield {
            "id": str(uuid.UUID(int=rng.getrandbits(128))),
            "authorId": author_id,
            "content": content,
            "images": [],
            "lat": None,
            "lng": None,
            "type": rng.choice(TYPES),
            "visibility": rng.choice(VISIBILITY),
            "tags": rng.sample(TAGS, rng.randint(0, 3)),
            "mentions": [],
            "relatedOfferId": None,
            "thanksCount": rng.randint(0, 30),
            "supportsCount": rng.randint(0, 30),
            "commentsCount": rng.randint(0, 12),
            "sharesCount": 0,
            "helpedCount": 0,
            "createdAt": stamp,
            "updatedAt": stamp,
            "editedAt": None,
            "User": {"id": author_id, "name": author_name, "avatar": None},
            "userReaction": None,
        }


def large_store(path: Path, rows: int) -> Store:
    """The store at `path` holding `rows` posts for `PROFILE`, created when missing (reused
    when it already holds that many, so several benchmarks can share one)."""
    store = open_store(f"sqlite:///{path}", attempts=1)
    if store.count("posts", profile=PROFILE) == rows:
        return store
    batch: list[dict[str, Any]] = []
    for record in synthetic_posts(rows):
        batch.append(record)
        if len(batch) == BATCH:
            with store.write() as conn:
                upsert(conn, "posts", PROFILE, batch)
            batch = []
    if batch:
        with store.write() as conn:
            upsert(conn, "posts", PROFILE, batch)
    return store

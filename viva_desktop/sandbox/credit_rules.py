"""Credit earning rules, levels and the grant operation shared by several routes (contract 6.6)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from viva_desktop.sandbox import storage as db
from viva_desktop.sandbox.errors import BadRequest, DatabaseError, NotFound
from viva_desktop.sandbox.jsonutil import iso, utcnow
from viva_desktop.sandbox.records import credit_transaction_row
from viva_desktop.sandbox.views import fetch_one

# reason -> (amount, daily limit or None, description)
RULES: dict[str, tuple[int, int | None, str]] = {
    "TIME_BANK_HOUR": (1, None, "Por cada hora de servicio en el banco de tiempo"),
    "EVENT_ATTENDANCE": (3, 15, "Por asistir a un evento comunitario"),
    "LOCAL_PURCHASE": (1, 20, "Por comprar en comercios locales"),
    "REFERRAL": (5, 20, "Por invitar a un nuevo miembro"),
    "ECO_ACTION": (2, 10, "Por acciones ecológicas verificadas"),
    "OFFER_CREATED": (2, 6, "Por publicar una oferta"),
    "REVIEW": (1, 10, "Por escribir una reseña"),
    "COMMUNITY_HELP": (2, None, "Por ayudar a la comunidad"),
    "DAILY_SEED": (1, None, "Por completar la semilla diaria"),
    "SUPPORT_POST": (1, 5, "Por apoyar publicaciones de la comunidad"),
    "ADMIN_GRANT": (0, None, "Créditos concedidos por administración"),
    "ADMIN_DEDUCT": (0, None, "Créditos retirados por administración"),
    "PURCHASE": (0, None, "Compra con créditos"),
    "DISCOUNT": (0, None, "Descuento aplicado"),
    "SERVICE": (0, None, "Pago por servicio"),
    "EVENT_ACCESS": (0, None, "Acceso a evento"),
    "ADJUSTMENT": (0, None, "Ajuste de saldo"),
    "EXPIRATION": (0, None, "Créditos caducados"),
    "SYSTEM_REWARD": (0, None, "Recompensa del sistema"),
}

LEVELS = [
    (1, "Semilla", 0, "🌱"),
    (2, "Brote", 50, "🌿"),
    (3, "Colaborador", 150, "🌳"),
    (4, "Conector", 300, "🤝"),
    (5, "Impulsor", 500, "⭐"),
    (6, "Líder", 1000, "👑"),
]


def level_for(balance: int) -> dict:
    current = LEVELS[0]
    for level in LEVELS:
        if balance >= level[2]:
            current = level
    number, name, minimum, badge = current
    return {"level": number, "name": name, "minCredits": minimum, "badge": badge}


def next_level(balance: int) -> dict | None:
    for number, name, minimum, badge in LEVELS:
        if minimum > balance:
            return {"level": number, "name": name, "minCredits": minimum, "badge": badge}
    return None


def grant(
    conn: sa.Connection,
    *,
    user_id: str,
    amount: float,
    reason: str,
    related_id: str | None = None,
    description: str | None = None,
) -> dict:
    """Add credits with the daily limits and the duplicate check of upstream."""
    user = fetch_one(conn, db.users, user_id)
    if user is None:
        raise NotFound("User not found")
    t = db.credit_transactions.c
    if related_id:
        duplicate = conn.execute(
            sa.select(t.id).where(
                t.userId == user_id, t.reason == reason, t.relatedId == related_id
            )
        ).first()
        if duplicate:
            raise BadRequest("Credits already granted for this action")
    limit = RULES[reason][1]
    if limit is not None:
        start = iso(utcnow().replace(hour=0, minute=0, second=0, microsecond=0))
        today = conn.execute(
            sa.select(sa.func.coalesce(sa.func.sum(t.amount), 0)).where(
                t.userId == user_id, t.reason == reason, t.createdAt >= start
            )
        ).scalar_one()
        if today + amount > limit:
            raise BadRequest(f"Daily limit exceeded for {reason}")
    if float(amount) != int(amount):
        raise DatabaseError("Invalid value for argument `amount`: expected Int")
    amount = int(amount)
    before = user["credits"]
    balance = before + amount
    conn.execute(db.users.update().where(db.users.c.id == user_id).values(credits=balance))
    now = utcnow()
    transaction = credit_transaction_row(
        user_id=user_id,
        amount=amount,
        balance=balance,
        reason=reason,
        description=description or RULES[reason][2],
        relatedId=related_id,
        expiresAt=iso(now + timedelta(days=365)),
        createdAt=iso(now),
    )
    conn.execute(db.credit_transactions.insert().values(transaction))
    level, previous = level_for(balance), level_for(before)
    return {
        "newBalance": balance,
        "amount": amount,
        "level": level,
        "leveledUp": level["level"] > previous["level"],
        "transaction": transaction,
    }

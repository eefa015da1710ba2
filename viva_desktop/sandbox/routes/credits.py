"""`/credits` (contract 6.6): balance and levels, history, leaderboard and the ADMIN grant."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from viva_desktop.sandbox import credit_rules, dtos
from viva_desktop.sandbox import storage as db
from viva_desktop.sandbox.errors import BadRequest, NotFound
from viva_desktop.sandbox.jsonutil import iso, now_iso, utcnow
from viva_desktop.sandbox.records import credit_transaction_row
from viva_desktop.sandbox.routing import Ctx, Router, need_number
from viva_desktop.sandbox.views import as_dict

router = Router()


def _balance(ctx: Ctx) -> int:
    balance = ctx.conn.execute(
        sa.select(db.users.c.credits).where(db.users.c.id == ctx.user_id)
    ).scalar_one_or_none()
    if balance is None:
        raise NotFound("User not found")
    return balance


@router.get("/credits/balance", auth=True)
def balance(ctx: Ctx) -> dict:
    credits = _balance(ctx)
    level = credit_rules.level_for(credits)
    upcoming = credit_rules.next_level(credits)
    result: dict = {"balance": credits, "level": level}
    if upcoming is None:
        result["progress"] = 100
    else:
        span = upcoming["minCredits"] - level["minCredits"]
        result["nextLevel"] = upcoming
        result["progress"] = round((credits - level["minCredits"]) / span * 100, 2)
    return result


@router.get("/credits/stats", auth=True)
def stats(ctx: Ctx) -> dict:
    t = db.credit_transactions.c
    now = utcnow()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)

    def earned_since(moment) -> int:
        return ctx.conn.execute(
            sa.select(sa.func.coalesce(sa.func.sum(t.amount), 0)).where(
                t.userId == ctx.user_id, t.amount > 0, t.createdAt >= iso(moment)
            )
        ).scalar_one()

    totals = ctx.conn.execute(
        sa.select(
            sa.func.coalesce(sa.func.sum(sa.case((t.amount > 0, t.amount), else_=0)), 0),
            sa.func.coalesce(sa.func.sum(sa.case((t.amount < 0, -t.amount), else_=0)), 0),
        ).where(t.userId == ctx.user_id)
    ).one()
    return {
        "today": earned_since(midnight),
        "week": earned_since(now - timedelta(days=7)),
        "month": earned_since(now - timedelta(days=30)),
        "totalEarned": totals[0],
        "totalSpent": totals[1],
    }


@router.get("/credits/transactions", auth=True)
def transactions(ctx: Ctx) -> dict:
    """The caller's own history, newest first; `limit` and `offset` are needed (NaN -> 500)."""
    limit = need_number(ctx.q_number("limit"))
    offset = need_number(ctx.q_number("offset"))
    t = db.credit_transactions.c
    where = [t.userId == ctx.user_id]
    if ctx.q("type") == "earning":
        where.append(t.amount > 0)
    elif ctx.q("type") == "spending":
        where.append(t.amount < 0)
    total = ctx.conn.execute(
        sa.select(sa.func.count()).select_from(db.credit_transactions).where(*where)
    ).scalar_one()
    rows = ctx.conn.execute(
        sa.select(db.credit_transactions)
        .where(*where)
        .order_by(t.createdAt.desc(), t.id)
        .limit(limit)
        .offset(offset)
    )
    return {
        "transactions": [as_dict(r) for r in rows],
        "total": total,
        "limit": limit,
        "offset": offset,
    }


@router.get("/credits/opportunities")
def opportunities(ctx: Ctx) -> list:
    result = []
    for reason, (amount, limit, description) in credit_rules.RULES.items():
        if amount <= 0:
            continue
        item: dict = {"reason": reason, "amount": amount}
        if limit is not None:
            item["dailyLimit"] = limit
        item["description"] = description
        result.append(item)
    return result


@router.get("/credits/leaderboard")
def leaderboard(ctx: Ctx) -> list:
    limit = need_number(ctx.q_number("limit"))
    u = db.users.c
    rows = ctx.conn.execute(
        sa.select(u.id, u.name, u.avatar, u.credits).order_by(u.credits.desc(), u.id).limit(limit)
    )
    return [{**as_dict(r), "level": credit_rules.level_for(r.credits)} for r in rows]


@router.post("/credits/grant", roles=("ADMIN",), dto=dtos.GRANT_CREDITS, throttle=(30, 60_000))
def grant(ctx: Ctx) -> dict:
    """ADMIN only. A repeated userId + reason + relatedId is refused, which makes retries safe."""
    body = ctx.body
    return credit_rules.grant(
        ctx.conn,
        user_id=body["userId"],
        amount=body["amount"],
        reason=body["reason"],
        related_id=body.get("relatedId"),
        description=body.get("description"),
    )


@router.post("/credits/spend", auth=True, verified=True, dto=dtos.SPEND_CREDITS)
def spend(ctx: Ctx) -> dict:
    body = ctx.body
    credits = _balance(ctx)
    amount = int(body["amount"])
    if credits < amount:
        raise BadRequest(f"Insufficient credits. Balance: {credits}, Required: {amount}")
    balance_after = credits - amount
    ctx.conn.execute(
        db.users.update().where(db.users.c.id == ctx.user_id).values(credits=balance_after)
    )
    transaction = credit_transaction_row(
        user_id=ctx.user_id,
        amount=-amount,
        balance=balance_after,
        reason=body["reason"],
        description=body.get("description") or credit_rules.RULES[body["reason"]][2],
        relatedId=body.get("relatedId"),
    )
    ctx.conn.execute(db.credit_transactions.insert().values(transaction))
    return {"newBalance": balance_after, "spent": amount, "transaction": transaction}


@router.get("/credits/decay/stats", auth=True)
def decay_stats(ctx: Ctx) -> dict:
    t = db.credit_transactions.c
    month_start = iso(utcnow().replace(day=1, hour=0, minute=0, second=0, microsecond=0))
    expired = ctx.conn.execute(
        sa.select(sa.func.coalesce(sa.func.sum(-t.amount), 0)).where(
            t.userId == ctx.user_id, t.reason == "EXPIRATION", t.createdAt >= month_start
        )
    ).scalar_one()
    at_risk = ctx.conn.execute(
        sa.select(sa.func.coalesce(sa.func.sum(t.amount), 0)).where(
            t.userId == ctx.user_id,
            t.amount > 0,
            t.expiresAt.is_not(None),
            t.expiresAt <= iso(utcnow() + timedelta(days=30)),
        )
    ).scalar_one()
    return {
        "expiredThisMonth": expired,
        "decayedThisMonth": 0,
        "totalCreditsAtRisk": at_risk,
        "decayRate": 0.02,
        "expirationMonths": 12,
    }


@router.post("/credits/decay/run", roles=("ADMIN",))
def decay_run(ctx: Ctx) -> dict:
    """Expire credits older than 12 months (the daily 03:00 job, run by hand)."""
    t = db.credit_transactions.c
    expired = ctx.conn.execute(
        sa.select(t.userId, sa.func.sum(t.amount))
        .where(
            t.amount > 0,
            t.expiresAt.is_not(None),
            t.expiresAt < now_iso(),
            t.reason != "EXPIRATION",
        )
        .group_by(t.userId)
    ).all()
    for user_id, amount in expired:
        credits = ctx.conn.execute(
            sa.select(db.users.c.credits).where(db.users.c.id == user_id)
        ).scalar_one()
        deduct = min(credits, amount)
        if deduct <= 0:
            continue
        ctx.conn.execute(
            db.users.update().where(db.users.c.id == user_id).values(credits=credits - deduct)
        )
        ctx.conn.execute(
            db.credit_transactions.insert().values(
                credit_transaction_row(
                    user_id=user_id,
                    amount=-deduct,
                    balance=credits - deduct,
                    reason="EXPIRATION",
                    description="Créditos caducados",
                )
            )
        )
    return {"success": True, "message": "Credit decay process completed", "timestamp": now_iso()}

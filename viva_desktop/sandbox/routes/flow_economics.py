"""`/flow-economics` (contract 6.12): economy dashboards and the ADMIN review of pool requests.

Service failures here are plain errors upstream, so they all surface as 500."""

from __future__ import annotations

import math
import re

import sqlalchemy as sa

from viva_desktop.sandbox import storage as db
from viva_desktop.sandbox.enums import POOL_TYPES, REQUEST_STATUSES
from viva_desktop.sandbox.errors import DatabaseError
from viva_desktop.sandbox.jsonutil import now_iso
from viva_desktop.sandbox.records import credit_transaction_row, new_id
from viva_desktop.sandbox.routing import EMPTY, Ctx, Reply, Router
from viva_desktop.sandbox.views import as_dict, fetch_one, users_by_id

router = Router()


def gini(balances: list[int]) -> float:
    if not balances:
        return 0
    mean = sum(balances) / len(balances)
    if mean == 0:
        return 0
    ordered = sorted(balances)
    n = len(ordered)
    weighted = sum((2 * (i + 1) - n - 1) * x for i, x in enumerate(ordered))
    return min(weighted / (n * n * mean), 1)


def interpret(value: float) -> str:
    if value < 0.3:
        return "Excelente: Economía muy equitativa"
    if value < 0.4:
        return "Bueno: Economía equitativa"
    if value < 0.5:
        return "Moderado: Algo de desigualdad"
    if value < 0.6:
        return "Alto: Desigualdad significativa"
    return "Muy alto: Desigualdad extrema"


@router.get("/flow-economics/metrics", auth=True)
def metrics(ctx: Ctx) -> dict:
    """Open to every logged-in user despite the backend's permissions document (D17)."""
    u = db.users.c
    users = [
        as_dict(r)
        for r in ctx.conn.execute(
            sa.select(u.credits, u.generosityScore).order_by(u.credits.desc())
        )
    ]
    balances = sorted(x["credits"] for x in users)
    total = sum(balances)
    top = users[: math.ceil(len(users) * 0.1)]
    pools = [
        as_dict(r)
        for r in ctx.conn.execute(sa.select(db.community_pools).order_by(db.community_pools.c.type))
    ]
    return {
        "giniIndex": gini(balances),
        "medianBalance": balances[len(balances) // 2] if balances else 0,
        "meanBalance": total // len(balances) if balances else 0,
        "wealthConcentration": (sum(x["credits"] for x in top) / total * 100) if total else 0,
        "transactionsCount": 0,
        "averageFlowMultiplier": 1,
        "totalValueGenerated": 0,
        "pools": [
            {k: p[k] for k in ("type", "balance", "totalReceived", "totalDistributed")}
            for p in pools
        ],
        "totalPoolBalance": sum(p["balance"] for p in pools),
        "activeUsers": len(users),
        "generousUsers": sum(1 for x in users if x["generosityScore"] > 0),
    }


@router.get("/flow-economics/gini", auth=True)
def gini_index(ctx: Ctx) -> dict:
    value = gini(list(ctx.conn.execute(sa.select(db.users.c.credits)).scalars()))
    return {"giniIndex": value, "interpretation": interpret(value)}


@router.get("/flow-economics/metrics/history", roles=("ADMIN",))
def metrics_history(ctx: Ctx) -> dict:
    """Only a placeholder upstream; `days` goes through parseInt (default 30)."""
    raw = ctx.q("days")
    if not raw:
        days: float = 30
    else:
        match = re.match(r"\s*([+-]?\d+)", raw)
        days = int(match.group(1)) if match else math.nan
    return {"message": "Historical metrics tracking", "days": days}


def _requests(ctx: Ctx, where: list, *, with_user: bool = True, score: bool = False) -> list[dict]:
    r = db.pool_requests.c
    rows = [
        as_dict(x)
        for x in ctx.conn.execute(
            sa.select(db.pool_requests).where(*where).order_by(r.createdAt.desc())
        )
    ]
    if not rows:
        return []
    ids = [x["id"] for x in rows]
    pools = {p.id: as_dict(p) for p in ctx.conn.execute(sa.select(db.community_pools))}
    v = db.pool_request_votes.c
    votes = [
        as_dict(x)
        for x in ctx.conn.execute(
            sa.select(db.pool_request_votes)
            .where(v.requestId.in_(ids))
            .order_by(v.createdAt.desc())
        )
    ]
    voters = users_by_id(ctx.conn, [x["voterId"] for x in votes])
    fields = ("id", "name", "email", "avatar", *(("generosityScore",) if score else ()))
    people = users_by_id(ctx.conn, [x["userId"] for x in rows], fields)
    result = []
    for row in rows:
        item = dict(row)
        if with_user:
            item["user"] = people.get(row["userId"])
        item["pool"] = pools.get(row["poolId"])
        item["votes"] = [
            {**x, "voter": voters.get(x["voterId"])} for x in votes if x["requestId"] == row["id"]
        ]
        result.append(item)
    return result


@router.get("/flow-economics/pool-requests", auth=True)
def pool_requests(ctx: Ctx) -> list:
    status = ctx.q("status")
    if status and status not in REQUEST_STATUSES:
        raise DatabaseError("Invalid value for argument `status`. Expected RequestStatus.")
    return _requests(ctx, [db.pool_requests.c.status == status] if status else [])


@router.get("/flow-economics/my-requests", auth=True)
def my_requests(ctx: Ctx) -> list:
    return _requests(ctx, [db.pool_requests.c.userId == ctx.user_id], with_user=False)


@router.get("/flow-economics/pool-requests/:id", auth=True)
def pool_request(ctx: Ctx) -> dict | Reply:
    found = _requests(ctx, [db.pool_requests.c.id == ctx.params["id"]], score=True)
    return found[0] if found else Reply(body=EMPTY)


@router.post("/flow-economics/pool-request", auth=True)
def create_pool_request(ctx: Ctx) -> dict:
    body = ctx.body_dict()
    amount, reason, pool_type = body.get("amount"), body.get("reason"), body.get("poolType")
    if not isinstance(amount, int | float) or amount <= 0:
        raise DatabaseError("Amount must be positive")
    if not isinstance(reason, str) or not reason.strip():
        raise DatabaseError("Reason is required")
    if pool_type not in POOL_TYPES:
        raise DatabaseError("Pool not found")
    pool = ctx.conn.execute(
        sa.select(db.community_pools).where(db.community_pools.c.type == pool_type)
    ).first()
    if pool is None:
        raise DatabaseError("Pool not found")
    now = now_iso()
    row = {
        "id": new_id(),
        "userId": ctx.user_id,
        "poolId": pool.id,
        "amount": int(amount),
        "reason": reason,
        "status": "PENDING",
        "approvedBy": None,
        "approvedAt": None,
        "rejectedBy": None,
        "rejectedAt": None,
        "distributedAt": None,
        "createdAt": now,
        "updatedAt": now,
    }
    ctx.conn.execute(db.pool_requests.insert().values(row))
    request = _requests(ctx, [db.pool_requests.c.id == row["id"]])[0]
    request.pop("votes")
    return {
        "success": True,
        "request": request,
        "message": "Solicitud creada exitosamente. La comunidad la revisará pronto.",
    }


@router.post("/flow-economics/pool-requests/:id/vote", auth=True)
def vote_pool_request(ctx: Ctx) -> dict:
    body = ctx.body_dict()
    in_favour = bool(body.get("vote"))
    v = db.pool_request_votes.c
    if fetch_one(ctx.conn, db.pool_requests, ctx.params["id"]) is None:
        raise DatabaseError("Foreign key constraint failed on the field: `requestId`")
    existing = ctx.conn.execute(
        sa.select(db.pool_request_votes).where(
            v.requestId == ctx.params["id"], v.voterId == ctx.user_id
        )
    ).first()
    if existing is not None:
        ctx.conn.execute(
            db.pool_request_votes.update()
            .where(v.id == existing.id)
            .values(vote=in_favour, comment=body.get("comment"))
        )
        result = fetch_one(ctx.conn, db.pool_request_votes, existing.id)
    else:
        result = {
            "id": new_id(),
            "requestId": ctx.params["id"],
            "voterId": ctx.user_id,
            "vote": in_favour,
            "comment": body.get("comment"),
            "createdAt": now_iso(),
        }
        ctx.conn.execute(db.pool_request_votes.insert().values(result))
        _auto_decide(ctx, ctx.params["id"])
    return {
        "success": True,
        "message": "Voto a favor registrado" if in_favour else "Voto en contra registrado",
        "result": result,
    }


def _auto_decide(ctx: Ctx, request_id: str) -> None:
    request = fetch_one(ctx.conn, db.pool_requests, request_id)
    if request["status"] != "PENDING":
        return
    v = db.pool_request_votes.c
    votes = list(ctx.conn.execute(sa.select(v.vote).where(v.requestId == request_id)).scalars())
    yes, no = votes.count(True), votes.count(False)
    if yes >= 3 and no == 0:
        ctx.conn.execute(
            db.pool_requests.update()
            .where(db.pool_requests.c.id == request_id)
            .values(status="APPROVED", approvedAt=now_iso())
        )
    if no >= 3:
        ctx.conn.execute(
            db.pool_requests.update()
            .where(db.pool_requests.c.id == request_id)
            .values(status="REJECTED", rejectedAt=now_iso())
        )


def _pending_request(ctx: Ctx) -> dict:
    request = fetch_one(ctx.conn, db.pool_requests, ctx.params["id"])
    if request is None:
        raise DatabaseError("Request not found")
    if request["status"] != "PENDING":
        raise DatabaseError("Request is not pending")
    return request


def _review(ctx: Ctx, status: str, message: str) -> dict:
    """The ADMIN decision on a pending request; approving and rejecting differ only in the
    status and in the column pair that records who and when (`approvedBy`/`approvedAt`...)."""
    request = _pending_request(ctx)
    now = now_iso()
    decided = status.lower()
    ctx.conn.execute(
        db.pool_requests.update()
        .where(db.pool_requests.c.id == request["id"])
        .values(
            {"status": status, f"{decided}By": ctx.user_id, f"{decided}At": now, "updatedAt": now}
        )
    )
    return {
        "success": True,
        "message": message,
        "result": fetch_one(ctx.conn, db.pool_requests, request["id"]),
    }


@router.put("/flow-economics/pool-requests/:id/approve", roles=("ADMIN",))
def approve(ctx: Ctx) -> dict:
    return _review(ctx, "APPROVED", "Solicitud aprobada exitosamente")


@router.put("/flow-economics/pool-requests/:id/reject", roles=("ADMIN",))
def reject(ctx: Ctx) -> dict:
    return _review(ctx, "REJECTED", "Solicitud rechazada")


@router.post("/flow-economics/pool-requests/:id/distribute", roles=("ADMIN",))
def distribute(ctx: Ctx) -> dict:
    """Pays an APPROVED request from its pool; anything else is a plain error (500)."""
    request = fetch_one(ctx.conn, db.pool_requests, ctx.params["id"])
    if request is None:
        raise DatabaseError("Request not found")
    if request["status"] != "APPROVED":
        raise DatabaseError("Request is not approved")
    pool = fetch_one(ctx.conn, db.community_pools, request["poolId"])
    if pool is None or pool["balance"] < request["amount"]:
        raise DatabaseError("Insufficient pool balance")
    now = now_iso()
    amount = request["amount"]
    ctx.conn.execute(
        db.community_pools.update()
        .where(db.community_pools.c.id == pool["id"])
        .values(
            balance=pool["balance"] - amount,
            totalDistributed=pool["totalDistributed"] + amount,
            lastDistribution=now,
            updatedAt=now,
        )
    )
    credits = ctx.conn.execute(
        sa.select(db.users.c.credits).where(db.users.c.id == request["userId"])
    ).scalar_one()
    ctx.conn.execute(
        db.users.update().where(db.users.c.id == request["userId"]).values(credits=credits + amount)
    )
    ctx.conn.execute(
        db.credit_transactions.insert().values(
            credit_transaction_row(
                user_id=request["userId"],
                amount=amount,
                balance=credits + amount,
                reason="COMMUNITY_HELP",
                description=f"Apoyo de la comunidad: {request['reason']}",
                createdAt=now,
            )
        )
    )
    ctx.conn.execute(
        db.pool_requests.update()
        .where(db.pool_requests.c.id == request["id"])
        .values(status="DISTRIBUTED", distributedAt=now, updatedAt=now)
    )
    return {
        "success": True,
        "message": "Fondos distribuidos exitosamente",
        "result": {"success": True, "amount": amount},
    }

"""`/consensus` moderation jury (contract 6.11): reports, the juror's pending queue, weighted
votes and the verdict at the fifth vote."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from viva_desktop.sandbox import storage as db
from viva_desktop.sandbox.enums import CONTENT_TYPES, MODERATION_DECISIONS
from viva_desktop.sandbox.errors import BadRequest, DatabaseError
from viva_desktop.sandbox.jsonutil import iso, now_iso, parse_iso, utcnow
from viva_desktop.sandbox.records import credit_transaction_row, new_id, notification_row
from viva_desktop.sandbox.routing import Ctx, Router
from viva_desktop.sandbox.views import as_dict, fetch_one, user_brief, users_by_id

router = Router()

QUORUM = 5
TIE_ORDER = ("KEEP", "REMOVE", "WARN")


def reputation(user: dict) -> float:
    """The sandbox's proof-of-help reputation: help given, generosity and experience."""
    return user["peopleHelped"] + user["generosityScore"] * 2 + user["experience"] / 100


def _jurors(conn: sa.Connection, reporter_id: str) -> list[str]:
    """Up to 3 active helpers (>= 20 helped, active in 7 days) and 2 more (>= 5, 30 days)."""
    u = db.users.c
    now = utcnow()
    first = (
        conn.execute(
            sa.select(u.id)
            .where(u.peopleHelped >= 20, u.lastActiveAt >= iso(now - timedelta(days=7)))
            .order_by(u.peopleHelped.desc(), u.id)
            .limit(3)
        )
        .scalars()
        .all()
    )
    second = (
        conn.execute(
            sa.select(u.id)
            .where(
                u.peopleHelped >= 5,
                u.lastActiveAt >= iso(now - timedelta(days=30)),
                u.id.not_in(first or [""]),
            )
            .order_by(u.lastActiveAt.desc(), u.id)
            .limit(2)
        )
        .scalars()
        .all()
    )
    return [*first, *second]


@router.post("/consensus/moderation", auth=True)
def report(ctx: Ctx) -> dict:
    """Not validated: an unknown `contentType` breaks the database enum (500)."""
    body = ctx.body_dict()
    content_type = body.get("contentType")
    if content_type not in CONTENT_TYPES:
        raise DatabaseError("Invalid value for argument `contentType`. Expected ContentType.")
    now = utcnow()
    content_id = str(body.get("contentId"))
    case = {
        "id": f"dao-{content_id}-{int(now.timestamp() * 1000)}",
        "contentId": content_id,
        "contentType": content_type,
        "reportReason": body.get("reason"),
        "reporterId": ctx.user_id,
        "status": "VOTING",
        "quorum": QUORUM,
        "deadline": iso(now + timedelta(hours=24)),
        "finalDecision": None,
        "executedAt": None,
        "createdAt": iso(now),
    }
    ctx.conn.execute(db.moderation_cases.insert().values(case))
    rows = [
        notification_row(
            user_id=juror,
            type_="HELP_REQUEST",
            title="Se necesita tu voto en moderación",
            body="Has sido seleccionado como jurado para revisar un contenido reportado",
            data={"daoId": case["id"], "contentId": content_id, "contentType": content_type},
            actionUrl="/governance/moderation",
        )
        for juror in _jurors(ctx.conn, ctx.user_id)
    ]
    if rows:
        ctx.conn.execute(db.notifications.insert(), rows)
    return case


@dataclass(frozen=True)
class _Summary:
    """What jurors see of one content type: some columns, then (when `owner` is set) the
    owner's brief user under the owner column's name without `Id` (`authorId` -> `author`)."""

    table: sa.Table
    fields: tuple[str, ...]
    owner: str | None = None


SUMMARIES = {
    "POST": _Summary(db.posts, ("content", "authorId"), "authorId"),
    "OFFER": _Summary(db.offers, ("title", "description", "userId"), "userId"),
    "COMMUNITY": _Summary(db.communities, ("name", "description", "type")),
    "EVENT": _Summary(db.events, ("title", "description", "organizerId"), "organizerId"),
    "TIMEBANK": _Summary(
        db.time_bank_transactions, ("description", "hours", "requesterId"), "requesterId"
    ),
}


def _content_summary(conn: sa.Connection, case: dict) -> dict | None:
    """None for content types without a summary and for content that is gone."""
    spec = SUMMARIES.get(case["contentType"])
    row = fetch_one(conn, spec.table, case["contentId"]) if spec else None
    if spec is None or row is None:
        return None
    summary = {name: row[name] for name in spec.fields}
    if spec.owner:
        summary[spec.owner.removesuffix("Id")] = user_brief(conn, row[spec.owner])
    return summary


def _stats(votes: list[dict], case: dict) -> dict:
    counts = {d: sum(1 for v in votes if v["decision"] == d) for d in MODERATION_DECISIONS}
    left = (parse_iso(case["deadline"]) - utcnow()).total_seconds() / 3600
    return {
        "keep": counts["KEEP"],
        "remove": counts["REMOVE"],
        "warn": counts["WARN"],
        "total": len(votes),
        "quorum": case["quorum"],
        "hoursRemaining": max(0, math.floor(left)),
    }


@router.get("/consensus/moderation/pending", auth=True)
def pending(ctx: Ctx) -> list:
    """Cases the caller was called to judge, still open, not yet voted; soonest deadline first."""
    n = db.notifications.c
    dao_ids = set()
    for (data,) in ctx.conn.execute(
        sa.select(n.data).where(n.userId == ctx.user_id, n.type == "HELP_REQUEST")
    ):
        if isinstance(data, dict) and data.get("daoId"):
            dao_ids.add(data["daoId"])
    if not dao_ids:
        return []
    m, v = db.moderation_cases.c, db.moderation_votes.c
    voted = sa.select(v.daoId).where(v.voterId == ctx.user_id)
    cases = [
        as_dict(r)
        for r in ctx.conn.execute(
            sa.select(db.moderation_cases)
            .where(
                m.id.in_(dao_ids), m.status == "VOTING", m.deadline > now_iso(), m.id.not_in(voted)
            )
            .order_by(m.deadline)
        )
    ]
    result = []
    for case in cases:
        votes = [
            as_dict(r)
            for r in ctx.conn.execute(
                sa.select(db.moderation_votes).where(v.daoId == case["id"]).order_by(v.createdAt)
            )
        ]
        people = users_by_id(ctx.conn, [x["voterId"] for x in votes])
        result.append(
            {
                **case,
                "ModerationVote": [{**x, "User": people.get(x["voterId"])} for x in votes],
                "User": user_brief(ctx.conn, case["reporterId"]),
                "content": _content_summary(ctx.conn, case),
                "stats": _stats(votes, case),
            }
        )
    return result


def _execute(ctx: Ctx, case: dict, decision: str) -> None:
    kind, cid = case["contentType"], case["contentId"]
    if decision == "REMOVE":
        if kind == "POST":
            if not ctx.defects:  # a fixed server removes the children first
                ctx.conn.execute(db.reactions.delete().where(db.reactions.c.postId == cid))
                ctx.conn.execute(db.comments.delete().where(db.comments.c.postId == cid))
            ctx.conn.execute(
                db.posts.delete().where(db.posts.c.id == cid)
            )  # FK failure -> 500 (D10)
        elif kind in ("OFFER", "EVENT"):
            table = db.offers if kind == "OFFER" else db.events
            ctx.conn.execute(
                table.update()
                .where(table.c.id == cid)
                .values(status="CANCELLED", updatedAt=now_iso())
            )
        elif kind == "COMMUNITY":
            ctx.conn.execute(
                db.communities.update()
                .where(db.communities.c.id == cid)
                .values(
                    visibility="PRIVATE",
                    requiresApproval=True,
                    description="Comunidad suspendida por decisión de moderación comunitaria",
                )
            )
        elif kind == "TIMEBANK":
            ctx.conn.execute(
                db.time_bank_transactions.update()
                .where(db.time_bank_transactions.c.id == cid)
                .values(status="CANCELLED")
            )
    elif decision == "WARN":
        summary = _content_summary(ctx.conn, case) or {}
        author = (
            summary.get("authorId")
            or summary.get("userId")
            or summary.get("organizerId")
            or summary.get("requesterId")
        )
        if author:
            ctx.conn.execute(
                db.notifications.insert().values(
                    notification_row(
                        user_id=author,
                        type_="ANNOUNCEMENT",
                        title="Aviso de moderación",
                        body="Un contenido tuyo ha recibido un aviso del jurado comunitario",
                        data={"daoId": case["id"], "contentId": cid, "contentType": kind},
                    )
                )
            )


@router.post("/consensus/moderation/:daoId/vote", auth=True)
def vote(ctx: Ctx) -> dict:
    """Weight min(reputation/10, 10); the fifth vote closes the case by weighted majority."""
    case = fetch_one(ctx.conn, db.moderation_cases, ctx.params["daoId"])
    if case is None:
        raise BadRequest("Votación no disponible")
    if case["status"] != "VOTING" or case["deadline"] <= now_iso():
        raise BadRequest("Votación cerrada")
    v = db.moderation_votes.c
    if ctx.conn.execute(
        sa.select(v.id).where(v.daoId == case["id"], v.voterId == ctx.user_id)
    ).first():
        raise BadRequest("Ya has votado en esta moderación")
    body = ctx.body_dict()
    decision = body.get("decision")
    if decision not in MODERATION_DECISIONS:
        raise DatabaseError("Invalid value for argument `decision`. Expected ModerationDecision.")
    voter = fetch_one(ctx.conn, db.users, ctx.user_id)
    weight = round(min(reputation(voter) / 10, 10), 2) if voter else 0
    row = {
        "id": f"vote-{new_id()}",
        "daoId": case["id"],
        "voterId": ctx.user_id,
        "decision": decision,
        "reason": body.get("reason"),
        "weight": weight,
        "createdAt": now_iso(),
    }
    ctx.conn.execute(db.moderation_votes.insert().values(row))
    votes = [
        as_dict(r)
        for r in ctx.conn.execute(sa.select(db.moderation_votes).where(v.daoId == case["id"]))
    ]
    if len(votes) >= case["quorum"]:
        totals = {d: sum(x["weight"] for x in votes if x["decision"] == d) for d in TIE_ORDER}
        verdict = max(TIE_ORDER, key=lambda d: (totals[d], -TIE_ORDER.index(d)))
        ctx.conn.execute(
            db.moderation_cases.update()
            .where(db.moderation_cases.c.id == case["id"])
            .values(status="EXECUTED", finalDecision=verdict, executedAt=now_iso())
        )
        _execute(ctx, case, verdict)
        rewards = [
            credit_transaction_row(
                user_id=x["voterId"],
                amount=1,
                balance=0,
                reason="COMMUNITY_HELP",
                description="Recompensa por moderación justa",
                relatedId=case["id"],
            )
            for x in votes
            if x["decision"] == verdict
        ]
        ctx.conn.execute(db.credit_transactions.insert(), rewards)
    return row

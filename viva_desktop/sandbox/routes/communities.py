"""`/communities` (contract 6.2): lists, detail, membership with the reputation rules, and the
audit-log route that `/communities/{id}` shadows."""

from __future__ import annotations

import math
from datetime import timedelta

import sqlalchemy as sa

from viva_desktop.sandbox import dtos, geo
from viva_desktop.sandbox import storage as db
from viva_desktop.sandbox.errors import BadRequest, DatabaseError, Forbidden, NotFound
from viva_desktop.sandbox.jsonutil import iso, now_iso, utcnow
from viva_desktop.sandbox.records import audit_row, community_row, governance_row, notification_row
from viva_desktop.sandbox.routing import Ctx, Router
from viva_desktop.sandbox.views import as_dict, fetch_one, users_by_id

router = Router()

MODERATE_SCORE = 5
TECHNICAL_SCORE = 15
TECHNICAL_FIELDS = frozenset(
    {
        "location",
        "lat",
        "lng",
        "radiusKm",
        "description",
        "logo",
        "bannerImage",
        "primaryColor",
        "language",
        "currency",
    }
)
SUBSTANTIAL_FIELDS = frozenset(
    {"name", "slug", "type", "visibility", "requiresApproval", "allowExternalOffers"}
)
CONN_SOURCE = "CommunityConnection_CommunityConnection_sourceCommunityIdToCommunity"
CONN_TARGET = "CommunityConnection_CommunityConnection_targetCommunityIdToCommunity"


def _counts(conn: sa.Connection, community_ids: list[str]) -> dict[str, dict[str, int]]:
    counts = {cid: {"User": 0, "Offer": 0, "Event": 0} for cid in community_ids}
    for key, table in (("User", db.users), ("Offer", db.offers), ("Event", db.events)):
        rows = conn.execute(
            sa.select(table.c.communityId, sa.func.count())
            .where(table.c.communityId.in_(community_ids))
            .group_by(table.c.communityId)
        )
        for cid, count in rows:
            counts[cid][key] = count
    return counts


def _community(conn: sa.Connection, community_id: str) -> dict:
    found = fetch_one(conn, db.communities, community_id)
    if found is None:
        raise NotFound("Community not found")
    return found


def _detail(conn: sa.Connection, community: dict) -> dict:
    """Every field, governance, counts and the caller flags (always false: no guard, D11)."""
    if community["visibility"] == "PRIVATE":
        return {
            "id": community["id"],
            "name": community["name"],
            "type": community["type"],
            "visibility": community["visibility"],
            "requiresApproval": community["requiresApproval"],
            "isMember": False,
            "restricted": True,
        }
    cid = community["id"]
    gov = conn.execute(sa.select(db.governance).where(db.governance.c.communityId == cid)).first()
    counts = _counts(conn, [cid])[cid]
    cc = db.community_connections.c
    for key, column in ((CONN_SOURCE, cc.sourceCommunityId), (CONN_TARGET, cc.targetCommunityId)):
        counts[key] = conn.execute(
            sa.select(sa.func.count()).select_from(db.community_connections).where(column == cid)
        ).scalar_one()
    flags = dict.fromkeys(("isMember", "isFounder", "canPropose", "canVote", "canModerate"), False)
    return {
        **community,
        "CommunityGovernance": as_dict(gov) if gov else None,
        "_count": counts,
        **flags,
    }


@router.post("/communities", auth=True, dto=dtos.CREATE_COMMUNITY)
def create_community(ctx: Ctx) -> dict:
    """The creator becomes its founder and member; `membersCount` stays 0 (D9)."""
    body = dict(ctx.body)
    body.pop("onboardingPack", None)
    if ctx.conn.execute(
        sa.select(db.communities.c.id).where(db.communities.c.slug == body["slug"])
    ).first():
        raise DatabaseError("Unique constraint failed on the fields: (`slug`)")
    now = utcnow()
    row = community_row(
        id=f"comm_{int(now.timestamp() * 1000)}_{ctx.user_id}",
        **{k: v for k, v in body.items() if v is not None},
        now=iso(now),
    )
    ctx.conn.execute(db.communities.insert().values(row))
    gov = governance_row(
        id=f"gov_{int(now.timestamp() * 1000)}_{row['id']}",
        community_id=row["id"],
        founders=[ctx.user_id],
        bootstrapEndDate=iso(now + timedelta(days=30)),
        now=iso(now),
    )
    ctx.conn.execute(db.governance.insert().values(gov))
    ctx.conn.execute(
        db.users.update().where(db.users.c.id == ctx.user_id).values(communityId=row["id"])
    )
    return {**row, "CommunityGovernance": gov}


@router.get("/communities")
def list_communities(ctx: Ctx) -> list:
    """No paging; PRIVATE left out unless `visibility=PRIVATE`; by `membersCount` descending."""
    c = db.communities.c
    query = sa.select(db.communities)
    visibility = ctx.q("visibility")
    query = (
        query.where(c.visibility == visibility)
        if visibility
        else query.where(c.visibility != "PRIVATE")
    )
    if ctx.q("type"):
        query = query.where(c.type == ctx.q("type"))
    if ctx.q("search"):
        term = f"%{ctx.q('search').lower()}%"
        query = query.where(
            sa.or_(
                sa.func.lower(c.name).like(term),
                sa.func.lower(c.description).like(term),
                sa.func.lower(c.location).like(term),
            )
        )
    rows = [
        as_dict(r) for r in ctx.conn.execute(query.order_by(c.membersCount.desc(), c.createdAt))
    ]
    lat, lng = ctx.q_number("nearLat"), ctx.q_number("nearLng")
    if geo.usable(lat) and geo.usable(lng):
        radius = ctx.q_number_or("maxDistance", 50)
        rows = [r for r, _ in geo.within(rows, lat, lng, radius, lambda r: (r["lat"], r["lng"]))]
    counts = _counts(ctx.conn, [r["id"] for r in rows])
    return [{**r, "_count": counts[r["id"]]} for r in rows]


@router.get("/communities/slug/:slug")
def community_by_slug(ctx: Ctx) -> dict:
    found = ctx.conn.execute(
        sa.select(db.communities).where(db.communities.c.slug == ctx.params["slug"])
    ).first()
    if found is None:
        raise NotFound("Community not found")
    return _detail(ctx.conn, as_dict(found))


@router.get("/communities/:id")
def community_detail(ctx: Ctx) -> dict:
    return _detail(ctx.conn, _community(ctx.conn, ctx.params["id"]))


def _member_with_score(ctx: Ctx, community_id: str, *, score: float, action: str) -> dict:
    me = fetch_one(ctx.conn, db.users, ctx.user_id) or {}
    if me.get("communityId") != community_id:
        raise Forbidden(f"Only members can {action}")
    if (me.get("generosityScore") or 0) < score:
        raise Forbidden(f"You need moderation permissions (generosityScore >= {score}) to {action}")
    return me


@router.put("/communities/:id", auth=True, dto=dtos.UPDATE_COMMUNITY)
def update_community(ctx: Ctx) -> dict:
    """Founders during the 30-day bootstrap; afterwards technical fields with score >= 15 and
    the rest only through a proposal. No ADMIN override."""
    community = _community(ctx.conn, ctx.params["id"])
    me = _member_with_score(
        ctx, community["id"], score=MODERATE_SCORE, action="update this community"
    )
    changes = {k: v for k, v in ctx.body.items() if k != "onboardingPack"}
    gov = ctx.conn.execute(
        sa.select(db.governance).where(db.governance.c.communityId == community["id"])
    ).first()
    gov = as_dict(gov) if gov else None
    bootstrap = bool(gov and gov["bootstrapEndDate"] and gov["bootstrapEndDate"] > now_iso())
    founder = bool(gov and ctx.user_id in (gov["founders"] or []))
    if bootstrap and founder:
        action = "COMMUNITY_UPDATE_BOOTSTRAP"
    else:
        if set(changes) & SUBSTANTIAL_FIELDS:
            raise BadRequest(
                "Los cambios sustanciales (nombre, slug, tipo, visibilidad, aprobación) requieren "
                "una propuesta COMMUNITY_UPDATE en /consensus/proposals"
            )
        if me["generosityScore"] < TECHNICAL_SCORE:
            raise Forbidden(
                f"You need generosityScore >= {TECHNICAL_SCORE} to update technical fields"
            )
        action = "COMMUNITY_UPDATE_TECHNICAL"
    if changes:
        ctx.conn.execute(
            db.communities.update()
            .where(db.communities.c.id == community["id"])
            .values(**changes, updatedAt=now_iso())
        )
    updated = fetch_one(ctx.conn, db.communities, community["id"])
    ctx.conn.execute(
        db.audit_log.insert().values(
            audit_row(
                user_id=ctx.user_id,
                action=action,
                entity="Community",
                entity_id=community["id"],
                oldData=community,
                newData=updated,
            )
        )
    )
    return updated


@router.delete("/communities/:id", auth=True)
def delete_community(ctx: Ctx) -> dict:
    community = _community(ctx.conn, ctx.params["id"])
    gov = ctx.conn.execute(
        sa.select(db.governance).where(db.governance.c.communityId == community["id"])
    ).first()
    if gov is None or ctx.user_id not in (as_dict(gov)["founders"] or []):
        raise Forbidden("Only founders can delete the community")
    if community["membersCount"] > 1:
        raise BadRequest(
            "La comunidad tiene miembros. Para disolverla crea una propuesta COMMUNITY_DISSOLUTION"
        )
    if ctx.defects:
        raise DatabaseError("Foreign key constraint failed on the field: `CommunityGovernance`")
    ctx.conn.execute(db.governance.delete().where(db.governance.c.communityId == community["id"]))
    ctx.conn.execute(
        db.users.update().where(db.users.c.communityId == community["id"]).values(communityId=None)
    )
    ctx.conn.execute(db.communities.delete().where(db.communities.c.id == community["id"]))
    return {"message": "Comunidad eliminada exitosamente"}


@router.post("/communities/:id/join", auth=True)
def join(ctx: Ctx) -> dict:
    community = _community(ctx.conn, ctx.params["id"])
    me = fetch_one(ctx.conn, db.users, ctx.user_id) or {}
    if me.get("communityId") == community["id"]:
        return {"message": "Already a member of this community"}
    if community["requiresApproval"]:
        mr = db.membership_requests.c
        existing = ctx.conn.execute(
            sa.select(db.membership_requests).where(
                mr.communityId == community["id"], mr.userId == ctx.user_id
            )
        ).first()
        message = ctx.body_dict().get("message")
        now = utcnow()
        if existing is not None:
            existing = as_dict(existing)
            if existing["status"] == "PENDING":
                return {
                    "message": "You already have a pending membership request for this community"
                }
            if existing["status"] == "REJECTED":
                raise Forbidden("Your membership request was rejected")
            ctx.conn.execute(
                db.membership_requests.update()
                .where(mr.id == existing["id"])
                .values(status="PENDING", message=message, createdAt=iso(now), reviewedAt=None)
            )
        else:
            ctx.conn.execute(
                db.membership_requests.insert().values(
                    id=f"req_{int(now.timestamp() * 1000)}_{ctx.user_id}_{community['id']}",
                    communityId=community["id"],
                    userId=ctx.user_id,
                    status="PENDING",
                    message=message if isinstance(message, str) else None,
                    reviewedBy=None,
                    reviewNote=None,
                    createdAt=iso(now),
                    reviewedAt=None,
                )
            )
        moderators = ctx.conn.execute(
            sa.select(db.users.c.id).where(
                db.users.c.communityId == community["id"],
                db.users.c.generosityScore >= MODERATE_SCORE,
            )
        ).scalars()
        rows = [
            notification_row(
                user_id=uid,
                type_="HELP_REQUEST",
                title="Nueva solicitud de membresía",
                body=f"{me.get('name')} quiere unirse a {community['name']}",
                data={"communityId": community["id"], "requesterId": ctx.user_id},
            )
            for uid in moderators
        ]
        if rows:
            ctx.conn.execute(db.notifications.insert(), rows)
        return {
            "message": "Membership request submitted. You will be notified when it is reviewed."
        }
    ctx.conn.execute(
        db.users.update().where(db.users.c.id == ctx.user_id).values(communityId=community["id"])
    )
    ctx.conn.execute(
        db.communities.update()
        .where(db.communities.c.id == community["id"])
        .values(membersCount=db.communities.c.membersCount + 1)
    )
    return {"message": "Successfully joined community"}


@router.post("/communities/:id/leave", auth=True)
def leave(ctx: Ctx) -> dict:
    community = _community(ctx.conn, ctx.params["id"])
    me = fetch_one(ctx.conn, db.users, ctx.user_id) or {}
    if me.get("communityId") != community["id"]:
        raise Forbidden("You are not a member of this community")
    ctx.conn.execute(db.users.update().where(db.users.c.id == ctx.user_id).values(communityId=None))
    ctx.conn.execute(
        db.communities.update()
        .where(db.communities.c.id == community["id"])
        .values(membersCount=db.communities.c.membersCount - 1)  # not clamped: counters drift (D9)
    )
    return {"message": "Successfully left community"}


@router.get("/communities/:id/members", auth=True)
def members(ctx: Ctx) -> list:
    community = _community(ctx.conn, ctx.params["id"])
    if community["visibility"] == "PRIVATE":
        me = fetch_one(ctx.conn, db.users, ctx.user_id) or {}
        if me.get("communityId") != community["id"]:
            raise Forbidden("This community is private")
    u = db.users.c
    rows = ctx.conn.execute(
        sa.select(u.id, u.name, u.avatar, u.bio, u.level, u.credits)
        .where(u.communityId == community["id"])
        .order_by(u.credits.desc())
    )
    return [as_dict(r) for r in rows]


@router.get("/communities/:id/membership-requests", auth=True)
def membership_requests(ctx: Ctx) -> list:
    community = _community(ctx.conn, ctx.params["id"])
    _member_with_score(
        ctx, community["id"], score=MODERATE_SCORE, action="view membership requests"
    )
    mr = db.membership_requests.c
    rows = ctx.conn.execute(
        sa.select(mr.id, mr.userId, mr.message, mr.createdAt)
        .where(mr.communityId == community["id"], mr.status == "PENDING")
        .order_by(mr.createdAt)
    )
    return [as_dict(r) for r in rows]


def _review(ctx: Ctx, approve: bool) -> dict:
    community = _community(ctx.conn, ctx.params["id"])
    action = "approve membership requests" if approve else "reject membership requests"
    _member_with_score(ctx, community["id"], score=MODERATE_SCORE, action=action)
    mr = db.membership_requests.c
    found = ctx.conn.execute(
        sa.select(db.membership_requests).where(
            mr.id == ctx.params["requestId"], mr.communityId == community["id"]
        )
    ).first()
    if found is None:
        raise NotFound("Membership request not found")
    request = as_dict(found)
    if request["status"] != "PENDING":
        raise BadRequest(f"Request has already been {request['status'].lower()}")
    note = ctx.body_dict().get("reviewNote")
    ctx.conn.execute(
        db.membership_requests.update()
        .where(mr.id == request["id"])
        .values(
            status="APPROVED" if approve else "REJECTED",
            reviewedBy=ctx.user_id,
            reviewNote=note if isinstance(note, str) else None,
            reviewedAt=now_iso(),
        )
    )
    if approve:
        ctx.conn.execute(
            db.users.update()
            .where(db.users.c.id == request["userId"])
            .values(communityId=community["id"])
        )
        ctx.conn.execute(
            db.communities.update()
            .where(db.communities.c.id == community["id"])
            .values(membersCount=db.communities.c.membersCount + 1)
        )
    verdict = "aprobada" if approve else "rechazada"
    ctx.conn.execute(
        db.notifications.insert().values(
            notification_row(
                user_id=request["userId"],
                type_="COMMUNITY_MILESTONE",
                title=f"Solicitud {verdict}",
                body=f"Tu solicitud para unirte a {community['name']} ha sido {verdict}",
                data={"communityId": community["id"]},
            )
        )
    )
    return {"message": f"Membership request {'approved' if approve else 'rejected'} successfully"}


@router.post("/communities/:id/membership-requests/:requestId/approve", auth=True)
def approve_request(ctx: Ctx) -> dict:
    return _review(ctx, approve=True)


@router.post("/communities/:id/membership-requests/:requestId/reject", auth=True)
def reject_request(ctx: Ctx) -> dict:
    return _review(ctx, approve=False)


@router.get("/communities/audit-log", roles=("ADMIN",))
def audit_log(ctx: Ctx) -> dict:
    """Unreachable, as upstream: `/communities/{id}` is registered first and answers 404 (D2)."""
    raise NotFound("Community not found")


@router.get("/communities/:id/activity")
def activity(ctx: Ctx) -> list:
    found = fetch_one(ctx.conn, db.communities, ctx.params["id"])
    if found is None:
        raise NotFound("Comunidad no encontrada")
    limit = ctx.q_number_or("limit", 20)
    per_source = math.ceil(limit / 4) if not math.isnan(limit) else 5
    cid = found["id"]
    items: list[dict] = []
    o, e, p = db.offers.c, db.events.c, db.posts.c
    for kind, table, owner, where, title in (
        ("offer", db.offers, "userId", o.communityId == cid, "title"),
        ("event", db.events, "organizerId", e.communityId == cid, "title"),
        (
            "post",
            db.posts,
            "authorId",
            p.authorId.in_(sa.select(db.users.c.id).where(db.users.c.communityId == cid)),
            None,
        ),
    ):
        rows = [
            as_dict(r)
            for r in ctx.conn.execute(
                sa.select(table).where(where).order_by(table.c.createdAt.desc()).limit(per_source)
            )
        ]
        people = users_by_id(ctx.conn, [r[owner] for r in rows])
        for r in rows:
            items.append(
                {
                    "type": kind,
                    "id": r["id"],
                    "title": r[title] if title else None,
                    "description": r.get("description", r.get("content")),
                    "createdAt": r["createdAt"],
                    "user": people.get(r[owner]),
                    "data": r,
                }
            )
    items.sort(key=lambda item: item["createdAt"], reverse=True)
    return items


@router.get("/communities/:id/offers")
def community_offers(ctx: Ctx) -> list:
    community = _community(ctx.conn, ctx.params["id"])
    o = db.offers.c
    query = sa.select(db.offers).where(o.communityId == community["id"])
    if ctx.q("status"):
        query = query.where(o.status == ctx.q("status"))
    limit = ctx.q_number_or("limit", 50)
    rows = [
        as_dict(r)
        for r in ctx.conn.execute(
            query.order_by(o.createdAt.desc()).limit(int(limit) if limit == limit else 50)
        )
    ]
    people = users_by_id(ctx.conn, [r["userId"] for r in rows])
    brief = {"id": community["id"], "name": community["name"], "slug": community["slug"]}
    return [{**r, "User": people.get(r["userId"]), "Community": brief} for r in rows]

"""`/offers` (contract 6.3), with the defects switchable: 500 on create and for unknown ids."""

from __future__ import annotations

import sqlalchemy as sa

from viva_desktop.sandbox import dtos, geo
from viva_desktop.sandbox import storage as db
from viva_desktop.sandbox.errors import DatabaseError, NotFound
from viva_desktop.sandbox.jsonutil import now_iso
from viva_desktop.sandbox.records import new_id, offer_row
from viva_desktop.sandbox.routing import Ctx, Router
from viva_desktop.sandbox.views import as_dict, columns, fetch_one, user_brief, users_by_id

router = Router()

LIST_FIELDS = (
    "id",
    "userId",
    "communityId",
    "type",
    "category",
    "title",
    "description",
    "images",
    "priceEur",
    "priceCredits",
    "stock",
    "lat",
    "lng",
    "address",
    "tags",
    "status",
    "featured",
    "views",
    "interested",
    "createdAt",
    "updatedAt",
)
OWNER_CONTACT = (
    "id",
    "name",
    "avatar",
    "bio",
    "email",
    "phone",
    "contactPreference",
    "telegramUsername",
    "whatsappNumber",
)


def _missing_offer(ctx: Ctx) -> Exception:
    """Upstream updates the row before reading it, so a missing id is a 500 (D3)."""
    if ctx.defects:
        return DatabaseError(
            "An operation failed because it depends on one or more records that were required "
            "but not found."
        )
    return NotFound("Offer not found")


@router.get("/offers")
def list_offers(ctx: Ctx) -> list:
    """Active offers, newest first, no paging (`limit` is ignored)."""
    o = db.offers.c
    query = sa.select(*columns(db.offers, LIST_FIELDS)).where(o.status == "ACTIVE")
    for name in ("type", "category", "communityId"):
        if ctx.q(name):
            query = query.where(o[name] == ctx.q(name))
    rows = [as_dict(r) for r in ctx.conn.execute(query.order_by(o.createdAt.desc(), o.id))]
    lat = ctx.q_number("nearLat") if "nearLat" in ctx.query else ctx.q_number("lat")
    lng = ctx.q_number("nearLng") if "nearLng" in ctx.query else ctx.q_number("lng")
    if geo.usable(lat) and geo.usable(lng):
        radius = (
            ctx.q_number("maxDistance")
            if "maxDistance" in ctx.query
            else ctx.q_number_or("radius", 10)
        )
        rows = [r for r, _ in geo.within(rows, lat, lng, radius, lambda r: (r["lat"], r["lng"]))]
    people = users_by_id(ctx.conn, [r["userId"] for r in rows])
    return [{**r, "User": people.get(r["userId"])} for r in rows]


@router.get("/offers/user/my-offers", auth=True)
def my_offers(ctx: Ctx) -> list:
    o = db.offers.c
    rows = [
        as_dict(r)
        for r in ctx.conn.execute(
            sa.select(db.offers)
            .where(o.userId == ctx.user_id, o.status != "CANCELLED")
            .order_by(o.createdAt.desc())
        )
    ]
    me = user_brief(ctx.conn, ctx.user_id)
    interests: dict[str, list] = {r["id"]: [] for r in rows}
    if rows:
        i = db.offer_interests.c
        found = [
            as_dict(r)
            for r in ctx.conn.execute(
                sa.select(db.offer_interests).where(i.offerId.in_(list(interests)))
            )
        ]
        people = users_by_id(
            ctx.conn, [f["userId"] for f in found], ("id", "name", "avatar", "email")
        )
        for f in found:
            interests[f["offerId"]].append({**f, "User": people.get(f["userId"])})
    return [{**r, "User": me, "OfferInterest": interests[r["id"]]} for r in rows]


@router.get("/offers/:id")
def offer_detail(ctx: Ctx) -> dict:
    """Each call counts a view; owner contact data is public (S3)."""
    offer_id = ctx.params["id"]
    updated = ctx.conn.execute(
        db.offers.update().where(db.offers.c.id == offer_id).values(views=db.offers.c.views + 1)
    )
    if updated.rowcount == 0:
        raise _missing_offer(ctx)
    offer = fetch_one(ctx.conn, db.offers, offer_id)
    owner = user_brief(ctx.conn, offer["userId"], OWNER_CONTACT)
    group_buy = ctx.conn.execute(
        sa.select(db.group_buys).where(db.group_buys.c.offerId == offer_id)
    ).first()
    time_bank = ctx.conn.execute(
        sa.select(db.time_bank_offers).where(db.time_bank_offers.c.offerId == offer_id)
    ).first()
    event = ctx.conn.execute(sa.select(db.events).where(db.events.c.offerId == offer_id)).first()
    result = {
        **offer,
        "User": owner,
        "GroupBuy": as_dict(group_buy) if group_buy else None,
        "TimeBankOffer": as_dict(time_bank) if time_bank else None,
        "Event": as_dict(event) if event else None,
    }
    if ctx.identity is not None and ctx.identity.user_id:
        i = db.offer_interests.c
        result["userIsInterested"] = (
            ctx.conn.execute(
                sa.select(i.id).where(i.offerId == offer_id, i.userId == ctx.identity.user_id)
            ).first()
            is not None
        )
    return result


def _require_ints(values: dict) -> None:
    """Prisma refuses a fraction in an Int column with a 500 (the DTO lets it through)."""
    for integer in ("priceCredits", "stock"):
        if values.get(integer) is not None and float(values[integer]) != int(values[integer]):
            raise DatabaseError(f"Invalid value for argument `{integer}`: expected Int")


@router.post("/offers", auth=True, verified=True, dto=dtos.CREATE_OFFER)
def create_offer(ctx: Ctx) -> dict:
    """Upstream never supplies the required `id`, so every valid request is a 500 (D1)."""
    if ctx.defects:
        raise DatabaseError("Argument `id` is missing.")
    body = ctx.body
    _require_ints(body)
    row = offer_row(user_id=ctx.user_id, title=body["title"])
    row.update({k: v for k, v in body.items() if v is not None})
    ctx.conn.execute(db.offers.insert().values(row))
    return fetch_one(ctx.conn, db.offers, row["id"])


def _owned_offer(ctx: Ctx) -> dict:
    """The service only touches the caller's own row: an ADMIN on someone else's offer gets 500
    upstream (the ownership guard let them through); a fixed server lets the admin act."""
    offer = fetch_one(ctx.conn, db.offers, ctx.params["id"])
    if offer is None:
        raise _missing_offer(ctx)
    if offer["userId"] != ctx.user_id and ctx.defects:
        raise DatabaseError("Record to update not found.")
    return offer


@router.put("/offers/:id", auth=True, owner="offer", dto=dtos.UPDATE_OFFER)
def update_offer(ctx: Ctx) -> dict:
    offer = _owned_offer(ctx)
    changes = dict(ctx.body)
    _require_ints(changes)
    ctx.conn.execute(
        db.offers.update()
        .where(db.offers.c.id == offer["id"])
        .values(**changes, updatedAt=now_iso())
    )
    return fetch_one(ctx.conn, db.offers, offer["id"])


@router.delete("/offers/:id", auth=True, owner="offer")
def delete_offer(ctx: Ctx) -> dict:
    """Soft delete: the row comes back with `status: "CANCELLED"`."""
    offer = _owned_offer(ctx)
    ctx.conn.execute(
        db.offers.update()
        .where(db.offers.c.id == offer["id"])
        .values(status="CANCELLED", updatedAt=now_iso())
    )
    return fetch_one(ctx.conn, db.offers, offer["id"])


@router.post("/offers/:id/interested", auth=True)
def toggle_interest(ctx: Ctx) -> dict:
    offer = fetch_one(ctx.conn, db.offers, ctx.params["id"])
    if offer is None:
        raise _missing_offer(ctx)
    i = db.offer_interests.c
    existing = ctx.conn.execute(
        sa.select(i.id).where(i.offerId == offer["id"], i.userId == ctx.user_id)
    ).scalar_one_or_none()
    if existing:
        ctx.conn.execute(db.offer_interests.delete().where(i.id == existing))
        delta = -1
    else:
        ctx.conn.execute(
            db.offer_interests.insert().values(
                id=new_id(), userId=ctx.user_id, offerId=offer["id"], interestedAt=now_iso()
            )
        )
        delta = 1
    ctx.conn.execute(
        db.offers.update()
        .where(db.offers.c.id == offer["id"])
        .values(interested=db.offers.c.interested + delta)
    )
    return {"interested": existing is None}

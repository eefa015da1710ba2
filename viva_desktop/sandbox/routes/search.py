"""`/search` (contract 6.7): offers of any status and events, with optional distance."""

from __future__ import annotations

import sqlalchemy as sa

from viva_desktop.sandbox import geo
from viva_desktop.sandbox import storage as db
from viva_desktop.sandbox.enums import OFFER_TYPES
from viva_desktop.sandbox.errors import BadRequest, DatabaseError, HttpError
from viva_desktop.sandbox.routing import Ctx, Router
from viva_desktop.sandbox.views import as_dict, users_by_id

router = Router()


@router.get("/search")
def search(ctx: Ctx) -> dict:
    q, kind, category = ctx.q("q"), ctx.q("type"), ctx.q("category")
    if kind and kind not in OFFER_TYPES:
        raise DatabaseError("Invalid value for argument `type`. Expected OfferType.")
    o, e = db.offers.c, db.events.c
    offer_query = sa.select(db.offers)
    event_query = sa.select(db.events)
    if q:
        term = f"%{q.lower()}%"
        offer_query = offer_query.where(
            sa.or_(
                sa.func.lower(o.title).like(term),
                sa.func.lower(o.description).like(term),
                sa.func.json_extract(o.tags, "$").like(f'%"{q}"%'),
            )
        )
        event_query = event_query.where(
            sa.or_(sa.func.lower(e.title).like(term), sa.func.lower(e.description).like(term))
        )
    if kind:
        offer_query = offer_query.where(o.type == kind)
    if category:
        offer_query = offer_query.where(o.category == category)
    offers = [
        as_dict(r) for r in ctx.conn.execute(offer_query.order_by(o.createdAt.desc()).limit(50))
    ]
    if q:  # the tag match is exact: drop rows that only matched a substring of a tag
        offers = [
            r
            for r in offers
            if q.lower() in r["title"].lower()
            or q.lower() in r["description"].lower()
            or q in r["tags"]
        ]
    events = [as_dict(r) for r in ctx.conn.execute(event_query.order_by(e.startsAt).limit(20))]
    people = users_by_id(
        ctx.conn, [r["userId"] for r in offers] + [r["organizerId"] for r in events]
    )
    offers = [{**r, "User": people.get(r["userId"])} for r in offers]
    events = [{**r, "User": people.get(r["organizerId"])} for r in events]
    lat, lng = ctx.q_number("lat"), ctx.q_number("lng")
    if geo.usable(lat) and geo.usable(lng):
        radius = ctx.q_number_or("radius", 10)
        where = lambda r: (r["lat"], r["lng"])  # noqa: E731
        offers = [
            {**r, "distance": d}
            for r, d in sorted(geo.within(offers, lat, lng, radius, where), key=lambda x: x[1])
        ]
        events = [
            {**r, "distance": d}
            for r, d in sorted(geo.within(events, lat, lng, radius, where), key=lambda x: x[1])
        ]
    return {"offers": offers, "events": events, "totalResults": len(offers) + len(events)}


@router.get("/search/geocode")
def geocode(ctx: Ctx) -> list:
    """The real server asks Nominatim; the sandbox never leaves the machine, so it always fails
    the way the real one does when the external service is unreachable."""
    if not ctx.q("q"):
        raise BadRequest("Query parameter is required")
    raise HttpError(500, "Failed to geocode location")

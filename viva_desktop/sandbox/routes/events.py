"""`/events` (contract 6.4): the `{events, total, limit, offset}` list, registrations, QR
check-in and the organizer-only rules (ADMIN included)."""

from __future__ import annotations

import contextlib
import secrets
from datetime import timedelta

import sqlalchemy as sa

from viva_desktop.sandbox import credit_rules, dtos, geo
from viva_desktop.sandbox import storage as db
from viva_desktop.sandbox.errors import BadRequest, DatabaseError, Forbidden, HttpError, NotFound
from viva_desktop.sandbox.jsonutil import iso, now_iso, parse_iso, utcnow
from viva_desktop.sandbox.records import event_row, new_id
from viva_desktop.sandbox.routing import Ctx, Router, need_number
from viva_desktop.sandbox.validation import Field
from viva_desktop.sandbox.views import as_dict, fetch_one, user_brief, users_by_id

router = Router()

ATTENDEE_BRIEF = ("id", "userId", "registeredAt", "checkedInAt")
CONTACT = ("id", "name", "avatar", "email")
CHECK_IN = {"qrToken": Field("string", required=True, not_empty=True)}


def _attendees(
    conn: sa.Connection, event_ids: list[str], *, full: bool = False, contact: bool = False
):
    """EventAttendee lists per event, in registration order, each with its `User`."""
    grouped: dict[str, list] = {eid: [] for eid in event_ids}
    if not event_ids:
        return grouped
    a = db.event_attendees.c
    rows = []
    for start in range(0, len(event_ids), 500):
        rows += [
            as_dict(r)
            for r in conn.execute(
                sa.select(db.event_attendees)
                .where(a.eventId.in_(event_ids[start : start + 500]))
                .order_by(a.registeredAt, a.id)
            )
        ]
    people = users_by_id(
        conn, [r["userId"] for r in rows], CONTACT if contact else ("id", "name", "avatar")
    )
    for r in rows:
        item = r if full else {k: r[k] for k in ATTENDEE_BRIEF}
        grouped[r["eventId"]].append({**item, "User": people.get(r["userId"])})
    return grouped


def _with_relations(
    conn: sa.Connection, events: list[dict], *, attendees: bool = True
) -> list[dict]:
    people = users_by_id(conn, [e["organizerId"] for e in events])
    lists = _attendees(conn, [e["id"] for e in events])
    result = []
    for e in events:
        item = {**e, "User": people.get(e["organizerId"])}
        if attendees:
            item["EventAttendee"] = lists[e["id"]]
        item["_count"] = {"EventAttendee": len(lists[e["id"]])}
        result.append(item)
    return result


def _event(ctx: Ctx) -> dict:
    found = fetch_one(ctx.conn, db.events, ctx.params["id"])
    if found is None:
        raise NotFound("Event not found")
    return found


@router.get("/events")
def list_events(ctx: Ctx) -> dict:
    """Upcoming by default, `startsAt` ascending; the declared defaults (20, 0) do work here."""
    if "category" in ctx.query and ctx.defects:
        raise DatabaseError("Unknown argument `category`.")  # D12: not a column
    limit = need_number(ctx.q_number_or("limit", 20))
    offset = need_number(ctx.q_number_or("offset", 0))
    e = db.events.c
    where = []
    if ctx.q_bool("upcoming") is not False:
        where.append(e.startsAt >= now_iso())
    if ctx.q("communityId"):
        where.append(e.communityId == ctx.q("communityId"))
    total = ctx.conn.execute(
        sa.select(sa.func.count()).select_from(db.events).where(*where)
    ).scalar_one()
    rows = [
        as_dict(r)
        for r in ctx.conn.execute(
            sa.select(db.events)
            .where(*where)
            .order_by(e.startsAt, e.id)
            .limit(max(limit, 0))
            .offset(max(offset, 0))
        )
    ]
    lat, lng = ctx.q_number("nearLat"), ctx.q_number("nearLng")
    if geo.usable(lat) and geo.usable(lng):
        radius = ctx.q_number_or("maxDistance", 10)
        rows = [r for r, _ in geo.within(rows, lat, lng, radius, lambda r: (r["lat"], r["lng"]))]
    return {
        "events": _with_relations(ctx.conn, rows),
        "total": total,
        "limit": limit,
        "offset": offset,
    }


def _split_row(row: sa.Row, *tables: sa.Table) -> list[dict]:
    """One dict per table from a joined row: both tables have `id` and `createdAt`, so the
    row's own mapping would clash; columns keep the table's order, as `as_dict` does."""
    values = tuple(row)
    parts: list[dict] = []
    start = 0
    for table in tables:
        names = [column.name for column in table.columns]
        parts.append(dict(zip(names, values[start : start + len(names)], strict=True)))
        start += len(names)
    return parts


def _registrations_with_events(
    conn: sa.Connection, user_id: str, *, upcoming: bool
) -> list[tuple[dict, dict]]:
    """The user's registrations and their events from one joined query, soonest event first
    (one query, not one more per registration)."""
    a, e = db.event_attendees.c, db.events.c
    query = (
        sa.select(db.event_attendees, db.events)
        .join(db.events, e.id == a.eventId)
        .where(a.userId == user_id)
    )
    if upcoming:
        query = query.where(e.startsAt >= now_iso())
    pairs = []
    for row in conn.execute(query.order_by(e.startsAt)):
        registration, event = _split_row(row, db.event_attendees, db.events)
        pairs.append((registration, event))
    return pairs


@router.get("/events/user/registrations", auth=True)
def my_registrations(ctx: Ctx) -> list:
    pairs = _registrations_with_events(
        ctx.conn, ctx.user_id, upcoming=ctx.q_bool("upcoming") is not False
    )
    related = _with_relations(ctx.conn, [event for _, event in pairs], attendees=False)
    events = {event["id"]: event for event in related}
    return [{**registration, "Event": events[registration["eventId"]]} for registration, _ in pairs]


@router.get("/events/user/my-events", auth=True)
def my_events(ctx: Ctx) -> list:
    e = db.events.c
    rows = [
        as_dict(r)
        for r in ctx.conn.execute(
            sa.select(db.events).where(e.organizerId == ctx.user_id).order_by(e.startsAt.desc())
        )
    ]
    return _with_relations(ctx.conn, rows)


@router.post("/events/checkin", auth=True, dto=CHECK_IN)
def check_in(ctx: Ctx) -> dict:
    """Attendees check themselves in with the QR token, from 1 h before to 2 h after the start."""
    found = ctx.conn.execute(
        sa.select(db.events).where(db.events.c.qrCode == ctx.body["qrToken"])
    ).first()
    if found is None:
        raise NotFound("Invalid QR code")
    event = as_dict(found)
    a = db.event_attendees.c
    reg = ctx.conn.execute(
        sa.select(db.event_attendees).where(a.eventId == event["id"], a.userId == ctx.user_id)
    ).first()
    if reg is None:
        raise BadRequest("You must register for this event first")
    reg = as_dict(reg)
    if reg["checkedInAt"]:
        raise BadRequest("You have already checked in")
    starts, now = parse_iso(event["startsAt"]), utcnow()
    if not (starts - timedelta(hours=1) <= now <= starts + timedelta(hours=2)):
        raise BadRequest("Check-in is only available 1h before to 2h after the event start")
    ctx.conn.execute(
        db.event_attendees.update()
        .where(a.id == reg["id"])
        .values(checkedInAt=iso(now), creditsEarned=3)
    )
    # A refused grant is only logged upstream; every refusal happens before anything is written.
    with contextlib.suppress(HttpError):
        credit_rules.grant(
            ctx.conn,
            user_id=ctx.user_id,
            amount=3,
            reason="EVENT_ATTENDANCE",
            related_id=event["id"],
        )
    updated = fetch_one(ctx.conn, db.event_attendees, reg["id"])
    return {
        **updated,
        "User": user_brief(ctx.conn, ctx.user_id, CONTACT),
        "Event": {"id": event["id"], "title": event["title"], "type": event["type"]},
        "creditsAwarded": 3,
        "message": "Check-in successful! You earned 3 credits",
    }


@router.get("/events/:id")
def event_detail(ctx: Ctx) -> dict:
    return _with_relations(ctx.conn, [_event(ctx)])[0]


def _apply_event_fields(body: dict) -> dict:
    """What a fixed server stores: the DTO's own `type` list and `category` are not columns."""
    values = {k: v for k, v in body.items() if k not in ("type", "category")}
    for name in ("capacity", "creditsReward"):
        if values.get(name) is not None:
            if float(values[name]) != int(values[name]):
                raise DatabaseError(f"Invalid value for argument `{name}`: expected Int")
            values[name] = int(values[name])
    for name in ("startsAt", "endsAt"):
        if values.get(name):
            values[name] = iso(parse_iso(values[name]))
    return values


@router.post("/events", auth=True, verified=True, dto=dtos.CREATE_EVENT)
def create_event(ctx: Ctx) -> dict:
    """Upstream fails for every request (no id, wrong enum, `category`, no `endsAt`; D1)."""
    if ctx.defects:
        raise DatabaseError("Argument `id` is missing.")
    values = _apply_event_fields(ctx.body)
    starts = values.pop("startsAt")
    ends = values.pop("endsAt", None) or iso(parse_iso(starts) + timedelta(hours=2))
    row = event_row(
        organizer_id=ctx.user_id, title=values.pop("title"), starts_at=starts, ends_at=ends
    )
    row.update({k: v for k, v in values.items() if v is not None})
    row["qrCode"] = f"{row['title']}-{secrets.token_hex(16)}"
    ctx.conn.execute(db.events.insert().values(row))
    event = fetch_one(ctx.conn, db.events, row["id"])
    return {**event, "User": user_brief(ctx.conn, ctx.user_id)}


def _organizer_only(ctx: Ctx, verb: str) -> dict:
    event = _event(ctx)
    if event["organizerId"] != ctx.user_id:
        raise Forbidden(f"Only the organizer can {verb} this event")
    return event


@router.put("/events/:id", auth=True, owner="event", dto=dtos.UPDATE_EVENT)
def update_event(ctx: Ctx) -> dict:
    event = _organizer_only(ctx, "update")
    if ctx.defects and ({"type", "category"} & set(ctx.body)):
        raise DatabaseError("Invalid value for argument `type`/`category`")
    values = _apply_event_fields(ctx.body)
    ctx.conn.execute(
        db.events.update()
        .where(db.events.c.id == event["id"])
        .values(**values, updatedAt=now_iso())
    )
    updated = fetch_one(ctx.conn, db.events, event["id"])
    return {
        **updated,
        "User": user_brief(ctx.conn, updated["organizerId"]),
    }


@router.delete("/events/:id", auth=True, owner="event")
def delete_event(ctx: Ctx) -> dict:
    event = _organizer_only(ctx, "delete")
    a = db.event_attendees.c
    if ctx.conn.execute(sa.select(a.id).where(a.eventId == event["id"]).limit(1)).first():
        raise BadRequest("Cannot delete event with registered attendees")
    ctx.conn.execute(db.events.delete().where(db.events.c.id == event["id"]))
    return {"success": True}


@router.post("/events/:id/register", auth=True)
def register(ctx: Ctx) -> dict:
    event = _event(ctx)
    if event["startsAt"] <= now_iso():
        raise BadRequest("Event has already started")
    a = db.event_attendees.c
    if event["capacity"] is not None:
        taken = ctx.conn.execute(
            sa.select(sa.func.count())
            .select_from(db.event_attendees)
            .where(a.eventId == event["id"])
        ).scalar_one()
        if taken >= event["capacity"]:
            raise BadRequest("Event is full")
    if ctx.conn.execute(
        sa.select(a.id).where(a.eventId == event["id"], a.userId == ctx.user_id)
    ).first():
        raise BadRequest("Already registered for this event")
    row = {
        "id": new_id(),
        "eventId": event["id"],
        "userId": ctx.user_id,
        "role": "PARTICIPANT",
        "registeredAt": now_iso(),
        "checkedInAt": None,
        "feedback": None,
        "creditsEarned": 0,
    }
    ctx.conn.execute(db.event_attendees.insert().values(row))
    return {**row, "User": user_brief(ctx.conn, ctx.user_id, CONTACT)}


@router.delete("/events/:id/register", auth=True)
def unregister(ctx: Ctx) -> dict:
    a = db.event_attendees.c
    found = ctx.conn.execute(
        sa.select(db.event_attendees).where(a.eventId == ctx.params["id"], a.userId == ctx.user_id)
    ).first()
    if found is None:
        raise NotFound("Registration not found")
    if found.checkedInAt:
        raise BadRequest("Cannot cancel after check-in")
    ctx.conn.execute(db.event_attendees.delete().where(a.id == found.id))
    return {"success": True}


@router.get("/events/:id/qr", auth=True)
def event_qr(ctx: Ctx) -> dict:
    event = _organizer_only(ctx, "view the QR code of")
    return {"eventId": event["id"], "qrCode": event["qrCode"], "title": event["title"]}


@router.get("/events/:id/attendees", auth=True)
def attendees(ctx: Ctx) -> dict:
    """Organizer only; ADMIN is not exempt."""
    event = _organizer_only(ctx, "view attendees of")
    people = _attendees(ctx.conn, [event["id"]], full=True, contact=True)[event["id"]]
    checked = sum(1 for p in people if p["checkedInAt"])
    return {
        "attendees": people,
        "stats": {"total": len(people), "checkedIn": checked, "registered": len(people) - checked},
    }

"""`/notifications` (contract 6.8): the caller's list (needs `limit`), mark read, read all."""

from __future__ import annotations

import sqlalchemy as sa

from viva_desktop.sandbox import storage as db
from viva_desktop.sandbox.errors import DatabaseError
from viva_desktop.sandbox.jsonutil import now_iso
from viva_desktop.sandbox.routing import Ctx, Router, need_number
from viva_desktop.sandbox.views import as_dict, fetch_one

router = Router()


@router.get("/notifications", auth=True)
def list_notifications(ctx: Ctx) -> list:
    limit = need_number(ctx.q_number("limit"))
    n = db.notifications.c
    rows = ctx.conn.execute(
        sa.select(db.notifications)
        .where(n.userId == ctx.user_id)
        .order_by(n.createdAt.desc(), n.id)
        .limit(limit)
    )
    return [as_dict(r) for r in rows]


@router.put("/notifications/read-all", auth=True)
def read_all(ctx: Ctx) -> dict:
    n = db.notifications.c
    result = ctx.conn.execute(
        db.notifications.update()
        .where(n.userId == ctx.user_id, n.read.is_(False))
        .values(read=True, readAt=now_iso())
    )
    return {"count": result.rowcount}


@router.put("/notifications/:id/read", auth=True)
def mark_read(ctx: Ctx) -> dict:
    """Someone else's or an unknown notification is a 500, not a 404, upstream."""
    n = db.notifications.c
    result = ctx.conn.execute(
        db.notifications.update()
        .where(n.id == ctx.params["id"], n.userId == ctx.user_id)
        .values(read=True, readAt=now_iso())
    )
    if result.rowcount == 0:
        raise DatabaseError("Record to update not found.")
    return fetch_one(ctx.conn, db.notifications, ctx.params["id"])

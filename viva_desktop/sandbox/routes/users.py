"""`/users` (contract 6.1): profiles, the self-or-admin update and the e-mail lookup."""

from __future__ import annotations

import sqlalchemy as sa

from viva_desktop.sandbox import dtos
from viva_desktop.sandbox import storage as db
from viva_desktop.sandbox.errors import DatabaseError, Forbidden
from viva_desktop.sandbox.jsonutil import now_iso
from viva_desktop.sandbox.routing import EMPTY, Ctx, Reply, Router
from viva_desktop.sandbox.views import as_dict, columns, fetch_one

router = Router()

PROFILE = (
    "id",
    "email",
    "name",
    "bio",
    "avatar",
    "role",
    "credits",
    "semillaBalance",
    "level",
    "experience",
    "totalSaved",
    "hoursShared",
    "hoursReceived",
    "co2Avoided",
    "peopleHelped",
    "peopleHelpedBy",
    "connectionsCount",
    "address",
    "neighborhood",
    "interests",
)
SKILL = ("id", "userId", "category", "name", "description", "verified", "endorsements")
BADGE = ("id", "userId", "badgeType", "earnedAt", "metadata", "isNew", "progress")


def profile(conn: sa.Connection, user_id: str) -> dict | None:
    user = fetch_one(conn, db.users, user_id)
    if user is None:
        return None
    result = {name: user[name] for name in PROFILE}
    result["Skill"] = [
        as_dict(r)
        for r in conn.execute(
            sa.select(*columns(db.skills, SKILL)).where(db.skills.c.userId == user_id)
        )
    ]
    result["UserBadge"] = [
        as_dict(r)
        for r in conn.execute(
            sa.select(*columns(db.user_badges, BADGE)).where(db.user_badges.c.userId == user_id)
        )
    ]
    result["generosityScore"] = user["generosityScore"]
    result["flowPower"] = user["flowPower"]
    result["communityId"] = user["communityId"]
    community = None
    if user["communityId"]:
        c = db.communities.c
        row = conn.execute(
            sa.select(c.id, c.name, c.slug, c.logo, c.lat, c.lng).where(c.id == user["communityId"])
        ).first()
        community = as_dict(row) if row else None
    result["Community"] = community
    return result


@router.get("/users/search/email/:email", auth=True)
def find_by_email(ctx: Ctx) -> dict | Reply:
    """Case-insensitive exact match; no match is an empty 200, like an unknown id."""
    u = db.users.c
    row = ctx.conn.execute(
        sa.select(u.id, u.email, u.name, u.avatar, u.credits).where(
            sa.func.lower(u.email) == ctx.params["email"].lower()
        )
    ).first()
    return as_dict(row) if row else Reply(body=EMPTY)


@router.get("/users/:id", auth=True)
def get_user(ctx: Ctx) -> dict | Reply:
    """Any user's profile; an unknown id is 200 with an empty body and no Content-Type (D4)."""
    found = profile(ctx.conn, ctx.params["id"])
    return found if found is not None else Reply(body=EMPTY)


@router.put("/users/:id", auth=True, dto=dtos.UPDATE_USER)
def update_user(ctx: Ctx) -> dict:
    """Yourself, or anyone when the caller's role *in the database* is ADMIN. Returns the whole
    row, password hash included, as upstream does (S3)."""
    target = ctx.params["id"]
    if target != ctx.user_id:
        role = ctx.conn.execute(
            sa.select(db.users.c.role).where(db.users.c.id == ctx.user_id)
        ).scalar_one_or_none()
        if role != "ADMIN":
            raise Forbidden("You can only update your own profile")
    result = ctx.conn.execute(
        db.users.update().where(db.users.c.id == target).values(**ctx.body, updatedAt=now_iso())
    )
    if result.rowcount == 0:
        raise DatabaseError("Record to update not found.")
    return fetch_one(ctx.conn, db.users, target)

"""`/posts` (contract 6.5, first module): offset paging with a required `limit`/`offset`,
reactions that toggle per type, 401 for non-authors and a delete that fails with children."""

from __future__ import annotations

import sqlalchemy as sa

from viva_desktop.sandbox import dtos
from viva_desktop.sandbox import storage as db
from viva_desktop.sandbox.enums import VISIBILITIES
from viva_desktop.sandbox.errors import DatabaseError, Unauthorized
from viva_desktop.sandbox.jsonutil import now_iso
from viva_desktop.sandbox.posts_common import COUNTER, comments_of, get_post, with_author
from viva_desktop.sandbox.records import new_id, post_row
from viva_desktop.sandbox.routing import Ctx, Router
from viva_desktop.sandbox.views import as_dict, fetch_one

router = Router()


def _full(ctx: Ctx, post: dict) -> dict:
    """A post as `GET /posts/{id}` shows it: author, 5 newest comments, `userReaction: null`."""
    return {
        **with_author(ctx.conn, [post])[0],
        "Comment": comments_of(ctx.conn, [post["id"]], newest=5)[post["id"]],
        "userReaction": None,
    }


@router.get("/posts")
def list_posts(ctx: Ctx) -> list:
    """Every visibility unless filtered (S3); `limit` and `offset` are mandatory in practice."""
    limit = ctx.q_parse_int("limit")
    offset = ctx.q_parse_int("offset")
    if limit < 0 or offset < 0:
        raise DatabaseError("Invalid `take`/`skip` value")
    p = db.posts.c
    query = sa.select(db.posts)
    if ctx.q("type"):
        query = query.where(p.type == ctx.q("type"))
    if ctx.q("visibility"):
        query = query.where(p.visibility == ctx.q("visibility"))
    rows = [
        as_dict(r)
        for r in ctx.conn.execute(
            query.order_by(p.createdAt.desc(), p.id).limit(limit).offset(offset)
        )
    ]
    return [{**item, "userReaction": None} for item in with_author(ctx.conn, rows)]


@router.get("/posts/:id")
def post_detail(ctx: Ctx) -> dict:
    return _full(ctx, get_post(ctx.conn, ctx.params["id"]))


@router.post("/posts", auth=True, dto=dtos.CREATE_POST)
def create_post(ctx: Ctx) -> dict:
    row = post_row(author_id=ctx.user_id, content=ctx.body["content"])
    row.update({k: v for k, v in ctx.body.items() if v is not None})
    ctx.conn.execute(db.posts.insert().values(row))
    return with_author(ctx.conn, [fetch_one(ctx.conn, db.posts, row["id"])])[0]


@router.put("/posts/:id", auth=True)
def update_post(ctx: Ctx) -> dict:
    """Body typed inline upstream: only `content`, `images`, `visibility` and `tags` are used."""
    post = get_post(ctx.conn, ctx.params["id"])
    if post["authorId"] != ctx.user_id:
        raise Unauthorized("You can only update your own posts")
    body = ctx.body_dict()
    changes = {k: body[k] for k in ("content", "images", "visibility", "tags") if k in body}
    if "visibility" in changes and changes["visibility"] not in VISIBILITIES:
        raise DatabaseError("Invalid value for argument `visibility`")
    now = now_iso()
    ctx.conn.execute(
        db.posts.update()
        .where(db.posts.c.id == post["id"])
        .values(**changes, editedAt=now, updatedAt=now)
    )
    return with_author(ctx.conn, [fetch_one(ctx.conn, db.posts, post["id"])])[0]


@router.delete("/posts/:id", auth=True)
def delete_post(ctx: Ctx) -> dict:
    """A plain delete: comments or reactions make the foreign keys refuse it (500, D10)."""
    post = get_post(ctx.conn, ctx.params["id"])
    if post["authorId"] != ctx.user_id:
        raise Unauthorized("You can only delete your own posts")
    ctx.conn.execute(db.posts.delete().where(db.posts.c.id == post["id"]))
    return {"message": "Post deleted successfully"}


@router.post("/posts/:id/react", auth=True, dto=dtos.CREATE_REACTION)
def react(ctx: Ctx) -> dict:
    """Toggles one reaction type; a user may hold several types at once."""
    post = get_post(ctx.conn, ctx.params["id"])
    kind = ctx.body["type"]
    r = db.reactions.c
    existing = ctx.conn.execute(
        sa.select(r.id).where(r.postId == post["id"], r.userId == ctx.user_id, r.type == kind)
    ).scalar_one_or_none()
    counter = db.posts.c[COUNTER[kind]]
    if existing:
        ctx.conn.execute(db.reactions.delete().where(r.id == existing))
        delta = -1
    else:
        ctx.conn.execute(
            db.reactions.insert().values(
                id=new_id(), postId=post["id"], userId=ctx.user_id, type=kind, createdAt=now_iso()
            )
        )
        delta = 1
    ctx.conn.execute(
        db.posts.update().where(db.posts.c.id == post["id"]).values({counter: counter + delta})
    )
    return _full(ctx, fetch_one(ctx.conn, db.posts, post["id"]))


@router.post("/posts/:id/share")
def share(ctx: Ctx) -> dict:
    post = get_post(ctx.conn, ctx.params["id"])
    ctx.conn.execute(
        db.posts.update()
        .where(db.posts.c.id == post["id"])
        .values(sharesCount=db.posts.c.sharesCount + 1)
    )
    return with_author(ctx.conn, [fetch_one(ctx.conn, db.posts, post["id"])])[0]

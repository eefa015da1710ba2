"""`/social` (contract 6.5, second module): the cursor feed, comments, hashtags, one reaction
per user, 403 for non-authors and a cascading delete."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from viva_desktop.sandbox import dtos
from viva_desktop.sandbox import storage as db
from viva_desktop.sandbox.errors import DatabaseError, Forbidden, NotFound
from viva_desktop.sandbox.jsonutil import iso, now_iso, utcnow
from viva_desktop.sandbox.posts_common import (
    COUNTER,
    comments_of,
    count_children,
    get_post,
    hashtags,
    mentions,
    reactions_of,
    with_author,
)
from viva_desktop.sandbox.records import new_id, post_row
from viva_desktop.sandbox.routing import Ctx, Reply, Router, need_number
from viva_desktop.sandbox.views import as_dict, fetch_one, user_brief

router = Router()


def _parse_location(text: str | None) -> tuple[float | None, float | None]:
    if not text or "," not in text:
        return None, None
    lat, _, lng = text.partition(",")
    try:
        return float(lat.strip()), float(lng.strip())
    except ValueError:
        return None, None


@router.get("/social/feed", auth=True)
def feed(ctx: Ctx) -> dict:
    """PUBLIC posts plus the caller's own; `hasMore` only means the page came back full."""
    limit = need_number(ctx.q_number_or("limit", 50))
    p = db.posts.c
    query = sa.select(db.posts).where(sa.or_(p.visibility == "PUBLIC", p.authorId == ctx.user_id))
    if ctx.q("type"):
        query = query.where(p.type == ctx.q("type"))
    cursor = ctx.q("cursor")
    if cursor:
        anchor = fetch_one(ctx.conn, db.posts, cursor)
        if anchor is None:
            return {"data": [], "hasMore": False}
        query = query.where(
            sa.or_(
                p.createdAt < anchor["createdAt"],
                sa.and_(p.createdAt == anchor["createdAt"], p.id > anchor["id"]),
            )
        )
    rows = [
        as_dict(r)
        for r in ctx.conn.execute(query.order_by(p.createdAt.desc(), p.id).limit(max(limit, 0)))
    ]
    ids = [r["id"] for r in rows]
    reactions = reactions_of(ctx.conn, ids)
    comments = comments_of(ctx.conn, ids, newest=3)
    counts = count_children(ctx.conn, ids)
    data = []
    for item in with_author(ctx.conn, rows):
        entry = {
            **item,
            "Reaction": reactions[item["id"]],
            "Comment": comments[item["id"]],
            "_count": counts[item["id"]],
        }
        mine = next((r["type"] for r in reactions[item["id"]] if r["userId"] == ctx.user_id), None)
        if mine is not None:
            entry["userReaction"] = mine
        data.append(entry)
    return {"data": data, "hasMore": len(rows) == limit and limit > 0}


@router.post("/social/posts", auth=True, dto=dtos.CREATE_SOCIAL_POST)
def create_social_post(ctx: Ctx) -> dict:
    body = ctx.body
    lat, lng = _parse_location(body.get("location"))
    tags = list(dict.fromkeys([*(body.get("tags") or []), *hashtags(body["content"])]))
    row = post_row(
        author_id=ctx.user_id,
        content=body["content"],
        type=body.get("type") or "STORY",
        visibility=body.get("visibility") or "PUBLIC",
        images=body.get("media") or [],
        lat=lat,
        lng=lng,
        tags=tags,
        mentions=mentions(body["content"]),
        relatedOfferId=body.get("relatedOfferId"),
    )
    ctx.conn.execute(db.posts.insert().values(row))
    return with_author(ctx.conn, [fetch_one(ctx.conn, db.posts, row["id"])])[0]


@router.get("/social/posts/:id")
def social_post(ctx: Ctx) -> dict:
    """The caller is never identified here, so anything but PUBLIC is refused."""
    post = get_post(ctx.conn, ctx.params["id"])
    if post["visibility"] != "PUBLIC":
        raise Forbidden("You do not have permission to view this post")
    pid = post["id"]
    return {
        **with_author(ctx.conn, [post])[0],
        "Reaction": reactions_of(ctx.conn, [pid])[pid],
        "Comment": comments_of(ctx.conn, [pid])[pid],
        "_count": count_children(ctx.conn, [pid])[pid],
    }


@router.put("/social/posts/:id", auth=True, dto=dtos.UPDATE_SOCIAL_POST)
def update_social_post(ctx: Ctx) -> dict:
    post = get_post(ctx.conn, ctx.params["id"])
    if post["authorId"] != ctx.user_id:
        raise Forbidden("You can only edit your own posts")
    changes = dict(ctx.body)
    if ctx.defects and {"media", "location", "relatedEventId"} & set(changes):
        raise DatabaseError("Unknown argument `media`/`location`/`relatedEventId`.")
    if "media" in changes:
        changes["images"] = changes.pop("media") or []
    if "location" in changes:
        changes["lat"], changes["lng"] = _parse_location(changes.pop("location"))
    changes.pop("relatedEventId", None)
    now = now_iso()
    ctx.conn.execute(
        db.posts.update()
        .where(db.posts.c.id == post["id"])
        .values(**changes, editedAt=now, updatedAt=now)
    )
    return with_author(ctx.conn, [fetch_one(ctx.conn, db.posts, post["id"])])[0]


@router.delete("/social/posts/:id", auth=True, status=204)
def delete_social_post(ctx: Ctx) -> Reply:
    """Reactions and comments are deleted first; 204 without a body."""
    post = get_post(ctx.conn, ctx.params["id"])
    if post["authorId"] != ctx.user_id:
        raise Forbidden("You can only delete your own posts")
    ctx.conn.execute(db.reactions.delete().where(db.reactions.c.postId == post["id"]))
    ctx.conn.execute(db.comments.delete().where(db.comments.c.postId == post["id"]))
    ctx.conn.execute(db.posts.delete().where(db.posts.c.id == post["id"]))
    return Reply(status=204)


def _with_counts(ctx: Ctx, rows: list[dict], *, reactions: bool = False) -> list[dict]:
    ids = [r["id"] for r in rows]
    counts = count_children(ctx.conn, ids)
    found = reactions_of(ctx.conn, ids) if reactions else {}
    result = []
    for item in with_author(ctx.conn, rows):
        if reactions:
            item["Reaction"] = found[item["id"]]
        item["_count"] = counts[item["id"]]
        result.append(item)
    return result


@router.get("/social/users/:userId/posts")
def user_posts(ctx: Ctx) -> list:
    limit = need_number(ctx.q_number("limit"))
    p = db.posts.c
    rows = [
        as_dict(r)
        for r in ctx.conn.execute(
            sa.select(db.posts)
            .where(p.authorId == ctx.params["userId"])
            .order_by(p.createdAt.desc())
            .limit(limit)
        )
    ]
    return _with_counts(ctx, rows)


@router.post("/social/posts/:id/comments", auth=True, dto=dtos.CREATE_COMMENT)
def add_comment(ctx: Ctx) -> dict:
    post = get_post(ctx.conn, ctx.params["id"])
    row = {
        "id": new_id(),
        "postId": post["id"],
        "authorId": ctx.user_id,
        "content": ctx.body["content"],
        "createdAt": now_iso(),
        "editedAt": None,
    }
    ctx.conn.execute(db.comments.insert().values(row))
    ctx.conn.execute(
        db.posts.update()
        .where(db.posts.c.id == post["id"])
        .values(commentsCount=db.posts.c.commentsCount + 1)
    )
    return {**row, "User": user_brief(ctx.conn, ctx.user_id)}


@router.delete("/social/comments/:commentId", auth=True)
def delete_comment(ctx: Ctx) -> dict:
    comment = fetch_one(ctx.conn, db.comments, ctx.params["commentId"])
    if comment is None:
        raise NotFound("Comment not found")
    if comment["authorId"] != ctx.user_id:
        raise Forbidden("You can only delete your own comments")
    ctx.conn.execute(db.comments.delete().where(db.comments.c.id == comment["id"]))
    ctx.conn.execute(
        db.posts.update()
        .where(db.posts.c.id == comment["postId"])
        .values(commentsCount=db.posts.c.commentsCount - 1)
    )
    return {"message": "Comment deleted successfully"}


@router.post("/social/posts/:id/reactions", auth=True, dto=dtos.CREATE_REACTION)
def add_reaction(ctx: Ctx) -> dict:
    """One reaction per user: a second call changes its type, counters are not rebalanced."""
    post = get_post(ctx.conn, ctx.params["id"])
    kind = ctx.body["type"]
    r = db.reactions.c
    existing = ctx.conn.execute(
        sa.select(db.reactions)
        .where(r.postId == post["id"], r.userId == ctx.user_id)
        .order_by(r.createdAt)
    ).first()
    if existing is not None:
        ctx.conn.execute(db.reactions.update().where(r.id == existing.id).values(type=kind))
        reaction_id = existing.id
    else:
        reaction_id = new_id()
        ctx.conn.execute(
            db.reactions.insert().values(
                id=reaction_id,
                postId=post["id"],
                userId=ctx.user_id,
                type=kind,
                createdAt=now_iso(),
            )
        )
        counter = db.posts.c[COUNTER[kind]]
        ctx.conn.execute(
            db.posts.update().where(db.posts.c.id == post["id"]).values({counter: counter + 1})
        )
    reaction = fetch_one(ctx.conn, db.reactions, reaction_id)
    return {
        **reaction,
        "User": user_brief(ctx.conn, ctx.user_id, ("id", "name")),
    }


@router.delete("/social/posts/:id/reactions", auth=True)
def remove_reaction(ctx: Ctx) -> dict:
    get_post(ctx.conn, ctx.params["id"])
    r = db.reactions.c
    found = ctx.conn.execute(
        sa.select(db.reactions).where(r.postId == ctx.params["id"], r.userId == ctx.user_id)
    ).first()
    if found is None:
        raise NotFound("Reaction not found")
    ctx.conn.execute(db.reactions.delete().where(r.id == found.id))
    counter = db.posts.c[COUNTER[found.type]]
    ctx.conn.execute(
        db.posts.update().where(db.posts.c.id == found.postId).values({counter: counter - 1})
    )
    return {"message": "Reaction removed successfully"}


@router.get("/social/hashtags")
def trending(ctx: Ctx) -> dict:
    """Without `limit` the list is always empty (NaN take), as observed."""
    limit = ctx.q_number("limit")
    if limit != limit or limit <= 0:
        return {"trending": []}
    p = db.posts.c
    since = iso(utcnow() - timedelta(days=7))
    counts: dict[str, int] = {}
    for (tags,) in ctx.conn.execute(
        sa.select(p.tags).where(p.createdAt >= since, p.visibility == "PUBLIC")
    ):
        for tag in tags or []:
            counts[tag] = counts.get(tag, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[: int(limit)]
    return {"trending": [{"tag": tag, "count": count} for tag, count in ranked]}


@router.get("/social/hashtags/:tag")
def by_hashtag(ctx: Ctx) -> list:
    limit = need_number(ctx.q_number("limit"))
    tag = ctx.params["tag"].lower().lstrip("#")
    p = db.posts.c
    rows = []
    for r in ctx.conn.execute(
        sa.select(db.posts).where(p.visibility == "PUBLIC").order_by(p.createdAt.desc())
    ):
        post = as_dict(r)
        if tag in [t.lower() for t in post["tags"] or []]:
            rows.append(post)
            if len(rows) >= limit:
                break
    return _with_counts(ctx, rows, reactions=True)


@router.get("/social/mentions", auth=True)
def my_mentions(ctx: Ctx) -> dict:
    """A mention is the caller's name lower-cased without spaces; `limit` is required (NaN)."""
    limit = need_number(ctx.q_number("limit"))
    name = ctx.conn.execute(
        sa.select(db.users.c.name).where(db.users.c.id == ctx.user_id)
    ).scalar_one_or_none()
    handle = (name or "").lower().replace(" ", "")
    p = db.posts.c
    rows = []
    for r in ctx.conn.execute(sa.select(db.posts).order_by(p.createdAt.desc())):
        post = as_dict(r)
        if handle and handle in [m.lower() for m in post["mentions"] or []]:
            rows.append(post)
            if len(rows) >= limit:
                break
    return {"posts": with_author(ctx.conn, rows), "count": len(rows)}

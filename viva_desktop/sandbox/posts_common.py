"""Post shapes shared by the two post modules (`/posts` and `/social`), which read and write
the same tables with different contracts (D8)."""

from __future__ import annotations

import re

import sqlalchemy as sa

from viva_desktop.sandbox import storage as db
from viva_desktop.sandbox.errors import NotFound
from viva_desktop.sandbox.views import as_dict, fetch_one, users_by_id

HASHTAG = re.compile(r"#([\wÀ-ÿ]+)")
MENTION = re.compile(r"@([\wÀ-ÿ.]+)")
COUNTER = {
    "THANKS": "thanksCount",
    "SUPPORT": "supportsCount",
    "HELPED": "helpedCount",
    "CELEBRATE": "supportsCount",
}


def get_post(conn: sa.Connection, post_id: str) -> dict:
    found = fetch_one(conn, db.posts, post_id)
    if found is None:
        raise NotFound("Post not found")
    return found


def with_author(conn: sa.Connection, posts: list[dict]) -> list[dict]:
    people = users_by_id(conn, [p["authorId"] for p in posts])
    return [{**p, "User": people.get(p["authorId"])} for p in posts]


def comments_of(
    conn: sa.Connection, post_ids: list[str], *, newest: int | None = None
) -> dict[str, list]:
    """Comments per post, newest first (limited per post when asked), each with its author."""
    grouped: dict[str, list] = {pid: [] for pid in post_ids}
    if not post_ids:
        return grouped
    c = db.comments.c
    rows = [
        as_dict(r)
        for r in conn.execute(
            sa.select(db.comments).where(c.postId.in_(post_ids)).order_by(c.createdAt.desc(), c.id)
        )
    ]
    kept = []
    for row in rows:
        if newest is None or len(grouped[row["postId"]]) < newest:
            grouped[row["postId"]].append(row)
            kept.append(row)
    people = users_by_id(conn, [r["authorId"] for r in kept])
    for items in grouped.values():
        for item in items:
            item["User"] = people.get(item["authorId"])
    return grouped


def reactions_of(conn: sa.Connection, post_ids: list[str]) -> dict[str, list]:
    grouped: dict[str, list] = {pid: [] for pid in post_ids}
    if not post_ids:
        return grouped
    r = db.reactions.c
    rows = [
        as_dict(x)
        for x in conn.execute(
            sa.select(db.reactions).where(r.postId.in_(post_ids)).order_by(r.createdAt, r.id)
        )
    ]
    people = users_by_id(conn, [x["userId"] for x in rows], ("id", "name"))
    for row in rows:
        grouped[row["postId"]].append({**row, "User": people.get(row["userId"])})
    return grouped


def count_children(conn: sa.Connection, post_ids: list[str]) -> dict[str, dict[str, int]]:
    counts = {pid: {"Reaction": 0, "Comment": 0} for pid in post_ids}
    if not post_ids:
        return counts
    for key, table in (("Reaction", db.reactions), ("Comment", db.comments)):
        for pid, n in conn.execute(
            sa.select(table.c.postId, sa.func.count())
            .where(table.c.postId.in_(post_ids))
            .group_by(table.c.postId)
        ):
            counts[pid][key] = n
    return counts


def hashtags(text: str) -> list[str]:
    return [tag.lower() for tag in HASHTAG.findall(text)]


def mentions(text: str) -> list[str]:
    return MENTION.findall(text)

"""A post is found by its comments, and counts the ones stored for it.

The comments are not searched on their own: a post's `search_text` (its full-text index, see
revision 0002) carries its stored comments' words and their authors' names after its own, so
searching the posts finds a post by what was said under it. `comments_stored` counts the
comments stored for a post once they were read (None before), beside the server's own
counter (`comments_count`), which the server does not keep in step with the real rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa

from viva_desktop.services.local.store.entities import spec_for
from viva_desktop.services.local.store.models import Comment, Post
from viva_desktop.services.local.store.sync_tables import CommentSyncRow
from viva_desktop.services.local.store.text import search_text

POSTS = Post.__table__
COMMENTS = Comment.__table__
SEEN = CommentSyncRow.__table__


def stored_comments(
    conn: sa.Connection, profile: str, post_ids: Iterable[str]
) -> dict[str, tuple[int, str]]:
    """Per post whose comments were read (or that has stored comments): how many are stored
    and their searchable words."""
    ids = sorted(set(post_ids))
    if not ids:
        return {}
    found: dict[str, tuple[int, list[Any]]] = {}
    read = conn.execute(
        sa.select(SEEN.c.post_id).where(SEEN.c.profile == profile, SEEN.c.post_id.in_(ids))
    ).scalars()
    for post_id in read:
        found[post_id] = (0, [])
    rows = conn.execute(
        sa.select(COMMENTS.c.post_id, COMMENTS.c.content, COMMENTS.c.author_name)
        .where(
            COMMENTS.c.profile == profile,
            COMMENTS.c.post_id.in_(ids),
            COMMENTS.c.gone_at.is_(None),
        )
        .order_by(COMMENTS.c.post_id, COMMENTS.c.created_at, COMMENTS.c.pk)
    )
    for post_id, content, author in rows:
        count, parts = found.get(post_id, (0, []))
        parts += [content, author]
        found[post_id] = (count + 1, parts)
    return {post_id: (count, search_text(*parts)) for post_id, (count, parts) in found.items()}


def with_comments(conn: sa.Connection, profile: str, rows: Mapping[str, dict[str, Any]]) -> None:
    """Posts about to be written (by id): their stored comments' words and count added."""
    found = stored_comments(conn, profile, rows)
    for post_id, row in rows.items():
        count, words = found.get(post_id, (None, ""))
        row["comments_stored"] = count
        if words:
            row["search_text"] = f"{row.get('search_text') or ''} {words}".strip()


def refresh(conn: sa.Connection, profile: str, post_ids: Iterable[str]) -> None:
    """Recompute the stored posts' searchable text and comment count from their own record
    and their stored comments (after their comments were written)."""
    ids = sorted(set(post_ids))
    if not ids:
        return
    found = stored_comments(conn, profile, ids)
    extract = spec_for("posts").extract
    posts = conn.execute(
        sa.select(POSTS.c.pk, POSTS.c.id, POSTS.c.raw).where(
            POSTS.c.profile == profile, POSTS.c.id.in_(ids)
        )
    ).all()
    for pk, post_id, raw in posts:
        own = extract(raw or {}).get("search_text") or ""
        count, words = found.get(post_id, (None, ""))
        conn.execute(
            sa.update(POSTS)
            .where(POSTS.c.pk == pk)
            .values(search_text=f"{own} {words}".strip(), comments_stored=count)
        )


__all__ = ["refresh", "stored_comments", "with_comments"]

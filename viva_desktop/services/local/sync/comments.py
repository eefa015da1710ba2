"""Comments, synced incrementally after the posts.

The post lists embed no comments; only a post's detail does: `GET /social/posts/{id}` gives
every comment of a PUBLIC post (403 for the others), `GET /posts/{id}` the five newest of any
post (contract §6.5). So after the posts, the posts whose comment counter or update time
changed since their comments were last read (newest first) are read again, one request each,
within the rate budget: when a route's budget is used up, or `per_run` posts were read, the
walk stops and the next sync goes on from there. A post the server counts no comments for
costs no request.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from viva_desktop.services.common.cancel import NEVER_CANCELLED, CancelToken
from viva_desktop.services.local.store import Store, comment_text, writes
from viva_desktop.services.local.store.models import Comment, LocalChange, Post
from viva_desktop.services.local.store.sync_tables import CommentSyncRow
from viva_desktop.services.remote.api import Api
from viva_desktop.services.remote.api.errors import Forbidden, NotFound, RateLimited

log = logging.getLogger("viva.sync")

POSTS = Post.__table__
COMMENTS = Comment.__table__
SEEN = CommentSyncRow.__table__
NEWEST_ONLY = 5
"""How many comments `GET /posts/{id}` gives: the newest five."""


@dataclass(frozen=True)
class CommentsResult:
    posts_read: int
    comments: int
    left: int  # changed posts not read in this run (the rate budget ran out)
    stopped_by_rate_limit: bool = False


@dataclass(frozen=True)
class PostComments:
    """A post's stored comments, newest first, and whether they are all of them."""

    comments: list[dict[str, Any]]
    complete: bool
    server_count: int | None  # the server's counter (may disagree: contract §13, D9)


def changed_posts(store: Store, profile: str) -> list[tuple[str, str | None, int, datetime]]:
    """(post id, visibility, counter, update time) of posts whose comments to read, newest
    first."""
    join = POSTS.outerjoin(
        SEEN, sa.and_(SEEN.c.profile == POSTS.c.profile, SEEN.c.post_id == POSTS.c.id)
    )
    changed = sa.or_(
        SEEN.c.post_id.is_(None),
        SEEN.c.comments_count.is_distinct_from(POSTS.c.comments_count),
        SEEN.c.post_updated_at.is_distinct_from(POSTS.c.updated_at),
    )
    stmt = (
        sa.select(POSTS.c.id, POSTS.c.visibility, POSTS.c.comments_count, POSTS.c.updated_at)
        .select_from(join)
        .where(
            POSTS.c.profile == profile,
            POSTS.c.gone_at.is_(None),
            sa.or_(
                POSTS.c.local_changes.is_(None),
                POSTS.c.local_changes.not_in(LocalChange.LOCAL_ONLY),
            ),
            changed,
        )
        .order_by(POSTS.c.created_at.desc(), POSTS.c.pk)
    )
    with store.read() as conn:
        return [
            (r.id, r.visibility, r.comments_count or 0, r.updated_at) for r in conn.execute(stmt)
        ]


PER_RUN = 100
"""Posts whose comments one sync reads at most (a first sync of a large deployment would
otherwise add a request per post); the next run goes on."""


def sync_comments(
    api: Api,
    store: Store,
    profile: str,
    *,
    cancel: CancelToken = NEVER_CANCELLED,
    per_run: int = PER_RUN,
) -> CommentsResult:
    """Read the comments of the posts that changed; stops (the rest next time) when the rate
    budget of a route is used up. Raises `Cancelled`."""
    todo = changed_posts(store, profile)
    read = comments = 0
    for number, (post_id, visibility, count, updated_at) in enumerate(todo):
        cancel.raise_if_cancelled()
        if read >= per_run:
            return CommentsResult(read, comments, len(todo) - number)
        if count == 0:
            _remember(store, profile, post_id, count, updated_at, complete=True, records=None)
            continue
        try:
            records, complete = _read(api, post_id, visibility, cancel)
        except RateLimited:
            log.info("comments: rate budget used up, %d posts left", len(todo) - number)
            return CommentsResult(read, comments, len(todo) - number, stopped_by_rate_limit=True)
        except NotFound:
            records, complete = [], True
        _remember(store, profile, post_id, count, updated_at, complete=complete, records=records)
        read += 1
        comments += len(records)
    return CommentsResult(read, comments, 0)


def _read(
    api: Api, post_id: str, visibility: str | None, cancel: CancelToken
) -> tuple[list[dict[str, Any]], bool]:
    """The post's comments with their authors, and whether they are all of them."""
    if visibility in (None, "PUBLIC"):
        try:
            reply = api.client.get(f"/social/posts/{post_id}", authenticated=False, cancel=cancel)
            return _comments(reply.data, post_id), True
        except Forbidden:
            pass  # not PUBLIC after all: the five newest below
    reply = api.client.get(f"/posts/{post_id}", authenticated=False, cancel=cancel)
    found = _comments(reply.data, post_id)
    return found, len(found) < NEWEST_ONLY


def _comments(data: Any, post_id: str) -> list[dict[str, Any]]:
    items = data.get("Comment") if isinstance(data, dict) else None
    return [
        {**c, "postId": post_id}
        for c in items or []
        if isinstance(c, dict) and c.get("id") not in (None, "")
    ]


def _remember(
    store: Store,
    profile: str,
    post_id: str,
    count: int,
    updated_at: datetime | None,
    *,
    complete: bool,
    records: list[dict[str, Any]] | None,
) -> None:
    """The post's comments and the state they were read in, in one transaction."""
    now = datetime.now(UTC)
    with store.write() as conn:
        if records:
            marker = uuid.uuid4().hex
            writes.upsert(conn, "comments", profile, records, synced_at=now, run_id=marker)
            users = [
                c["User"]
                for c in records
                if isinstance(c.get("User"), dict) and c["User"].get("id")
            ]
            if users:
                writes.upsert(conn, "users", profile, users, synced_at=now)
            if complete:
                writes.mark_gone(
                    conn, "comments", profile, marker, scope={"post_id": post_id}, when=now
                )
        conn.execute(sa.delete(SEEN).where(SEEN.c.profile == profile, SEEN.c.post_id == post_id))
        conn.execute(
            sa.insert(SEEN).values(
                profile=profile,
                post_id=post_id,
                comments_count=count,
                post_updated_at=updated_at,
                complete=complete,
                synced_at=now,
            )
        )
        # The post is found by its comments' words and counts them (after SEEN is written).
        comment_text.refresh(conn, profile, [post_id])


def comments_of(store: Store, profile: str, post_id: str) -> PostComments:
    """What the post's detail pane shows: its stored comments, newest first."""
    with store.read() as conn:
        rows = conn.execute(
            sa.select(COMMENTS.c.raw)
            .where(
                COMMENTS.c.profile == profile,
                COMMENTS.c.post_id == post_id,
                COMMENTS.c.gone_at.is_(None),
            )
            .order_by(COMMENTS.c.created_at.desc(), COMMENTS.c.pk)
        ).all()
        seen = conn.execute(
            sa.select(SEEN.c.complete).where(SEEN.c.profile == profile, SEEN.c.post_id == post_id)
        ).first()
        counter = conn.execute(
            sa.select(POSTS.c.comments_count).where(
                POSTS.c.profile == profile, POSTS.c.id == post_id
            )
        ).scalar()
    return PostComments([r.raw for r in rows], bool(seen and seen.complete), counter)

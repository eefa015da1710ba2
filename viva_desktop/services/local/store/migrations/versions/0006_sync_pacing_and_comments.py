"""Rate-limit waits, failed creates, comments and team-store sync claims (issue 14).

- `sync_waits`: entities whose sync waits for the server's rate limit, and until when, so a
  wait outlives a restart of the app;
- `sync_runners`: who is writing which entity into a shared store, from which host, so a
  teammate's app waits for it or skips it instead of reporting a lock error;
- `comment_sync`: each post's comment counter and update time when its comments were last
  read, so only posts that changed are read again;
- `page_sizes`: the largest page size a server's list route accepted after refusing a larger
  one, so it is found once per server rather than at every sync;
- `posts.comments_stored`: how many comments are stored for a post (None until they are read),
  shown beside the server's counter; and a post's `search_text` now ends with its stored
  comments' words, so a search finds a post by its comments (`store.comment_text`). Posts
  with comments already stored get both here.

Failed creates need no table: they are outbox entries in the `failed` state, with what the
server said in `result`. Records made here and not on the server are marked in their
`local_changes` column, which the offer, event and post browsers show, sort on and filter on:
it gets the `(profile, column, pk)` sort index of revision 0004 on those tables (they are
shared, not per caller, so the account is not part of it). New tables and indexes only:
existing data is untouched.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from viva_desktop.services.local.store.text import search_text
from viva_desktop.services.local.store.types import UTCDateTime

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(200)
# Sort indexes `(profile, column, pk)` of revision 0004's pattern added here: the "local
# changes" column and facet of the offer, event and post browsers, and the stored comments.
SORTED: dict[str, tuple[str, ...]] = {
    "offers": ("local_changes",),
    "events": ("local_changes",),
    "posts": ("local_changes", "comments_stored"),
}


def upgrade() -> None:
    op.create_table(
        "sync_waits",
        sa.Column("profile", sa.String(100), nullable=False),
        sa.Column("entity", sa.String(60), nullable=False),
        sa.Column("account", ID, nullable=False),
        sa.Column("resume_at", UTCDateTime(), nullable=False),
        sa.Column("route", sa.String(300)),
        sa.Column("since", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("profile", "entity", "account", name="pk_sync_waits"),
    )
    op.create_table(
        "sync_runners",
        sa.Column("profile", sa.String(100), nullable=False),
        sa.Column("entity", sa.String(60), nullable=False),
        sa.Column("account", ID, nullable=False),
        sa.Column("runner", sa.String(320)),
        sa.Column("host", sa.String(255)),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("heartbeat_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime()),
        sa.Column("status", sa.String(20), nullable=False),
        sa.PrimaryKeyConstraint("profile", "entity", "account", name="pk_sync_runners"),
    )
    op.create_table(
        "comment_sync",
        sa.Column("profile", sa.String(100), nullable=False),
        sa.Column("post_id", ID, nullable=False),
        sa.Column("comments_count", sa.Integer()),
        sa.Column("post_updated_at", UTCDateTime()),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("synced_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("profile", "post_id", name="pk_comment_sync"),
    )
    op.create_table(
        "page_sizes",
        sa.Column("server", sa.String(500), nullable=False),
        sa.Column("route", sa.String(300), nullable=False),
        sa.Column("accepted", sa.Integer(), nullable=False),
        sa.Column("refused", sa.Integer(), nullable=False),
        sa.Column("found_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("server", "route", name="pk_page_sizes"),
    )
    # A plain ALTER TABLE on both databases: a batch (copy-and-move) on SQLite would drop the
    # full-text triggers of revision 0002.
    op.add_column("posts", sa.Column("comments_stored", sa.Integer()))
    _index_stored_comments()
    for table, columns in SORTED.items():
        for column in columns:
            op.create_index(f"ix_{table}_profile_{column}_pk", table, ["profile", column, "pk"])


def _index_stored_comments() -> None:
    """Posts whose comments are already stored: their count, and their words searchable."""
    conn = op.get_bind()
    posts = sa.table(
        "posts",
        sa.column("pk", sa.Integer),
        sa.column("profile", sa.String),
        sa.column("id", sa.String),
        sa.column("search_text", sa.Text),
        sa.column("comments_stored", sa.Integer),
    )
    comments = sa.table(
        "comments",
        sa.column("profile", sa.String),
        sa.column("post_id", sa.String),
        sa.column("content", sa.Text),
        sa.column("author_name", sa.String),
        sa.column("gone_at", UTCDateTime()),
    )
    stored: dict[tuple[str, str], list[Any]] = {}
    for profile, post_id, content, author in conn.execute(
        sa.select(
            comments.c.profile, comments.c.post_id, comments.c.content, comments.c.author_name
        ).where(comments.c.gone_at.is_(None))
    ):
        stored.setdefault((profile, post_id), []).extend([content, author])
    for (profile, post_id), parts in stored.items():
        rows = conn.execute(
            sa.select(posts.c.pk, posts.c.search_text).where(
                posts.c.profile == profile, posts.c.id == post_id
            )
        ).all()
        for pk, own in rows:
            conn.execute(
                sa.update(posts)
                .where(posts.c.pk == pk)
                .values(
                    search_text=f"{own or ''} {search_text(*parts)}".strip(),
                    comments_stored=len(parts) // 2,
                )
            )


def downgrade() -> None:
    for table, columns in SORTED.items():
        for column in columns:
            op.drop_index(f"ix_{table}_profile_{column}_pk", table_name=table)
    op.execute("ALTER TABLE posts DROP COLUMN comments_stored")  # SQLite 3.35 and later
    op.drop_table("page_sizes")
    op.drop_table("comment_sync")
    op.drop_table("sync_runners")
    op.drop_table("sync_waits")

"""Tables of issue 14: rate-limit waits a sync left to resume later, the runs in progress in a
shared store (who syncs what, from where), how far each post's comments are synced, and the
largest page size each server's list routes accept.

They sit beside `models.py` and share its `Base`, so the migrations and the models are checked
against each other like every other table.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from viva_desktop.services.local.store.models import Base

ID = sa.String(200)


def entity_key(
    table: sa.Table, profile: str, entity: str, account: str
) -> list[sa.ColumnElement[bool]]:
    """The row of `table` kept for one entity of one profile, as one account syncs it."""
    return [table.c.profile == profile, table.c.entity == entity, table.c.account == account]


def replace_row(
    conn: sa.Connection, table: sa.Table, profile: str, entity: str, account: str, **values: Any
) -> None:
    """Put the one row of `table` for that entity, profile and account (any earlier goes)."""
    conn.execute(sa.delete(table).where(*entity_key(table, profile, entity, account)))
    conn.execute(sa.insert(table).values(profile=profile, entity=entity, account=account, **values))


class SyncWaitRow(Base):
    """An entity whose sync waits for the server's rate limit until `resume_at`: the app (or
    its next start) resumes it then."""

    __tablename__ = "sync_waits"

    profile: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    entity: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    account: Mapped[str] = mapped_column(ID, primary_key=True, default="")
    resume_at: Mapped[datetime]
    route: Mapped[str | None] = mapped_column(sa.String(300))
    since: Mapped[datetime]


class SyncRunnerRow(Base):
    """Who is writing an entity's sync into this store right now (or last did): teammates
    sharing a store see "being synced by <account> on <host>" instead of a lock error."""

    __tablename__ = "sync_runners"

    profile: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    entity: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    account: Mapped[str] = mapped_column(ID, primary_key=True, default="")
    runner: Mapped[str | None] = mapped_column(sa.String(320))  # the syncing person's e-mail
    host: Mapped[str | None] = mapped_column(sa.String(255))
    started_at: Mapped[datetime]
    heartbeat_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(sa.String(20))


class CommentSyncRow(Base):
    """The state of a post the last time its comments were read: a post whose counter and
    update time still match is not read again."""

    __tablename__ = "comment_sync"

    profile: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    post_id: Mapped[str] = mapped_column(ID, primary_key=True)
    comments_count: Mapped[int | None]
    post_updated_at: Mapped[datetime | None]
    complete: Mapped[bool]  # every comment read (PUBLIC posts), or only the newest five
    synced_at: Mapped[datetime]


class PageSizeRow(Base):
    """The largest page size a server's list route accepted after refusing a larger one (400),
    found once and used by every later sync of that server (any profile, any account)."""

    __tablename__ = "page_sizes"

    server: Mapped[str] = mapped_column(sa.String(500), primary_key=True)
    route: Mapped[str] = mapped_column(sa.String(300), primary_key=True)
    accepted: Mapped[int]
    refused: Mapped[int]  # the smallest size seen refused
    found_at: Mapped[datetime]

"""Tables of issue 13: the accounts seen on each server profile, and the audit trail.

They sit beside `models.py` and share its `Base`, so the migrations and the models are
checked against each other like every other table.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from viva_desktop.services.local.store.models import Base
from viva_desktop.services.local.store.types import SurrogateKey


class AccountRow(Base):
    """An account that signed in (or synced) on a profile: maps the server's user id to the
    e-mail people know it by, and remembers which one was used last (offline review opens
    that account's scope)."""

    __tablename__ = "accounts"

    profile: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    user_id: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    email: Mapped[str | None] = mapped_column(sa.String(320))
    name: Mapped[str | None] = mapped_column(sa.String(300))
    role: Mapped[str | None] = mapped_column(sa.String(40))
    email_verified: Mapped[bool | None] = mapped_column(sa.Boolean)
    last_used_at: Mapped[datetime]


class AuditRow(Base):
    """One write this app made (or tried): who, where, when, what, before/after, outcome.

    Rows are only ever added (and pruned on request); a queued edit gets one row when it is
    queued and one per replay attempt, linked by `outbox_seq`.
    """

    __tablename__ = "audit_log"
    __table_args__ = (
        sa.Index(None, "profile", "at", "pk"),
        sa.Index(None, "profile", "entity", "record_id", "at"),
        sa.Index(None, "profile", "account", "at"),
    )

    pk: Mapped[int] = mapped_column(SurrogateKey, primary_key=True, autoincrement=True)
    profile: Mapped[str] = mapped_column(sa.String(100))
    # The server's address at the time (profiles can be re-pointed).
    server: Mapped[str | None] = mapped_column(sa.String(500))
    account: Mapped[str | None] = mapped_column(sa.String(200))
    account_email: Mapped[str | None] = mapped_column(sa.String(320))
    at: Mapped[datetime]
    entity: Mapped[str] = mapped_column(sa.String(60))
    record_id: Mapped[str | None] = mapped_column(sa.String(200))
    action: Mapped[str] = mapped_column(sa.String(40))
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]
    outcome: Mapped[str] = mapped_column(sa.String(20))
    message: Mapped[str | None] = mapped_column(sa.Text)
    request_id: Mapped[str | None] = mapped_column(sa.String(100))
    outbox_seq: Mapped[int | None] = mapped_column(sa.BigInteger)
    replayed: Mapped[bool] = mapped_column(sa.Boolean, default=False)

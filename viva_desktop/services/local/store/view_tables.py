"""The table of issue 16: the browsers' saved views (search, filters, dates, columns, sort
under a name), kept per profile and account, optionally shared with the team of a team store.

It sits beside `models.py` and shares its `Base`, so the migration and the model are checked
against each other like every other table.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from viva_desktop.services.local.store.models import Base
from viva_desktop.services.local.store.types import SurrogateKey


class SavedViewRow(Base):
    """One named view of one browser (`page`), owned by `account` (server user id, "" when
    nobody was signed in); `shared` views are listed to every account of the profile."""

    __tablename__ = "saved_views"
    __table_args__ = (
        sa.UniqueConstraint("profile", "account", "page", "name"),
        sa.Index(None, "profile", "page", "shared"),
    )

    pk: Mapped[int] = mapped_column(SurrogateKey, primary_key=True, autoincrement=True)
    profile: Mapped[str] = mapped_column(sa.String(100))
    account: Mapped[str] = mapped_column(sa.String(200), default="")
    page: Mapped[str] = mapped_column(sa.String(60))
    name: Mapped[str] = mapped_column(sa.String(200))
    state: Mapped[dict[str, Any]]
    shared: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

"""Alembic, run from code: the app upgrades its store at start-up, no ini file needed.

The migration scripts live inside the package (`migrations/`), so the PyInstaller bundle
carries them. On PostgreSQL an advisory lock keeps two app instances sharing one team
database from upgrading it at the same time.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
VERSION_TABLE = "viva_store_version"
# Arbitrary constant identifying "the Viva store schema upgrade" among advisory locks.
_PG_LOCK_KEY = 0x56495641


def alembic_config(connection: sa.Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(connection: sa.Connection) -> str | None:
    context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
    return context.get_current_revision()


def needs_upgrade(engine: sa.Engine) -> tuple[str | None, str]:
    """(current revision, head revision) of the database behind `engine`."""
    with engine.connect() as conn:
        return current_revision(conn), head_revision()


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": _PG_LOCK_KEY})
            conn.commit()
        try:
            command.upgrade(alembic_config(conn), revision)
            conn.commit()
        finally:
            if conn.dialect.name == "postgresql":
                conn.rollback()
                conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_LOCK_KEY})
                conn.commit()


def downgrade(engine: sa.Engine, revision: str) -> None:
    """For tests and rescue only: the app never downgrades a store by itself."""
    with engine.connect() as conn:
        command.downgrade(alembic_config(conn), revision)
        conn.commit()

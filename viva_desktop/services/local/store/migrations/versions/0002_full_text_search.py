"""Local full-text search over communities, offers, events and posts.

SQLite: an external-content FTS5 table per entity over `search_text`, kept in step by
triggers. PostgreSQL: a stored generated `tsvector` (the `simple` configuration: the text is
already folded and split into words by the app) with a GIN index. Existing rows are indexed
by the upgrade.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-01
"""

from __future__ import annotations

from collections.abc import Sequence
from string import Template

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("communities", "offers", "events", "posts")


# Trigger bodies of the standard external-content pattern (SQLite FTS5 documentation, 4.4.3).
_SQLITE_OBJECTS = (
    "CREATE VIRTUAL TABLE ${fts} USING fts5(search_text, content='${table}', "
    "content_rowid='pk', tokenize='unicode61 remove_diacritics 2', detail=column)",
    "CREATE TRIGGER ${table}_fts_ai AFTER INSERT ON ${table} BEGIN "
    "INSERT INTO ${fts}(rowid, search_text) VALUES (new.pk, new.search_text); END",
    "CREATE TRIGGER ${table}_fts_ad AFTER DELETE ON ${table} BEGIN "
    "INSERT INTO ${fts}(${fts}, rowid, search_text) "
    "VALUES ('delete', old.pk, old.search_text); END",
    "CREATE TRIGGER ${table}_fts_au AFTER UPDATE OF search_text ON ${table} "
    "WHEN old.search_text IS NOT new.search_text BEGIN "
    "INSERT INTO ${fts}(${fts}, rowid, search_text) VALUES ('delete', old.pk, old.search_text); "
    "INSERT INTO ${fts}(rowid, search_text) VALUES (new.pk, new.search_text); END",
    # Index the rows that existed before this revision.
    "INSERT INTO ${fts}(${fts}) VALUES ('rebuild')",
)


def _sqlite_upgrade(table: str) -> None:
    for statement in _SQLITE_OBJECTS:
        op.execute(Template(statement).substitute(table=table, fts=f"{table}_fts"))


def _sqlite_downgrade(table: str) -> None:
    for suffix in ("ai", "ad", "au"):
        op.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{suffix}")
    op.execute(f"DROP TABLE IF EXISTS {table}_fts")


def _postgresql_upgrade(table: str) -> None:
    op.execute(
        f"ALTER TABLE {table} ADD COLUMN search_vector tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED"
    )
    op.execute(f"CREATE INDEX ix_{table}_search_vector ON {table} USING gin (search_vector)")


def _postgresql_downgrade(table: str) -> None:
    op.execute(f"DROP INDEX IF EXISTS ix_{table}_search_vector")
    op.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in TABLES:
        if dialect == "sqlite":
            _sqlite_upgrade(table)
        elif dialect == "postgresql":
            _postgresql_upgrade(table)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in TABLES:
        if dialect == "sqlite":
            _sqlite_downgrade(table)
        elif dialect == "postgresql":
            _postgresql_downgrade(table)

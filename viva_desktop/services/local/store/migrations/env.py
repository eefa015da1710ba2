"""Alembic environment for the offline store.

The app runs migrations programmatically (`store.migrate.upgrade`), handing over an open
connection in `config.attributes["connection"]`; the `alembic` command line works too, with
`-x url=...` or the `VIVA_STORE_URL` environment variable.
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from alembic import context

from viva_desktop.services.local.store.models import Base

VERSION_TABLE = "viva_store_version"

config = context.config
target_metadata = Base.metadata


def _configure(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        version_table=VERSION_TABLE,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or os.environ.get(
        "VIVA_STORE_URL", ""
    )
    if not url:
        raise SystemExit("give the store URL with -x url=... or VIVA_STORE_URL")
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            _configure(conn)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported for the store")
run_migrations_online()

"""Opening the store: Alembic migrations from empty, idempotent re-open, backup before an
upgrade, and models that match the migrations — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from viva_desktop.services.local.store import (
    Store,
    StoreMigrationError,
    migrate,
    open_store,
    spec_for,
    sqlite_file,
    writes,
)
from viva_desktop.services.local.store.models import Base

TABLES = {
    "communities",
    "users",
    "offers",
    "events",
    "event_attendees",
    "posts",
    "comments",
    "credit_transactions",
    "moderation_cases",
    "health_samples",
    "sync_state",
    "outbox",
    migrate.VERSION_TABLE,
}


def table_names(engine: sa.Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


def test_opens_an_empty_database_at_the_newest_revision(empty_store_url: str) -> None:
    store = open_store(empty_store_url, attempts=1)
    try:
        assert table_names(store.engine) >= TABLES
        with store.engine.connect() as conn:
            assert migrate.current_revision(conn) == migrate.head_revision()
        assert store.backup is None
        assert store.recovered_from_corruption is None
        assert store.health_check().ok
    finally:
        store.close()


def test_reopening_is_idempotent_and_keeps_data(empty_store_url: str, offers_sample: list) -> None:
    with open_store(empty_store_url, attempts=1) as store:
        store.upsert("offers", "demo", offers_sample)
    with open_store(empty_store_url, attempts=1) as again:
        assert again.upgraded_from is None
        assert again.backup is None
        assert again.count("offers", profile="demo") == len(offers_sample)


def _ignore_search_objects(obj: Any, name: str | None, type_: str, *_: Any) -> bool:
    # The full-text objects are backend-specific and live in migration 0002 only.
    if type_ == "table" and name and "_fts" in name:
        return False
    if type_ == "table" and name == migrate.VERSION_TABLE:
        return False
    return not (type_ in ("column", "index") and name and "search_vector" in name)


def test_models_and_migrations_agree(empty_store_url: str) -> None:
    with open_store(empty_store_url, attempts=1) as store, store.engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "include_object": _ignore_search_objects,
                "version_table": migrate.VERSION_TABLE,
            },
        )
        assert compare_metadata(context, Base.metadata) == []


def test_migrations_go_down_to_empty_and_up_again(empty_store_url: str) -> None:
    with open_store(empty_store_url, attempts=1) as store:
        migrate.downgrade(store.engine, "base")
        assert table_names(store.engine) <= {migrate.VERSION_TABLE}
        migrate.upgrade(store.engine)
        assert table_names(store.engine) >= TABLES


def write_as_first_release(store: Store, posts: list) -> None:
    """Posts stored the way revision 0001 could: only the columns its `posts` table had (the
    current upsert also reads and fills what later revisions added)."""
    spec = spec_for("posts")
    now = datetime.now(UTC)
    rows = [writes.prepare(spec, "demo", post, synced_at=now, run_id=None) for post in posts]
    old = {column["name"] for column in sa.inspect(store.engine).get_columns("posts")}
    with store.write() as conn:
        conn.execute(
            sa.insert(spec.table), [{k: v for k, v in r.items() if k in old} for r in rows]
        )


def test_sqlite_is_backed_up_before_an_upgrade_and_old_rows_become_searchable(
    tmp_path: Path, posts_sample: list
) -> None:
    path = tmp_path / "store.sqlite3"
    url = f"sqlite:///{path}"
    with open_store(url, attempts=1) as store:
        migrate.downgrade(store.engine, "0001")  # as if written by the first release
        write_as_first_release(store, posts_sample)
    with open_store(url, attempts=1) as upgraded:
        assert upgraded.upgraded_from == "0001"
        assert upgraded.backup is not None
        assert upgraded.backup.exists()
        assert upgraded.backup.parent == tmp_path
        assert "backup-" in upgraded.backup.name
        # The backup is a complete, consistent database at the old revision.
        old = sa.create_engine(f"sqlite:///{upgraded.backup}")
        with old.connect() as conn:
            assert migrate.current_revision(conn) == "0001"
            assert conn.execute(sa.text("SELECT count(*) FROM posts")).scalar() == len(posts_sample)
        old.dispose()
        # Rows written before the search revision were indexed by its upgrade.
        assert upgraded.count("posts", profile="demo", search="tomates huerto") == 1


def test_postgresql_upgrade_indexes_existing_rows(pg_url: str, posts_sample: list) -> None:
    with open_store(pg_url, attempts=1) as store:
        migrate.downgrade(store.engine, "0001")
        write_as_first_release(store, posts_sample)
    with open_store(pg_url, attempts=1) as upgraded:
        assert upgraded.upgraded_from == "0001"
        assert upgraded.backup is None  # a server database is backed up by its own admins
        assert upgraded.count("posts", profile="demo", search="tomates huerto") == 1


def test_only_the_last_backups_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    url = f"sqlite:///{path}"
    open_store(url, attempts=1).close()
    made = []
    for _ in range(5):
        with open_store(url, attempts=1) as store:
            migrate.downgrade(store.engine, "0001")
        with open_store(url, attempts=1, keep_backups=2) as store:
            made.append(store.backup)
    kept = sqlite_file.backups_of(path)
    assert kept == made[-2:]
    assert all(p.exists() for p in kept)


def test_a_store_from_a_newer_release_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    with open_store(url, attempts=1) as store, store.engine.begin() as conn:
        table = sa.table(migrate.VERSION_TABLE, sa.column("version_num"))
        conn.execute(sa.update(table).values(version_num="9999"))
    with pytest.raises(StoreMigrationError) as caught:
        open_store(url, attempts=1)
    assert "newer version" in caught.value.technical
    assert caught.value.user_message


def test_revision_0006_counts_stored_comments_and_makes_them_searchable(
    store_url: str, posts_sample: list
) -> None:
    with open_store(store_url, attempts=1) as store:
        migrate.downgrade(store.engine, "0005")
        write_as_first_release(store, posts_sample)
        post = posts_sample[0]
        comment = {
            "id": "c-1",
            "postId": post["id"],
            "content": "Zanahorias moradas",
            "createdAt": "2025-01-02T10:00:00.000Z",
            "User": {"id": "u-9", "name": "Lucía"},
        }
        store.upsert("comments", "demo", [comment])
        migrate.upgrade(store.engine)
        row = store.get("posts", "demo", post["id"])
        assert row is not None
        assert row.values["comments_stored"] == 1
        found = store.query("posts", profile="demo", search="zanahorias moradas")
        assert [r.id for r in found] == [post["id"]]
        others = [store.get("posts", "demo", p["id"]) for p in posts_sample[1:]]
        assert all(o is not None and o.values["comments_stored"] is None for o in others)
        migrate.downgrade(store.engine, "0005")  # and back out, the data kept
        assert store.count("comments", profile="demo") == 1
        migrate.upgrade(store.engine)

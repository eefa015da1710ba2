"""Migration 0004: the `(profile, column, pk)` sort indexes replace the `(profile, column)`
ones, on SQLite and PostgreSQL, and go back again; the data stays."""

from __future__ import annotations

import importlib.util
from types import ModuleType

import sqlalchemy as sa

from viva_desktop.services.local.store import migrate, open_store

from .test_queries import OFFERS


def _revision_0004() -> ModuleType:
    path = migrate.MIGRATIONS_DIR / "versions" / "0004_sort_indexes.py"
    spec = importlib.util.spec_from_file_location("store_revision_0004", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _scoped_sorts() -> dict[str, tuple[str, ...]]:
    """Revision 0005's per-caller tables, whose sort indexes gained the account."""
    path = migrate.MIGRATIONS_DIR / "versions" / "0005_accounts_and_audit.py"
    spec = importlib.util.spec_from_file_location("store_revision_0005", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.SORTED


def _added_sorts() -> dict[str, tuple[str, ...]]:
    """Revision 0006's sort indexes (local changes, stored comments), beside 0004's."""
    path = migrate.MIGRATIONS_DIR / "versions" / "0006_sync_pacing_and_comments.py"
    spec = importlib.util.spec_from_file_location("store_revision_0006", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.SORTED


def newest_sort_index(table: str, column: str) -> tuple[str, list[str]]:
    """The name and columns of a sort index at the newest revision."""
    if column in _scoped_sorts().get(table, ()):
        return f"ix_{table}_profile_account_{column}_pk", ["profile", "account", column, "pk"]
    return f"ix_{table}_profile_{column}_pk", ["profile", column, "pk"]


def sort_indexes(engine: sa.Engine) -> dict[str, dict[str, list[str]]]:
    """Per table, its `ix_<table>_profile_*` indexes and their columns."""
    inspector = sa.inspect(engine)
    found: dict[str, dict[str, list[str]]] = {}
    for table in _revision_0004().NEW:
        found[table] = {
            index["name"]: list(index["column_names"])
            for index in inspector.get_indexes(table)
            if str(index["name"]).startswith(f"ix_{table}_profile_")
        }
    return found


def test_sort_indexes_replace_the_old_ones_and_come_back_out(store_url: str) -> None:
    revision = _revision_0004()
    with open_store(store_url, attempts=1) as store:
        store.upsert("offers", "demo", OFFERS)
        upgraded = sort_indexes(store.engine)
        added = _added_sorts()
        for table, columns in revision.NEW.items():
            newest = (*columns, *added.get(table, ()))
            assert upgraded[table] == dict(newest_sort_index(table, c) for c in newest)
        assert upgraded["posts"]["ix_posts_profile_excerpt_pk"] == ["profile", "excerpt", "pk"]

        migrate.downgrade(store.engine, "0003")
        with store.engine.connect() as conn:
            assert migrate.current_revision(conn) == "0003"
        for table, columns in sort_indexes(store.engine).items():
            assert columns == {
                f"ix_{table}_profile_{column}": ["profile", column]
                for column in revision.OLD[table]
            }
        assert store.count("offers", profile="demo") == len(OFFERS)

        migrate.upgrade(store.engine)
        assert sort_indexes(store.engine) == upgraded
        assert store.count("offers", profile="demo") == len(OFFERS)
        by_price = store.query("offers", profile="demo", sort=[("price_credits", True)], limit=5)
        assert [row.values["price_credits"] for row in by_price] == [0] * 5


def test_an_indexed_sort_with_many_ties_pages_in_one_stable_order(store_url: str) -> None:
    with open_store(store_url, attempts=1) as store:
        store.upsert("offers", "demo", OFFERS)
        for ascending in (True, False):
            sort = [("price_credits", ascending)]
            paged = [
                row.id
                for offset in range(0, 240, 70)
                for row in store.query("offers", profile="demo", sort=sort, offset=offset, limit=70)
            ]
            whole = store.query("offers", profile="demo", sort=sort, limit=1000)
            assert paged == [row.id for row in whole]
            credits = [row.values["price_credits"] for row in whole]
            assert credits == sorted(credits, reverse=not ascending)
            ties = [row.id for row in whole if row.values["price_credits"] == 7]
            assert ties == sorted(ties, reverse=not ascending)  # pk order: the insert order

"""Every column a browser can sort on is read page by page straight from a `(profile, column,
pk)` index, never sorted whole: checked on the query plans of SQLite (`EXPLAIN QUERY PLAN`)
and PostgreSQL (`EXPLAIN`, with sorting priced out so that only an index can win)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from viva_desktop.services.local.store import Store, open_store, scopes, spec_for
from viva_desktop.services.local.store.queries import select_rows
from viva_desktop.ui.models import STORE_MODELS

from .data import ACCOUNT, PROFILE, fill

# Unbounded text: too long for a PostgreSQL index entry at worst, and their tables stay small.
UNINDEXED = {("credit_transactions", "description"), ("moderation_cases", "report_reason")}


@pytest.fixture
def any_store(store_url: str) -> Iterator[Store]:
    store = open_store(store_url, attempts=1)
    try:
        fill(store)
        yield store
    finally:
        store.close()


def plan_of(store: Store, entity: str, column: str, ascending: bool, offset: int) -> str:
    spec = spec_for(entity)
    with store.read() as conn:
        stmt = select_rows(
            spec,
            conn,
            profile=PROFILE,
            sort=[(column, ascending)],
            offset=offset,
            limit=200,
            account=ACCOUNT,  # per-caller entities are read one account at a time
        )
        sql = str(stmt.compile(conn, compile_kwargs={"literal_binds": True}))
        if conn.dialect.name == "sqlite":
            rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")
            return "\n".join(str(row[-1]) for row in rows)
        for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
            conn.execute(sa.text(f"SET LOCAL {setting} = off"))
        conn.execute(sa.text("SET LOCAL enable_incremental_sort = off"))
        return "\n".join(str(row[0]) for row in conn.exec_driver_sql(f"EXPLAIN {sql}"))


def sorts_everything(plan: str) -> bool:
    return "TEMP B-TREE" in plan or any(
        line.strip().lstrip("-> ").startswith(("Sort ", "Incremental Sort"))
        for line in plan.splitlines()
    )


@pytest.mark.parametrize("key", sorted(STORE_MODELS))
def test_every_sortable_column_pages_from_its_index(any_store: Store, key: str) -> None:
    model = STORE_MODELS[key]
    spec = spec_for(model.ENTITY)
    table = spec.table.name
    for column in model.COLUMNS:
        if (model.ENTITY, column.key) in UNINDEXED:
            assert column.key not in spec.indexed
            continue
        assert column.key in spec.indexed, f"{table}.{column.key} has no sort index"
        scope = "account_" if scopes.is_scoped(spec) else ""
        index = f"ix_{table}_profile_{scope}{column.key}_pk"
        for ascending in (True, False):
            first = plan_of(any_store, model.ENTITY, column.key, ascending, 0)
            assert index in first, first
            assert not sorts_everything(first), first
            # A later page skips along the same index (only its 200 rows are sorted again).
            later = plan_of(any_store, model.ENTITY, column.key, ascending, 400)
            assert index in later, later

"""Read statements for the views: filters, sort, local full-text search, facets and ranges.

Every statement starts from `profile = ?` so it runs on the `(profile, column, pk)` indexes;
the sort always ends with the surrogate key `pk`, which keeps paging stable and lets one of
those indexes deliver a sorted page as it is, on SQLite and PostgreSQL alike (migration 0004).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from viva_desktop.services.local.store.entities import EntitySpec
from viva_desktop.services.local.store.scopes import scope_clauses
from viva_desktop.services.local.store.text import fts5_query, query_terms, tsquery

MAX_PAGE = 5_000


@dataclass(frozen=True)
class Range:
    """Inclusive bounds for a filter on a date or number column (either side may be open)."""

    start: Any = None
    end: Any = None


class _NotNull:
    def __repr__(self) -> str:
        return "NOT_NULL"


NOT_NULL: Any = _NotNull()
"""Filter value matching any non-null value (`{"gone_at": NOT_NULL}`: records gone upstream)."""

Filters = Mapping[str, Any]
Sort = Sequence[tuple[str, bool]]


@dataclass(frozen=True, slots=True)
class Row:
    """One stored record: the view columns, the full server JSON and the bookkeeping."""

    entity: str
    profile: str
    id: str
    values: dict[str, Any]
    raw: dict[str, Any]

    def __getitem__(self, column: str) -> Any:
        return self.values[column]

    def get(self, column: str, default: Any = None) -> Any:
        return self.values.get(column, default)

    @property
    def synced_at(self) -> datetime:
        return self.values["synced_at"]

    @property
    def local_changes(self) -> str | None:
        return self.values["local_changes"]

    @property
    def gone_at(self) -> datetime | None:
        return self.values["gone_at"]


def _column(spec: EntitySpec, name: str) -> sa.ColumnElement[Any]:
    if name not in spec.columns:
        raise ValueError(f"{spec.name} has no column {name!r}; known: {', '.join(spec.columns)}")
    return spec.table.c[name]


def filter_clauses(spec: EntitySpec, filters: Filters | None) -> list[sa.ColumnElement[bool]]:
    clauses: list[sa.ColumnElement[bool]] = []
    for name, value in (filters or {}).items():
        column = _column(spec, name)
        if value is None:
            clauses.append(column.is_(None))
        elif value is NOT_NULL:
            clauses.append(column.is_not(None))
        elif isinstance(value, Range):
            if value.start is not None:
                clauses.append(column >= value.start)
            if value.end is not None:
                clauses.append(column <= value.end)
        elif isinstance(value, list | tuple | set | frozenset):
            values = [v for v in value if v is not None]
            options = [column.in_(values)] if values else []
            if len(values) != len(value):
                options.append(column.is_(None))
            clauses.append(sa.or_(*options) if options else sa.false())
        else:
            clauses.append(column == value)
    return clauses


# Up to this many full-text hits, SQLite fetches the hits by rowid and sorts them; above it,
# it walks the sort index and keeps the rows that are hits (stopping at the page's end).
ROWID_PLAN_MAX_HITS = 4_000


def _fts_match(spec: EntitySpec, terms: list[str]) -> tuple[sa.TableClause, sa.ColumnElement[Any]]:
    """SQLite's full-text table of `spec` and its `MATCH` clause for `terms`: one builder for
    the hit count and the selection, so both always ask the index the same question."""
    fts = sa.table(f"{spec.table.name}_fts", sa.column("rowid", sa.Integer))
    return fts, sa.literal_column(fts.name).op("MATCH")(fts5_query(terms))


def fts_hits(conn: sa.Connection, spec: EntitySpec, terms: list[str]) -> int:
    """How many rows (of every profile) match on SQLite: cheap, it reads only the index."""
    fts, match = _fts_match(spec, terms)
    return int(conn.execute(sa.select(sa.func.count()).select_from(fts).where(match)).scalar_one())


def where(
    spec: EntitySpec,
    conn: sa.Connection,
    profile: str,
    search: str | None,
    filters: Filters | None,
    account: str | None = None,
) -> list[sa.ColumnElement[bool]]:
    """The WHERE clauses of a view's selection, with the full-text plan chosen for the data.

    Per-caller entities are limited to `account`'s scope (nothing at all without one)."""
    table = spec.table
    clauses = [*scope_clauses(spec, account), *filter_clauses(spec, filters)]
    if not search or not search.strip():
        return [table.c.profile == profile, *clauses]
    if not spec.searchable:
        raise ValueError(f"{spec.name} has no full-text search")
    terms = query_terms(search)
    if not terms:
        return [sa.false()]
    if conn.dialect.name != "sqlite":
        vector = sa.literal_column(f"{table.name}.search_vector")
        query = sa.func.to_tsquery(sa.literal_column("'simple'"), tsquery(terms))
        return [table.c.profile == profile, vector.op("@@")(query), *clauses]
    fts, match = _fts_match(spec, terms)
    hits = table.c.pk.in_(sa.select(fts.c.rowid).where(match))
    if fts_hits(conn, spec, terms) <= ROWID_PLAN_MAX_HITS:
        # Hide the (profile, ...) indexes from the planner so it looks the few hits up by rowid.
        return [sa.func.coalesce(table.c.profile, "") == profile, hits, *clauses]
    return [table.c.profile == profile, hits, *clauses]


def single_profile_search_count(
    conn: sa.Connection, spec: EntitySpec, profile: str, search: str
) -> int | None:
    """On SQLite, the hit count straight from the full-text index when `profile` is the only
    one in the table (the usual case); None when that shortcut does not apply."""
    if conn.dialect.name != "sqlite":
        return None
    table = spec.table
    # Two statements: SQLite answers a lone min() or max() from the index in O(log n).
    low = conn.execute(sa.select(sa.func.min(table.c.profile))).scalar()
    high = conn.execute(sa.select(sa.func.max(table.c.profile))).scalar()
    terms = query_terms(search)
    if low != profile or high != profile or not terms:
        return None
    return fts_hits(conn, spec, terms)


def order_by(spec: EntitySpec, sort: Sort | None) -> list[sa.ColumnElement[Any]]:
    table = spec.table
    terms: list[sa.ColumnElement[Any]] = []
    last_ascending = True
    for name, ascending in sort or spec.default_sort:
        column = _column(spec, name)
        terms.append(column.asc() if ascending else column.desc())
        last_ascending = ascending
    terms.append(table.c.pk.asc() if last_ascending else table.c.pk.desc())
    return terms


def row_columns(spec: EntitySpec, *, raw_text: bool = False) -> list[sa.ColumnElement[Any]]:
    """The view columns and the server JSON: parsed, or (`raw_text`) as the stored text."""
    raw: sa.ColumnElement[Any] = spec.table.c.raw
    if raw_text:
        raw = sa.cast(raw, sa.Text).label("raw")
    return [spec.table.c[name] for name in spec.columns] + [raw]


def select_rows(
    spec: EntitySpec,
    conn: sa.Connection,
    *,
    profile: str,
    search: str | None = None,
    filters: Filters | None = None,
    sort: Sort | None = None,
    offset: int = 0,
    limit: int | None = 200,
    raw_text: bool = False,
    account: str | None = None,
) -> sa.Select[Any]:
    """One page of a view: `spec.columns`, then `raw` (see `row_columns`)."""
    columns = row_columns(spec, raw_text=raw_text)
    clauses = where(spec, conn, profile, search, filters, account)
    ordering = order_by(spec, sort)
    first = (sort or spec.default_sort)[0][0]
    searching = bool(search and search.strip())
    if limit is not None and (searching or offset or first not in spec.indexed):
        # Sort and cut the page on the narrow (sort key, pk) rows first, then fetch the page's
        # full rows: the records' server JSON is never dragged through a sort or a skip.
        page = sa.select(spec.table.c.pk).where(*clauses).order_by(*ordering)
        page = page.offset(max(0, int(offset))).limit(max(0, min(int(limit), MAX_PAGE)))
        return sa.select(*columns).where(spec.table.c.pk.in_(page)).order_by(*ordering)
    stmt = sa.select(*columns).where(*clauses).order_by(*ordering)
    if offset:
        stmt = stmt.offset(max(0, int(offset)))
    if limit is not None:
        stmt = stmt.limit(max(0, min(int(limit), MAX_PAGE)))
    return stmt


def to_rows(spec: EntitySpec, profile: str, results: Iterable[Any]) -> list[Row]:
    return [to_row(spec, profile, r) for r in results]


def to_row(spec: EntitySpec, profile: str, result: Any) -> Row:
    mapping = result._mapping
    values = {name: mapping[name] for name in spec.columns}
    return Row(spec.name, profile, values["id"], values, mapping["raw"])


@dataclass(frozen=True, slots=True)
class CompactRows:
    """Rows of a view held the cheap way: a plain tuple of values per row (in `spec.columns`
    order) and the server JSON as the stored UTF-8 text, unparsed.

    A browser may hold 100 000 rows; as `Row`s (a dict of values and the parsed JSON each)
    they take about seven times the memory of their values alone. `compact_to_row` builds the
    `Row` of one of them when it is needed.
    """

    entity: str
    profile: str
    columns: tuple[str, ...]
    values: list[tuple[Any, ...]]
    raw: list[bytes]


Share = Callable[[tuple[Any, ...]], tuple[Any, ...]]


def to_compact(
    spec: EntitySpec, profile: str, results: Iterable[Any], share: Share | None = None
) -> CompactRows:
    """The results of a `select_rows(..., raw_text=True)` as `CompactRows`; `share` may swap
    a row's values for equal ones its caller already holds (a table model's value pool)."""
    values: list[tuple[Any, ...]] = []
    raw: list[bytes] = []
    width = len(spec.columns)
    for result in results:
        row = tuple(result[:width])
        values.append(share(row) if share is not None else row)
        text = result[width]
        raw.append(text.encode("utf-8") if isinstance(text, str) else bytes(text))
    return CompactRows(spec.name, profile, spec.columns, values, raw)


def compact_page(
    spec: EntitySpec,
    conn: sa.Connection,
    *,
    profile: str,
    search: str | None = None,
    filters: Filters | None = None,
    sort: Sort | None = None,
    offset: int = 0,
    limit: int = 200,
    share: Share | None = None,
    account: str | None = None,
) -> CompactRows:
    """One page of a view as `CompactRows` (what `Store.query` returns as `Row`s)."""
    stmt = select_rows(
        spec,
        conn,
        profile=profile,
        search=search,
        filters=filters,
        sort=sort,
        offset=offset,
        limit=limit,
        raw_text=True,
        account=account,
    )
    return to_compact(spec, profile, conn.execute(stmt), share)


def compact_to_row(
    entity: str, profile: str, columns: Sequence[str], values: Sequence[Any], raw: bytes
) -> Row:
    mapping = dict(zip(columns, values, strict=True))
    return Row(entity, profile, mapping["id"], mapping, json.loads(raw))


def count_rows(
    spec: EntitySpec,
    conn: sa.Connection,
    *,
    profile: str,
    search: str | None = None,
    filters: Filters | None = None,
    account: str | None = None,
) -> int:
    if search and not filters and spec.searchable and not scope_clauses(spec, account):
        shortcut = single_profile_search_count(conn, spec, profile, search)
        if shortcut is not None:
            return shortcut
    stmt = (
        sa.select(sa.func.count())
        .select_from(spec.table)
        .where(*where(spec, conn, profile, search, filters, account))
    )
    return int(conn.execute(stmt).scalar_one())


def facet_rows(
    spec: EntitySpec,
    conn: sa.Connection,
    column: str,
    *,
    profile: str,
    search: str | None = None,
    filters: Filters | None = None,
    limit: int = 500,
    account: str | None = None,
) -> sa.Select[Any]:
    target = _column(spec, column)
    total = sa.func.count().label("n")
    return (
        sa.select(target, total)
        .where(*where(spec, conn, profile, search, filters, account))
        .group_by(target)
        .order_by(total.desc(), target.asc())
        .limit(limit)
    )


def range_of(
    spec: EntitySpec,
    conn: sa.Connection,
    column: str,
    *,
    profile: str,
    search: str | None = None,
    filters: Filters | None = None,
    account: str | None = None,
) -> sa.Select[Any]:
    target = _column(spec, column)
    return sa.select(sa.func.min(target), sa.func.max(target)).where(
        *where(spec, conn, profile, search, filters, account)
    )

"""What a browser asks the store for: search text, filters and sort, as one immutable value.

The same `ViewQuery` drives the table model's pages and the CSV export of "the current view",
so an export always contains exactly what the table shows, in the same order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from viva_desktop.services.local.store import Range


@dataclass(frozen=True)
class ViewQuery:
    search: str = ""
    filters: tuple[tuple[str, Any], ...] = ()
    sort: tuple[tuple[str, bool], ...] = ()  # (column, ascending); () = the entity's default

    @property
    def filter_map(self) -> dict[str, Any]:
        return dict(self.filters)

    def store_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for `Store.query/count/export`."""
        return {
            "search": self.search or None,
            "filters": self.filter_map or None,
            "sort": list(self.sort) or None,
        }

    def with_search(self, text: str) -> ViewQuery:
        return replace(self, search=" ".join(text.split()))

    def with_filter(self, column: str, value: Any) -> ViewQuery:
        """Filter `column` by `value` (a value, a list of values, a `Range`, or None for
        "no value"); see `without_filter` to drop the filter."""
        kept = tuple((k, v) for k, v in self.filters if k != column)
        return replace(self, filters=(*kept, (column, _frozen(value))))

    def without_filter(self, column: str) -> ViewQuery:
        return replace(self, filters=tuple((k, v) for k, v in self.filters if k != column))

    def with_filters(self, filters: Mapping[str, Any]) -> ViewQuery:
        return replace(self, filters=tuple((k, _frozen(v)) for k, v in filters.items()))

    def with_sort(self, sort: tuple[tuple[str, bool], ...]) -> ViewQuery:
        return replace(self, sort=tuple(sort))


def _frozen(value: Any) -> Any:
    """Lists become tuples so the query stays hashable and comparable."""
    if isinstance(value, list | set | frozenset):
        return tuple(value)
    if isinstance(value, Range):
        return value
    return value

"""How a table model holds its rows: compact enough for 100 000 of them.

A store row as a `Row` (a dict of its values plus the parsed server JSON) weighs about 4 kB;
a browser that scrolled through 100 000 posts held some 400 MB that way. Here each row is one
tuple of values and its JSON as unparsed UTF-8 bytes, with equal values (a post's type, its
author, the moment of the sync that stored it) shared between rows. `Row`s are built on
demand, and the last few are kept, since selecting a row asks for it several times.

Plain Python (no Qt): the read side (`ValuePool.share`) runs on the worker threads.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from viva_desktop.services.local.store.queries import CompactRows, Row, compact_to_row

_SHAREABLE = (str, datetime, int, float)
POOL_LIMIT = 4096  # distinct values per column before that column stops being shared
ROW_CACHE = 256  # `Row`s kept built


class ValuePool:
    """Replaces values equal to ones seen before by the objects already held.

    Each column has its own pool. A column whose values keep being new (ids, titles, exact
    times) stops being pooled once its pool reaches `POOL_LIMIT` entries, so the pools stay
    small and only repeated values are shared. Thread-safe enough for the one reader of a
    model generation at a time (and `dict.setdefault` is atomic anyway).
    """

    def __init__(self, width: int) -> None:
        self._pools: list[dict[Any, Any] | None] = [{} for _ in range(width)]

    def share(self, values: tuple[Any, ...]) -> tuple[Any, ...]:
        pools = self._pools
        shared = list(values)
        for position, value in enumerate(values):
            pool = pools[position]
            if pool is None or not isinstance(value, _SHAREABLE):
                continue
            kept = pool.setdefault(value, value)
            if kept is value:
                if len(pool) > POOL_LIMIT:
                    pools[position] = None
            else:
                shared[position] = kept
        return tuple(shared)


class RowStore:
    """The rows of one model, in view order."""

    def __init__(self, entity: str, columns: Sequence[str]) -> None:
        self.entity = entity
        self.columns = tuple(columns)
        self.position = {name: number for number, name in enumerate(self.columns)}
        self._id = self.position["id"]
        self._local_changes = self.position["local_changes"]
        self._gone_at = self.position["gone_at"]
        self.profile = ""
        self._values: list[tuple[Any, ...]] = []
        self._raw: list[bytes] = []
        self._built: OrderedDict[int, Row] = OrderedDict()

    def __len__(self) -> int:
        return len(self._values)

    def replace(self, page: CompactRows) -> None:
        self.profile = page.profile
        self._values = list(page.values)
        self._raw = list(page.raw)
        self._built.clear()

    def extend(self, page: CompactRows) -> None:
        self._values.extend(page.values)
        self._raw.extend(page.raw)

    def clear(self) -> None:
        self._values, self._raw = [], []
        self._built.clear()

    def values(self, number: int) -> tuple[Any, ...]:
        return self._values[number]

    def record_id(self, number: int) -> str:
        return str(self._values[number][self._id])

    def local_changes(self, number: int) -> str | None:
        return self._values[number][self._local_changes]  # type: ignore[no-any-return]

    def gone_at(self, number: int) -> datetime | None:
        return self._values[number][self._gone_at]  # type: ignore[no-any-return]

    def row(self, number: int, *, keep: bool = True) -> Row:
        """The full `Row` (values and parsed server JSON) of row `number`."""
        built = self._built.get(number)
        if built is not None:
            self._built.move_to_end(number)
            return built
        built = compact_to_row(
            self.entity, self.profile, self.columns, self._values[number], self._raw[number]
        )
        if keep:
            self._built[number] = built
            if len(self._built) > ROW_CACHE:
                self._built.popitem(last=False)
        return built

    def rows(self) -> list[Row]:
        return [self.row(number, keep=False) for number in range(len(self._values))]

    def record_ids(self) -> list[str]:
        position = self._id
        return [str(values[position]) for values in self._values]

    def find(self, record_id: str) -> int:
        position = self._id
        for number, values in enumerate(self._values):
            if values[position] == record_id:
                return number
        return -1

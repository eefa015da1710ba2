"""What a report holds: figures with their previous value, breakdowns for tables and charts,
and the written summary. Plain values, so a worker thread can hand them to the GUI."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from viva_desktop.services.reports.period import Period


@dataclass(frozen=True)
class Figure:
    key: str  # stable name ("offers_created"), for tests and exports
    label: str  # translated
    current: float
    previous: float | None  # None: not known for the previous period (a snapshot)
    note: str = ""  # where the figure comes from, when not obvious

    @property
    def change(self) -> float | None:
        return None if self.previous is None else self.current - self.previous

    @property
    def percent(self) -> float | None:
        """The change in percent of the previous value (None when that was 0 or unknown)."""
        if self.previous in (None, 0):
            return None
        return 100.0 * (self.current - self.previous) / self.previous


@dataclass(frozen=True)
class Breakdown:
    """Counts by a category (offers by type…), this period and the previous one."""

    key: str
    label: str  # translated title
    rows: tuple[tuple[str, int, int], ...]  # (translated label, current, previous)

    @property
    def total(self) -> int:
        return sum(current for _label, current, _previous in self.rows)


@dataclass(frozen=True)
class ActivityReport:
    profile: str
    account: str | None  # the server user id whose own data is counted
    account_label: str
    community_id: str | None  # None: every community
    community_name: str  # translated "All communities" when None
    period: Period
    previous: Period
    generated_at: datetime
    language: str  # "en" or "es"
    figures: tuple[Figure, ...]
    breakdowns: tuple[Breakdown, ...]
    summary: tuple[str, ...] = field(default=())
    notes: tuple[str, ...] = field(default=())

    def figure(self, key: str) -> Figure:
        for figure in self.figures:
            if figure.key == key:
                return figure
        raise KeyError(key)

    def find(self, key: str) -> Figure | None:
        return next((figure for figure in self.figures if figure.key == key), None)

    def breakdown(self, key: str) -> Breakdown:
        for breakdown in self.breakdowns:
            if breakdown.key == key:
                return breakdown
        raise KeyError(key)

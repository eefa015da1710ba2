"""A report's period: whole local days, inclusive, and the previous period of the same length."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    CUSTOM = "custom"


_DAYS = {PeriodKind.MONTH: 30, PeriodKind.QUARTER: 91, PeriodKind.YEAR: 365}


@dataclass(frozen=True)
class Period:
    """From `first` to `last`, both included, in the computer's local days."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"the period ends ({self.last}) before it starts ({self.first})")

    @classmethod
    def last_of(cls, kind: PeriodKind, today: date | None = None) -> Period:
        """The last month (30 days), quarter (91) or year (365) up to `today`, included."""
        end = today or date.today()
        return cls(end - timedelta(days=_DAYS[PeriodKind(kind)] - 1), end)

    @classmethod
    def parse(cls, first: str, last: str) -> Period:
        """From ISO dates (YYYY-MM-DD); ValueError with a readable message when malformed."""
        try:
            start, end = date.fromisoformat(first), date.fromisoformat(last)
        except ValueError as exc:
            raise ValueError(f"a date must look like 2026-01-31: {exc}") from None
        return cls(start, end)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> Period:
        """The period of the same length that ends the day before this one starts."""
        end = self.first - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)

    def bounds(self) -> tuple[datetime, datetime]:
        """The first and last instant (aware, UTC) of the period in local time."""
        start = datetime.combine(self.first, time.min).astimezone()
        end = datetime.combine(self.last, time.max).astimezone()
        return start.astimezone(UTC), end.astimezone(UTC)

    def contains(self, moment: datetime) -> bool:
        start, end = self.bounds()
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return start <= moment <= end

"""Silences and weekly maintenance windows: alerts that are still recorded, but not sent.

A silence covers one deployment from now for 1 h, 4 h, until a given time or any custom
stretch; it is kept in the store, so every app and headless watcher sharing a team store
honours it. Maintenance windows are weekly stretches in the machine's local time, from the
settings. The watcher asks `reason(profile, at)` before sending anything.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from viva_desktop.services.common.config.fleet import MaintenanceWindow
from viva_desktop.services.common.i18n import translate
from viva_desktop.services.local.store import Store, fleet_tables

PRESETS: dict[str, timedelta] = {"1h": timedelta(hours=1), "4h": timedelta(hours=4)}


@dataclass(frozen=True)
class Silence:
    pk: int | None
    profile: str
    starts_at: datetime
    ends_at: datetime
    reason: str | None = None

    def covers(self, at: datetime) -> bool:
        return self.starts_at <= at < self.ends_at

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Silence:
        return cls(
            row.get("pk"),
            str(row["profile"]),
            _aware(row["starts_at"]),
            _aware(row["ends_at"]),
            row.get("reason"),
        )


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def in_maintenance(
    windows: Iterable[MaintenanceWindow], at: datetime, tz: tzinfo | None = None
) -> MaintenanceWindow | None:
    """The weekly window covering `at` (in `tz`, default the machine's local time), if any."""
    local = at.astimezone(tz)
    for window in windows:
        # The window may have started this week or last week (one spanning midnight Sunday).
        for weeks_back in (0, 1):
            day = local.date() - timedelta(days=(local.weekday() - window.weekday_index) % 7)
            day -= timedelta(weeks=weeks_back)
            start = datetime.combine(day, window.start, tzinfo=local.tzinfo)
            if start <= local < start + window.duration:
                return window
    return None


class SilenceBook:
    """The silences in force and the maintenance windows of each deployment. Thread-safe."""

    def __init__(
        self,
        maintenance: Mapping[str, list[MaintenanceWindow]] | None = None,
        tz: tzinfo | None = None,
    ) -> None:
        self._lock = threading.Lock()
        self._silences: list[Silence] = []
        self._maintenance = dict(maintenance or {})
        self._tz = tz

    def set_silences(self, silences: Iterable[Silence]) -> None:
        with self._lock:
            self._silences = list(silences)

    def set_maintenance(self, maintenance: Mapping[str, list[MaintenanceWindow]]) -> None:
        with self._lock:
            self._maintenance = dict(maintenance)

    def silences(self, profile: str | None = None) -> list[Silence]:
        with self._lock:
            return [s for s in self._silences if profile is None or s.profile == profile]

    def reason(self, profile: str, at: datetime) -> str | None:
        """Why alerts of `profile` are not sent at `at`, or None when they are."""
        with self._lock:
            silences = [s for s in self._silences if s.profile == profile and s.covers(at)]
            windows = self._maintenance.get(profile, [])
        if silences:
            end = max(s.ends_at for s in silences)
            return translate("Fleet", "silenced until {time}").format(
                time=end.astimezone(self._tz).strftime("%Y-%m-%d %H:%M")
            )
        window = in_maintenance(windows, at, self._tz)
        if window is not None:
            return translate(
                "Fleet", "maintenance window ({weekday} {start}, {minutes} min)"
            ).format(
                weekday=window.weekday,
                start=window.start.strftime("%H:%M"),
                minutes=window.duration_min,
            )
        return None

    def load(self, store: Store, now: datetime) -> None:
        """Read the silences still running from the store (blocking)."""
        with store.read() as conn:
            rows = fleet_tables.read_silences(conn, active_at=now)
        self.set_silences(Silence.from_row(r) for r in rows)


def silence(
    store: Store,
    profile: str,
    *,
    now: datetime,
    duration: timedelta | None = None,
    until: datetime | None = None,
    reason: str | None = None,
) -> Silence:
    """Silence `profile` for `duration` or until `until` (exactly one of them); blocking."""
    if (duration is None) == (until is None):
        raise ValueError("give either a duration or an end time")
    end = until if until is not None else now + duration  # type: ignore[operator]
    if end <= now:
        raise ValueError(translate("Fleet", "A silence must end in the future."))
    with store.write() as conn:
        pk = fleet_tables.add_silence(conn, profile, now, end, reason, now)
    return Silence(pk, profile, now, end, reason)


def end_silence(store: Store, pk: int, now: datetime) -> None:
    with store.write() as conn:
        fleet_tables.end_silence(conn, pk, now)

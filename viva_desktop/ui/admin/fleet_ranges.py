"""The detail view's time ranges and its time axis: fitted to the samples there are, with
ticks at round times (every 5 min, every hour, at midnight...), never at odd seconds.

A range of one hour with three minutes of samples shows those three minutes across the whole
width instead of crowding them against the right edge."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import Enum

from PySide6.QtCore import QDate, QLocale

from viva_desktop.services.common.i18n import QT_TRANSLATE_NOOP, translate
from viva_desktop.ui.common.timefmt import clock_text


class FleetRange(Enum):
    MIN_15 = (timedelta(minutes=15), QT_TRANSLATE_NOOP("FleetRange", "15 minutes"))
    HOUR_1 = (timedelta(hours=1), QT_TRANSLATE_NOOP("FleetRange", "1 hour"))
    HOUR_6 = (timedelta(hours=6), QT_TRANSLATE_NOOP("FleetRange", "6 hours"))
    HOUR_24 = (timedelta(hours=24), QT_TRANSLATE_NOOP("FleetRange", "24 hours"))
    DAY_7 = (timedelta(days=7), QT_TRANSLATE_NOOP("FleetRange", "7 days"))
    DAY_30 = (timedelta(days=30), QT_TRANSLATE_NOOP("FleetRange", "30 days"))

    @property
    def window(self) -> timedelta:
        return self.value[0]

    @property
    def label(self) -> str:
        return translate("FleetRange", self.value[1])


_STEPS = [
    timedelta(seconds=s)
    for s in (
        10,
        30,
        60,
        120,
        300,
        600,
        900,
        1800,
        3600,
        2 * 3600,
        3 * 3600,
        6 * 3600,
        12 * 3600,
        86400,
        2 * 86400,
        7 * 86400,
    )
]
MIN_SPAN = timedelta(minutes=1)


def fitted_span(
    range_start: datetime, now: datetime, first_sample: datetime | None
) -> tuple[datetime, datetime]:
    """The x range to draw: from the first sample (or the range start, whichever is later) to
    now, never shorter than a minute."""
    start = range_start if first_sample is None else max(range_start, first_sample)
    if now - start < MIN_SPAN:
        start = now - MIN_SPAN
    return start, now


def round_ticks(start: datetime, end: datetime, max_ticks: int = 7) -> list[datetime]:
    """Tick times within [start, end] at a round step (in the times' own time zone), at most
    `max_ticks` of them."""
    span = end - start
    step = next((s for s in _STEPS if span / s <= max_ticks), _STEPS[-1])
    local = start
    if step >= timedelta(days=1):
        first = local.replace(hour=0, minute=0, second=0, microsecond=0)
    else:
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        elapsed = (local - midnight) // step
        first = midnight + elapsed * step
    if first < start:
        first += step
    ticks = []
    tick = first
    while tick <= end:
        ticks.append(tick)
        tick += step
    return ticks


def tick_label(tick: datetime, step_hint: timedelta) -> str:
    """The tick's time in the UI language's format, as in the tables beside the charts
    ("2:05 PM", "14:05"; with seconds below a minute), or its day ("Mon 6", "lun 6")."""
    if step_hint >= timedelta(days=1):
        return QLocale().toString(QDate(tick.year, tick.month, tick.day), "ddd d")
    return clock_text(tick, seconds=step_hint < timedelta(minutes=1), zone=False)

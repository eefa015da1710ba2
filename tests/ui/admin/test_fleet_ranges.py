"""The detail's ranges: ticks at round times, the span fitted to the samples there are."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from viva_desktop.ui.admin.fleet_ranges import FleetRange, fitted_span, round_ticks

NOW = datetime(2026, 12, 6, 14, 7, 23, tzinfo=UTC)


@pytest.mark.parametrize("choice", list(FleetRange))
def test_ticks_are_round_and_few(choice: FleetRange) -> None:
    start = NOW - choice.window
    ticks = round_ticks(start, NOW)
    assert 2 <= len(ticks) <= 7
    step = ticks[1] - ticks[0]
    midnight = ticks[0].replace(hour=0, minute=0, second=0, microsecond=0)
    for tick in ticks:
        assert start <= tick <= NOW
        assert (tick - midnight) % step == timedelta(0)


def test_a_few_minutes_of_samples_fill_the_width() -> None:
    start, end = fitted_span(NOW - timedelta(hours=1), NOW, NOW - timedelta(minutes=3))
    assert (start, end) == (NOW - timedelta(minutes=3), NOW)
    start, _ = fitted_span(NOW - timedelta(hours=1), NOW, NOW - timedelta(seconds=20))
    assert NOW - start == timedelta(minutes=1)  # never narrower than a minute
    start, _ = fitted_span(NOW - timedelta(hours=1), NOW, None)
    assert start == NOW - timedelta(hours=1)


@pytest.mark.parametrize(
    ("locale", "minutes", "seconds", "day"),
    [
        ("en_US", "2:05\u202fPM", "2:05:30\u202fPM", "Mon 7"),
        ("es_ES", "14:05", "14:05:30", "lun 7"),
    ],
)
def test_tick_labels_speak_the_ui_language_like_the_tables(
    qapp, locale: str, minutes: str, seconds: str, day: str
) -> None:
    """The charts' times read as the fleet table's "Checked" column does, and day names are
    the UI language's, not always English."""
    from PySide6.QtCore import QLocale

    from viva_desktop.ui.admin.fleet_ranges import tick_label
    from viva_desktop.ui.common.timefmt import set_time_zone, time_zone_name

    tick = datetime(2026, 12, 7, 14, 5, 30, tzinfo=UTC)
    before_locale, before_zone = QLocale(), time_zone_name()
    QLocale.setDefault(QLocale(locale))
    set_time_zone("UTC")
    try:
        assert tick_label(tick, timedelta(minutes=5)) == minutes
        assert tick_label(tick, timedelta(seconds=10)) == seconds
        assert tick_label(tick, timedelta(days=1)) == day
    finally:
        QLocale.setDefault(before_locale)
        set_time_zone(before_zone)

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

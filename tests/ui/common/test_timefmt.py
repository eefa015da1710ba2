"""One time format everywhere, in the zone the user chose (issue 17, defect 8): the UI
language's own format (12-hour "6:29 PM" in English, 24-hour "18:29" in Spanish), the same
in every view, and the zone's name after the time when it is not this computer's."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QLocale

from viva_desktop.ui.admin.log_model import local_time
from viva_desktop.ui.common import formatting, timefmt
from viva_desktop.ui.models.columns import local_datetime_text

MOMENT = datetime(2026, 7, 1, 16, 29, 5, tzinfo=UTC)  # 18:29:05 in Madrid (summer time)


@pytest.fixture(autouse=True)
def _english_and_local_again():
    previous = QLocale()
    yield
    timefmt.set_time_zone("local")
    QLocale.setDefault(previous)


def test_utc_and_a_named_zone_are_shown_with_their_name() -> None:
    QLocale.setDefault(QLocale("en_US"))
    timefmt.set_time_zone("UTC")
    assert timefmt.clock_text(MOMENT) == "4:29\u202fPM UTC"
    assert timefmt.clock_text(MOMENT, seconds=True) == "4:29:05\u202fPM UTC"
    timefmt.set_time_zone("Europe/Madrid")
    assert timefmt.clock_text(MOMENT) == "6:29\u202fPM CEST"
    assert timefmt.datetime_text(MOMENT).endswith("6:29\u202fPM CEST")


def test_every_view_uses_the_same_format() -> None:
    QLocale.setDefault(QLocale("es_ES"))
    timefmt.set_time_zone("Europe/Madrid")
    assert formatting.clock_text(MOMENT) == "18:29 CEST"  # dashboard, health, database
    assert local_datetime_text(MOMENT) == timefmt.datetime_text(MOMENT)  # tables, details
    assert local_datetime_text(MOMENT).startswith("1/7/26")
    assert local_time({"time": MOMENT.isoformat()}) == "18:29:05"  # the log viewer's column


def test_the_local_zone_shows_no_name() -> None:
    timefmt.set_time_zone("local")
    assert timefmt.zone_label() == ""
    assert not timefmt.clock_text(MOMENT).endswith("UTC")


def test_an_unknown_zone_falls_back_to_local() -> None:
    timefmt.set_time_zone("Mars/Olympus")
    assert timefmt.time_zone_name() == "local"
    with pytest.raises(ValueError):
        timefmt.zone_for("Mars/Olympus")

"""Silences (kept in the store) and weekly maintenance windows."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from viva_desktop.services.common.config.fleet import FleetSettings, MaintenanceWindow
from viva_desktop.services.local.store import open_store
from viva_desktop.services.monitoring.silences import (
    SilenceBook,
    end_silence,
    in_maintenance,
    silence,
)

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)  # a Saturday


def test_silences_for_a_while_and_until_a_time(store_url: str) -> None:
    with open_store(store_url) as store:
        one = silence(store, "prod", now=NOW, duration=timedelta(hours=1), reason="deploy")
        silence(store, "staging", now=NOW, until=NOW + timedelta(hours=4))
        book = SilenceBook()
        book.load(store, NOW)
        assert book.reason("prod", NOW + timedelta(minutes=59)) is not None
        assert book.reason("prod", NOW + timedelta(minutes=61)) is None
        assert book.reason("staging", NOW + timedelta(hours=3)) is not None
        assert book.reason("other", NOW) is None
        assert one.pk is not None
        end_silence(store, one.pk, NOW + timedelta(minutes=5))
        book.load(store, NOW + timedelta(minutes=6))
        assert book.reason("prod", NOW + timedelta(minutes=6)) is None
        with pytest.raises(ValueError, match="future"):
            silence(store, "prod", now=NOW, until=NOW - timedelta(minutes=1))
        with pytest.raises(ValueError, match="either"):
            silence(store, "prod", now=NOW)


def test_weekly_maintenance_windows_in_local_time() -> None:
    window = MaintenanceWindow(weekday="Sat", start=time(11, 30), duration_min=60)
    assert in_maintenance([window], NOW, UTC) is window
    assert in_maintenance([window], NOW + timedelta(hours=1), UTC) is None
    assert in_maintenance([window], NOW - timedelta(days=7), UTC) is window  # every week
    assert in_maintenance([window], NOW + timedelta(days=1), UTC) is None
    # a window across midnight from Sunday into Monday
    late = MaintenanceWindow(weekday="sun", start=time(23, 0), duration_min=120)
    monday_early = datetime(2026, 12, 7, 0, 30, tzinfo=UTC)
    assert in_maintenance([late], monday_early, UTC) is late
    book = SilenceBook({"prod": [window]}, tz=UTC)
    assert "maintenance window" in (book.reason("prod", NOW) or "")


def test_fleet_settings_validate_and_default() -> None:
    fleet = FleetSettings()
    assert fleet.pending_checks == 2
    assert fleet.retention_days == 30
    assert fleet.interval_of("anything") == 15.0
    with pytest.raises(ValueError, match="webhook"):
        FleetSettings(webhooks=["ftp://x"])
    with pytest.raises(ValueError, match="e-mail"):
        FleetSettings(smtp={"recipients": ["nobody"]})

"""The Settings dialog's time zone (issue 17, defect 8): chosen from a list, applied at once
to every time on screen, and saved in the configuration file."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime

from PySide6.QtWidgets import QLabel

from viva_desktop.ui.common import timefmt
from viva_desktop.ui.common.retranslate import Retranslating
from viva_desktop.ui.dialogs.settings import SettingsDialog


class Clock(Retranslating, QLabel):
    """A widget that shows a time, as the pages do, and says it again on a language change."""

    def retranslate(self) -> None:
        self.setText(timefmt.clock_text(datetime(2026, 1, 5, 9, 0, tzinfo=UTC)))


def test_the_time_zone_applies_at_once_and_is_saved(qtbot, context, config_path) -> None:
    clock = Clock()
    qtbot.addWidget(clock)
    clock.retranslate()
    assert "UTC" not in clock.text()
    dialog = SettingsDialog(context)
    qtbot.addWidget(dialog)
    assert dialog.time_zone.currentData() == "local"
    assert dialog.time_zone.itemText(0) == "This computer's time zone"
    assert dialog.time_zone.findData("Europe/Madrid") > 1
    try:
        dialog.time_zone.setCurrentIndex(dialog.time_zone.findData("UTC"))
        dialog.apply()
        assert context.settings.ui.time_zone == "UTC"
        assert clock.text().endswith(" UTC")  # redrawn without reopening anything
        qtbot.waitUntil(
            lambda: (
                config_path.exists()
                and tomllib.loads(config_path.read_text()).get("ui", {}).get("time_zone") == "UTC"
            ),
            timeout=5000,
        )
    finally:
        timefmt.set_time_zone("local")

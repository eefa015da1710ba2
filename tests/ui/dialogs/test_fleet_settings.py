"""The alert settings dialog: validation in place, per-deployment settings, a test alert to a
webhook receiver on loopback, and the SMTP password going to the keyring."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from tests.support.alert_receivers import WebhookReceiver
from viva_desktop.services.common.config import ServerProfile
from viva_desktop.services.monitoring.notifiers import keyring_password
from viva_desktop.ui.dialogs.fleet_settings import (
    DESKTOP,
    INTERVAL,
    MAINTENANCE,
    TAGS,
    FleetSettingsDialog,
    parse_maintenance,
)

WAIT_MS = 10_000


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    server = WebhookReceiver().start()
    try:
        yield server
    finally:
        server.stop()


def make_dialog(qtbot, settings) -> FleetSettingsDialog:
    settings.profiles = [
        *settings.profiles,
        ServerProfile(name="prod", url="https://api.example.org"),
    ]
    dialog = FleetSettingsDialog(settings)
    qtbot.addWidget(dialog)
    return dialog


def row_of(dialog: FleetSettingsDialog, name: str) -> int:
    return next(r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 0).text() == name)


def test_settings_per_deployment_are_read_and_validated(qtbot, settings) -> None:
    dialog = make_dialog(qtbot, settings)
    dialog.interval.setValue(30)
    dialog.pending.setValue(3)
    dialog.keep_firing.setValue(60)
    dialog.webhooks.setPlainText("https://hooks.example.org/a\n\n")
    row = row_of(dialog, "prod")
    dialog.table.item(row, INTERVAL).setText("10")
    dialog.table.item(row, TAGS).setText("eu, production")
    dialog.table.item(row, DESKTOP).setCheckState(Qt.CheckState.Unchecked)
    dialog.table.item(row, MAINTENANCE).setText("sat 2am")
    dialog.accept()
    assert dialog.result_settings is None  # stays open, the input kept
    assert dialog.error.isVisibleTo(dialog)
    assert "sat 2am" in dialog.error.text()

    dialog.table.item(row, MAINTENANCE).setText("Saturday 02:00 90")
    dialog.accept()
    fleet = dialog.result_settings
    assert fleet is not None
    assert fleet.interval_s == 30
    assert fleet.pending_checks == 3
    assert fleet.keep_firing_s == 60
    assert fleet.webhooks == ["https://hooks.example.org/a"]
    prod = fleet.deployment("prod")
    assert prod.interval_s == 10
    assert prod.tags == ["eu", "production"]
    assert prod.channels == ["webhook", "email"]
    assert prod.maintenance[0].weekday == "sat"
    assert fleet.interval_of("prod") == 10


def test_a_bad_webhook_keeps_the_dialog_open(qtbot, settings) -> None:
    dialog = make_dialog(qtbot, settings)
    dialog.webhooks.setPlainText("ftp://nope")
    dialog.accept()
    assert dialog.result_settings is None
    assert "webhook" in dialog.error.text().lower()
    assert dialog.webhooks.toPlainText() == "ftp://nope"  # nothing lost


def test_a_test_alert_reaches_the_webhook(qtbot, settings, receiver: WebhookReceiver) -> None:
    dialog = make_dialog(qtbot, settings)
    dialog.webhooks.setPlainText(receiver.url)
    with qtbot.waitSignal(dialog.tested, timeout=WAIT_MS) as sent:
        dialog.send_test()
    [delivery] = sent.args[0]
    assert delivery.ok
    assert receiver.bodies[0]["profile"] == "viva-desktop-test"
    assert "✓ webhook" in dialog.test_result.text()


def test_the_smtp_password_goes_to_the_keyring_not_the_file(
    qtbot, context, secret_service, config_path
) -> None:
    dialog = make_dialog(qtbot, context.settings)
    dialog.smtp_host.setText("127.0.0.1")
    dialog.smtp_user.setText("alerts-dialog")
    dialog.smtp_password.setText("pa55-w0rd")
    dialog.smtp_sender.setText("viva@example.org")
    dialog.smtp_recipients.setText("ops@example.org")
    dialog.accept()
    dialog.apply(context)
    qtbot.waitUntil(lambda: keyring_password("alerts-dialog") == "pa55-w0rd", timeout=WAIT_MS)
    qtbot.waitUntil(config_path.exists, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "alerts-dialog" in config_path.read_text(), timeout=WAIT_MS)
    assert "pa55-w0rd" not in config_path.read_text()
    assert context.settings.fleet.smtp.username == "alerts-dialog"


def test_maintenance_text_round_trip() -> None:
    windows = parse_maintenance("sat 02:00 90, sun 23:30 120")
    assert [(w.weekday, w.start.hour, w.duration_min) for w in windows] == [
        ("sat", 2, 90),
        ("sun", 23, 120),
    ]
    with pytest.raises(ValueError, match="xyz"):
        parse_maintenance("xyz")

"""Alerts leave the app: a webhook receiver and an SMTP server (aiosmtpd), both on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.support.alert_receivers import SmtpReceiver, WebhookReceiver
from viva_desktop.services.common.config.fleet import SmtpSettings
from viva_desktop.services.monitoring.alerts import AlertPolicy, AlertTracker
from viva_desktop.services.monitoring.health import HealthSample, HealthState
from viva_desktop.services.monitoring.notifiers import (
    EmailNotifier,
    WebhookNotifier,
    keyring_password,
    store_smtp_password,
    webhook_body,
)

T0 = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def firing_event():
    tracker = AlertTracker("prod", "https://api.example.org", AlertPolicy(pending_checks=1))
    sample = HealthSample("prod", T0, HealthState.UNHEALTHY, db_status="down", db_error="ECONN")
    event = tracker.feed(sample)
    assert event is not None
    assert event.notify
    return event


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    server = WebhookReceiver(fail_first=2).start()
    try:
        yield server
    finally:
        server.stop()


def test_webhook_body_carries_the_documented_fields() -> None:
    body = webhook_body(firing_event())
    assert body["profile"] == "prod"
    assert body["url"] == "https://api.example.org"
    assert body["state"] == "unhealthy"
    assert body["previous_state"] is None
    assert body["since"] == "2026-12-06T12:00:00Z"
    assert body["alert"] == "firing"
    assert body["cause"] == "database_down"
    assert "prod" in body["message"]


def test_webhook_retries_with_back_off_until_it_arrives(receiver: WebhookReceiver) -> None:
    notifier = WebhookNotifier([receiver.url], retries=3, backoff_s=0.01)
    try:
        [delivery] = notifier.send(firing_event())
    finally:
        notifier.close()
    assert delivery.ok, delivery
    assert receiver.attempts == 3  # two 503s, then accepted
    assert receiver.bodies[0]["state"] == "unhealthy"
    assert "secret-token" not in delivery.target  # the URL's path is not repeated anywhere


def test_webhook_gives_up_after_its_retries(receiver: WebhookReceiver) -> None:
    notifier = WebhookNotifier([receiver.url], retries=1, backoff_s=0.01)
    try:
        [delivery] = notifier.send(firing_event())
    finally:
        notifier.close()
    assert not delivery.ok
    assert "503" in delivery.detail
    assert receiver.attempts == 2
    assert receiver.bodies == []


@pytest.fixture
def smtp_server(tmp_path: Path) -> Iterator[SmtpReceiver]:
    server = SmtpReceiver(tmp_path).start()
    try:
        yield server
    finally:
        server.stop()


def test_email_over_starttls_with_the_password_from_the_keyring(
    smtp_server: SmtpReceiver, secret_service: str
) -> None:
    store_smtp_password("alerts", smtp_server.password)
    assert keyring_password("alerts") == smtp_server.password
    settings = SmtpSettings(
        host="127.0.0.1",
        port=smtp_server.port,
        username="alerts",
        sender="viva@example.org",
        recipients=["ops@example.org", "oncall@example.org"],
    )
    notifier = EmailNotifier(settings, ssl_context=smtp_server.client_context())
    [delivery] = notifier.send(firing_event())
    assert delivery.ok, delivery
    assert smtp_server.wait_for(1)
    message = smtp_server.messages[0]
    assert smtp_server.logins == ["alerts"]
    assert "prod" in message["Subject"]
    assert message["To"] == "ops@example.org, oncall@example.org"
    assert "database down" in message.get_payload()


def test_email_refused_without_the_right_password(smtp_server: SmtpReceiver) -> None:
    settings = SmtpSettings(
        host="127.0.0.1",
        port=smtp_server.port,
        username="alerts",
        sender="viva@example.org",
        recipients=["ops@example.org"],
    )
    notifier = EmailNotifier(
        settings, password=lambda _user: "wrong", ssl_context=smtp_server.client_context()
    )
    [delivery] = notifier.send(firing_event())
    assert not delivery.ok
    assert "Authentication" in delivery.detail
    assert "wrong" not in delivery.detail
    assert smtp_server.messages == []


def test_email_refuses_an_untrusted_certificate(smtp_server: SmtpReceiver) -> None:
    settings = SmtpSettings(
        host="127.0.0.1", port=smtp_server.port, sender="a@b.c", recipients=["d@e.f"]
    )
    [delivery] = EmailNotifier(settings).send(firing_event())
    assert not delivery.ok
    assert "SSL" in delivery.detail

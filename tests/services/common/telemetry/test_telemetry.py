"""Sentry end to end: the real sentry-sdk posts envelopes to a receiver on 127.0.0.1."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.sentry_receiver import SentryReceiver
from viva_desktop.services.common import telemetry
from viva_desktop.services.common.config import SentrySettings

JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJzdWIiOiI1ZTJiNmExZSIsInJvbGUiOiJBRE1JTiJ9."
    "Qm9ndXNTaWduYXR1cmVGb3JUZXN0c19fX19fX19fX18"
)
REFRESH = "3f2b6a1e-1111-4222-8333-444455556666"
PASSWORD = "Hunter2-very-secret"
EMAIL = "maria.secreta@comunidad.example"
SECRETS = (JWT, REFRESH, PASSWORD, EMAIL, "s3cretpw", "JBSWY3DPEHPK3PXP")


@pytest.fixture(autouse=True)
def _closed_afterwards() -> Iterator[None]:
    yield
    telemetry.close_telemetry()


def start(receiver: SentryReceiver, **options: Any) -> bool:
    settings = SentrySettings(dsn=receiver.dsn, environment="testing", **options)
    return telemetry.init_telemetry(settings, release="viva-desktop@9.9.9")


def raw_text(receiver: SentryReceiver) -> str:
    return "\n".join(body.decode("utf-8", "replace") for body in receiver.raw_bodies)


def capture_one(receiver: SentryReceiver, exc: BaseException) -> dict[str, Any]:
    event_id = telemetry.capture_exception(exc)
    assert event_id
    telemetry.flush(5)
    [event] = receiver.wait_for_events(1)
    assert event["event_id"] == event_id
    return event


def failing(message: str) -> RuntimeError:
    try:
        raise RuntimeError(message)
    except RuntimeError as exc:
        return exc


# --------------------------------------------------------------------------- off


def test_without_a_dsn_nothing_happens(sentry_receiver: SentryReceiver) -> None:
    assert telemetry.init_telemetry(SentrySettings(), release="x") is False
    assert not telemetry.is_enabled()
    assert telemetry.capture_exception(failing("boom")) is None
    assert telemetry.capture_message("hello") is None
    telemetry.set_user("u1", "ADMIN", EMAIL)
    telemetry.api_breadcrumb(object())
    telemetry.flush(1)
    assert sentry_receiver.raw_bodies == []


def test_an_invalid_dsn_leaves_reporting_off(sentry_receiver: SentryReceiver) -> None:
    settings = SentrySettings(dsn="not a dsn")
    assert telemetry.init_telemetry(settings, release="x") is False
    assert telemetry.capture_exception(failing("boom")) is None


def test_sample_rate_zero_sends_nothing(sentry_receiver: SentryReceiver) -> None:
    assert start(sentry_receiver, sample_rate=0.0)
    assert telemetry.capture_exception(failing("sampled out")) is None
    telemetry.flush(5)
    telemetry.close_telemetry()  # everything pending is sent before this returns
    assert sentry_receiver.events() == []


# --------------------------------------------------------------------------- events


def test_capture_carries_tags_release_and_user(sentry_receiver: SentryReceiver) -> None:
    assert start(sentry_receiver)
    telemetry.set_user("5e2b6a1e", "ADMIN", EMAIL)
    event = capture_one(sentry_receiver, failing("database unreachable"))
    assert event["release"] == "viva-desktop@9.9.9"
    assert event["environment"] == "testing"
    assert event["tags"]["environment"] == "testing"
    assert event["tags"]["release"] == "viva-desktop@9.9.9"
    assert event["tags"]["app"] == "viva-desktop"
    assert event["tags"]["role"] == "ADMIN"
    assert event["user"] == {"id": "5e2b6a1e", "role": "ADMIN"}  # no e-mail without opt-in
    assert event["exception"]["values"][0]["type"] == "RuntimeError"
    assert event["exception"]["values"][0]["value"] == "database unreachable"
    assert "server_name" not in event
    frames = event["exception"]["values"][0]["stacktrace"]["frames"]
    assert all("vars" not in frame for frame in frames)  # locals may hold passwords
    assert EMAIL not in raw_text(sentry_receiver)


def test_email_only_with_opt_in(sentry_receiver: SentryReceiver) -> None:
    assert start(sentry_receiver, send_email=True)
    telemetry.set_user("u1", "CITIZEN", EMAIL)
    event = capture_one(sentry_receiver, failing(f"could not reach {EMAIL}'s offers"))
    assert event["user"] == {"id": "u1", "role": "CITIZEN", "email": EMAIL}
    assert EMAIL not in event["exception"]["values"][0]["value"]  # still scrubbed elsewhere
    telemetry.clear_user()
    telemetry.capture_message("after logout")
    telemetry.flush(5)
    events = sentry_receiver.wait_for_events(2)
    assert "user" not in events[-1] or not events[-1]["user"]


def test_secrets_are_scrubbed_everywhere(sentry_receiver: SentryReceiver) -> None:
    import sentry_sdk

    assert start(sentry_receiver)
    telemetry.set_user("u1", "ADMIN", EMAIL)
    sentry_sdk.set_extra("login_body", {"email": EMAIL, "password": PASSWORD})
    sentry_sdk.set_extra("note", f"refresh token {REFRESH}")
    sentry_sdk.set_context(
        "request",
        {"headers": {"Authorization": f"Bearer {JWT}"}, "url": "/auth/refresh?token=abc"},
    )
    sentry_sdk.set_tag("store", "postgresql+psycopg://viva:s3cretpw@db/viva")
    logging.getLogger("viva.test").warning(
        "login for %s with password=%s gave %s", EMAIL, PASSWORD, {"access_token": JWT}
    )
    telemetry.api_breadcrumb(
        _Event("POST", f"/auth/login?email={EMAIL}", 401, error="Invalid credentials")
    )
    exc = failing(
        f"refresh failed: Authorization: Bearer {JWT} twoFactorSecret=JBSWY3DPEHPK3PXP for {EMAIL}"
    )
    event = capture_one(sentry_receiver, exc)
    text = raw_text(sentry_receiver)
    for secret in SECRETS:
        assert secret not in text, secret
    assert "[REDACTED]" in event["exception"]["values"][0]["value"]
    assert event["extra"]["login_body"]["password"] == "[REDACTED]"
    crumbs = event["breadcrumbs"]["values"]
    log_crumb = next(c for c in crumbs if c.get("category") == "viva.test")
    assert "[REDACTED]" in log_crumb["message"]
    http_crumb = next(c for c in crumbs if c.get("category") == "http")
    assert http_crumb["data"]["url"] == "/auth/login"


class _Event:
    """Duck-typed request event, as `api_breadcrumb` accepts."""

    def __init__(
        self, method: str, path: str, status: int | None, *, error: str | None = None
    ) -> None:
        self.method = method
        self.path = path
        self.status = status
        self.error = error
        self.elapsed_ms = 12.345
        self.request_id = "req-1"
        self.attempt = 1


def test_api_breadcrumbs_from_a_real_client(
    sentry_receiver: SentryReceiver, readonly_sandbox: Any
) -> None:
    from viva_desktop.services.remote.api.client import ApiClient

    assert start(sentry_receiver)
    client = ApiClient(readonly_sandbox.url, timeout=10)
    client.add_listener(telemetry.api_breadcrumb)
    try:
        client.get("/health", authenticated=False)
        client.get("/events", params={"limit": 2, "offset": 0}, authenticated=False)
    finally:
        client.close()
    event = capture_one(sentry_receiver, failing("after two calls"))
    crumbs = [c for c in event["breadcrumbs"]["values"] if c.get("category") == "http"]
    assert [c["data"]["url"] for c in crumbs] == ["/health", "/events"]
    for crumb in crumbs:
        data = crumb["data"]
        assert data["method"] == "GET"
        assert data["status_code"] == 200
        assert data["request_id"]
        assert data["duration_ms"] >= 0
        assert crumb["type"] == "http"
        assert crumb["level"] == "info"
        assert "headers" not in json.dumps(crumb).lower()


def test_breadcrumb_levels(sentry_receiver: SentryReceiver) -> None:
    assert start(sentry_receiver)
    telemetry.api_breadcrumb(_Event("GET", "/offers/x", 500))
    telemetry.api_breadcrumb(_Event("GET", "/users/x", 404))
    telemetry.api_breadcrumb(_Event("GET", "/health", None, error="NetworkUnreachable"))
    event_id = telemetry.capture_message("levels")
    assert event_id
    telemetry.flush(5)
    [event] = sentry_receiver.wait_for_events(1)
    crumbs = [c for c in event["breadcrumbs"]["values"] if c.get("category") == "http"]
    assert [c["level"] for c in crumbs] == ["error", "warning", "error"]
    assert crumbs[2]["data"]["error"] == "NetworkUnreachable"
    assert event["message"] == "levels" or event["logentry"]["message"] == "levels"


def test_init_can_be_repeated(sentry_receiver: SentryReceiver) -> None:
    assert start(sentry_receiver)
    telemetry.set_user("u1", "ADMIN")
    assert telemetry.init_telemetry(
        SentrySettings(dsn=sentry_receiver.dsn), release="viva-desktop@10.0.0", environment="ci"
    )
    event = capture_one(sentry_receiver, failing("second client"))
    assert event["release"] == "viva-desktop@10.0.0"
    assert event["environment"] == "ci"
    assert "user" not in event or not event["user"]  # nothing leaks from the first set-up
    telemetry.close_telemetry()
    assert not telemetry.is_enabled()
    assert telemetry.capture_exception(failing("after close")) is None


def test_scrub_event_directly() -> None:
    event = {
        "event_id": "abc",
        "release": "viva-desktop@1.0.0",
        "server_name": "marias-laptop",
        "modules": {"httpx": "0.27"},
        "user": {"id": "u1", "email": EMAIL, "ip_address": "10.0.0.7", "role": "ADMIN"},
        "request": {
            "url": "https://api.example.org/auth/login?token=abc",
            "headers": {"Authorization": f"Bearer {JWT}"},
            "query_string": "token=abc",
            "data": {"password": PASSWORD},
        },
        "logentry": {"message": "login %s", "params": [f"password={PASSWORD}"]},
    }
    scrubbed = telemetry.scrub_event(event)
    text = json.dumps(scrubbed)
    for secret in (JWT, PASSWORD, EMAIL, "10.0.0.7", "marias-laptop", "token=abc"):
        assert secret not in text
    assert scrubbed["user"] == {"id": "u1", "role": "ADMIN"}
    assert scrubbed["request"]["url"] == "https://api.example.org/auth/login"
    assert scrubbed["release"] == "viva-desktop@1.0.0"
    assert telemetry.scrub_event(event, keep_email=True)["user"]["email"] == EMAIL

"""Channels that carry alerts out of the app: webhooks (JSON POST) and e-mail (SMTP).

The desktop notification and the tray are UI listeners and live in `ui/`. A channel never
raises into the watcher: `send` returns a `Delivery` saying whether it arrived and, if not,
why, and the watcher logs it. Secrets (the SMTP password, tokens in webhook URLs) never reach
the log.

The webhook body (documented in the README) is one JSON object per alert:

    {"profile", "url", "state", "previous_state", "since", "message", "alert" ("firing" or
     "resolved"), "alert_state", "previous_alert_state", "cause", "silenced", "outage_s", "at",
     "source": "viva-desktop"}
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx
import tenacity

from viva_desktop.services.common.config.fleet import SmtpSettings, smtp_password_key
from viva_desktop.services.common.i18n import translate
from viva_desktop.services.monitoring.alerts import AlertEvent, duration_words

log = logging.getLogger("viva.monitoring.notify")


@dataclass(frozen=True)
class Delivery:
    channel: str
    target: str  # where it went, without secrets
    ok: bool
    detail: str = ""


class Notifier(Protocol):
    name: str

    def send(self, event: AlertEvent) -> list[Delivery]: ...


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def webhook_body(event: AlertEvent) -> dict[str, Any]:
    """The JSON a webhook receives for `event` (see the module docstring and the README)."""
    return {
        "source": "viva-desktop",
        "profile": event.profile,
        "url": event.url,
        "alert": event.kind,
        "state": event.state.value,
        "previous_state": event.previous_state.value if event.previous_state else None,
        "alert_state": event.alert_state.value,
        "previous_alert_state": event.previous_alert_state.value,
        "since": _iso(event.since),
        "at": _iso(event.at),
        "message": event.message,
        "cause": event.cause.value if event.cause else None,
        "silenced": event.silenced,
        "outage_s": None if event.outage_s is None else round(event.outage_s, 3),
    }


def redacted_url(url: str) -> str:
    """Scheme, host and port only: webhook paths and queries often carry tokens."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}" + (f":{parts.port}" if parts.port else "")


class _RetryableStatus(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status


class WebhookNotifier:
    """POSTs each alert as JSON to every URL, retrying failures with exponential back-off.

    5xx, 408, 429 and transport errors are retried (up to `retries` more attempts); other 4xx
    mean the receiver refuses this body, and are not.
    """

    name = "webhook"

    def __init__(
        self,
        urls: Sequence[str],
        *,
        retries: int = 3,
        backoff_s: float = 1.0,
        timeout_s: float = 10.0,
        http: httpx.Client | None = None,
    ) -> None:
        self.urls = list(urls)
        self.retries = retries
        self.backoff_s = backoff_s
        self._http = http or httpx.Client(timeout=timeout_s, follow_redirects=False)

    def close(self) -> None:
        self._http.close()

    def send(self, event: AlertEvent) -> list[Delivery]:
        body = webhook_body(event)
        return [self._post(url, body) for url in self.urls]

    def _post(self, url: str, body: dict[str, Any]) -> Delivery:
        target = redacted_url(url)
        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.retries + 1),
            wait=tenacity.wait_exponential(multiplier=self.backoff_s, max=60 * self.backoff_s),
            retry=tenacity.retry_if_exception_type((httpx.TransportError, _RetryableStatus)),
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    response = self._http.post(url, json=body)
                    if response.status_code >= 500 or response.status_code in (408, 429):
                        raise _RetryableStatus(response.status_code)
            if response.status_code >= 400:
                detail = f"HTTP {response.status_code}"
                log.warning("webhook %s refused the alert: %s", target, detail)
                return Delivery(self.name, target, False, detail)
            return Delivery(self.name, target, True, f"HTTP {response.status_code}")
        except (httpx.TransportError, _RetryableStatus) as exc:
            detail = str(exc) or type(exc).__name__
            log.warning("webhook %s failed after %d attempts: %s", target, self.retries + 1, detail)
            return Delivery(self.name, target, False, detail)


def keyring_password(username: str) -> str | None:
    """The SMTP password of `username` from the OS keyring (None when absent or no keyring)."""
    import keyring
    import keyring.errors

    try:
        return keyring.get_password(*smtp_password_key(username))
    except keyring.errors.KeyringError:
        return None


def store_smtp_password(username: str, password: str) -> None:
    """Keep the SMTP password in the OS keyring (never in the settings file)."""
    import keyring

    keyring.set_password(*smtp_password_key(username), password)


def email_subject(event: AlertEvent) -> str:
    if event.kind == "resolved":
        return translate("Alert", "[Viva] Recovered: {profile}").format(profile=event.profile)
    return translate("Alert", "[Viva] Alert: {profile} is {state}").format(
        profile=event.profile, state=event.state.value
    )


def email_text(event: AlertEvent) -> str:
    lines = [
        event.message,
        "",
        f"{translate('Alert', 'Deployment')}: {event.profile} ({event.url})",
        f"{translate('Alert', 'State')}: {event.state.value}"
        + (
            f" ({translate('Alert', 'before')}: {event.previous_state.value})"
            if event.previous_state
            else ""
        ),
        f"{translate('Alert', 'Since')}: {_iso(event.since)}",
    ]
    if event.outage_s is not None:
        lines.append(f"{translate('Alert', 'Outage')}: {duration_words(event.outage_s)}")
    if event.cause is not None:
        lines.append(f"{translate('Alert', 'Cause')}: {event.cause.value}")
    return "\n".join(lines) + "\n"


class EmailNotifier:
    """Sends each alert as a plain-text e-mail over SMTP with STARTTLS and, when a user name
    is set, a login whose password comes from the keyring."""

    name = "email"

    def __init__(
        self,
        settings: SmtpSettings,
        *,
        password: Callable[[str], str | None] = keyring_password,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.settings = settings
        self._password = password
        self._ssl = ssl_context

    def send(self, event: AlertEvent) -> list[Delivery]:
        smtp = self.settings
        target = f"{smtp.host}:{smtp.port}"
        if not smtp.configured:
            return [Delivery(self.name, target, False, "SMTP is not configured")]
        message = EmailMessage()
        message["Subject"] = email_subject(event)
        message["From"] = smtp.sender or ""
        message["To"] = ", ".join(smtp.recipients)
        message.set_content(email_text(event))
        try:
            with smtplib.SMTP(smtp.host or "", smtp.port, timeout=smtp.timeout_s) as client:
                client.ehlo()
                if smtp.starttls:
                    client.starttls(context=self._ssl or ssl.create_default_context())
                    client.ehlo()
                if smtp.username:
                    password = self._password(smtp.username)
                    if password is None:
                        return [
                            Delivery(self.name, target, False, "no SMTP password in the keyring")
                        ]
                    client.login(smtp.username, password)
                client.send_message(message)
        except (smtplib.SMTPException, OSError) as exc:
            detail = type(exc).__name__ + (f": {exc}" if str(exc) else "")
            log.warning("e-mail alert via %s failed: %s", target, detail)
            return [Delivery(self.name, target, False, detail)]
        return [Delivery(self.name, target, True, ", ".join(smtp.recipients))]


def sample_alert(now: datetime) -> AlertEvent:
    """A made-up firing alert, for "Send a test alert": receivers see it as one would come."""
    from viva_desktop.services.monitoring.alerts import AlertState
    from viva_desktop.services.monitoring.health import HealthState

    return AlertEvent(
        profile="viva-desktop-test",
        url="https://example.invalid",
        at=now,
        alert_state=AlertState.FIRING,
        previous_alert_state=AlertState.NORMAL,
        state=HealthState.UNHEALTHY,
        previous_state=HealthState.HEALTHY,
        since=now,
        message=translate("Alert", "This is a test alert from Viva Desktop: nothing is wrong."),
        notify=True,
    )


def send_sample_alert(notifiers: Sequence[Notifier], now: datetime) -> list[Delivery]:
    """Send `sample_alert` through every channel (blocking); what arrived and what did not."""
    event = sample_alert(now)
    out: list[Delivery] = []
    for notifier in notifiers:
        out.extend(notifier.send(event))
    return out

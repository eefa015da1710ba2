"""The sections of the settings: server profiles (and the built-in sandbox preset), logging,
error reporting (Sentry), health polling and the user interface. Each validates its own values
with translated messages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

from viva_desktop.services.common.config.urls import redact_url
from viva_desktop.services.common.i18n import translate

SANDBOX_PROFILE_NAME = "Sandbox (built-in)"
SANDBOX_URL = "sandbox://embedded"
"""Placeholder URL of the built-in sandbox profile; the app swaps in the embedded server's
real address when it starts it."""

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


def profile_display_name(name: str, is_sandbox: bool) -> str:
    """A profile's name to show: the built-in sandbox's in the user's language, any other as
    it was given (the stored name stays fixed: the keyring and the store file data under it)."""
    if is_sandbox and name == SANDBOX_PROFILE_NAME:
        return translate("Config", "Sandbox (built-in)")
    return name


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class ServerProfile(_Section):
    """One server the app can talk to."""

    name: str
    url: str
    verify_tls: bool = True
    ca_bundle: Path | None = None
    timeout: float = Field(default=30.0, gt=0, le=600)
    # Seconds the automatic retries of one request may take in all (the app stops waiting for
    # a silent server then).
    retry_deadline: float = Field(default=45.0, gt=0, le=600)
    # Keep to the server's rate limits even when it does not enforce them: its budget is per
    # address, shared by everyone behind the same NAT or proxy. Off: send at full speed.
    pacing: bool = True
    account: str | None = None  # the remembered e-mail address; never a password
    is_sandbox: bool = False

    @property
    def display_name(self) -> str:
        """The name to show: the built-in sandbox's in the user's language. The stored `name`
        stays fixed, since the keyring and the store file their data under it."""
        return profile_display_name(self.name, self.is_sandbox)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError(translate("Config", "A profile needs a name."))
        return value

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        value = value.strip()
        try:
            parts = urlsplit(value)
            parts.port  # noqa: B018 - raises ValueError for an invalid port
        except ValueError as exc:
            raise ValueError(translate("Config", "This is not a valid URL.")) from exc
        if parts.scheme.lower() not in ("http", "https", "sandbox") or not parts.hostname:
            raise ValueError(
                translate("Config", "Use an http:// or https:// address with a host name.")
            )
        return value.rstrip("/")

    @field_validator("ca_bundle")
    @classmethod
    def _ca_bundle(cls, value: Path | None) -> Path | None:
        return value.expanduser() if value is not None and str(value) else None

    @field_validator("account")
    @classmethod
    def _account(cls, value: str | None) -> str | None:
        return (value or "").strip() or None


def sandbox_profile() -> ServerProfile:
    """The built-in sandbox preset (see `SANDBOX_URL`)."""
    return ServerProfile(name=SANDBOX_PROFILE_NAME, url=SANDBOX_URL, is_sandbox=True)


class LogSettings(_Section):
    level: LogLevel = "INFO"
    json_file: bool = True
    console: bool = True
    file_max_bytes: int = Field(default=2_000_000, ge=10_000)
    file_backups: int = Field(default=5, ge=0, le=100)

    @field_validator("level", mode="before")
    @classmethod
    def _level(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().upper()
            return "WARNING" if value == "WARN" else value
        return value


class SentrySettings(_Section):
    dsn: str | None = None
    sample_rate: float = Field(default=1.0, ge=0.0, le=1.0)
    environment: str = "production"
    send_email: bool = False

    @field_validator("dsn")
    @classmethod
    def _dsn(cls, value: str | None) -> str | None:
        return (value or "").strip() or None

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        for name, value in super().__repr_args__():
            yield name, (redact_url(value) if name == "dsn" and value else value)


class HealthSettings(_Section):
    poll_interval_s: float = Field(default=15.0, ge=1.0, le=3600.0)
    latency_warn_ms: int = Field(default=1000, gt=0)
    notify: bool = True
    muted: bool = False


class UiSettings(_Section):
    language: Literal["system", "en", "es"] = "system"
    theme: Literal["system", "light", "dark"] = "system"
    time_zone: str = "local"
    """How times are shown: "local" (this computer's zone), "UTC", or an IANA zone name
    such as "Europe/Madrid"."""
    shortcuts: dict[str, str] = Field(default_factory=dict)
    """Keyboard shortcuts the user changed: action id -> key sequence ("" = none)."""

    @field_validator("language", "theme", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("time_zone", mode="before")
    @classmethod
    def _zone(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        text = value.strip()
        if text.lower() in ("", "local", "system"):
            return "local"
        if text.upper() in ("UTC", "Z", "GMT"):
            return "UTC"
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(text)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                translate(
                    "Config",
                    "Unknown time zone {zone!r}: use local, UTC or a name such as Europe/Madrid.",
                ).format(zone=text)
            ) from None
        return text

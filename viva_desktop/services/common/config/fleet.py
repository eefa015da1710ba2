"""The settings of fleet watching: how often each deployment is checked, when an alert fires,
which channels it reaches, and how long the history is kept.

Per-deployment settings are keyed by profile name, so a profile needs no new fields; a
profile without an entry uses the defaults. The SMTP password is not here: it lives in the
keyring (`smtp_password_key`).
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from viva_desktop.services.common.i18n import translate

Channel = Literal["desktop", "webhook", "email"]
CHANNELS: tuple[Channel, ...] = ("desktop", "webhook", "email")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class MaintenanceWindow(_Section):
    """A weekly stretch (local time of the machine) during which alerts are silenced."""

    weekday: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    start: time
    duration_min: int = Field(gt=0, le=7 * 24 * 60)

    @field_validator("weekday", mode="before")
    @classmethod
    def _weekday(cls, value: object) -> object:
        return value.strip().lower()[:3] if isinstance(value, str) else value

    @property
    def weekday_index(self) -> int:
        return WEEKDAYS.index(self.weekday)

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_min)


class DeploymentWatch(_Section):
    """How one deployment (server profile) is watched."""

    enabled: bool = True
    interval_s: float | None = Field(default=None, ge=1.0, le=3600.0)  # None: the fleet default
    tags: list[str] = Field(default_factory=list)
    channels: list[Channel] = Field(default_factory=lambda: ["desktop", "webhook", "email"])
    maintenance: list[MaintenanceWindow] = Field(default_factory=list)

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: list[str]) -> list[str]:
        return sorted({t.strip() for t in value if t.strip()})


class SmtpSettings(_Section):
    """E-mail alerts. STARTTLS unless `starttls` is off (only sensible on a loopback relay)."""

    host: str | None = None
    port: int = Field(default=587, gt=0, lt=65536)
    starttls: bool = True
    username: str | None = None  # the password is in the keyring under this name
    sender: str | None = None
    recipients: list[str] = Field(default_factory=list)
    timeout_s: float = Field(default=20.0, gt=0, le=300)

    @field_validator("recipients")
    @classmethod
    def _recipients(cls, value: list[str]) -> list[str]:
        cleaned = [r.strip() for r in value if r.strip()]
        for address in cleaned:
            if "@" not in address:
                raise ValueError(
                    translate("Fleet", "{address} is not an e-mail address.").format(
                        address=address
                    )
                )
        return cleaned

    @property
    def configured(self) -> bool:
        return bool(self.host and self.sender and self.recipients)


class FleetSettings(_Section):
    """Everything about watching every configured deployment at once."""

    interval_s: float = Field(default=15.0, ge=1.0, le=3600.0)
    timeout_s: float = Field(default=5.0, gt=0, le=60.0)
    pending_checks: int = Field(default=2, ge=1, le=100)
    keep_firing_s: float = Field(default=120.0, ge=0.0, le=86400.0)
    alert_on_degraded: bool = False
    retention_days: int = Field(default=30, ge=1, le=3650)
    webhooks: list[str] = Field(default_factory=list)
    webhook_retries: int = Field(default=3, ge=0, le=10)
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    deployments: dict[str, DeploymentWatch] = Field(default_factory=dict)

    @field_validator("webhooks")
    @classmethod
    def _webhooks(cls, value: list[str]) -> list[str]:
        cleaned = [u.strip() for u in value if u.strip()]
        for url in cleaned:
            if not url.lower().startswith(("http://", "https://")):
                raise ValueError(
                    translate("Fleet", "A webhook needs an http:// or https:// URL: {url}").format(
                        url=url
                    )
                )
        return cleaned

    def deployment(self, profile: str) -> DeploymentWatch:
        """The settings of `profile` (the defaults when it has none)."""
        return self.deployments.get(profile) or DeploymentWatch()

    def interval_of(self, profile: str) -> float:
        own = self.deployment(profile).interval_s
        return float(own if own is not None else self.interval_s)

    @property
    def retention(self) -> timedelta:
        return timedelta(days=self.retention_days)


def smtp_password_key(username: str) -> tuple[str, str]:
    """(keyring service, user name) under which the SMTP password is kept."""
    return "viva-desktop:smtp", username

"""`Settings`: the whole configuration, its sections, the store URL and the profile lookups.

`Settings()` reads the defaults and the `VIVA_*` variables; `init_only()` makes it take only
the values it is given, for the loader that has merged every layer itself."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from pydantic import Field, PrivateAttr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from viva_desktop.services.common import paths
from viva_desktop.services.common.config.fleet import FleetSettings
from viva_desktop.services.common.config.sections import (
    HealthSettings,
    LogSettings,
    SentrySettings,
    ServerProfile,
    UiSettings,
    sandbox_profile,
)
from viva_desktop.services.common.config.urls import redact_url
from viva_desktop.services.common.i18n import translate
from viva_desktop.services.common.report import Finding

ENV_PREFIX = "VIVA_"
_STORE_SCHEMES = ("sqlite", "sqlite+pysqlite", "postgresql+psycopg")
_POSTGRES_ALIASES = ("postgresql", "postgres")


def _default_store_url() -> str:
    return f"sqlite:///{paths.default_store_path()}"


_INIT_ONLY: ContextVar[bool] = ContextVar("viva_settings_init_only", default=False)


class Settings(BaseSettings):
    """Everything configurable. `Settings()` reads defaults and `VIVA_*` variables only;
    `load_settings` adds the config file and overrides."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        extra="forbid",
        validate_assignment=True,
    )

    profiles: list[ServerProfile] = Field(default_factory=lambda: [sandbox_profile()])
    active_profile: str | None = None
    store_url: str = Field(default_factory=_default_store_url)
    store_connect_attempts: int = Field(default=5, ge=1, le=100)
    store_connect_delay: float = Field(default=1.0, ge=0.0, le=300.0)
    store_connect_backoff: float = Field(default=2.0, ge=1.0, le=10.0)
    # The audit trail is kept this many days; None (the default): until pruned by hand.
    audit_keep_days: int | None = Field(default=None, ge=1, le=36_500)
    log: LogSettings = Field(default_factory=LogSettings)
    sentry: SentrySettings = Field(default_factory=SentrySettings)
    health: HealthSettings = Field(default_factory=HealthSettings)
    fleet: FleetSettings = Field(default_factory=FleetSettings)
    ui: UiSettings = Field(default_factory=UiSettings)
    first_run_done: bool = False

    _load_findings: list[Finding] = PrivateAttr(default_factory=list)
    _source_path: Path | None = PrivateAttr(default=None)
    _file_data: dict[str, Any] = PrivateAttr(default_factory=dict)
    _transient: dict[tuple[str, ...], Any] = PrivateAttr(default_factory=dict)
    _file_problem: Finding | None = PrivateAttr(default=None)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: Any,
        env_settings: Any,
        dotenv_settings: Any,
        file_secret_settings: Any,
    ) -> tuple[Any, ...]:
        if _INIT_ONLY.get():  # load_settings has already merged every layer itself
            return (init_settings,)
        return (init_settings, env_settings)

    @field_validator("active_profile")
    @classmethod
    def _active(cls, value: str | None) -> str | None:
        return (value or "").strip() or None

    @field_validator("store_url")
    @classmethod
    def _store_url(cls, value: str) -> str:
        value = value.strip()
        scheme, sep, rest = value.partition("://")
        scheme = scheme.lower()
        if not sep:
            raise ValueError(
                translate("Config", "Use a database URL such as sqlite:///path/to/store.sqlite3.")
            )
        if scheme in _POSTGRES_ALIASES:  # SQLAlchemy would pick psycopg2, which is not shipped
            return f"postgresql+psycopg://{rest}"
        if scheme not in _STORE_SCHEMES:
            raise ValueError(
                translate(
                    "Config",
                    "Only SQLite (sqlite:///...) and PostgreSQL (postgresql+psycopg://...) "
                    "stores are supported.",
                )
            )
        return f"{scheme}://{rest}"

    # ---------------------------------------------------------------- lookups

    def profile(self, name: str) -> ServerProfile | None:
        return next((p for p in self.profiles if p.name == name), None)

    def active(self) -> ServerProfile | None:
        """The profile to open: the named active one, else the only one."""
        if self.active_profile:
            return self.profile(self.active_profile)
        return self.profiles[0] if len(self.profiles) == 1 else None

    @property
    def load_findings(self) -> list[Finding]:
        """Problems met while loading (bad file, bad values): shown by `validate_settings`."""
        return list(self._load_findings)

    @property
    def source_path(self) -> Path | None:
        return self._source_path

    @property
    def file_problem(self) -> Finding | None:
        """Why the configuration file could not be used (it exists but cannot be read or is
        not TOML), or None. The settings are then the defaults, and `save_settings` leaves
        the file as it is unless asked to replace it."""
        return self._file_problem

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        for name, value in super().__repr_args__():
            yield name, (redact_url(value) if name == "store_url" else value)


@contextlib.contextmanager
def init_only() -> Iterator[None]:
    """Within it, `Settings(...)` takes only the values it is given (no `VIVA_*` variables)."""
    token = _INIT_ONLY.set(True)
    try:
        yield
    finally:
        _INIT_ONLY.reset(token)

"""Application settings: one TOML file per user, `VIVA_*` variables, command-line overrides.

Precedence, lowest first: built-in defaults < the config file < `VIVA_*` environment variables
(nested with `__`, e.g. `VIVA_LOG__LEVEL=DEBUG`) < explicit overrides (command-line flags).

Loading never stops the application: a broken TOML file or a bad value is reported (with the
line, or the setting's name) and that value falls back to the layer below, ultimately the
default. The problems travel with the returned `Settings` and show up in `validate_settings`.

Secrets: passwords and tokens are never settings (they live in the keyring). Two values can
carry credentials, and `save_settings` treats them so: a password inside a PostgreSQL store
URL is never written (libpq's password file, `~/.pgpass` or `PGPASSFILE`, is the place for it),
and the deprecated secret part of a Sentry DSN is dropped. The Sentry DSN itself is written:
it is needed on every start and only allows sending events, but it is redacted wherever
settings are shown or logged (`redact_url`, the models' `repr`).
"""

from viva_desktop.services.common.config.audit import validate_settings
from viva_desktop.services.common.config.loading import load_settings
from viva_desktop.services.common.config.saving import save_settings
from viva_desktop.services.common.config.sections import (
    SANDBOX_PROFILE_NAME,
    SANDBOX_URL,
    HealthSettings,
    LogSettings,
    SentrySettings,
    ServerProfile,
    UiSettings,
    sandbox_profile,
)
from viva_desktop.services.common.config.settings import ENV_PREFIX, Settings
from viva_desktop.services.common.config.urls import is_loopback_host, redact_url

__all__ = [
    "ENV_PREFIX",
    "SANDBOX_PROFILE_NAME",
    "SANDBOX_URL",
    "HealthSettings",
    "LogSettings",
    "SentrySettings",
    "ServerProfile",
    "Settings",
    "UiSettings",
    "is_loopback_host",
    "load_settings",
    "redact_url",
    "sandbox_profile",
    "save_settings",
    "validate_settings",
]

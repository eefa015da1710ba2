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

from __future__ import annotations

import contextlib
import logging
import os
import re
import tempfile
import tomllib
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from datetime import datetime
from ipaddress import ip_address
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator
from pydantic_settings import BaseSettings, EnvSettingsSource, SettingsConfigDict
from pydantic_settings.exceptions import SettingsError

from viva_desktop.services.common import paths
from viva_desktop.services.common.i18n import translate
from viva_desktop.services.common.report import AuditReport, Finding, Severity

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

log = logging.getLogger(__name__)

ENV_PREFIX = "VIVA_"
SANDBOX_PROFILE_NAME = "Sandbox (built-in)"
SANDBOX_URL = "sandbox://embedded"
"""Placeholder URL of the built-in sandbox profile; the app swaps in the embedded server's
real address when it starts it."""

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
_STORE_SCHEMES = ("sqlite", "sqlite+pysqlite", "postgresql+psycopg")
_POSTGRES_ALIASES = ("postgresql", "postgres")
_STRICT_WINDOW_S = 60.0
_STRICT_LIMIT = 10  # the server's `strict` throttler: 10 requests per minute on every route


# --------------------------------------------------------------------------- helpers


def is_loopback_host(host: str | None) -> bool:
    """True for this machine only: `localhost`, `*.localhost`, 127.0.0.0/8 and ::1."""
    if not host:
        return False
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def redact_url(url: str | None) -> str:
    """`url` with any credential replaced by `***`, for display and logs."""
    if not url:
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "***"
    if parts.username is None and parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, f"***@{host}", parts.path, parts.query, parts.fragment))


def _without_password(url: str) -> str:
    """`url` minus the password in its user-info part (the user name stays)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[-1]
    user = parts.netloc.rsplit("@", 1)[0].split(":", 1)[0]
    netloc = f"{user}@{host}" if user else host
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _default_store_url() -> str:
    return f"sqlite:///{paths.default_store_path()}"


def _strip_value_error(message: str) -> str:
    return message.removeprefix("Value error, ")


# --------------------------------------------------------------------------- models


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class ServerProfile(_Section):
    """One server the app can talk to."""

    name: str
    url: str
    verify_tls: bool = True
    ca_bundle: Path | None = None
    timeout: float = Field(default=30.0, gt=0, le=600)
    account: str | None = None  # the remembered e-mail address; never a password
    is_sandbox: bool = False

    @property
    def display_name(self) -> str:
        """The name to show: the built-in sandbox's in the user's language. The stored `name`
        stays fixed, since the keyring and the store file their data under it."""
        if self.is_sandbox and self.name == SANDBOX_PROFILE_NAME:
            return translate("Config", "Sandbox (built-in)")
        return self.name

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

    @field_validator("language", "theme", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value


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
    log: LogSettings = Field(default_factory=LogSettings)
    sentry: SentrySettings = Field(default_factory=SentrySettings)
    health: HealthSettings = Field(default_factory=HealthSettings)
    ui: UiSettings = Field(default_factory=UiSettings)
    first_run_done: bool = False

    _load_findings: list[Finding] = PrivateAttr(default_factory=list)
    _source_path: Path | None = PrivateAttr(default=None)
    _file_data: dict[str, Any] = PrivateAttr(default_factory=dict)
    _transient: dict[tuple[str, ...], Any] = PrivateAttr(default_factory=dict)

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

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        for name, value in super().__repr_args__():
            yield name, (redact_url(value) if name == "store_url" else value)


@contextlib.contextmanager
def _init_only() -> Iterator[None]:
    token = _INIT_ONLY.set(True)
    try:
        yield
    finally:
        _INIT_ONLY.reset(token)


# --------------------------------------------------------------------------- loading

Layer = dict[str, Any]
Path_ = tuple[str | int, ...]


def _read_file(path: Path, findings: list[Finding]) -> Layer:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        findings.append(
            Finding(
                Severity.ERROR,
                str(path),
                translate("Config", "The configuration file cannot be read: {reason}").format(
                    reason=exc
                ),
                translate("Config", "The application uses the default settings until it can."),
            )
        )
        return {}
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        reason = str(exc)
        match = re.search(r"\(at line (\d+), column (\d+)\)", reason)
        line = match.group(1) if match else "?"
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", reason) or reason
        findings.append(
            Finding(
                Severity.ERROR,
                f"{path}:{line}",
                translate(
                    "Config", "The configuration file is not valid TOML at line {line}: {reason}."
                ).format(line=line, reason=reason),
                translate(
                    "Config",
                    "The application started with the default settings. Fix the line, or "
                    "save the settings again to replace the file (the broken one is kept "
                    "as a backup).",
                ),
            )
        )
        return {}


def _read_env(findings: list[Finding]) -> Layer:
    source = EnvSettingsSource(Settings)
    for _ in range(len(source.env_vars) + 1):
        try:
            return source()
        except SettingsError as exc:
            match = re.search(r'field "([^"]+)"', str(exc))
            field_name = match.group(1) if match else ""
            key = (ENV_PREFIX + field_name).lower()
            dropped = [k for k in source.env_vars if k == key or k.startswith(key + "__")]
            if not dropped:
                break
            for k in dropped:
                source.env_vars.pop(k, None)
            findings.append(
                Finding(
                    Severity.ERROR,
                    key.upper(),
                    translate("Config", "This environment variable is not valid JSON."),
                    translate("Config", "It is ignored; the next setting below it applies."),
                )
            )
    return {}


def _expand_overrides(overrides: Mapping[str, Any] | None) -> Layer:
    """Overrides as a nested dict; accepts nested dicts and dotted keys (`"log.level"`);
    `None` values (flags the user did not give) are skipped."""
    result: Layer = {}
    for key, value in (overrides or {}).items():
        if value is None:
            continue
        if isinstance(value, Mapping):
            value = _expand_overrides(value)
            if not value:
                continue
        target = result
        parts = str(key).split(".")
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        if isinstance(value, dict) and isinstance(target.get(parts[-1]), dict):
            target[parts[-1]] = _deep_merge(target[parts[-1]], value)
        else:
            target[parts[-1]] = value
    return result


def _deep_merge(base: Layer, top: Layer) -> Layer:
    merged = dict(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _has(data: Any, part: str | int) -> bool:
    if isinstance(data, dict):
        return isinstance(part, str) and part in data
    return isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)


def _lookup(data: Any, path: Path_) -> tuple[bool, Any]:
    for part in path:
        if not _has(data, part):
            return False, None
        data = data[part]
    return True, data


def _prune(data: Any, path: Path_) -> bool:
    if not path:
        return False
    found, parent = _lookup(data, path[:-1])
    last = path[-1]
    if not found:
        return False
    if isinstance(parent, dict) and last in parent:
        del parent[last]
        return True
    if isinstance(parent, list) and isinstance(last, int) and 0 <= last < len(parent):
        del parent[last]
        return True
    return False


def _dotted(path: Path_) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "settings"


def _source_key(source: str, path: Path_, config_path: Path) -> str:
    if source == "env":
        names = [p for p in path if isinstance(p, str)]
        top = names[:1] if names[:1] == ["profiles"] else names
        return ENV_PREFIX + "__".join(top).upper()
    if source == "override":
        return _dotted(path)
    return f"{config_path.name}: {_dotted(path)}"


def _origin(source: str) -> str:
    if source == "env":
        return translate("Config", "environment variable")
    if source == "override":
        return translate("Config", "command line")
    return translate("Config", "configuration file")


def _build(layers: list[tuple[str, Layer]], config_path: Path, findings: list[Finding]) -> Settings:
    reported: set[Path_] = set()
    for _ in range(50):
        merged: Layer = {}
        for _source, data in layers:
            merged = _deep_merge(merged, data)
        try:
            with _init_only():
                return Settings(**merged)
        except ValidationError as exc:
            if not _prune_errors(exc, layers, config_path, findings, reported):
                break
    findings.append(
        Finding(
            Severity.ERROR,
            "settings",
            translate("Config", "The settings could not be read; the defaults are used."),
        )
    )
    with _init_only():
        return Settings()


def _prune_errors(
    exc: ValidationError,
    layers: list[tuple[str, Layer]],
    config_path: Path,
    findings: list[Finding],
    reported: set[Path_],
) -> bool:
    """Remove each invalid value from the highest layer that supplied it, and report it.

    A value removed from a required field is then "missing", which removes its parent (a whole
    profile, say) on the next round; that follow-up is not reported twice.
    """
    pruned = False
    for error in exc.errors():
        path: Path_ = tuple(error["loc"])
        for depth in range(len(path), 0, -1):
            candidate = path[:depth]
            source = next(
                (name for name, data in reversed(layers) if _lookup(data, candidate)[0]), None
            )
            if source is None:
                continue
            data = dict(layers)[source]
            if not _prune(data, candidate):
                continue
            pruned = True
            if error["type"] == "missing" and any(path[: len(r)] == r for r in reported):
                break
            reported.add(path)
            extra = error["type"] == "extra_forbidden"
            message = (
                translate("Config", "Unknown setting in the {origin}; it is ignored.")
                if extra
                else translate("Config", "Invalid value in the {origin}: {reason}")
            ).format(origin=_origin(source), reason=_strip_value_error(error["msg"]))
            findings.append(
                Finding(
                    Severity.WARNING if extra else Severity.ERROR,
                    _source_key(source, path, config_path),
                    message,
                    "" if extra else translate("Config", "It is ignored until it is fixed."),
                )
            )
            break
    return pruned


def load_settings(
    path: Path | str | None = None, overrides: Mapping[str, Any] | None = None
) -> Settings:
    """Settings from defaults, the TOML file (`paths.config_file()` unless `path`), `VIVA_*`
    variables and `overrides`, in that order of precedence. Never raises for bad input."""
    config_path = Path(path) if path is not None else paths.config_file()
    findings: list[Finding] = []
    file_layer = _read_file(config_path, findings)
    env_layer = _read_env(findings)
    override_layer = _expand_overrides(overrides)
    layers = [("file", file_layer), ("env", env_layer), ("override", override_layer)]
    settings = _build(layers, config_path, findings)
    settings._load_findings = findings
    settings._source_path = config_path
    settings._file_data = file_layer
    dumped = settings.model_dump(mode="json")
    transient: dict[tuple[str, ...], Any] = {}
    for leaf in _leaves(_deep_merge(env_layer, override_layer)):
        found, value = _lookup(dumped, leaf)
        if found:
            transient[leaf] = value
    settings._transient = transient
    return settings


def _leaves(data: Layer, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for key, value in data.items():
        if isinstance(value, dict) and value:
            yield from _leaves(value, (*prefix, key))
        else:
            yield (*prefix, key)


# --------------------------------------------------------------------------- saving


def _file_payload(settings: Settings) -> Layer:
    data = settings.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    # Values that came from the environment or the command line stay out of the file, unless
    # the user changed them since: a one-off `--store-url` must not become permanent.
    current = settings.model_dump(mode="json")
    for leaf, loaded_value in settings._transient.items():
        found, now = _lookup(current, leaf)
        if not found or now != loaded_value:
            continue
        _prune(data, leaf)
        in_file, file_value = _lookup(settings._file_data, leaf)
        if in_file:
            target = data
            for part in leaf[:-1]:
                target = target.setdefault(part, {})
            target[leaf[-1]] = file_value
    for section in [k for k, v in data.items() if v == {}]:
        del data[section]
    if "store_url" in data and urlsplit(data["store_url"]).password is not None:
        data["store_url"] = _without_password(data["store_url"])
        log.warning(
            "The store URL's password is not written to the configuration file; "
            "put it in a libpq password file (~/.pgpass or PGPASSFILE) instead."
        )
    dsn = data.get("sentry", {}).get("dsn")
    if dsn and urlsplit(dsn).password is not None:
        data["sentry"]["dsn"] = _without_password(dsn)
    return data


def save_settings(settings: Settings, path: Path | str | None = None) -> Path:
    """Write `settings` to the TOML file atomically (temp file + rename), mode 0600.

    Only values that differ from the defaults are written. A config file that cannot be
    parsed is kept next to the new one as `<name>.broken-<timestamp>`.
    """
    target = Path(path) if path is not None else (settings.source_path or paths.config_file())
    paths.ensure(target.parent)
    payload = _file_payload(settings)
    text = tomli_w.dumps(payload)
    if target.exists():
        try:
            tomllib.loads(target.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            target.replace(target.with_name(f"{target.name}.broken-{stamp}"))
        except OSError:
            pass
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        if hasattr(os, "fchmod"):  # POSIX; elsewhere the per-user folder is private already
            os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    with contextlib.suppress(OSError):  # make the rename durable; not possible everywhere
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    settings._source_path = target
    settings._file_data = tomllib.loads(text)
    return target


# --------------------------------------------------------------------------- audit


_DSN = re.compile(r"^https?://[^:/@\s]+(?::[^@/\s]*)?@[^/\s]+(?:/[^\s]*)?/\d+/?$")


def validate_settings(settings: Settings) -> AuditReport:
    """Errors, warnings and a summary of `settings`, for the configuration dashboard."""
    report = AuditReport(findings=list(settings.load_findings))
    profiles_ok = _audit_profiles(settings, report)
    store_ok = _audit_store(settings, report)
    telemetry_ok = _audit_sentry(settings, report)
    _audit_health(settings, report)
    active = settings.active()
    report.summary.update(
        {
            "profiles": profiles_ok,
            "active_profile": active is not None,
            "tls": all(_secure(p) for p in settings.profiles if not p.is_sandbox),
            "store": store_ok,
            "postgresql": settings.store_url.startswith("postgresql"),
            "telemetry": telemetry_ok,
            "json_logs": settings.log.json_file,
            "config_file": not any(f.severity is Severity.ERROR for f in settings.load_findings),
        }
    )
    return report


def _secure(profile: ServerProfile) -> bool:
    parts = urlsplit(profile.url)
    return (parts.scheme == "https" or is_loopback_host(parts.hostname)) and profile.verify_tls


def _audit_profiles(settings: Settings, report: AuditReport) -> bool:
    if not settings.profiles:
        report.add(
            Severity.ERROR,
            "profiles",
            translate("Config", "No server profile is configured."),
            translate("Config", "Add a profile with the server's address, or use the sandbox."),
        )
        return False
    ok = True
    seen: set[str] = set()
    for index, profile in enumerate(settings.profiles):
        key = f"profiles[{index}]"
        if profile.name in seen:
            ok = False
            report.add(
                Severity.ERROR,
                f"{key}.name",
                translate("Config", "Two profiles are called “{name}”.").format(name=profile.name),
                translate("Config", "Give every profile its own name."),
            )
        seen.add(profile.name)
        parts = urlsplit(profile.url)
        if parts.scheme == "sandbox" and not profile.is_sandbox:
            ok = False
            report.add(
                Severity.ERROR,
                f"{key}.url",
                translate("Config", "sandbox:// addresses are only for the built-in sandbox."),
            )
        if profile.is_sandbox:
            continue
        if parts.scheme == "http" and not is_loopback_host(parts.hostname):
            report.add(
                Severity.WARNING,
                f"{key}.url",
                translate(
                    "Config",
                    "“{name}” uses plain http:// to another machine: passwords and tokens "
                    "travel unencrypted.",
                ).format(name=profile.name),
                translate("Config", "Use https:// for any server that is not on this computer."),
            )
        if not profile.verify_tls and parts.scheme == "https":
            report.add(
                Severity.WARNING,
                f"{key}.verify_tls",
                translate(
                    "Config",
                    "Certificate checks are off for “{name}”: anyone on the network "
                    "could impersonate the server.",
                ).format(name=profile.name),
                translate(
                    "Config",
                    "Turn verification back on and point the CA bundle at the "
                    "server's certificate authority instead.",
                ),
            )
        if profile.ca_bundle is not None and not profile.ca_bundle.is_file():
            ok = False
            report.add(
                Severity.ERROR,
                f"{key}.ca_bundle",
                translate("Config", "The CA bundle {path} does not exist.").format(
                    path=profile.ca_bundle
                ),
            )
        if profile.timeout < 10:
            report.add(
                Severity.WARNING,
                f"{key}.timeout",
                translate(
                    "Config",
                    "A timeout under 10 s is short: token refresh and logout get slower as the "
                    "server's token table grows.",
                ),
            )
    if settings.active_profile and settings.profile(settings.active_profile) is None:
        ok = False
        report.add(
            Severity.ERROR,
            "active_profile",
            translate("Config", "The active profile “{name}” does not exist.").format(
                name=settings.active_profile
            ),
        )
    return ok


def _audit_store(settings: Settings, report: AuditReport) -> bool:
    url = settings.store_url
    parts = urlsplit(url)
    if url.startswith("sqlite"):
        location = url.split(":///", 1)[-1] if ":///" in url else ""
        if location and location != ":memory:":
            folder = Path(location).expanduser().parent
            existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
            if existing is not None and not os.access(existing, os.W_OK):
                report.add(
                    Severity.ERROR,
                    "store_url",
                    translate("Config", "The store's folder {path} is not writable.").format(
                        path=folder
                    ),
                )
                return False
        return True
    if parts.password is not None:
        report.add(
            Severity.WARNING,
            "store_url",
            translate(
                "Config",
                "The store URL contains a password ({url}); it is not saved in the "
                "configuration file.",
            ).format(url=redact_url(url)),
            translate(
                "Config",
                "Keep the password in a libpq password file (~/.pgpass, or the file named by "
                "PGPASSFILE) and leave it out of the URL.",
            ),
        )
    if not parts.hostname and "host=" not in parts.query:
        report.add(
            Severity.WARNING,
            "store_url",
            translate("Config", "The PostgreSQL URL names no host; a local socket will be used."),
        )
    if not parts.path.strip("/"):
        report.add(
            Severity.ERROR,
            "store_url",
            translate("Config", "The PostgreSQL URL names no database."),
        )
        return False
    return True


def _audit_sentry(settings: Settings, report: AuditReport) -> bool:
    sentry = settings.sentry
    if not sentry.dsn:
        report.add(
            Severity.INFO,
            "sentry.dsn",
            translate("Config", "Error reporting (Sentry) is off."),
        )
        return False
    if not _DSN.match(sentry.dsn):
        report.add(
            Severity.ERROR,
            "sentry.dsn",
            translate(
                "Config", "The Sentry DSN is not valid; expected https://<key>@<host>/<project-id>."
            ),
        )
        return False
    host = urlsplit(sentry.dsn).hostname
    if sentry.dsn.startswith("http://") and not is_loopback_host(host):
        report.add(
            Severity.WARNING,
            "sentry.dsn",
            translate("Config", "Error reports would travel unencrypted (http://)."),
        )
    if sentry.sample_rate == 0:
        report.add(
            Severity.WARNING,
            "sentry.sample_rate",
            translate("Config", "The sample rate is 0: no error report will be sent."),
        )
    if sentry.send_email:
        report.add(
            Severity.INFO,
            "sentry.send_email",
            translate("Config", "Error reports include the signed-in user's e-mail address."),
        )
    return sentry.sample_rate > 0


def _audit_health(settings: Settings, report: AuditReport) -> None:
    interval = settings.health.poll_interval_s
    if interval < _STRICT_WINDOW_S / _STRICT_LIMIT:
        report.add(
            Severity.WARNING,
            "health.poll_interval_s",
            translate(
                "Config",
                "Polling every {seconds} s uses up the server's limit of {limit} health "
                "requests per minute.",
            ).format(seconds=_number_text(interval), limit=_STRICT_LIMIT),
            translate("Config", "Poll every {seconds} s or more.").format(
                seconds=_number_text(_STRICT_WINDOW_S / _STRICT_LIMIT)
            ),
        )


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"

"""`load_settings`: defaults < config file < `VIVA_*` variables < overrides, never raising.

A broken TOML file or a bad value becomes a `Finding` (with the line, or the setting's name)
and that value falls back to the layer below, ultimately the default."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_settings import EnvSettingsSource
from pydantic_settings.exceptions import SettingsError

from viva_desktop.services.common import paths
from viva_desktop.services.common.config.layers import (
    Layer,
    Path_,
    deep_merge,
    expand_overrides,
    leaves,
    lookup,
    prune,
)
from viva_desktop.services.common.config.settings import ENV_PREFIX, Settings, init_only
from viva_desktop.services.common.i18n import translate
from viva_desktop.services.common.report import Finding, Severity
from viva_desktop.services.common.toml_errors import toml_error_position, toml_error_reason


def _strip_value_error(message: str) -> str:
    return message.removeprefix("Value error, ")


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
        position = toml_error_position(exc)
        line, column = (str(position[0]), str(position[1])) if position else ("?", "?")
        reason = toml_error_reason(exc)
        findings.append(
            Finding(
                Severity.ERROR,
                f"{path}:{line}:{column}",
                translate(
                    "Config",
                    "The configuration file is not valid TOML at line {line}, column {column}: "
                    "{reason}.",
                ).format(line=line, column=column, reason=reason),
                translate(
                    "Config",
                    "The application started with the default settings and leaves the file "
                    "as it is: fix that line, then choose Reload on the Configuration page.",
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
            merged = deep_merge(merged, data)
        try:
            with init_only():
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
    with init_only():
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
                (name for name, data in reversed(layers) if lookup(data, candidate)[0]), None
            )
            if source is None:
                continue
            data = dict(layers)[source]
            if not prune(data, candidate):
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
    file_problem = findings[0] if findings else None  # only a file that exists and is bad
    env_layer = _read_env(findings)
    override_layer = expand_overrides(overrides)
    layers = [("file", file_layer), ("env", env_layer), ("override", override_layer)]
    settings = _build(layers, config_path, findings)
    settings._load_findings = findings
    settings._source_path = config_path
    settings._file_data = file_layer
    settings._file_problem = file_problem
    dumped = settings.model_dump(mode="json")
    transient: dict[tuple[str, ...], Any] = {}
    for leaf in leaves(deep_merge(env_layer, override_layer)):
        found, value = lookup(dumped, leaf)
        if found:
            transient[leaf] = value
    settings._transient = transient
    return settings

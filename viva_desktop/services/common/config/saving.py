"""`save_settings`: the settings that differ from the defaults, written atomically (mode 0600)
to the TOML file, without values that came only from the environment or the command line, and
without passwords."""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import tomllib
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import tomli_w

from viva_desktop.services.common import paths
from viva_desktop.services.common.config.layers import Layer, lookup, prune
from viva_desktop.services.common.config.settings import Settings
from viva_desktop.services.common.config.urls import without_password

log = logging.getLogger(__package__)


def _file_payload(settings: Settings) -> Layer:
    data = settings.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    # Values that came from the environment or the command line stay out of the file, unless
    # the user changed them since: a one-off `--store-url` must not become permanent.
    current = settings.model_dump(mode="json")
    for leaf, loaded_value in settings._transient.items():
        found, now = lookup(current, leaf)
        if not found or now != loaded_value:
            continue
        prune(data, leaf)
        in_file, file_value = lookup(settings._file_data, leaf)
        if in_file:
            target = data
            for part in leaf[:-1]:
                target = target.setdefault(part, {})
            target[leaf[-1]] = file_value
    for section in [k for k, v in data.items() if v == {}]:
        del data[section]
    if "store_url" in data and urlsplit(data["store_url"]).password is not None:
        data["store_url"] = without_password(data["store_url"])
        log.warning(
            "The store URL's password is not written to the configuration file; "
            "put it in a libpq password file (~/.pgpass or PGPASSFILE) instead."
        )
    dsn = data.get("sentry", {}).get("dsn")
    if dsn and urlsplit(dsn).password is not None:
        data["sentry"]["dsn"] = without_password(dsn)
    return data


def save_settings(
    settings: Settings, path: Path | str | None = None, *, replace_broken: bool = False
) -> Path:
    """Write `settings` to the TOML file atomically (temp file + rename), mode 0600.

    Only values that differ from the defaults are written. A config file that cannot be
    parsed is left as it is (the user may be fixing it: the settings in use are only the
    defaults), unless `replace_broken`: then it is kept next to the new one as
    `<name>.broken-<timestamp>`.
    """
    target = Path(path) if path is not None else (settings.source_path or paths.config_file())
    paths.ensure(target.parent)
    payload = _file_payload(settings)
    text = tomli_w.dumps(payload)
    if target.exists():
        try:
            tomllib.loads(target.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            if not replace_broken:
                log.warning("settings not saved: %s is not valid TOML and is left as it is", target)
                return target
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

"""Per-user locations (platformdirs), so the app follows each platform's conventions."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "viva-desktop"
APP_AUTHOR = "ComunidadViva"


def _dirs() -> platformdirs.PlatformDirs:
    # Built on every call: tests and profiles may change XDG_* variables at run time.
    return platformdirs.PlatformDirs(APP_NAME, APP_AUTHOR, ensure_exists=False)


def config_dir() -> Path:
    return Path(_dirs().user_config_dir)


def data_dir() -> Path:
    return Path(_dirs().user_data_dir)


def log_dir() -> Path:
    return Path(_dirs().user_log_dir)


def cache_dir() -> Path:
    return Path(_dirs().user_cache_dir)


def config_file() -> Path:
    return config_dir() / "config.toml"


def default_store_path() -> Path:
    return data_dir() / "store.sqlite3"


def ensure(path: Path) -> Path:
    """Create `path` (a directory) with private permissions when missing; returns it."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path

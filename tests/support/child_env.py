"""The environment for running the application in a child process, isolated like the tests.

The child must not read the developer's configuration, data, logs or `VIVA_*` switches, nor
report to a real Sentry, and it has no display."""

from __future__ import annotations

import os
from pathlib import Path


def child_env(home: Path) -> dict[str, str]:
    """This process's environment without `VIVA_*` and `SENTRY_DSN`, with every XDG folder
    under `home` and Qt's offscreen platform."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIVA_")}
    for var, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_STATE_HOME", "state"),
    ):
        env[var] = str(home / sub)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("SENTRY_DSN", None)
    return env

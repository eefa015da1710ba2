"""A configuration file named on the command line, checked before anything starts.

A file the user named with `--config` must exist and be valid TOML: when it is not, the start
ends with a message naming the file, and the line and column of a syntax error (exit status
2). The default file is different: a broken one is reported inside the app, which starts on
the defaults. Standard library only, so the GUI entry point can call this before its first
paint without importing pydantic.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from viva_desktop.services.common.toml_errors import toml_error_position, toml_error_reason


def explicit_config_problem(path: Path, *, option: str = "--config") -> str | None:
    """What is wrong with the configuration file the user named, or None when it can be read
    and parsed. The message names the option, the file and, for a syntax error, the line and
    column (`file:line:column`, the form editors jump to)."""
    shown = str(path)
    if not path.exists():
        return f"{option}: no such file: {shown}"
    if path.is_dir():
        return f"{option}: {shown} is a folder, not a configuration file"
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return f"{option}: {shown} is not UTF-8 text (byte {exc.start + 1} cannot be read)"
    except OSError as exc:
        return f"{option}: {shown} cannot be read: {exc.strerror or exc}"
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        position = toml_error_position(exc)
        where = f"{shown}:{position[0]}:{position[1]}" if position else shown
        at = f" at line {position[0]}, column {position[1]}" if position else ""
        return f"{option}: {where}: not valid TOML{at}: {toml_error_reason(exc)}"
    return None

"""Where a TOML syntax error is and what it says, from Python's own parser: shared by the
settings loader and the command line's check of `--config` (standard library only, so the GUI
entry point can use it before its first paint)."""

from __future__ import annotations

import re
import tomllib

_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)")


def toml_error_position(error: tomllib.TOMLDecodeError) -> tuple[int, int] | None:
    """(line, column) of a TOML syntax error, both from 1, when the parser says."""
    line = getattr(error, "lineno", None)
    column = getattr(error, "colno", None)
    if isinstance(line, int) and isinstance(column, int):
        return line, column
    match = _POSITION.search(str(error))
    return (int(match.group(1)), int(match.group(2))) if match else None


def toml_error_reason(error: tomllib.TOMLDecodeError) -> str:
    """The parser's message without its "(at line …, column …)" tail."""
    text = getattr(error, "msg", None) or str(error)
    return _POSITION.sub("", str(text)).strip() or str(error)

"""Writing reports and exports: whole files or nothing, never a half-written one.

Plain Python, for the worker: the GUI thread never writes files.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO


def write_atomically(path: str | Path, write: Callable[[TextIO], object]) -> Path:
    """Create `path` through `write(handle)` in a temporary file next to it, then rename it
    into place; returns the path. An existing file is replaced only when writing succeeded."""
    target = Path(path).expanduser()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            write(handle)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return target


def write_text(path: str | Path, text: str) -> Path:
    return write_atomically(path, lambda handle: handle.write(text))


def with_suffix_if_missing(path: str, suffix: str) -> str:
    """File dialogs on some desktops return names without the chosen filter's extension."""
    return path if Path(path).suffix else path + suffix

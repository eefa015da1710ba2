"""Care of the SQLite store file: corruption checks, moving a bad file aside, and backups.

A damaged store must never be used silently: it is detected before the app reads from it,
moved aside with a timestamped name (so nothing is lost for a later rescue), and the app is
told so it can resync from the server.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"
SIDECARS = ("-wal", "-shm", "-journal")
BACKUP_INFIX = ".backup-"
CORRUPT_INFIX = ".corrupt-"


@dataclass(frozen=True)
class CorruptionRecovery:
    """What happened to a damaged store file: where it went and why it was rejected."""

    original: Path
    moved_to: Path
    reason: str
    detected_at: datetime


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def check_file(path: Path, *, thorough: bool = False) -> str | None:
    """None when `path` is a healthy SQLite database (or absent/empty), else the reason.

    `quick_check` catches damaged pages and garbage files in time proportional to the file;
    `thorough` runs the full `integrity_check` (indexes against tables) as well.
    """
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        return f"unreadable: {exc}"
    if header != SQLITE_HEADER:
        return "not an SQLite database (bad file header)"
    pragma = "integrity_check" if thorough else "quick_check"
    try:
        conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=10)
    except sqlite3.Error as exc:
        return f"cannot open: {exc}"
    try:
        rows = conn.execute(f"PRAGMA {pragma}").fetchall()
    except sqlite3.DatabaseError as exc:
        return f"{pragma} failed: {exc}"
    finally:
        conn.close()
    problems = [str(row[0]) for row in rows if row and row[0] != "ok"]
    return "; ".join(problems[:5]) or None


def move_aside(path: Path, reason: str) -> CorruptionRecovery:
    """Rename a damaged file (and its WAL/SHM companions) to `<name>.corrupt-<timestamp>`."""
    stamp = _stamp()
    target = path.with_name(f"{path.name}{CORRUPT_INFIX}{stamp}")
    os.replace(path, target)
    for suffix in SIDECARS:
        sidecar = path.with_name(path.name + suffix)
        if sidecar.exists():
            os.replace(sidecar, target.with_name(target.name + suffix))
    return CorruptionRecovery(path, target, reason, datetime.now(UTC))


def backup(path: Path, *, label: str = "", keep: int = 3) -> Path:
    """A consistent copy of the live database next to it, made with SQLite's backup API.

    Keeps the newest `keep` backups of this file and deletes older ones.
    """
    suffix = f"-{label}" if label else ""
    target = path.with_name(f"{path.name}{BACKUP_INFIX}{_stamp()}{suffix}")
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        dest = sqlite3.connect(target)
        try:
            with dest:
                source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    with contextlib.suppress(OSError):
        os.chmod(target, 0o600)
    prune_backups(path, keep=keep)
    return target


def backups_of(path: Path) -> list[Path]:
    """Existing backups of `path`, oldest first."""
    prefix = f"{path.name}{BACKUP_INFIX}"
    return sorted(p for p in path.parent.glob(f"{prefix}*") if not p.name.endswith(SIDECARS))


def prune_backups(path: Path, *, keep: int) -> None:
    existing = backups_of(path)
    for old in existing[: max(0, len(existing) - keep)]:
        with contextlib.suppress(OSError):
            old.unlink()

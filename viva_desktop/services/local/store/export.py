"""Export of the current selection (same search, filters and sort as the view) to CSV or JSON.

Rows are streamed from the database in batches and written as they come, so 100 000 records
never sit in memory at once. A file destination is written to a temporary file next to it and
renamed at the end: a cancelled or failed export leaves no half-written file behind.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from viva_desktop.services.common.cancel import NEVER_CANCELLED, CancelToken

BATCH = 1_000


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


# A spreadsheet runs a cell that starts like a formula. It skips leading blanks (spaces, tabs,
# line breaks) first, and some treat the full-width forms (U+FF1D, U+FF0B, U+FF0D, U+FF20) as
# the ASCII ones.
FORMULA_STARTS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
_CONTROL_STARTS = ("\t", "\r", "\n")
# A plain number, signed, maybe with a currency sign or a percent: never a formula.
_NUMBER = re.compile(r"[+-]?\s?[€$£]?\s?\d[\d.,\s]*\s?[€$£%]?")


def neutralise_formula(text: str) -> str:
    """`text` made safe to open in a spreadsheet (CSV injection): a cell that would start a
    formula, even after leading blanks or through a full-width sign, gets a leading `'`."""
    if not text:
        return text
    if text.startswith(_CONTROL_STARTS):
        return "'" + text
    stripped = text.lstrip()
    if stripped[:1] in FORMULA_STARTS and not _NUMBER.fullmatch(stripped):
        return "'" + text
    return text


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return neutralise_formula(json.dumps(value, ensure_ascii=False))
    if isinstance(value, str):
        return neutralise_formula(value)
    return value


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def write_csv(
    stream: IO[str],
    columns: Sequence[str],
    rows: Iterator[dict[str, Any]],
    *,
    progress: Callable[[int], None] | None = None,
    cancel: CancelToken = NEVER_CANCELLED,
) -> int:
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
        count += 1
        if count % BATCH == 0:
            cancel.raise_if_cancelled()
            if progress:
                progress(count)
    if progress:
        progress(count)
    return count


def write_json(
    stream: IO[str],
    rows: Iterator[dict[str, Any]],
    *,
    progress: Callable[[int], None] | None = None,
    cancel: CancelToken = NEVER_CANCELLED,
) -> int:
    """A JSON array of the records, one per line, written incrementally."""
    count = 0
    stream.write("[")
    for row in rows:
        stream.write(",\n" if count else "\n")
        stream.write(json.dumps(row, ensure_ascii=False, default=_json_default))
        count += 1
        if count % BATCH == 0:
            cancel.raise_if_cancelled()
            if progress:
                progress(count)
    stream.write("\n]\n" if count else "]\n")
    if progress:
        progress(count)
    return count


@contextlib.contextmanager
def atomic_text_file(path: Path, *, encoding: str = "utf-8") -> Iterator[IO[str]]:
    """A text stream whose content replaces `path` only if the block completes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as stream:
            yield stream
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise

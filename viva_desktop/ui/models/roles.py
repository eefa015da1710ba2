"""The custom item-data roles every table model of the workspace answers."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import Qt

_BASE = int(Qt.ItemDataRole.UserRole)


class Roles(IntEnum):
    RECORD_ID = _BASE + 1  # the server's id of the row's record (str)
    RAW = _BASE + 2  # the record as the server sent it (dict)
    ROW = _BASE + 3  # the whole store `Row` (store models) or the record dict (list models)
    VALUE = _BASE + 4  # the cell's underlying value, unformatted (datetime, number...)
    LOCAL_CHANGE = _BASE + 5  # "created" / "updated" / "deleted" while an edit waits, else None

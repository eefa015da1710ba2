"""Date-and-time and percentage renderings used by the admin pages (the UI language's format)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime, QLocale


def datetime_text(when: datetime | None, *, seconds: bool = False) -> str:
    """Local date and time of `when`, short, in the UI language's format."""
    if when is None:
        return "—"
    stamp = QDateTime.fromMSecsSinceEpoch(int(when.timestamp() * 1000))
    locale = QLocale()
    date = locale.toString(stamp.date(), QLocale.FormatType.ShortFormat)
    time = stamp.time().toString("HH:mm:ss" if seconds else "HH:mm")
    return f"{date} {time}"


def percent_text(ratio: float | None, decimals: int = 2) -> str:
    """`0.99` as "99.00 %" in the UI language's number format; "—" for None."""
    if ratio is None:
        return "—"
    return QLocale().toString(ratio * 100.0, "f", decimals) + " %"

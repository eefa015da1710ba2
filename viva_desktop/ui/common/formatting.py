"""Short, translated renderings of times and durations shared by the status bar and pages."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QObject

from viva_desktop.ui.common import timefmt


class Format(QObject):
    """The plural texts of this module. The installed lupdate recognises plural forms only in
    `self.tr(text, "", n)` (not in `QCoreApplication.translate(..., n)`), so they are methods
    of a QObject named after their translation context."""

    def minutes_ago(self, minutes: int) -> str:
        return self.tr("%n min ago", "", minutes)

    def hours_ago(self, hours: int) -> str:
        return self.tr("%n h ago", "", hours)

    def days_ago(self, days: int) -> str:
        return self.tr("%n day(s) ago", "", days)


_PLURALS: list[Format] = []


def _plurals() -> Format:
    if not _PLURALS:
        _PLURALS.append(Format())
    return _PLURALS[0]


def age_text(when: datetime | None, now: datetime | None = None) -> str:
    """ "just now", "5 min ago", "3 h ago", "2 days ago"; "never" for None."""
    if when is None:
        return QCoreApplication.translate("Format", "never")
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    seconds = max(0.0, ((now or datetime.now(UTC)) - when).total_seconds())
    if seconds < 60:
        return QCoreApplication.translate("Format", "just now")
    minutes = int(seconds // 60)
    if minutes < 60:
        return _plurals().minutes_ago(minutes)
    hours = minutes // 60
    if hours < 48:
        return _plurals().hours_ago(hours)
    return _plurals().days_ago(hours // 24)


def duration_text(seconds: float | None) -> str:
    """Uptime-style durations: "45 s", "12 min", "3 h 5 min", "2 d 4 h"."""
    if seconds is None:
        return "—"
    total = int(seconds)
    days, rest = divmod(total, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    if days:
        return QCoreApplication.translate("Format", "{d} d {h} h").format(d=days, h=hours)
    if hours:
        return QCoreApplication.translate("Format", "{h} h {m} min").format(h=hours, m=minutes)
    if minutes:
        return QCoreApplication.translate("Format", "{m} min").format(m=minutes)
    return QCoreApplication.translate("Format", "{s} s").format(s=secs)


def clock_text(when: datetime | None) -> str:
    """Wall-clock time of `when` in the chosen zone, in the UI language's format (`timefmt`)."""
    return timefmt.clock_text(when)


def number_text(value: float | int | None, unit: str = "") -> str:
    if value is None:
        return "—"
    text = QLocale().toString(float(value), "f", 0 if float(value).is_integer() else 1)
    return f"{text} {unit}".strip()


def form_label(text: str) -> str:
    """A form field's label: "Title:" (the punctuation is the language's: French puts a space
    before the colon)."""
    return QCoreApplication.translate("Format", "{label}:").format(label=text)


def path_text(value: object) -> str:
    """A path (or a text holding one, like a SQLite URL) for the screen, with the home folder
    written as "~": shorter, and a screenshot shows no user name or build folder."""
    text = str(value)
    home = str(Path.home())
    if len(home) > 1 and home in text:
        text = text.replace(home, "~")
    return text

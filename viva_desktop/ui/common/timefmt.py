"""Every date and time on screen in one format: the UI language's (QLocale) date and time, in
the zone the user chose (Settings: this computer's zone, UTC or a named zone such as
Europe/Madrid), with the zone's name after the time whenever it is not the local one.

The zone is application-wide state: `set_time_zone` is called when the settings are attached
and when the user changes them.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QDate, QLocale, QTime

LOCAL = "local"
_zone_name = LOCAL
_zone: tzinfo | None = None  # None: this computer's zone


def zone_for(name: str) -> tzinfo | None:
    """The zone a setting names (None for the local zone); ValueError when unknown."""
    text = (name or LOCAL).strip()
    if text.lower() in (LOCAL, "", "system"):
        return None
    if text.upper() in ("UTC", "Z", "GMT"):
        return UTC
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r}") from None


def set_time_zone(name: str) -> None:
    """Show times in the zone `name` from now on ("local", "UTC" or an IANA name); an unknown
    name leaves the local zone (the settings' validation has said why)."""
    global _zone_name, _zone
    try:
        _zone = zone_for(name)
    except ValueError:
        _zone = None
    _zone_name = LOCAL if _zone is None else ("UTC" if _zone is UTC else str(name).strip())


def time_zone_name() -> str:
    """The chosen zone's setting value: "local", "UTC" or an IANA name."""
    return _zone_name


def shown(when: datetime) -> datetime:
    """`when` in the chosen zone (naive values are taken as UTC, as the store keeps them)."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(_zone)  # astimezone(None): the local zone


def zone_label(when: datetime | None = None) -> str:
    """The zone's short name for a moment ("UTC", "CET", "CEST"), "" in the local zone."""
    if _zone is None:
        return ""
    moment = shown(when or datetime.now(UTC))
    name = moment.tzname() or _zone_name
    return name if not re.fullmatch(r"[+-]\d+", name) else f"UTC{name}"


def time_format(*, seconds: bool = False) -> str:
    """The UI language's short time format ("h:mm AP", "H:mm"), with seconds when asked."""
    fmt = QLocale().timeFormat(QLocale.FormatType.ShortFormat)
    if seconds and "ss" not in fmt:
        fmt = re.sub(r"(m{1,2})", r"\1:ss", fmt, count=1)
    return fmt


def clock_text(when: datetime | None, *, seconds: bool = False, zone: bool = True) -> str:
    """The time of day of `when` in the chosen zone, in the UI language's format."""
    if when is None:
        return "—"
    moment = shown(when)
    text = QLocale().toString(
        QTime(moment.hour, moment.minute, moment.second), time_format(seconds=seconds)
    )
    label = zone_label(when) if zone else ""
    return f"{text} {label}" if label else text


def date_text(when: datetime) -> str:
    moment = shown(when)
    return QLocale().toString(
        QDate(moment.year, moment.month, moment.day), QLocale.FormatType.ShortFormat
    )


def datetime_text(when: datetime | None, *, seconds: bool = False, zone: bool = True) -> str:
    """Date and time of `when` in the chosen zone, short, in the UI language's format."""
    if when is None:
        return "—"
    return f"{date_text(when)} {clock_text(when, seconds=seconds, zone=zone)}"


def percent_text(ratio: float | None, decimals: int = 2) -> str:
    """`0.99` as "99.00 %" in the UI language's number format; "—" for None."""
    if ratio is None:
        return "—"
    return QLocale().toString(ratio * 100.0, "f", decimals) + " %"


def time_zone_choices() -> list[str]:
    """The Settings dialog's list: the local zone, UTC, then every IANA zone name."""
    from zoneinfo import available_timezones

    named = sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))
    return [LOCAL, "UTC", *named]

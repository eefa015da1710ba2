"""Reading what people type: numbers with a decimal comma, dates with or without a zone, slugs,
and the server's own timestamp format."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime
from typing import Any

from viva_desktop.services.remote.sanitize import clean_text


def parse_number_text(text: str) -> int | float | None:
    """A number typed as text ("3,5", "1e3", " 10 "), or None when it is not one."""
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    if "," in text and "." not in text and text.count(",") == 1:
        text = text.replace(",", ".")  # a decimal comma, as typed in Spanish
    if not re.fullmatch(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", text):
        return None
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    return float(text)


def to_datetime(value: Any) -> datetime | None:
    """An aware moment from a `datetime` or ISO 8601 text (naive = the user's local time)."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        return None  # a date alone has no time: ask for both
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    else:
        return None
    if moment.tzinfo is None:
        moment = moment.astimezone()  # naive means the user's local time
    return moment


def iso_utc(moment: datetime) -> str:
    """`moment` in the server's own timestamp format (UTC, milliseconds, `Z`), so what the app
    sends or stores locally looks like what the server sends back."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def slugify(text: str) -> str:
    """A URL slug from a community name: lower-case ASCII words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", clean_text(text)).encode("ascii", "ignore")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.decode().lower()).strip("-")


def fmt(number: float) -> str:
    """A limit as people write it: 0 rather than 0.0."""
    return str(int(number)) if float(number).is_integer() else str(number)


def tail(text: str, limit: int = 80) -> str:
    """The end of a long preview: where the server cut is what the user needs to see."""
    return text if len(text) <= limit else "…" + text[-(limit - 1) :]


def single_line(text: str) -> str:
    return re.sub(r"[\t\n]+", " ", text)


def looks_like_markup(text: str) -> bool:
    return bool(re.search(r"<[A-Za-z!/?]|&[#A-Za-z0-9]+;", text))

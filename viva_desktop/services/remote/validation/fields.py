"""The kinds of request fields (pydantic `Annotated` types) the request tables are made of.

Each kind says how a value typed in a form becomes what the server accepts: text is cleaned
(`sanitize.clean_text`) and counted as the server stores it, numbers and switches get real JSON
types (the string "false" would be `true` on the server), web addresses must be complete,
dates are sent in the server's own UTC format. Besides refusing a value, a kind may point
something out (`warn`): text after a `<` that the server will cut off, a plain `http://` link.
`None` never reaches a kind: it means "not given" and is decided by the table (`form.check`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer, ValidationInfo

from viva_desktop.services.common.i18n import translate
from viva_desktop.services.remote.sanitize import (
    clean_text,
    clean_url,
    is_valid_email,
    normalize_email,
    server_length,
    server_would_truncate,
    strip_control_chars,
    strip_html,
    truncation_preview,
)
from viva_desktop.services.remote.validation.choices import INT32_MAX
from viva_desktop.services.remote.validation.messages import absent, empty, fail, group_expected
from viva_desktop.services.remote.validation.parsing import (
    iso_utc,
    looks_like_markup,
    parse_number_text,
    single_line,
    tail,
    to_datetime,
)

_ID_FORBIDDEN = re.compile(r"[\s<>\"'`]")


def warn(info: ValidationInfo, message: str) -> None:
    """Point something out about the value being checked (shown, but not blocking).

    `form.check` collects these; a table validated directly with pydantic just has none."""
    if isinstance(info.context, dict):
        info.context.setdefault("warnings", []).append(message)


# --------------------------------------------------------------------------- text


def _clean_string(value: str, info: ValidationInfo, *, multiline: bool) -> str:
    cleaned = clean_text(value)
    if not multiline:
        cleaned = single_line(cleaned)
    if looks_like_markup(value) and strip_html(value) != value:
        warn(
            info,
            translate("Validation", "HTML markup was removed: the server stores plain text only."),
        )
    return cleaned


def _server_text_warnings(cleaned: str, info: ValidationInfo) -> None:
    if server_would_truncate(cleaned):
        warn(
            info,
            translate(
                "Validation",
                "The server cuts text at a '<' (up to the next '>'), so part of this text "
                "will be lost. It would be saved as: “{stored}”",
            ).format(stored=tail(truncation_preview(cleaned))),
        )
    elif ">" in cleaned:
        warn(
            info,
            translate(
                "Validation",
                "The server stores '>' as '&gt;'; other applications may show it that way.",
            ),
        )


def _text(value: Any, info: ValidationInfo, *, multiline: bool) -> str:
    if not isinstance(value, str):
        fail(translate("Validation", "Enter text."))
    cleaned = _clean_string(value, info, multiline=multiline)
    if not cleaned:
        empty()
    _server_text_warnings(cleaned, info)
    return cleaned


def _one_line(value: Any, info: ValidationInfo) -> str:
    return _text(value, info, multiline=False)


def _multiline(value: Any, info: ValidationInfo) -> str:
    return _text(value, info, multiline=True)


def stored_length(*, at_least: int | None = None, at_most: int | None = None) -> AfterValidator:
    """A length rule counted as the server stores the text (cut at '<', '>' as '&gt;')."""

    def check(text: str) -> str:
        length = server_length(truncation_preview(text))
        if at_least is not None and length < at_least:
            fail(
                translate("Validation", "Enter at least {minimum} characters.").format(
                    minimum=at_least
                )
            )
        if at_most is not None and length > at_most:
            fail(
                translate(
                    "Validation", "Too long: {length} characters, at most {maximum} allowed."
                ).format(length=length, maximum=at_most)
            )
        return text

    return AfterValidator(check)


Text = Annotated[str, BeforeValidator(_one_line)]
"""One line of plain text (tabs and line breaks become spaces)."""
MultilineText = Annotated[str, BeforeValidator(_multiline)]
"""Plain text that may span lines."""


def _text_list(value: Any, info: ValidationInfo) -> list[str]:
    result: list[str] = []
    for item in _list_items(value):
        cleaned = _clean_string(item, info, multiline=False)
        if cleaned:
            _server_text_warnings(cleaned, info)
            if cleaned not in result:
                result.append(cleaned)
    return result


def _list_items(value: Any) -> Iterator[str]:
    """The entries of a list (or of "a, b" text), refusing the first one that is not text."""
    if isinstance(value, str):
        items: list[Any] = re.split(r"[,\n]", value)
    elif isinstance(value, list | tuple | set | frozenset):
        items = list(value)
    else:
        fail(translate("Validation", "Enter a list of texts."))
    for index, item in enumerate(items):
        if not isinstance(item, str):
            fail(translate("Validation", "Entry {number} is not text.").format(number=index + 1))
        yield item


TextList = Annotated[list[str], BeforeValidator(_text_list)]
"""A list of one-line texts, also typed as "a, b, c"; empty entries and repeats are left out."""

# --------------------------------------------------------------------------- identifiers


def _identifier(value: Any) -> str:
    if isinstance(value, str) and not value.strip():
        absent()
    if not isinstance(value, str):
        fail(translate("Validation", "Enter an identifier (text)."))
    cleaned = strip_control_chars(value, keep="").strip()
    if _ID_FORBIDDEN.search(cleaned):
        fail(translate("Validation", "Identifiers contain no spaces, quotes or '<', '>'."))
    return cleaned


Identifier = Annotated[str, BeforeValidator(_identifier)]
"""The id of a record on the server (no spaces, quotes or angle brackets)."""


def _choice_text(value: Any) -> Any:
    if isinstance(value, str):
        if not value.strip():
            absent()
        return value.strip().upper()
    return value  # the field's Literal refuses it


CHOICE = BeforeValidator(_choice_text)
"""Metadata of an enum field (`Annotated[SomeLiteral, CHOICE]`): any case, blank = not given."""


def _case(convert: Callable[[str], str]) -> BeforeValidator:
    def to_case(value: Any) -> Any:
        return convert(value.strip()) if isinstance(value, str) else value

    return BeforeValidator(to_case)


LOWER_CASE = _case(str.lower)
"""Metadata of a choice written in lower case; unlike `CHOICE`, blank is a (wrong) value."""
UPPER_CASE = _case(str.upper)
"""Metadata of a choice written in upper case; unlike `CHOICE`, blank is a (wrong) value."""

# --------------------------------------------------------------------------- numbers


def _to_number(value: Any, *, integer: bool) -> int | float:
    if isinstance(value, str) and not value.strip():
        absent()
    parsed: int | float | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        parsed = value
    elif isinstance(value, float | Decimal):
        parsed = float(value)
    elif isinstance(value, str):
        parsed = parse_number_text(value)
    if parsed is None:
        fail(translate("Validation", "Enter a number."))
    if isinstance(parsed, float):
        if not math.isfinite(parsed):
            fail(translate("Validation", "Enter a finite number."))
        if integer:
            if not parsed.is_integer():
                fail(translate("Validation", "Enter a whole number."))
            parsed = int(parsed)
    if integer and abs(parsed) > INT32_MAX:
        fail(translate("Validation", "This number is too large."))
    return parsed


def _number(value: Any) -> int | float:
    return _to_number(value, integer=False)


def _integer(value: Any) -> int | float:
    return _to_number(value, integer=True)


Number = Annotated[int | float, BeforeValidator(_number)]
"""A number, also typed as text with a decimal comma ("3,5")."""
Integer = Annotated[int, BeforeValidator(_integer)]
"""A whole number that fits the server's 32-bit integer columns."""


def _zero_coordinate(value: int | float, info: ValidationInfo) -> int | float:
    if value == 0:
        warn(
            info,
            translate(
                "Validation",
                "The server treats a coordinate of exactly 0 as missing in distance searches.",
            ),
        )
    return value


Latitude = Annotated[Number, Field(ge=-90, le=90), AfterValidator(_zero_coordinate)]
Longitude = Annotated[Number, Field(ge=-180, le=180), AfterValidator(_zero_coordinate)]


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    fail(translate("Validation", "Choose yes or no."))


Boolean = Annotated[bool, BeforeValidator(_boolean)]
"""Yes or no, also typed as "true"/"false" or 1/0 (sent as a real JSON boolean)."""

# --------------------------------------------------------------------------- addresses, dates


def _url_value(value: str, info: ValidationInfo, index: int | None = None) -> str:
    cleaned = clean_url(value)
    if cleaned is None:
        if index is None:
            fail(
                translate(
                    "Validation", "Enter a complete http:// or https:// address without spaces."
                )
            )
        fail(
            translate(
                "Validation",
                "Entry {number} is not a complete http:// or https:// address.",
            ).format(number=index + 1)
        )
    if cleaned.startswith("http://"):
        warn(
            info,
            translate(
                "Validation",
                "This address uses plain http://; prefer https:// so it is not sent in clear text.",
            ),
        )
    return cleaned


def _url(value: Any, info: ValidationInfo) -> str:
    if isinstance(value, str) and not value.strip():
        empty()
    if not isinstance(value, str):
        fail(translate("Validation", "Enter a web address."))
    return _url_value(value, info)


def _url_list(value: Any, info: ValidationInfo) -> list[str]:
    result: list[str] = []
    for index, item in enumerate(_list_items(value)):
        if item.strip():
            cleaned = _url_value(item, info, index)
            if cleaned not in result:
                result.append(cleaned)
    return result


Url = Annotated[str, BeforeValidator(_url)]
"""A complete http:// or https:// address."""
UrlList = Annotated[list[str], BeforeValidator(_url_list)]
"""A list of complete web addresses, also typed as "a, b"."""


def _email(value: Any) -> str:
    if isinstance(value, str) and not value.strip():
        absent()
    if not isinstance(value, str):
        fail(translate("Validation", "Enter an e-mail address."))
    cleaned = normalize_email(value)
    if not is_valid_email(cleaned) or server_would_truncate(cleaned):
        fail(translate("Validation", "Enter a valid e-mail address, e.g. ana@example.org."))
    return cleaned


Email = Annotated[str, BeforeValidator(_email)]
"""An e-mail address, trimmed and with a lower-case domain."""


def _date_time(value: Any) -> datetime:
    if isinstance(value, str) and not value.strip():
        absent()
    moment = to_datetime(value)
    if moment is None:
        fail(translate("Validation", "Enter a date and time, e.g. 2025-12-01T10:00 (ISO 8601)."))
    return moment


DateTime = Annotated[datetime, BeforeValidator(_date_time), PlainSerializer(iso_utc)]
"""A moment (naive = the user's local time), sent as UTC with milliseconds and `Z`."""


def _group(value: Any) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        fail(group_expected())
    return dict(value)


Group = Annotated[dict[str, Any], BeforeValidator(_group)]
"""A JSON object whose keys the table of another request declares."""

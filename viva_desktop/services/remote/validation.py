"""The server's rules for every writable body, checked before sending, with per-field messages.

The server answers any invalid body with a bare 400 "Bad Request Exception" (contract 3.3, D7),
so the forms cannot learn from it which field was wrong. Each `validate_*` function here checks
one body against the DTO rules of the contract and returns a `ValidationResult`:

* `cleaned`: what to send. Text is cleaned (`sanitize.clean_text`), values have real JSON types
  (the string "false" would become `true` on the server), and only declared fields remain:
  the server rejects an undeclared field with a 400, so extra keys are dropped with a warning.
* `errors`: field → message; any error blocks the submission.
* `warnings`: field → message; shown, but the user may go ahead (for example text after a `<`
  that the server will cut off, or a plain `http://` link).

Conventions shared by all validators: `None` means "not given" and is never sent; an empty
string is "not given" when creating, and an explicit "clear this field" in a partial update.
Messages go through `translate("Validation", ...)`. Form-wide messages use the key `FORM`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, NoReturn

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

__all__ = [
    "FORM",
    "ValidationResult",
    "ensure_valid",
    "iso_utc",
    "slugify",
    "validate_comment",
    "validate_community",
    "validate_event",
    "validate_grant",
    "validate_login",
    "validate_membership_decision",
    "validate_moderation_report",
    "validate_moderation_vote",
    "validate_offer",
    "validate_pool_decision",
    "validate_post",
    "validate_register",
    "validate_social_post",
    "validate_user_update",
]

FORM = "_form"
"""Key of messages about the whole form rather than one field."""

# --------------------------------------------------------------------------- enums (contract §7)

USER_ROLES = ("CITIZEN", "MERCHANT", "ADMIN", "MODERATOR", "PUBLIC_ENTITY")
CREDIT_REASONS = (
    "TIME_BANK_HOUR",
    "LOCAL_PURCHASE",
    "EVENT_ATTENDANCE",
    "REFERRAL",
    "ECO_ACTION",
    "COMMUNITY_HELP",
    "DAILY_SEED",
    "SUPPORT_POST",
    "ADMIN_GRANT",
    "ADMIN_DEDUCT",
    "EXPIRATION",
    "OFFER_CREATED",
    "REVIEW",
    "PURCHASE",
    "DISCOUNT",
    "SERVICE",
    "EVENT_ACCESS",
    "ADJUSTMENT",
    "SYSTEM_REWARD",
)
OFFER_TYPES = ("PRODUCT", "SERVICE", "TIME_BANK", "GROUP_BUY", "EVENT")
EVENT_DTO_TYPES = ("VIRTUAL", "IN_PERSON", "HYBRID")
COMMUNITY_TYPES = ("NEIGHBORHOOD", "VILLAGE", "TOWN", "COUNTY", "REGION", "CUSTOM")
COMMUNITY_VISIBILITIES = ("PRIVATE", "PUBLIC", "OPEN", "FEDERATED")
ORGANIZED_COMMUNITY_TYPES = (
    "CONSUMER_GROUP",
    "HOUSING_COOP",
    "COMMUNITY_BAR",
    "SOCIAL_CENTER",
    "WORKER_COOP",
    "NEIGHBORHOOD_ASSOCIATION",
    "TRANSITION_TOWN",
    "ECOVILLAGE",
    "SOLIDARITY_NETWORK",
    "CULTURAL_SPACE",
)
POST_TYPES = ("STORY", "NEED", "OFFER", "THANKS", "ACHIEVEMENT", "MILESTONE", "TIP")
POST_VISIBILITIES = ("PUBLIC", "NEIGHBORS", "FRIENDS", "PRIVATE")
MODERATION_CONTENT_TYPES = (
    "POST",
    "OFFER",
    "COMMENT",
    "MESSAGE",
    "REVIEW",
    "COMMUNITY",
    "EVENT",
    "TIMEBANK",
)
MODERATION_DECISIONS = ("KEEP", "REMOVE", "WARN")
POOL_REQUEST_STATUSES = ("PENDING", "APPROVED", "REJECTED", "DISTRIBUTED", "CANCELLED")

# Daily limits of the earning rules (contract §6.6): they apply to admin grants too.
CREDIT_DAILY_LIMITS = {
    "EVENT_ATTENDANCE": 15,
    "LOCAL_PURCHASE": 20,
    "REFERRAL": 20,
    "ECO_ACTION": 10,
    "OFFER_CREATED": 6,
    "REVIEW": 10,
    "SUPPORT_POST": 5,
}
LARGE_GRANT = 1000
"""Grants above this many credits get a "please double-check" warning."""

SOCIAL_POST_MAX = 5000
COMMENT_MAX = 1000
PASSWORD_MIN = 6
NAME_MIN = 2
INT32_MAX = 2_147_483_647
WEB_LANGUAGES = ("es", "eu", "ca", "gl", "en")
WEB_CURRENCIES = ("EUR", "USD", "GBP")

_PHONE = re.compile(r"^\+?[1-9]\d{1,14}$")
_PHONE_SEPARATORS = re.compile(r"[\s().\-/]")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
_TOTP = re.compile(r"^\d{6}$")
_BACKUP_CODE = re.compile(r"^[0-9A-F]{8}$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_ID_FORBIDDEN = re.compile(r"[\s<>\"'`]")


@dataclass(frozen=True)
class ValidationResult:
    """Outcome of one validation: what to send, what blocks, what to point out."""

    cleaned: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def ensure_valid(result: ValidationResult) -> dict[str, Any]:
    """The cleaned body, or `InvalidInput(field_errors)` when the result has errors."""
    if result.errors:
        # Imported here: the API layer imports the HTTP stack, which plain validation avoids.
        from viva_desktop.services.remote.api.errors import InvalidInput

        raise InvalidInput(field_errors=result.errors)
    return dict(result.cleaned)


def slugify(text: str) -> str:
    """A URL slug from a community name: lower-case ASCII words joined by hyphens."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", clean_text(text)).encode("ascii", "ignore")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.decode().lower()).strip("-")


# --------------------------------------------------------------------------- the checker


class _Invalid(Exception):
    """Internal: a value failed; the message is already recorded."""


class _Checker:
    """Accumulates cleaned values and messages for one body."""

    def __init__(self, dto: Mapping[str, Any] | None, *, partial: bool = False) -> None:
        self.dto: Mapping[str, Any] = dto if isinstance(dto, Mapping) else {}
        self.partial = partial
        self.cleaned: dict[str, Any] = {}
        self.errors: dict[str, str] = {}
        self.warnings: dict[str, str] = {}
        self.seen: set[str] = set()

    # ---------------------------------------------------------------- messages

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def fail(self, name: str, message: str) -> NoReturn:
        self.error(name, message)
        raise _Invalid

    def warn(self, name: str, message: str) -> None:
        if name in self.warnings and message not in self.warnings[name]:
            self.warnings[name] = f"{self.warnings[name]} {message}"
        else:
            self.warnings.setdefault(name, message)

    # ---------------------------------------------------------------- presence

    def raw(self, name: str) -> Any:
        self.seen.add(name)
        return self.dto.get(name)

    def missing(self, name: str, required: bool) -> None:
        if required and not self.partial:
            self.error(name, translate("Validation", "This field is required."))

    def run(self, name: str, check: Callable[[], Any]) -> Any:
        """Run one field check; return its value or None when it failed."""
        try:
            return check()
        except _Invalid:
            return None

    # ---------------------------------------------------------------- field kinds

    def text(
        self,
        name: str,
        *,
        required: bool = False,
        multiline: bool = False,
        min_length: int | None = None,
        max_length: int | None = None,
    ) -> str | None:
        value = self.raw(name)
        if value is None:
            self.missing(name, required)
            return None
        if not isinstance(value, str):
            self.error(name, translate("Validation", "Enter text."))
            return None
        cleaned = self._clean_string(name, value, multiline=multiline)
        if not cleaned:
            return self._empty(name, required)
        if not self._check_server_text(name, cleaned, min_length, max_length):
            return None
        self.cleaned[name] = cleaned
        return cleaned

    def _empty(self, name: str, required: bool) -> str | None:
        """An empty value: "not given" when creating, "clear it" in a partial update."""
        if not self.partial:
            self.missing(name, required)
            return None
        if required:
            self.error(name, translate("Validation", "This field cannot be empty."))
            return None
        self.cleaned[name] = ""
        return ""

    def _clean_string(self, name: str, value: str, *, multiline: bool) -> str:
        cleaned = clean_text(value)
        if not multiline:
            cleaned = _single_line(cleaned)
        if _looks_like_markup(value) and strip_html(value) != value:
            self.warn(
                name,
                translate(
                    "Validation", "HTML markup was removed: the server stores plain text only."
                ),
            )
        return cleaned

    def _check_server_text(
        self, name: str, cleaned: str, min_length: int | None, max_length: int | None
    ) -> bool:
        stored = truncation_preview(cleaned)
        if server_would_truncate(cleaned):
            self.warn(
                name,
                translate(
                    "Validation",
                    "The server cuts text at a '<' (up to the next '>'), so part of this text "
                    "will be lost. It would be saved as: “{stored}”",
                ).format(stored=_tail(stored)),
            )
        elif ">" in cleaned:
            self.warn(
                name,
                translate(
                    "Validation",
                    "The server stores '>' as '&gt;'; other applications may show it that way.",
                ),
            )
        length = server_length(stored)
        if min_length is not None and length < min_length:
            self.error(
                name,
                translate("Validation", "Enter at least {minimum} characters.").format(
                    minimum=min_length
                ),
            )
            return False
        if max_length is not None and length > max_length:
            self.error(
                name,
                translate(
                    "Validation", "Too long: {length} characters, at most {maximum} allowed."
                ).format(length=length, maximum=max_length),
            )
            return False
        return True

    def identifier(self, name: str, *, required: bool = False, uuid: bool = False) -> str | None:
        value = self.raw(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            self.missing(name, required)
            return None
        if not isinstance(value, str):
            self.error(name, translate("Validation", "Enter an identifier (text)."))
            return None
        cleaned = strip_control_chars(value, keep="").strip()
        if _ID_FORBIDDEN.search(cleaned):
            self.error(
                name, translate("Validation", "Identifiers contain no spaces, quotes or '<', '>'.")
            )
            return None
        if uuid:
            if not _UUID.match(cleaned):
                self.error(
                    name, translate("Validation", "Enter a UUID (e.g. from the item's URL).")
                )
                return None
            cleaned = cleaned.lower()
        self.cleaned[name] = cleaned
        return cleaned

    def enum(self, name: str, values: Iterable[str], *, required: bool = False) -> str | None:
        value = self.raw(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            self.missing(name, required)
            return None
        allowed = tuple(values)
        candidate = value.strip().upper() if isinstance(value, str) else None
        if candidate not in allowed:
            self.error(
                name,
                translate("Validation", "Choose one of: {choices}.").format(
                    choices=", ".join(allowed)
                ),
            )
            return None
        self.cleaned[name] = candidate
        return candidate

    def number(
        self,
        name: str,
        *,
        required: bool = False,
        integer: bool = False,
        minimum: float | None = None,
        maximum: float | None = None,
        above: float | None = None,
    ) -> int | float | None:
        value = self.raw(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            self.missing(name, required)
            return None
        number = self.run(name, lambda: self._to_number(name, value, integer=integer))
        if number is None:
            return None
        if minimum is not None and number < minimum:
            self.error(
                name,
                translate("Validation", "Enter a value of at least {minimum}.").format(
                    minimum=_fmt(minimum)
                ),
            )
            return None
        if above is not None and number <= above:
            self.error(
                name,
                translate("Validation", "Enter a value greater than {minimum}.").format(
                    minimum=_fmt(above)
                ),
            )
            return None
        if maximum is not None and number > maximum:
            self.error(
                name,
                translate("Validation", "Enter a value of at most {maximum}.").format(
                    maximum=_fmt(maximum)
                ),
            )
            return None
        self.cleaned[name] = number
        return number

    def _to_number(self, name: str, value: Any, *, integer: bool) -> int | float:
        if isinstance(value, bool):
            self.fail(name, translate("Validation", "Enter a number."))
        if isinstance(value, int):
            number: int | float = value
        elif isinstance(value, float | Decimal):
            number = float(value)
        elif isinstance(value, str):
            number = _parse_number_text(value)
            if number is None:
                self.fail(name, translate("Validation", "Enter a number."))
        else:
            self.fail(name, translate("Validation", "Enter a number."))
        if isinstance(number, float):
            if not math.isfinite(number):
                self.fail(name, translate("Validation", "Enter a finite number."))
            if integer:
                if not number.is_integer():
                    self.fail(name, translate("Validation", "Enter a whole number."))
                number = int(number)
        if integer and abs(number) > INT32_MAX:
            self.fail(name, translate("Validation", "This number is too large."))
        return number

    def latitude(self, name: str = "lat", *, required: bool = False) -> float | None:
        value = self.number(name, required=required, minimum=-90, maximum=90)
        self._zero_coordinate(name, value)
        return value

    def longitude(self, name: str = "lng", *, required: bool = False) -> float | None:
        value = self.number(name, required=required, minimum=-180, maximum=180)
        self._zero_coordinate(name, value)
        return value

    def _zero_coordinate(self, name: str, value: float | None) -> None:
        if value == 0:
            self.warn(
                name,
                translate(
                    "Validation",
                    "The server treats a coordinate of exactly 0 as missing in distance searches.",
                ),
            )

    def boolean(self, name: str) -> bool | None:
        value = self.raw(name)
        if value is None:
            return None
        if isinstance(value, bool):
            result = value
        elif isinstance(value, str) and value.strip().lower() in ("true", "false"):
            result = value.strip().lower() == "true"
        elif isinstance(value, int) and value in (0, 1):
            result = bool(value)
        else:
            self.error(name, translate("Validation", "Choose yes or no."))
            return None
        self.cleaned[name] = result
        return result

    def url(self, name: str, *, required: bool = False) -> str | None:
        value = self.raw(name)
        if value is None:
            self.missing(name, required)
            return None
        if isinstance(value, str) and not value.strip():
            return self._empty(name, required)
        if not isinstance(value, str):
            self.error(name, translate("Validation", "Enter a web address."))
            return None
        cleaned = self.run(name, lambda: self._url_value(name, value))
        if cleaned is not None:
            self.cleaned[name] = cleaned
        return cleaned

    def _url_value(self, name: str, value: str, index: int | None = None) -> str:
        cleaned = clean_url(value)
        if cleaned is None:
            if index is None:
                message = translate(
                    "Validation", "Enter a complete http:// or https:// address without spaces."
                )
            else:
                message = translate(
                    "Validation",
                    "Entry {number} is not a complete http:// or https:// address.",
                ).format(number=index + 1)
            self.fail(name, message)
        if cleaned.startswith("http://"):
            self.warn(
                name,
                translate(
                    "Validation",
                    "This address uses plain http://; prefer https:// so it is not sent in "
                    "clear text.",
                ),
            )
        return cleaned

    def string_list(
        self, name: str, *, urls: bool = False, dedupe: bool = True
    ) -> list[str] | None:
        value = self.raw(name)
        if value is None:
            return None
        if isinstance(value, str):
            items: list[Any] = [part for part in re.split(r"[,\n]", value)]
        elif isinstance(value, list | tuple | set | frozenset):
            items = list(value)
        else:
            self.error(name, translate("Validation", "Enter a list of texts."))
            return None
        result: list[str] = []
        for index, item in enumerate(items):
            if not isinstance(item, str):
                self.error(
                    name,
                    translate("Validation", "Entry {number} is not text.").format(number=index + 1),
                )
                return None
            if urls:
                if not item.strip():
                    continue
                cleaned = self.run(
                    name, lambda item=item, index=index: self._url_value(name, item, index)
                )
                if cleaned is None:
                    return None
            else:
                cleaned = self._clean_string(name, item, multiline=False)
                if not cleaned:
                    continue
                if not self._check_server_text(name, cleaned, None, None):
                    return None
            if not dedupe or cleaned not in result:
                result.append(cleaned)
        self.cleaned[name] = result
        return result

    def email(self, name: str = "email", *, required: bool = False) -> str | None:
        value = self.raw(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            self.missing(name, required)
            return None
        if not isinstance(value, str):
            self.error(name, translate("Validation", "Enter an e-mail address."))
            return None
        cleaned = normalize_email(value)
        if not is_valid_email(cleaned) or server_would_truncate(cleaned):
            self.error(
                name, translate("Validation", "Enter a valid e-mail address, e.g. ana@example.org.")
            )
            return None
        self.cleaned[name] = cleaned
        return cleaned

    def date_time(self, name: str, *, required: bool = False) -> datetime | None:
        value = self.raw(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            self.missing(name, required)
            return None
        moment = _to_datetime(value)
        if moment is None:
            self.error(
                name,
                translate("Validation", "Enter a date and time, e.g. 2025-12-01T10:00 (ISO 8601)."),
            )
            return None
        self.cleaned[name] = iso_utc(moment)
        return moment

    def mapping(self, name: str) -> Mapping[str, Any] | None:
        value = self.raw(name)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self.error(name, translate("Validation", "Enter a group of values."))
            return None
        return value

    # ---------------------------------------------------------------- finishing

    def drop(self, name: str, message: str) -> None:
        """Leave out a field the form sent but the server must not receive."""
        self.seen.add(name)
        self.cleaned.pop(name, None)
        if name in self.dto:
            self.warn(name, message)

    def result(self, *, require_something: bool = False) -> ValidationResult:
        for key in self.dto:
            if key not in self.seen:
                self.warn(
                    str(key),
                    translate(
                        "Validation",
                        "The server does not accept this field, so it will not be sent.",
                    ),
                )
        if require_something and not self.cleaned and not self.errors:
            self.error(FORM, translate("Validation", "Nothing to change."))
        return ValidationResult(dict(self.cleaned), dict(self.errors), dict(self.warnings))


def _tail(text: str, limit: int = 80) -> str:
    """The end of a long preview: where the server cut is what the user needs to see."""
    return text if len(text) <= limit else "…" + text[-(limit - 1) :]


def _single_line(text: str) -> str:
    return re.sub(r"[\t\n]+", " ", text)


def _looks_like_markup(text: str) -> bool:
    return bool(re.search(r"<[A-Za-z!/?]|&[#A-Za-z0-9]+;", text))


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _parse_number_text(text: str) -> int | float | None:
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    if "," in text and "." not in text and text.count(",") == 1:
        text = text.replace(",", ".")  # a decimal comma, as typed in Spanish
    if not re.fullmatch(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", text):
        return None
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    return float(text)


def _to_datetime(value: Any) -> datetime | None:
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


def _now(now: datetime | None) -> datetime:
    return now if now is not None else datetime.now(UTC)


# --------------------------------------------------------------------------- authentication


def validate_register(dto: Mapping[str, Any]) -> ValidationResult:
    """`POST /auth/register` (RegisterDto: name, email, phone?, password)."""
    c = _Checker(dto)
    c.text("name", required=True, min_length=NAME_MIN)
    c.email("email", required=True)
    _phone(c)
    _password(c, new=True)
    return c.result()


def _phone(c: _Checker) -> None:
    value = c.raw("phone")
    if value is None or (isinstance(value, str) and not value.strip()):
        return
    if not isinstance(value, str | int) or isinstance(value, bool):
        c.error("phone", translate("Validation", "Enter a phone number."))
        return
    phone = _PHONE_SEPARATORS.sub("", strip_control_chars(str(value), keep=""))
    if phone.startswith("00"):
        phone = "+" + phone[2:]
    if not _PHONE.match(phone):
        c.error(
            "phone",
            translate(
                "Validation",
                "Enter the phone number in international format, e.g. +34600123456 "
                "(2 to 15 digits, not starting with 0).",
            ),
        )
        return
    c.cleaned["phone"] = phone


def _password(c: _Checker, *, new: bool) -> None:
    value = c.raw("password")
    if value is None or value == "":
        c.missing("password", True)
        return
    if not isinstance(value, str):
        c.error("password", translate("Validation", "Enter text."))
        return
    # Passwords are sent exactly as typed: no trimming, no HTML stripping on our side.
    effective = truncation_preview(value)
    if new and server_length(effective) < PASSWORD_MIN:
        if effective != value and server_length(value) >= PASSWORD_MIN:
            c.error(
                "password",
                translate(
                    "Validation",
                    "The server removes everything from '<' to the next '>' in passwords, "
                    "which leaves fewer than {minimum} characters here.",
                ).format(minimum=PASSWORD_MIN),
            )
        else:
            c.error(
                "password",
                translate("Validation", "Use at least {minimum} characters.").format(
                    minimum=PASSWORD_MIN
                ),
            )
        return
    if new and "<" in value:
        c.warn(
            "password",
            translate(
                "Validation",
                "The server removes everything from '<' to the next '>' in passwords, so the "
                "password that really counts is shorter than the one typed.",
            ),
        )
    c.cleaned["password"] = value


def validate_login(dto: Mapping[str, Any]) -> ValidationResult:
    """`POST /auth/login` (`{email, password, twoFactorToken?}`).

    The e-mail address is sent as typed (only trimmed): login matches it exactly, case included.
    """
    c = _Checker(dto)
    value = c.raw("email")
    if value is not None and not isinstance(value, str):
        c.error("email", translate("Validation", "Enter an e-mail address."))
    elif not (value or "").strip():
        c.missing("email", True)
    else:
        email = normalize_email(value, lower_domain=False)
        c.cleaned["email"] = email
        if not is_valid_email(email):
            c.warn("email", translate("Validation", "This does not look like an e-mail address."))
        elif email != email.lower():
            c.warn(
                "email",
                translate(
                    "Validation",
                    "The server compares e-mail addresses exactly, upper and lower case included.",
                ),
            )
    _password(c, new=False)
    code = c.raw("twoFactorToken")
    if code is not None and str(code).strip():
        token = re.sub(r"[\s-]", "", str(code)).upper()
        if _TOTP.match(token) or _BACKUP_CODE.match(token):
            c.cleaned["twoFactorToken"] = token
        else:
            c.error(
                "twoFactorToken",
                translate(
                    "Validation",
                    "Enter the 6-digit code from the authenticator app or an 8-character "
                    "backup code.",
                ),
            )
    return c.result()


# --------------------------------------------------------------------------- users, communities


_USER_IMMUTABLE = ("role", "email", "phone", "credits", "password")


def validate_user_update(dto: Mapping[str, Any]) -> ValidationResult:
    """`PUT /users/{id}` (UpdateUserDto, every field optional)."""
    c = _Checker(dto, partial=True)
    c.text("name")
    c.text("bio", multiline=True)
    c.url("avatar")
    c.text("address")
    c.text("neighborhood")
    c.latitude()
    c.longitude()
    c.string_list("interests")
    for name in _USER_IMMUTABLE:
        c.drop(
            name,
            translate(
                "Validation",
                "This cannot be changed through the server's API, so it will not be sent.",
            ),
        )
    return c.result(require_something=True)


_COMMUNITY_SUBSTANTIAL = (
    "name",
    "slug",
    "type",
    "visibility",
    "requiresApproval",
    "allowExternalOffers",
)


def validate_community(
    dto: Mapping[str, Any], *, partial: bool = False, in_bootstrap: bool | None = None
) -> ValidationResult:
    """`POST /communities` (CreateCommunityDto), or `PUT /communities/{id}` with `partial`.

    For updates, `in_bootstrap` says whether the community is still in its first 30 days:
    afterwards name, slug, type, visibility and the two admission switches can only change
    through a COMMUNITY_UPDATE proposal, and the server refuses them with a 400.
    """
    c = _Checker(dto, partial=partial)
    slug = c.text("slug", required=True)
    if slug and not _SLUG.match(slug):
        c.warn(
            "slug",
            translate(
                "Validation",
                "Slugs work best as lower-case words joined by hyphens, e.g. “{suggestion}”. "
                "Each slug can be used once only.",
            ).format(suggestion=slugify(slug) or "mi-barrio"),
        )
    c.text("name", required=True)
    c.enum("type", COMMUNITY_TYPES, required=True)
    c.enum("visibility", COMMUNITY_VISIBILITIES, required=True)
    c.text("description", multiline=True)
    c.url("logo")
    c.url("bannerImage")
    c.text("location")
    c.latitude()
    c.longitude()
    c.number("radiusKm", above=0)
    c.boolean("requiresApproval")
    c.boolean("allowExternalOffers")
    color = c.text("primaryColor")
    if color and not _COLOR.match(color):
        c.warn("primaryColor", translate("Validation", "Use a colour like #4CAF50."))
    language = c.text("language")
    if language:
        c.cleaned["language"] = language.lower()
        if language.lower() not in WEB_LANGUAGES:
            c.warn(
                "language",
                translate("Validation", "The web application offers: {choices}.").format(
                    choices=", ".join(WEB_LANGUAGES)
                ),
            )
    currency = c.text("currency")
    if currency:
        c.cleaned["currency"] = currency.upper()
        if currency.upper() not in WEB_CURRENCIES:
            c.warn(
                "currency",
                translate("Validation", "The web application offers: {choices}.").format(
                    choices=", ".join(WEB_CURRENCIES)
                ),
            )
    _onboarding_pack(c)
    if partial:
        changed = [name for name in _COMMUNITY_SUBSTANTIAL if name in c.cleaned]
        for name in changed:
            if in_bootstrap is False:
                c.error(
                    name,
                    translate(
                        "Validation",
                        "After the first 30 days this can only change through a "
                        "COMMUNITY_UPDATE proposal.",
                    ),
                )
            elif in_bootstrap is None:
                c.warn(
                    name,
                    translate(
                        "Validation",
                        "Only founders may change this, and only in the community's first "
                        "30 days; later it needs a COMMUNITY_UPDATE proposal.",
                    ),
                )
    return c.result(require_something=partial)


def _onboarding_pack(c: _Checker) -> None:
    pack = c.mapping("onboardingPack")
    if pack is None:
        return
    cleaned: dict[str, Any] = {}
    kind = pack.get("type")
    key = "onboardingPack.type"
    if not isinstance(kind, str) or kind.strip().upper() not in ORGANIZED_COMMUNITY_TYPES:
        c.error(
            key,
            translate("Validation", "Choose one of: {choices}.").format(
                choices=", ".join(ORGANIZED_COMMUNITY_TYPES)
            ),
        )
        return
    cleaned["type"] = kind.strip().upper()
    setup = pack.get("setupData")
    if setup is not None:
        if not isinstance(setup, Mapping):
            c.error("onboardingPack.setupData", translate("Validation", "Enter a group of values."))
            return
        cleaned["setupData"] = dict(setup)
    for extra in set(pack) - {"type", "setupData"}:
        c.warn(
            f"onboardingPack.{extra}",
            translate(
                "Validation", "The server does not accept this field, so it will not be sent."
            ),
        )
    c.cleaned["onboardingPack"] = cleaned


def validate_membership_decision(dto: Mapping[str, Any]) -> ValidationResult:
    """Approving or rejecting a membership request: `{action: "approve"|"reject", reviewNote?}`.

    `action` picks the route (`POST .../approve` or `.../reject`); only `reviewNote` is sent.
    """
    c = _Checker(dto)
    action = c.raw("action")
    action = action.strip().lower() if isinstance(action, str) else action
    if action not in ("approve", "reject"):
        c.error("action", translate("Validation", "Choose approve or reject."))
    note = c.text("reviewNote", multiline=True)
    if action == "reject" and not note:
        c.warn(
            "reviewNote",
            translate("Validation", "A short note helps the person understand the decision."),
        )
    return c.result()


# --------------------------------------------------------------------------- offers and events


def validate_offer(dto: Mapping[str, Any], *, partial: bool = False) -> ValidationResult:
    """`POST /offers` (CreateOfferDto), or `PUT /offers/{id}` with `partial`."""
    c = _Checker(dto, partial=partial)
    c.text("title", required=True)
    c.text("description", required=True, multiline=True)
    c.text("category", required=True)
    c.enum("type", OFFER_TYPES, required=True)
    c.number("priceEur", minimum=0)
    c.number("priceCredits", integer=True, minimum=0)
    c.number("stock", integer=True, minimum=0)
    c.latitude()
    c.longitude()
    c.text("address")
    c.string_list("tags")
    c.string_list("images", urls=True)
    for name in ("status", "featured", "expiresAt", "communityId", "userId"):
        c.drop(
            name,
            translate("Validation", "This cannot be set through the server's API."),
        )
    return c.result(require_something=partial)


def validate_event(
    dto: Mapping[str, Any], partial: bool = False, *, now: datetime | None = None
) -> ValidationResult:
    """`POST /events` (CreateEventDto), or `PUT /events/{id}` with `partial`."""
    c = _Checker(dto, partial=partial)
    c.text("title", required=True)
    c.text("description", required=True, multiline=True)
    starts = c.date_time("startsAt", required=True)
    ends = c.date_time("endsAt")
    c.text("address", required=True)
    c.latitude(required=True)
    c.longitude(required=True)
    c.number("capacity", integer=True, minimum=1)
    kind = c.enum("type", EVENT_DTO_TYPES)
    if kind is not None:
        c.warn(
            "type",
            translate(
                "Validation",
                "The server's database uses other event types (WORKSHOP, MARKET...), so "
                "some servers fail when this is set.",
            ),
        )
    c.number("creditsReward", integer=True, minimum=0)
    c.string_list("tags")
    c.string_list("requirements")
    c.identifier("communityId")
    c.identifier("offerId")
    c.url("image")
    c.drop(
        "category",
        translate(
            "Validation",
            "Events have no category on the server (sending one makes it fail), so it will "
            "not be sent.",
        ),
    )
    moment = _now(now)
    if starts is not None:
        if starts <= moment and not partial:
            c.error("startsAt", translate("Validation", "A new event must start in the future."))
        elif starts <= moment:
            c.warn("startsAt", translate("Validation", "This start time is in the past."))
    if ends is not None and starts is not None and ends <= starts:
        c.error("endsAt", translate("Validation", "The end must be after the start."))
    if not partial and ends is None and "startsAt" not in c.errors:
        c.warn(
            "endsAt",
            translate(
                "Validation", "The server's database needs an end time; without one it may fail."
            ),
        )
    if starts is not None and ends is not None and ends - starts > timedelta(days=31):
        c.warn("endsAt", translate("Validation", "This event lasts more than a month."))
    return c.result(require_something=partial)


# --------------------------------------------------------------------------- posts and comments


def validate_post(dto: Mapping[str, Any], *, partial: bool = False) -> ValidationResult:
    """`POST /posts` (CreatePostDto, posts variant), or `PUT /posts/{id}` with `partial`
    (which accepts only content, images, visibility and tags)."""
    c = _Checker(dto, partial=partial)
    c.text("content", required=True, multiline=True)
    c.string_list("images", urls=True)
    c.enum("visibility", POST_VISIBILITIES)
    c.string_list("tags")
    if partial:
        for name in ("type", "mentions", "relatedOfferId", "lat", "lng"):
            c.drop(
                name,
                translate("Validation", "This cannot be changed after publishing."),
            )
        return c.result(require_something=True)
    c.enum("type", POST_TYPES, required=True)
    c.string_list("mentions")
    c.identifier("relatedOfferId", uuid=True)
    c.latitude()
    c.longitude()
    return c.result()


def validate_social_post(dto: Mapping[str, Any], *, partial: bool = False) -> ValidationResult:
    """`POST /social/posts` (CreatePostDto, social variant), or `PUT /social/posts/{id}` with
    `partial` (where `media`, `location` and `relatedEventId` make the server fail)."""
    c = _Checker(dto, partial=partial)
    c.text("content", required=True, multiline=True, max_length=SOCIAL_POST_MAX)
    c.enum("type", POST_TYPES)
    c.enum("visibility", POST_VISIBILITIES)
    c.identifier("relatedOfferId")
    c.string_list("tags")
    if partial:
        for name in ("media", "location", "relatedEventId"):
            c.drop(
                name,
                translate(
                    "Validation",
                    "The server fails when an update contains this field, so it will not be sent.",
                ),
            )
        return c.result(require_something=True)
    c.string_list("media", urls=True)
    _location(c)
    c.drop(
        "relatedEventId",
        translate("Validation", "The server ignores this field, so it will not be sent."),
    )
    return c.result()


def _location(c: _Checker) -> None:
    value = c.raw("location")
    if value is None or (isinstance(value, str) and not value.strip()):
        return
    parts: list[Any]
    if isinstance(value, str):
        parts = [p.strip() for p in value.split(",")]
    elif isinstance(value, list | tuple) and not isinstance(value, str):
        parts = list(value)
    else:
        parts = []
    numbers = [_parse_number_text(str(p)) if not isinstance(p, bool) else None for p in parts]
    if len(numbers) != 2 or any(n is None for n in numbers):
        c.error("location", translate("Validation", "Enter the location as “latitude,longitude”."))
        return
    lat, lng = float(numbers[0]), float(numbers[1])  # type: ignore[arg-type]
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        c.error(
            "location",
            translate(
                "Validation", "Latitude must be between -90 and 90, longitude between -180 and 180."
            ),
        )
        return
    c.cleaned["location"] = f"{_fmt(lat)},{_fmt(lng)}"


def validate_comment(dto: Mapping[str, Any]) -> ValidationResult:
    """`POST /social/posts/{id}/comments` (`{content}`, at most 1000 characters)."""
    c = _Checker(dto)
    c.text("content", required=True, multiline=True, max_length=COMMENT_MAX)
    return c.result()


# --------------------------------------------------------------------------- credits


def validate_grant(dto: Mapping[str, Any]) -> ValidationResult:
    """`POST /credits/grant` (GrantCreditsDto: userId, amount, reason, relatedId?, description?)."""
    c = _Checker(dto)
    c.identifier("userId", required=True)
    amount = c.number("amount", required=True, integer=True, minimum=1)
    reason = c.enum("reason", CREDIT_REASONS, required=True)
    related = c.text("relatedId")
    c.text("description", multiline=True)
    if amount is not None and amount > LARGE_GRANT:
        c.warn(
            "amount",
            translate(
                "Validation", "That is a large grant ({amount} credits); please check it."
            ).format(amount=amount),
        )
    if reason == "ADMIN_DEDUCT":
        c.warn(
            "reason",
            translate(
                "Validation",
                "A grant always adds credits: the server has no way to deduct them.",
            ),
        )
    elif reason in CREDIT_DAILY_LIMITS:
        c.warn(
            "reason",
            translate(
                "Validation",
                "This reason has a daily limit of {limit} credits per person, admin grants "
                "included; ADMIN_GRANT has none.",
            ).format(limit=CREDIT_DAILY_LIMITS[reason]),
        )
    if not related and "relatedId" not in c.errors:
        c.warn(
            "relatedId",
            translate(
                "Validation",
                "Add a reference (e.g. a ticket number): the server then refuses a second "
                "grant with the same person, reason and reference, which makes retrying safe.",
            ),
        )
    return c.result()


# --------------------------------------------------------------------------- governance


def validate_moderation_vote(dto: Mapping[str, Any]) -> ValidationResult:
    """`POST /consensus/moderation/{daoId}/vote` (`{decision, reason?}`)."""
    c = _Checker(dto)
    decision = c.enum("decision", MODERATION_DECISIONS, required=True)
    reason = c.text("reason", multiline=True)
    if decision in ("REMOVE", "WARN") and not reason:
        c.warn(
            "reason",
            translate(
                "Validation", "A reason helps the other jurors and the author understand the vote."
            ),
        )
    return c.result()


def validate_moderation_report(dto: Mapping[str, Any]) -> ValidationResult:
    """`POST /consensus/moderation` (`{contentId, contentType, reason}`)."""
    c = _Checker(dto)
    c.identifier("contentId", required=True)
    c.enum("contentType", MODERATION_CONTENT_TYPES, required=True)
    c.text("reason", required=True, multiline=True)
    return c.result()


_POOL_TRANSITIONS = {"approve": "PENDING", "reject": "PENDING", "distribute": "APPROVED"}


def validate_pool_decision(dto: Mapping[str, Any]) -> ValidationResult:
    """An admin decision on an economic pool request: `{action, status?}`.

    `action` is approve, reject or distribute and picks the route; those routes take no body, so
    `cleaned` stays empty. Given the request's current `status`, the check catches what the
    server would answer with a bare 500: approving or rejecting a request that is not PENDING,
    distributing one that is not APPROVED.
    """
    c = _Checker(dto)
    action = c.raw("action")
    action = action.strip().lower() if isinstance(action, str) else None
    if action not in _POOL_TRANSITIONS:
        c.error("action", translate("Validation", "Choose approve, reject or distribute."))
    status = c.raw("status")
    if status is not None:
        current = status.strip().upper() if isinstance(status, str) else None
        if current not in POOL_REQUEST_STATUSES:
            c.error(
                "status",
                translate("Validation", "Choose one of: {choices}.").format(
                    choices=", ".join(POOL_REQUEST_STATUSES)
                ),
            )
        elif action in _POOL_TRANSITIONS and current != _POOL_TRANSITIONS[action]:
            if action == "distribute":
                message = translate("Validation", "Only an approved request can be distributed.")
            else:
                message = translate("Validation", "Only a pending request can be decided.")
            c.error("action", message)
    result = c.result()
    return ValidationResult({}, result.errors, result.warnings)

"""Requests about accounts: registering, signing in, and editing one's own profile."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BeforeValidator, StringConstraints, ValidationInfo

from viva_desktop.services.common.i18n import QT_TRANSLATE_NOOP, translate
from viva_desktop.services.remote.sanitize import (
    is_valid_email,
    normalize_email,
    server_length,
    strip_control_chars,
    truncation_preview,
)
from viva_desktop.services.remote.validation.choices import NAME_MIN, PASSWORD_MIN
from viva_desktop.services.remote.validation.fields import (
    Email,
    Latitude,
    Longitude,
    MultilineText,
    Text,
    TextList,
    Url,
    stored_length,
    warn,
)
from viva_desktop.services.remote.validation.form import Request, check
from viva_desktop.services.remote.validation.messages import Message, absent, fail
from viva_desktop.services.remote.validation.result import ValidationResult

_PHONE_SEPARATORS = re.compile(r"[\s().\-/]")


def _phone(value: Any) -> str:
    if isinstance(value, str) and not value.strip():
        absent()
    if not isinstance(value, str | int) or isinstance(value, bool):
        fail(translate("Validation", "Enter a phone number."))
    phone = _PHONE_SEPARATORS.sub("", strip_control_chars(str(value), keep=""))
    return "+" + phone[2:] if phone.startswith("00") else phone


Phone = Annotated[
    str,
    BeforeValidator(_phone),
    StringConstraints(pattern=r"^\+?[1-9]\d{1,14}$"),
    Message(
        QT_TRANSLATE_NOOP(
            "Validation",
            "Enter the phone number in international format, e.g. +34600123456 "
            "(2 to 15 digits, not starting with 0).",
        )
    ),
]
"""International format (E.164): separators removed, a leading 00 becomes +."""


def _password(value: Any) -> str:
    if value == "":
        absent()
    if not isinstance(value, str):
        fail(translate("Validation", "Enter text."))
    return value  # sent exactly as typed: no trimming, no HTML stripping on our side


def _new_password(value: str, info: ValidationInfo) -> str:
    effective = truncation_preview(value)
    if server_length(effective) < PASSWORD_MIN:
        if effective != value and server_length(value) >= PASSWORD_MIN:
            fail(
                translate(
                    "Validation",
                    "The server removes everything from '<' to the next '>' in passwords, "
                    "which leaves fewer than {minimum} characters here.",
                ).format(minimum=PASSWORD_MIN)
            )
        fail(
            translate("Validation", "Use at least {minimum} characters.").format(
                minimum=PASSWORD_MIN
            )
        )
    if "<" in value:
        warn(
            info,
            translate(
                "Validation",
                "The server removes everything from '<' to the next '>' in passwords, so the "
                "password that really counts is shorter than the one typed.",
            ),
        )
    return value


Password = Annotated[str, BeforeValidator(_password)]
NewPassword = Annotated[Password, AfterValidator(_new_password)]
"""A password being chosen: long enough once the server has stripped what looks like tags."""


def _login_email(value: Any, info: ValidationInfo) -> str:
    if not isinstance(value, str):
        fail(translate("Validation", "Enter an e-mail address."))
    if not value.strip():
        absent()
    email = normalize_email(value, lower_domain=False)
    if not is_valid_email(email):
        warn(info, translate("Validation", "This does not look like an e-mail address."))
    elif email != email.lower():
        warn(
            info,
            translate(
                "Validation",
                "The server compares e-mail addresses exactly, upper and lower case included.",
            ),
        )
    return email


LoginEmail = Annotated[str, BeforeValidator(_login_email)]
"""Sent as typed (only trimmed): login matches it exactly, case included."""


def _two_factor_code(value: Any) -> str:
    if not str(value).strip():
        absent()
    return re.sub(r"[\s-]", "", str(value)).upper()


TwoFactorCode = Annotated[
    str,
    BeforeValidator(_two_factor_code),
    StringConstraints(pattern=r"^(?:\d{6}|[0-9A-F]{8})$"),
    Message(
        QT_TRANSLATE_NOOP(
            "Validation",
            "Enter the 6-digit code from the authenticator app or an 8-character backup code.",
        )
    ),
]
"""A 6-digit authenticator code or an 8-character backup code ("ab12-cd34" is fine)."""


_NOT_THROUGH_THE_API = QT_TRANSLATE_NOOP(
    "Validation", "This cannot be changed through the server's API, so it will not be sent."
)


class Register(Request):
    """`POST /auth/register` (RegisterDto)."""

    name: Annotated[Text, stored_length(at_least=NAME_MIN)]
    email: Email
    phone: Phone = None
    password: NewPassword


class Login(Request):
    """`POST /auth/login`."""

    email: LoginEmail
    password: Password
    twoFactorToken: TwoFactorCode = None


class UpdateUser(Request):
    """`PUT /users/{id}` (UpdateUserDto, every field optional)."""

    name: Text = None
    bio: MultilineText = None
    avatar: Url = None
    address: Text = None
    neighborhood: Text = None
    lat: Latitude = None
    lng: Longitude = None
    interests: TextList = None
    not_sent: ClassVar[Mapping[str, str]] = dict.fromkeys(
        ("role", "email", "phone", "credits", "password"), _NOT_THROUGH_THE_API
    )


def validate_register(dto: Mapping[str, Any]) -> ValidationResult:
    """`POST /auth/register` (RegisterDto: name, email, phone?, password)."""
    return check(Register, dto).result()


def validate_login(dto: Mapping[str, Any]) -> ValidationResult:
    """`POST /auth/login` (`{email, password, twoFactorToken?}`).

    The e-mail address is sent as typed (only trimmed): login matches it exactly, case included.
    """
    return check(Login, dto).result()


def validate_user_update(dto: Mapping[str, Any]) -> ValidationResult:
    """`PUT /users/{id}` (UpdateUserDto, every field optional)."""
    return check(UpdateUser, dto, partial=True).result(require_something=True)

"""The per-field messages: how a field reports a problem, and the translated text of each kind
of problem (context "Validation", so the existing catalogue applies).

A field's validator reports with `fail(message)` (its own, already translated message),
`absent()` ("not given": blank where blank means nothing) or `empty()` (text that is empty once
cleaned: "not given" when creating, "clear it" in a partial update). The constraints the tables
declare (`ge`, `gt`, `le`, `Literal`, `pattern`) report pydantic's error types; `constraint_message`
turns them into the same sentences, and a field may name its own sentence with `Message`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NoReturn

from pydantic_core import ErrorDetails, PydanticCustomError

from viva_desktop.services.common.i18n import translate
from viva_desktop.services.remote.validation.parsing import fmt

OWN = "viva"
"""Error type of a message the field's validator wrote itself."""
ABSENT = "absent"
EMPTY = "empty"


@dataclass(frozen=True)
class Message:
    """Field metadata: the sentence (a `QT_TRANSLATE_NOOP("Validation", ...)` source text) shown
    when the field is missing or breaks a declared constraint."""

    source: str

    def text(self) -> str:
        return translate("Validation", self.source)


def fail(message: str) -> NoReturn:
    """Refuse the value with `message` (already translated)."""
    raise PydanticCustomError(OWN, "{message}", {"message": message})


def absent() -> NoReturn:
    """The value counts as not given (for example blank text in a number field)."""
    raise PydanticCustomError(ABSENT, "not given")


def empty() -> NoReturn:
    """The text is empty once cleaned."""
    raise PydanticCustomError(EMPTY, "empty")


def required() -> str:
    return translate("Validation", "This field is required.")


def cannot_be_empty() -> str:
    return translate("Validation", "This field cannot be empty.")


def undeclared() -> str:
    return translate("Validation", "The server does not accept this field, so it will not be sent.")


def nothing_to_change() -> str:
    return translate("Validation", "Nothing to change.")


def choose_one_of(values: Iterable[str]) -> str:
    return translate("Validation", "Choose one of: {choices}.").format(choices=", ".join(values))


def group_expected() -> str:
    return translate("Validation", "Enter a group of values.")


def constraint_message(error: ErrorDetails, choices: tuple[Any, ...]) -> str:
    """The sentence for a declared constraint that failed (`choices`: the field's `Literal`)."""
    kind = error["type"]
    limits = error.get("ctx") or {}
    if kind == OWN:
        return str(limits["message"])
    if kind == "greater_than_equal":
        return translate("Validation", "Enter a value of at least {minimum}.").format(
            minimum=fmt(limits["ge"])
        )
    if kind == "greater_than":
        return translate("Validation", "Enter a value greater than {minimum}.").format(
            minimum=fmt(limits["gt"])
        )
    if kind == "less_than_equal":
        return translate("Validation", "Enter a value of at most {maximum}.").format(
            maximum=fmt(limits["le"])
        )
    if kind == "literal_error":
        return choose_one_of(str(choice) for choice in choices)
    return translate("Validation", "Enter a valid value.")

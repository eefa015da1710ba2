"""The global validation pipe: whitelisting, implicit type conversion and the per-field rules of
each DTO. A failure is always the bare 400 `Bad Request Exception`, as upstream (defect D7)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from viva_desktop.sandbox.errors import BadRequest
from viva_desktop.sandbox.jsonutil import parse_iso

EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,}$"
)
ISO_DATE = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)


@dataclass(frozen=True)
class Field:
    """One DTO property. `kind`: string, number, int, boolean, enum, strings (string[]), array,
    object, email, date (ISO string) or uuid."""

    kind: str
    required: bool = False
    min: float | None = None
    max: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    not_empty: bool = False
    choices: tuple[str, ...] = ()
    pattern: re.Pattern[str] | None = None


Dto = dict[str, Field]


def optional(dto: Dto) -> Dto:
    """`PartialType(dto)`: the same rules with every field optional."""
    return {name: Field(**{**f.__dict__, "required": False}) for name, f in dto.items()}


def _convert(field: Field, value: Any) -> Any:
    """class-transformer's implicit conversion, driven by the declared property type."""
    if value is None:
        return None
    if field.kind in ("string", "email", "date", "uuid") and isinstance(value, int | float):
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    if field.kind in ("number", "int") and not isinstance(value, list | dict):
        if isinstance(value, bool):
            return 1 if value else 0
        if isinstance(value, str):
            text = value.strip()
            if text == "":
                return 0
            try:
                return float(text) if not re.fullmatch(r"-?\d+", text) else int(text)
            except ValueError:
                return math.nan
        return value
    if field.kind == "boolean" and not isinstance(value, list | dict):
        if isinstance(value, str):
            return value != ""  # Boolean("false") is true
        return bool(value)
    return value


def _is_number(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and not math.isnan(value)
        and not math.isinf(value)
    )


def _valid(field: Field, value: Any) -> bool:
    kind = field.kind
    if kind in ("string", "email", "date", "uuid"):
        if not isinstance(value, str):
            return False
        if field.not_empty and value == "":
            return False
        if field.min_length is not None and len(value) < field.min_length:
            return False
        if field.max_length is not None and len(value) > field.max_length:
            return False
        if field.pattern is not None and not field.pattern.search(value):
            return False
        if kind == "email":
            return bool(EMAIL.match(value))
        if kind == "date":
            return bool(ISO_DATE.match(value)) and parse_iso(value) is not None
        if kind == "uuid":
            return bool(UUID.match(value))
        return True
    if kind in ("number", "int"):
        if not _is_number(value):
            return False
        if kind == "int" and not float(value).is_integer():
            return False
        if field.min is not None and value < field.min:
            return False
        return not (field.max is not None and value > field.max)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "enum":
        return isinstance(value, str) and value in field.choices
    if kind == "strings":
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    if kind == "array":
        return isinstance(value, list)
    if kind == "object":
        return isinstance(value, dict)
    raise ValueError(f"unknown field kind {kind!r}")


def validate(dto: Dto, body: Any) -> dict[str, Any]:
    """Whitelist, convert and check a body; returns the converted values that were sent."""
    if body is None:
        body = {}
    if not isinstance(body, dict):
        raise BadRequest()
    if set(body) - set(dto):
        raise BadRequest()  # forbidNonWhitelisted
    result: dict[str, Any] = {}
    for name, field in dto.items():
        if name not in body:
            if field.required:
                raise BadRequest()
            continue
        value = _convert(field, body[name])
        if value is None:
            if field.required:
                raise BadRequest()
            result[name] = None
            continue
        if not _valid(field, value):
            raise BadRequest()
        result[name] = value
    return result

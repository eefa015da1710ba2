"""Checking one body against its request table: field by field, then the request's own rules.

A table is a `Request` (a pydantic model): one field per DTO property the server accepts, with
its kind (`fields`), whether it is required (no default) and its declared constraints;
`not_sent` lists properties a form may hold but the server must not receive, with the reason.
`check` runs every field through pydantic on its own, so one bad field never hides what the
others would send, and collects the messages in a `Form`; the request's cross-field rules
(dates in order, warnings that depend on two fields) then read the checked values from it.

Conventions shared by all tables: `None` means "not given" and is never sent; an empty string
is "not given" when creating, and an explicit "clear this field" in a partial update (where
nothing is required). Anything undeclared is dropped with a warning: the server answers an
undeclared property with a bare 400.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Annotated, Any, ClassVar, Literal, get_args, get_origin

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from viva_desktop.services.common.i18n import translate
from viva_desktop.services.remote.validation.messages import (
    ABSENT,
    EMPTY,
    OWN,
    Message,
    cannot_be_empty,
    constraint_message,
    nothing_to_change,
    required,
    undeclared,
)
from viva_desktop.services.remote.validation.result import FORM, ValidationResult


class Request(BaseModel):
    """Base of the request tables (field names are the server's, camelCase included)."""

    model_config = ConfigDict(extra="forbid", frozen=True, regex_engine="python-re")

    not_sent: ClassVar[Mapping[str, str]] = {}
    """Property → why it is left out (a `QT_TRANSLATE_NOOP("Validation", ...)` source text)."""


@dataclass
class Form:
    """The messages and values of one body being checked."""

    partial: bool = False
    values: dict[str, Any] = field(default_factory=dict)
    """Checked values with their Python types (a `datetime`, not its text), for the rules."""
    cleaned: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)

    def error(self, name: str, message: str) -> None:
        """Block the submission; a field keeps its first error."""
        self.errors.setdefault(name, message)

    def warn(self, name: str, message: str) -> None:
        """Point something out; several remarks on one field are joined."""
        if name in self.warnings and message not in self.warnings[name]:
            self.warnings[name] = f"{self.warnings[name]} {message}"
        else:
            self.warnings.setdefault(name, message)

    def result(self, *, require_something: bool = False) -> ValidationResult:
        """The outcome; `require_something` (updates) refuses a body that changes nothing."""
        if require_something and not self.cleaned and not self.errors:
            self.error(FORM, nothing_to_change())
        return ValidationResult(dict(self.cleaned), dict(self.errors), dict(self.warnings))


@dataclass(frozen=True)
class _FieldRule:
    """One row of a table, ready to check a value."""

    name: str
    adapter: TypeAdapter[Any]
    required: bool
    sent: bool
    choices: tuple[Any, ...]
    message: Message | None

    def check(self, form: Form, value: Any) -> None:
        if value is None:
            self._absent(form)
            return
        remarks: list[str] = []
        try:
            typed = self.adapter.validate_python(value, context={"warnings": remarks})
        except ValidationError as exc:
            self._warn(form, remarks)
            first = exc.errors()[0]
            if first["type"] == ABSENT:
                self._absent(form)
            elif first["type"] == EMPTY:
                self._empty(form)
            elif self.message is not None and first["type"] != OWN:
                form.error(self.name, self.message.text())
            else:
                form.error(self.name, constraint_message(first, self.choices))
            return
        self._warn(form, remarks)
        self._keep(form, typed, self.adapter.dump_python(typed))

    def _warn(self, form: Form, remarks: list[str]) -> None:
        for remark in remarks:
            form.warn(self.name, remark)

    def _keep(self, form: Form, typed: Any, sent: Any) -> None:
        form.values[self.name] = typed
        if self.sent:
            form.cleaned[self.name] = sent

    def _absent(self, form: Form) -> None:
        if self.required and not form.partial:
            form.error(self.name, self.message.text() if self.message else required())

    def _empty(self, form: Form) -> None:
        if not form.partial:
            self._absent(form)
        elif self.required:
            form.error(self.name, cannot_be_empty())
        else:
            self._keep(form, "", "")


def _rule(name: str, info: FieldInfo) -> _FieldRule:
    annotation = info.annotation
    messages = [item for item in info.metadata if isinstance(item, Message)]
    return _FieldRule(
        name=name,
        adapter=TypeAdapter(
            Annotated[annotation, *info.metadata],
            config=ConfigDict(regex_engine="python-re"),
        ),
        required=info.is_required(),
        sent=not info.exclude,
        choices=get_args(annotation) if get_origin(annotation) is Literal else (),
        message=messages[-1] if messages else None,
    )


@cache
def _rules(table: type[Request]) -> tuple[_FieldRule, ...]:
    return tuple(_rule(name, info) for name, info in table.model_fields.items())


def check(table: type[Request], dto: Any, *, partial: bool = False) -> Form:
    """Check `dto` (a mapping; anything else counts as empty) against `table`."""
    body: Mapping[Any, Any] = dto if isinstance(dto, Mapping) else {}
    form = Form(partial=partial)
    for rule in _rules(table):
        rule.check(form, body.get(rule.name))
    for name, reason in table.not_sent.items():
        if name in body:
            form.warn(name, translate("Validation", reason))
    for key in body:
        if key not in table.model_fields and key not in table.not_sent:
            form.warn(str(key), undeclared())
    return form

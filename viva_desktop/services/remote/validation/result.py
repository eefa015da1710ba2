"""What a validation returns: the body to send, what blocks it, what to point out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FORM = "_form"
"""Key of messages about the whole form rather than one field."""


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

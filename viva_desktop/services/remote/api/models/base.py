"""Shared base for the typed models of server replies.

The server's shapes are loose and change between routes (PascalCase relations, `_count`,
optional columns sent as null), so every model keeps unknown fields (`extra="allow"`) and
accepts both the Python and the wire names. Fields that would carry secrets (password hashes
from `PUT /users/{id}`, 2FA secrets from the login reply, contract §13.2 S3) are dropped on
the way in, whatever the model.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, model_validator
from pydantic.alias_generators import to_camel

SENSITIVE_FIELDS = frozenset(
    {
        "password",
        "passwordHash",
        "twoFactorSecret",
        "backupCodes",
        "refreshToken",
        "resetToken",
        "verificationToken",
    }
)


def _as_utc(value: datetime) -> datetime:
    """Aware UTC: the server sends `...Z`; a naive value is taken to be UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


UtcDatetime = Annotated[datetime, AfterValidator(_as_utc)]


def strip_sensitive(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: v for k, v in data.items() if k not in SENSITIVE_FIELDS}
    return data


class VivaModel(BaseModel):
    """A server reply: snake_case attributes, camelCase (or explicit) wire aliases."""

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        alias_generator=to_camel,
        ser_json_timedelta="float",
    )

    @model_validator(mode="before")
    @classmethod
    def _drop_secrets(cls, data: Any) -> Any:
        return strip_sensitive(data)

    def to_wire(self) -> dict[str, Any]:
        """The server's shape (aliases, ISO dates, only the keys it sent): for raw rows."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


class UserRef(VivaModel):
    """The `User{id, name, avatar, ...}` embedded in most rows."""

    id: str
    name: str | None = None
    avatar: str | None = None
    email: str | None = None


class Counts(VivaModel):
    """A `_count` object: relation name -> number, e.g. `{"User": 5, "Offer": 11}`."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    def get(self, relation: str, default: int = 0) -> int:
        value = (self.model_extra or {}).get(relation, default)
        return value if isinstance(value, int) else default

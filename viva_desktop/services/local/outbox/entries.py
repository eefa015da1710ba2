"""What the outbox queue holds: operations, entry states, the entries themselves and the
reports of a replay."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from viva_desktop.services.local.outbox.compare import same
from viva_desktop.services.local.store.models import OutboxRow
from viva_desktop.services.remote.api.errors import ApiError

TABLE = OutboxRow.__table__
LOCAL_ID_PREFIX = "local-"


class Op(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    GRANT = "grant"
    VOTE = "vote"


class EntryState(StrEnum):
    PENDING = "pending"
    IN_FLIGHT = "in_flight"
    DONE = "done"
    CONFLICT = "conflict"
    FAILED = "failed"


OPEN_STATES = (EntryState.PENDING, EntryState.IN_FLIGHT)


@dataclass(frozen=True)
class OutboxEntry:
    seq: int
    profile: str
    account: str | None
    entity: str
    op: str
    target_id: str | None
    payload: dict[str, Any]
    base: dict[str, Any] | None
    state: str
    attempts: int
    last_error: str | None
    client_ref: str
    created_at: datetime
    updated_at: datetime
    result: dict[str, Any] | None
    remote: dict[str, Any] | None
    server_id: str | None

    @property
    def fields(self) -> list[str]:
        """The record fields this entry changes."""
        return sorted(self.payload)

    def conflicting_fields(self, remote: Mapping[str, Any] | None = None) -> list[str]:
        """The edited fields whose server value (`remote`, by default the one recorded with a
        conflict) moved away from `base`."""
        theirs = self.remote if remote is None else remote
        if theirs is None or self.base is None:
            return self.fields
        return [f for f in self.fields if not same(theirs.get(f), self.base.get(f))]


@dataclass(frozen=True)
class ReplayProgress:
    done: int
    total: int
    entry: OutboxEntry


@dataclass
class ReplayReport:
    sent: list[OutboxEntry] = field(default_factory=list)
    conflicts: list[OutboxEntry] = field(default_factory=list)
    failed: list[OutboxEntry] = field(default_factory=list)
    # Left for a later replay (a server problem, or waiting on an earlier entry).
    waiting: list[OutboxEntry] = field(default_factory=list)
    # The server problem that ended this replay early, if any.
    stopped_by: ApiError | None = None

    @property
    def complete(self) -> bool:
        return not self.waiting and self.stopped_by is None


class OutboxError(ValueError):
    """A queueing or resolving request that cannot be honoured (a programming or UI error)."""

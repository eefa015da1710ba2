"""What the server answered to a create it did not perform, what that likely means, and the
entry as text to keep elsewhere (see `failures`)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from viva_desktop.services.common.i18n import translate
from viva_desktop.services.local.outbox.entries import OutboxEntry


@dataclass(frozen=True)
class CreateFailure:
    """What the server answered, twice, to a create it did not perform."""

    status: int | None
    message: str | None
    meaning: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_result(cls, result: Mapping[str, Any] | None) -> CreateFailure | None:
        data = (result or {}).get("failure")
        if not isinstance(data, Mapping):
            return None
        return cls(data.get("status"), data.get("message"), str(data.get("meaning") or ""))

    @property
    def summary(self) -> str:
        said = f"{self.status} {self.message}".strip() if self.status else (self.message or "")
        return f"{said}: {self.meaning}" if said else self.meaning


def same_failure(a: Any, b: Any) -> bool:
    """Two errors that are the same answer: same status, same server message."""
    da, db = getattr(a, "details", None), getattr(b, "details", None)
    if da is None or db is None:
        return False
    return da.status == db.status and (da.server_message or "") == (db.server_message or "")


def explain(entity: str, status: int | None, message: str | None) -> CreateFailure:
    """The server's answer and what it likely means for the person who made the record."""
    text = (message or "").strip()
    lowered = text.lower()
    # Contract §13, D1: servers of this version cannot create offers or events at all (the
    # create misses its id); development servers say "Argument id is missing".
    known_defect = ("argument" in lowered and "missing" in lowered) or (
        status == 500 and entity in ("offers", "events")
    )
    if known_defect:
        meaning = translate(
            "Outbox",
            "A known defect of this server: it cannot create this kind of record at all. "
            "It will keep failing until the server is fixed; copy the text to keep it.",
        )
    elif status is not None and status >= 500:
        meaning = translate(
            "Outbox",
            "The server failed twice while creating it, and it was not created. It may "
            "be a problem with this record's content or with the server; retry later or "
            "edit it.",
        )
    else:
        meaning = translate("Outbox", "The server refused to create it.")
    return CreateFailure(status, text or None, meaning)


def copy_text(entry: OutboxEntry) -> str:
    """The entry as plain text, for keeping what was written somewhere else."""
    failure = CreateFailure.from_result(entry.result)
    lines = [f"{entry.entity} ({entry.op})"]
    for key, value in entry.payload.items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        lines.append(f"{key}: {shown}")
    if failure is not None:
        lines.append("")
        lines.append(failure.summary)
    elif entry.last_error:
        lines.append("")
        lines.append(entry.last_error)
    return "\n".join(lines)

"""Has the server's data been reset or replaced since the local copy was taken?

A sandbox starts from its seed every time; a real server can be restored from a backup or
pointed at another database. Either way the local copy keeps rows the server no longer has,
and an incremental sync (which only asks for what changed after the last one) never notices.
This check looks for the signs, cheaply, before a sync:

- **records gone**: the newest records of the copy (those most likely made after a backup or
  a seed) are read back by id; a server that answers "not found" for several has lost them;
- **the server's start time**: `/health` says how long the server has been up; a server that
  started after the last sync was restarted, which is when a reset or a restore happens.

Records gone are the evidence; a restart alone is normal and only adds weight. What to do
about it is the caller's choice: the UI offers a full re-sync.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from viva_desktop.services.common.cancel import NEVER_CANCELLED, CancelToken
from viva_desktop.services.common.i18n import translate
from viva_desktop.services.local.store import Store, syncstate
from viva_desktop.services.remote.api.errors import ApiError, NotFound

log = logging.getLogger("viva.sync.reset")

LOCAL_ID_PREFIX = "local-"  # records created here and not sent yet (`outbox.entries`)
SAMPLE_PER_ENTITY = 3
GONE_FOR_RESET = 2  # records gone that make a reset likely on their own
ENTITIES = ("posts", "events", "communities")  # not offers: reading one counts a view


@dataclass(frozen=True)
class ResetEvidence:
    """Why the server's data looks reset or replaced: what was checked and what was found."""

    checked: int  # stored records read back
    gone: list[tuple[str, str]] = field(default_factory=list)  # (entity, id) the server lacks
    started_at: datetime | None = None  # when the server says it started
    last_sync: datetime | None = None  # the copy's last complete sync

    @property
    def restarted_since_sync(self) -> bool:
        return (
            self.started_at is not None
            and self.last_sync is not None
            and self.started_at > self.last_sync
        )

    @property
    def likely(self) -> bool:
        """Several records gone, or one gone from a server that restarted since the sync."""
        gone = len(self.gone)
        return gone >= GONE_FOR_RESET or (gone >= 1 and self.restarted_since_sync)

    def reasons(self) -> list[str]:
        """What was found, for people (in the language in use)."""
        lines = []
        if self.gone:
            lines.append(
                translate(
                    "ServerReset",
                    "{gone} of the {checked} newest records of the local copy are no longer "
                    "on the server.",
                ).format(gone=len(self.gone), checked=self.checked)
            )
        if self.restarted_since_sync and self.started_at is not None:
            lines.append(
                translate(
                    "ServerReset", "The server started again after the last sync ({time} UTC)."
                ).format(time=self.started_at.strftime("%Y-%m-%d %H:%M"))
            )
        return lines


def _reader(api: Any, entity: str) -> Callable[[str, CancelToken], object] | None:
    resource = getattr(api, entity, None)
    getter = getattr(resource, "get", None)
    if getter is None:
        return None
    return lambda record_id, cancel: getter(record_id, cancel=cancel)


def _newest_ids(store: Store, profile: str, entity: str, account: str | None) -> list[str]:
    rows = store.query(
        entity,
        profile=profile,
        sort=[("created_at", False)],
        limit=SAMPLE_PER_ENTITY * 4,
        account=account,
    )
    ids = [
        row.id
        for row in rows
        if row.gone_at is None and not str(row.id).startswith(LOCAL_ID_PREFIX)
    ]
    return ids[:SAMPLE_PER_ENTITY]


def _last_sync(store: Store, profile: str, entities: Sequence[str]) -> datetime | None:
    with store.read() as conn:
        states = [syncstate.read(conn, profile, entity) for entity in entities]
    times = [s.last_complete_at for s in states if s is not None and s.last_complete_at]
    return max(times) if times else None


def _started_at(api: Any, cancel: CancelToken) -> datetime | None:
    """When the server started: `/health/status` says how long it has been up."""
    try:
        status = api.health.status(retry=False, cancel=cancel)
    except ApiError:
        return None
    if status.uptime is None:
        return None
    now = getattr(status, "timestamp", None) or datetime.now(UTC)
    return now - timedelta(seconds=float(status.uptime))


def check_server_reset(
    api: Any,
    store: Store,
    profile: str,
    *,
    account: str | None = None,
    entities: Sequence[str] = ENTITIES,
    cancel: CancelToken = NEVER_CANCELLED,
) -> ResetEvidence | None:
    """The evidence when the server's data looks reset or replaced, else None (also when the
    copy has nothing to compare yet). A few reads: up to three records per entity, and the
    server's `/health`. Errors other than "not found" end the check with no verdict."""
    last_sync = _last_sync(store, profile, entities)
    if last_sync is None:
        return None  # never synced: nothing to compare
    checked = 0
    gone: list[tuple[str, str]] = []
    try:
        for entity in entities:
            read = _reader(api, entity)
            if read is None:
                continue
            for record_id in _newest_ids(store, profile, entity, account):
                cancel.raise_if_cancelled()
                checked += 1
                try:
                    read(record_id, cancel)
                except NotFound:
                    gone.append((entity, record_id))
    except ApiError as exc:
        log.info("server reset check stopped: %s", type(exc).__name__)
        return None
    evidence = ResetEvidence(checked, gone, _started_at(api, cancel), last_sync)
    if not evidence.likely:
        return None
    log.warning(
        "the data of %s looks reset or replaced: %d of %d records gone%s",
        profile,
        len(gone),
        checked,
        ", restarted since the last sync" if evidence.restarted_since_sync else "",
        extra={"event": "server_reset"},
    )
    return evidence

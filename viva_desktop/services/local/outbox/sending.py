"""Sending one outbox entry and reading what came of it: done, a conflict, or not yet (a create
whose outcome is still unknown). A create or a grant is never sent blindly twice: an unknown
outcome is settled by re-reading (contract §14)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.services.common.i18n import translate
from viva_desktop.services.local.outbox.compare import applied, deleted, same
from viva_desktop.services.local.outbox.entries import Op, OutboxEntry, OutboxError
from viva_desktop.services.local.outbox.refusals import CreateFailure, explain, same_failure
from viva_desktop.services.local.outbox.server import ServerOps
from viva_desktop.services.local.store import spec_for
from viva_desktop.services.remote.api import Api
from viva_desktop.services.remote.api.errors import (
    DuplicateGrant,
    InvalidInput,
    NetworkUnreachable,
    NotFound,
    RequestTimeout,
    ServerError,
    UnknownOutcome,
)


@dataclass(frozen=True)
class Done:
    record: dict[str, Any] | None  # the server's version afterwards (None: gone, or no record)
    server_id: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Conflict:
    remote: dict[str, Any] | None  # None: the record was deleted upstream


@dataclass(frozen=True)
class NotYet:
    reason: str


@dataclass(frozen=True)
class Refused:
    """A create the server did not perform, twice with the same answer: set aside."""

    failure: CreateFailure


Outcome = Done | Conflict | NotYet | Refused


def send(api: Api, entry: OutboxEntry, me: str | None, cancel: CancelToken) -> Outcome:
    ops = ServerOps(api, cancel, me)
    maybe_sent = entry.attempts > 1  # an earlier attempt may have reached the server
    if entry.op in (Op.CREATE, Op.GRANT):
        return _send_once(ops, entry, maybe_sent)
    if entry.op == Op.UPDATE:
        return _send_update(ops, entry)
    if entry.op == Op.DELETE:
        return _send_delete(ops, entry)
    if entry.op == Op.VOTE:
        try:
            return Done(ops.vote(entry))
        except InvalidInput as exc:
            if maybe_sent and "votado" in (exc.details.server_message or "").lower():
                return Done(None, note="vote already counted")
            raise
    raise OutboxError(f"unknown outbox operation {entry.op!r}")


def _send_once(ops: ServerOps, entry: OutboxEntry, maybe_sent: bool) -> Outcome:
    """A create or a grant: a write that must not happen twice, whose outcome a 5xx or a
    dropped connection leaves unknown. Such an outcome is settled, never sent blindly
    again: a creation by finding the record sent among the caller's own; a grant by
    sending it again, since its `relatedId` makes the server refuse a repeat."""
    if entry.op == Op.CREATE:
        send, settle = partial(_create, ops, entry), partial(_find_created, ops, entry)
        if maybe_sent:  # an earlier attempt may have created it: look before sending
            found = settle()
            if isinstance(found, Done):
                return found
    else:
        send = settle = partial(_grant, ops, entry)
    try:
        return send()
    except UnknownOutcome as exc:
        first = exc
    settled = settle()
    if entry.op != Op.CREATE or not isinstance(settled, NotYet):
        return settled
    if first.details.status is None or first.details.status < 500:
        return settled  # no answer at all: the next replay settles again
    # The settle proved the create did not happen: one repeat, and a second identical answer
    # means the server cannot perform it (e.g. "Argument id is missing" on every offer).
    try:
        return send()
    except UnknownOutcome as second:
        if not same_failure(first, second):
            return settle()
        details = second.details
        return Refused(explain(entry.entity, details.status, details.server_message))


def _send_update(ops: ServerOps, entry: OutboxEntry) -> Outcome:
    try:
        remote = ops.read(entry.entity, str(entry.target_id))
    except NotFound:
        return Conflict(None)
    if applied(remote, entry.payload):
        return Done(remote, note="already applied")
    if entry.conflicting_fields(remote):
        return Conflict(remote)
    try:
        return Done(ops.update(entry))
    except (ServerError, UnknownOutcome, NetworkUnreachable, RequestTimeout):
        remote = ops.read(entry.entity, str(entry.target_id))
        if applied(remote, entry.payload):
            return Done(remote, note="applied despite the error")
        raise


def _send_delete(ops: ServerOps, entry: OutboxEntry) -> Outcome:
    try:
        remote = ops.read(entry.entity, str(entry.target_id))
    except NotFound:
        return Done(None, note="already gone")
    if deleted(remote):
        return Done(remote, note="already gone")
    spec = spec_for(entry.entity)
    base = entry.base or {}
    if any(not same(remote.get(f), base.get(f)) for f in spec.editable):
        return Conflict(remote)
    try:
        return Done(ops.delete(entry))
    except (ServerError, UnknownOutcome, NetworkUnreachable, RequestTimeout):
        try:
            remote = ops.read(entry.entity, str(entry.target_id))
        except NotFound:
            return Done(None, note="deleted despite the error")
        if deleted(remote):
            return Done(remote, note="deleted despite the error")
        raise


def _not_created() -> str:
    return translate(
        "Outbox", "The server did not confirm the creation and the record was not found."
    )


def _create(ops: ServerOps, entry: OutboxEntry) -> Outcome:
    created = ops.create(entry)
    return Done(created, str(created["id"]))


def _find_created(ops: ServerOps, entry: OutboxEntry) -> Outcome:
    """The record an unconfirmed creation made, found by its content; not yet when none
    matches (the entry waits, and fails after `max_attempts` tries)."""
    found = ops.settle_create(entry)
    if found is None:
        return NotYet(_not_created())
    return Done(found, str(found["id"]), "found after an unknown outcome")


def _grant(ops: ServerOps, entry: OutboxEntry) -> Outcome:
    """Send a grant; a refusal as a duplicate means an earlier attempt already paid it."""
    try:
        return Done(ops.grant(entry))
    except DuplicateGrant:
        return Done(None, note="already granted")

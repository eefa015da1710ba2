"""How an editor's change reaches the server: through the durable outbox, sent at once when
the server is reachable.

Every change the outbox can keep is written to it first, so nothing typed is ever lost to a
crash or a dropped connection, and the store shows the change at once. When online, the outbox
is replayed right away: it sends the queue in order, re-reads each record first (a change made
on the server meanwhile becomes a conflict for the user, never a silent overwrite), and settles
a write whose outcome is unknown (the server's 500-after-create, a connection dropped after
sending) by re-reading, so nothing is created twice. Offline, or while the server fails, the
change simply waits and the form says so. A refusal (403, validation, not found) is taken back
out of the queue and returned to the form, which keeps the user's input. Membership and pool
decisions are read live from the server and are sent directly.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from viva_desktop.services.local.outbox import CreateFailure
from viva_desktop.services.remote.api.errors import (
    ApiError,
    AuthExpired,
    NetworkUnreachable,
    UnknownOutcome,
)
from viva_desktop.ui.common.changes import data_changes_of
from viva_desktop.ui.common.worker import TaskHandle, run_task
from viva_desktop.ui.editors.queue import outbox_of

if TYPE_CHECKING:
    from viva_desktop.ui.common.context import AppContext

log = logging.getLogger("viva.ui.writer")


@dataclass(frozen=True)
class Operation:
    """One change a coordinator makes.

    `entity` and `op` name it the way the outbox does (`offers`/`create`, `events`/`update`,
    `membership_requests`/`approve`…); `target_id` is the record it applies to; `payload` is
    the validated, cleaned body; `base` the record as the user saw it (the outbox compares it
    with the server's at replay time to detect conflicts); `context` carries route parameters
    that are not part of the body (the community of a membership request).
    """

    entity: str
    op: str
    payload: dict[str, Any] = field(default_factory=dict)
    target_id: str | None = None
    base: dict[str, Any] | None = None
    context: dict[str, Any] = field(default_factory=dict)
    summary: str = ""

    @property
    def store_entity(self) -> str | None:
        return self.entity if self.entity in STORE_ENTITIES else None


STORE_ENTITIES = frozenset({"offers", "events", "posts", "moderation_cases", "credit_transactions"})


@dataclass(frozen=True)
class WriteResult:
    operation: Operation
    queued: bool
    value: Any = None  # the server's answer when sent
    entry: Any = None  # the outbox entry when queued
    reason: BaseException | None = None  # why it was queued
    conflict: bool = False  # the server changed the record meanwhile: the user decides
    failed_create: bool = False  # the server could not create it: kept in the Failed list

    @property
    def message(self) -> str:
        if not self.queued:
            return QCoreApplication.translate("Editors", "Saved on the server.")
        if self.failed_create:
            return QCoreApplication.translate(
                "Editors",
                "The server could not create it ({reason}). Nothing is lost: it waits in the "
                "Failed list on the Sync page, to retry, edit, copy as text or discard.",
            ).format(reason=getattr(self.entry, "last_error", None) or "")
        if self.conflict:
            return QCoreApplication.translate(
                "Editors",
                "Someone changed this record on the server since your copy was synced. Your "
                "change is kept: choose which version wins on the Sync page.",
            )
        if isinstance(self.reason, AuthExpired):
            return QCoreApplication.translate(
                "Editors",
                "Your session has expired. The change is queued and will be sent once you "
                "sign in again.",
            )
        problem = getattr(self.entry, "last_error", None)
        if isinstance(self.reason, UnknownOutcome) or (problem and self.reason is None):
            return QCoreApplication.translate(
                "Editors",
                "The server failed while saving, so it is not known whether the change was "
                "made. It is queued: before sending it again the application checks the "
                "server, so it will not be made twice.",
            )
        return QCoreApplication.translate(
            "Editors",
            "Queued: the change is kept on this computer and will be sent when the server is "
            "back online (Sync page).",
        )


# --------------------------------------------------------------------------- sending now


def call_api(api: Any, operation: Operation) -> Any:
    """Perform `operation` against the server; the server's answer (worker thread)."""
    entity, op, payload, target = (
        operation.entity,
        operation.op,
        operation.payload,
        operation.target_id,
    )
    if entity in ("offers", "events", "posts") and op in ("create", "update", "delete"):
        resource = getattr(api, entity)
        if op == "create":
            return resource.create(payload)
        if op == "update":
            return resource.update(target, payload)
        if entity == "posts":
            return api.social.delete_post(target)  # cascades; /posts fails with comments
        return resource.delete(target)
    if entity == "membership_requests" and op in ("approve", "reject"):
        community = operation.context["community_id"]
        note = payload.get("reviewNote") or None
        if op == "approve":
            return api.communities.approve_request(community, target, note)
        return api.communities.reject_request(community, target, note)
    if entity == "credits" and op == "grant":
        return api.credits.grant(
            payload["userId"],
            int(payload["amount"]),
            payload.get("reason", "ADMIN_GRANT"),
            payload.get("relatedId"),
            payload.get("description"),
        )
    if entity == "moderation_cases" and op == "vote":
        return api.moderation.vote(target, payload["decision"], payload.get("reason") or None)
    if entity == "pool_requests" and op in ("approve", "reject", "distribute"):
        return getattr(api.pool_requests, op)(target)
    raise ValueError(f"unknown operation {entity}/{op}")


def _account_of(api: Any) -> str | None:
    return getattr(getattr(getattr(api, "client", None), "auth", None), "user_id", None)


def send_direct(api: Any, store: Any, profile: str | None, operation: Operation) -> Any:
    """`call_api`, with the write kept in the audit trail: sent, or refused with the
    server's message (worker thread)."""
    from viva_desktop.services.local.audit import (
        Outcome,
        capture_requests,
        failure_of,
        record_direct,
    )

    def trail(outcome: str, message: str | None, request_id: str | None) -> None:
        if store is None or profile is None:
            return
        try:
            record_direct(
                store,
                profile=profile,
                account=_account_of(api),
                entity=operation.entity,
                op=operation.op,
                record_id=operation.target_id,
                payload={**operation.context, **operation.payload},
                before=operation.base,
                outcome=outcome,
                server=getattr(getattr(api, "client", None), "base_url", None),
                message=message,
                request_id=request_id,
            )
        except Exception:  # the trail must never undo a write the server made
            log.exception(
                "could not record %s/%s in the audit trail", operation.entity, operation.op
            )

    with capture_requests(api) as sent_as:
        try:
            answer = call_api(api, operation)
        except ApiError as exc:
            message, request_id = failure_of(exc)
            trail(Outcome.FAILED, message, request_id or sent_as.last)
            raise
    trail(Outcome.SENT, None, sent_as.last)
    return answer


def _wire(value: Any) -> dict[str, Any] | None:
    if isinstance(value, dict):
        return value
    to_wire = getattr(value, "to_wire", None)
    return to_wire() if callable(to_wire) else None


def record_answer(
    store: Any, profile: str, operation: Operation, answer: Any, account: str | None = None
) -> None:
    """Keep the store in step with what the server now holds (worker thread); a per-caller
    record (a juror's case) in the copy of `account`, who wrote."""
    entity = operation.store_entity
    if store is None or entity is None:
        return
    from viva_desktop.services.local.store import scopes, writes

    if scopes.is_scoped(entity) and not account:
        return  # whose copy is not known: the next sync brings it
    record = _wire(answer)
    with store.write() as conn:
        if operation.op == "delete" and entity in ("events", "posts"):
            writes.delete_row(conn, entity, profile, str(operation.target_id))
        elif operation.op == "vote" and operation.target_id:
            raw = writes.raw_of(conn, entity, profile, operation.target_id, account=account)
            if raw is not None:
                votes = [*(raw.get("ModerationVote") or []), *([record] if record else [])]
                writes.write_local(
                    conn,
                    entity,
                    profile,
                    {**raw, "ModerationVote": votes},
                    change=None,
                    account=account,
                )
        elif record and record.get("id"):
            base = operation.base or {}
            # Replies are often thinner than list items (no `User`): keep what we knew.
            writes.write_local(
                conn, entity, profile, {**base, **record}, change=None, account=account
            )


# --------------------------------------------------------------------------- the queue


OUTBOX_OPERATIONS = frozenset(
    {
        ("offers", "create"),
        ("offers", "update"),
        ("offers", "delete"),
        ("events", "create"),
        ("events", "update"),
        ("events", "delete"),
        ("posts", "create"),
        ("posts", "update"),
        ("posts", "delete"),
        ("credits", "grant"),
        ("moderation_cases", "vote"),
    }
)


def queueable(operation: Operation) -> bool:
    """Whether the outbox can keep `operation` for later (membership and pool decisions are
    read live from the server, so they are only ever sent directly)."""
    return (operation.entity, operation.op) in OUTBOX_OPERATIONS


class Refused(ApiError):
    """The server refused a change sent through the outbox; `user_message` says why."""


def enqueue(outbox: Any, operation: Operation) -> Any:
    """Put `operation` in the outbox (and its effect in the store at once)."""
    entity, op, payload, target = (
        operation.entity,
        operation.op,
        operation.payload,
        operation.target_id,
    )
    if op == "create":
        return outbox.create(entity, payload)
    if op == "update":
        return outbox.update(entity, str(target), payload)
    if op == "delete":
        return outbox.delete(entity, str(target))
    if op == "grant":
        return outbox.grant(
            str(payload["userId"]),
            int(payload["amount"]),
            reason=str(payload.get("reason") or "ADMIN_GRANT"),
            description=payload.get("description") or None,
        )
    if op == "vote":
        return outbox.vote(str(target), str(payload["decision"]), payload.get("reason") or None)
    raise ValueError(f"the outbox cannot keep {entity}/{op}")


def _find(entries: list[Any], seq: int) -> Any:
    return next((e for e in entries if e.seq == seq), None)


def perform(
    api: Any,
    store: Any,
    profile: str | None,
    operation: Operation,
    *,
    online: bool,
    outbox: Any = None,
) -> WriteResult:
    """Carry out one change (worker thread).

    Changes the outbox can keep are written to it first (durable before anything is sent) and,
    when online, the outbox is replayed at once: it sends the queue in order, settles unknown
    outcomes by re-reading, and sets conflicts aside. A refusal is taken back out of the queue
    and raised, so the form can show it with the user's input intact. Other changes (membership
    and pool decisions) need the server and are sent directly.
    """
    if not queueable(operation) or outbox is None:
        if not online or api is None:
            raise NetworkUnreachable(
                user_message=QCoreApplication.translate(
                    "Editors", "This needs a connection to the server."
                )
            )
        answer = send_direct(api, store, profile, operation)
        if profile is not None:
            record_answer(store, profile, operation, answer, _account_of(api))
        return WriteResult(operation, False, value=answer)
    entry = enqueue(outbox, operation)
    if entry is None:  # a creation that was never sent, now deleted: nothing to send
        return WriteResult(operation, False)
    if not online or api is None:
        return WriteResult(operation, True, entry=entry)
    try:
        report = outbox.replay(api)
    except AuthExpired as exc:
        return WriteResult(operation, True, entry=outbox.get(entry.seq), reason=exc)
    if (sent := _find(report.sent, entry.seq)) is not None:
        if profile is not None and operation.op == "vote":
            record_answer(store, profile, operation, sent.result, sent.account or outbox.user_id)
        value = sent.result
        if sent.server_id and isinstance(value, dict):
            value = {**value, "id": sent.server_id}
        return WriteResult(operation, False, value=value, entry=sent)
    if (refused := _find(report.failed, entry.seq)) is not None:
        if CreateFailure.from_result(refused.result) is not None:
            # Settled as not created, repeated once with the same answer: the server cannot
            # perform it. It stays (marked) for the user, never sent again by itself.
            return WriteResult(operation, True, entry=refused, failed_create=True)
        outbox.discard(refused)
        raise Refused(user_message=refused.last_error or None)
    if (conflict := _find(report.conflicts, entry.seq)) is not None:
        return WriteResult(operation, True, entry=conflict, conflict=True)
    waiting = _find(report.waiting, entry.seq) or outbox.get(entry.seq)
    return WriteResult(operation, True, entry=waiting, reason=report.stopped_by)


class Editors(QObject):
    """Plural texts of a bulk action's outcome: methods of a QObject named after their
    translation context, the one form in which lupdate recognises plurals."""

    def done(self, count: int) -> str:
        return self.tr("%n done", "", count)

    def queued(self, count: int) -> str:
        return self.tr("%n queued until the server is back online", "", count)


@dataclass(frozen=True)
class BatchResult:
    """Several operations of one bulk action, each sent, queued or refused."""

    results: list[WriteResult]
    failures: list[tuple[Operation, BaseException]]

    @property
    def queued(self) -> bool:
        return any(r.queued for r in self.results)

    @property
    def message(self) -> str:
        sent = sum(1 for r in self.results if not r.queued)
        queued = sum(1 for r in self.results if r.queued)
        parts = []
        plurals = Editors()
        if sent:
            parts.append(plurals.done(sent))
        if queued:
            parts.append(plurals.queued(queued))
        for operation, exc in self.failures:
            reason = getattr(exc, "user_message", None) or str(exc)
            parts.append(
                QCoreApplication.translate("Editors", "refused: {item}: {reason}").format(
                    item=operation.summary or operation.target_id or "", reason=reason
                )
            )
        return "; ".join(parts) + "."


def results_of(result: WriteResult | BatchResult) -> list[WriteResult]:
    """The changes an editor's outcome made, one or a batch alike, so whoever reacts to a save
    (reveal the rows, drop the decided requests) walks one list either way."""
    return list(result.results) if isinstance(result, BatchResult) else [result]


Refusal = ApiError  # a refusal of one item does not stop the others; bugs do


def perform_batch(
    api: Any,
    store: Any,
    profile: str | None,
    operations: list[Operation],
    *,
    online: bool,
    outbox: Any = None,
    cancel: Any = None,
) -> BatchResult:
    """`perform` each operation in order; once one is queued, queue the rest (the outbox keeps
    the order), and collect refusals instead of stopping (worker thread)."""
    results: list[WriteResult] = []
    failures: list[tuple[Operation, BaseException]] = []
    for operation in operations:
        if cancel is not None and cancel.cancelled:
            break
        still_online = online and not any(r.queued for r in results)
        try:
            results.append(
                perform(api, store, profile, operation, online=still_online, outbox=outbox)
            )
        except Refusal as exc:
            failures.append((operation, exc))
    return BatchResult(results, failures)


class Writer(QObject):
    """The one way editors send changes; tells the browsers what changed."""

    written = Signal(object)  # WriteResult

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.context = context

    @property
    def online(self) -> bool:
        return self.context.api is not None and self.context.can_send

    def submit(
        self,
        operation: Operation | list[Operation],
        *,
        on_done: Callable[[Any], object],
        on_error: Callable[[BaseException], object],
        parent: QObject | None = None,
    ) -> TaskHandle:
        """Send one operation (result: `WriteResult`) or several in order (`BatchResult`)."""
        context = self.context

        def done(result: WriteResult | BatchResult) -> None:
            self._written(result)
            on_done(result)

        batch = isinstance(operation, list)
        first = operation[0] if isinstance(operation, list) and operation else operation
        return run_task(
            perform_batch if batch else perform,
            context.api,
            context.store,
            context.profile_name,
            operation,
            online=self.online,
            outbox=outbox_of(context),
            on_done=done,
            on_error=on_error,
            parent=parent or self,
            name=f"{getattr(first, 'entity', '')}/{getattr(first, 'op', '')}",
        )

    def _written(self, result: WriteResult | BatchResult) -> None:
        results = results_of(result)
        entities = {r.operation.store_entity for r in results} - {None}
        if entities:
            data_changes_of(self.context).notify(*sorted(e for e in entities if e))
        self.context.refresh_outbox_count()
        reasons = [getattr(r, "reason", None) for r in results]
        expired = next((r for r in reasons if isinstance(r, AuthExpired)), None)
        if expired is not None:
            self.context.expire_session(expired)
        self.written.emit(result)


def writer_of(context: AppContext) -> Writer:
    writer = context.findChild(Writer)
    if writer is None:
        writer = Writer(context)
    return writer

"""Replaying the outbox: the open entries sent in order, each claimed, sent and settled with
its stored record in one transaction; a server problem stops the replay and keeps the entry."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable

import sqlalchemy as sa

from viva_desktop.services.common.cancel import NEVER_CANCELLED, CancelledError, CancelToken
from viva_desktop.services.common.i18n import translate
from viva_desktop.services.local.audit import (
    capture_requests,
    failure_of,
    record_entry,
    relink_created,
)
from viva_desktop.services.local.outbox.entries import (
    LOCAL_ID_PREFIX,
    OPEN_STATES,
    TABLE,
    EntryState,
    Op,
    OutboxEntry,
    ReplayProgress,
    ReplayReport,
)
from viva_desktop.services.local.outbox.failures import FailedCreates
from viva_desktop.services.local.outbox.sending import Conflict, NotYet, Outcome, Refused, send
from viva_desktop.services.local.store import StoreBusy
from viva_desktop.services.local.store.audit import Outcome as Audited
from viva_desktop.services.remote.api import Api
from viva_desktop.services.remote.api.errors import (
    ApiError,
    AuthExpired,
    Cancelled,
    NetworkUnreachable,
    RateLimited,
    RequestTimeout,
    ServerError,
    UnknownOutcome,
)

log = logging.getLogger("viva.outbox")

# The server is in trouble: keep the entry and stop this replay; the next one continues.
_TRANSIENT = (ServerError, NetworkUnreachable, RequestTimeout, RateLimited, UnknownOutcome)


class OutboxReplay(FailedCreates):
    """Sends the queue."""

    def replay(
        self,
        api: Api,
        *,
        progress: Callable[[ReplayProgress], None] | None = None,
        cancel: CancelToken = NEVER_CANCELLED,
    ) -> ReplayReport:
        """Send the open entries in order. Conflicts and refused entries are set aside (and
        hold back later entries for the same record); a server problem stops the replay with
        the entry kept for next time. Raises `Cancelled` and `AuthExpired`."""
        me = getattr(api.client.auth, "user_id", None) or self.user_id
        self.server = getattr(api.client, "base_url", None) or self.server
        job = f"outbox:{self.profile}:{me}"
        with self.store.exclusive(job) as mine:
            if not mine:
                return ReplayReport(stopped_by=StoreBusy(job))
            return self._replay(api, me, progress, cancel)

    def _replay(
        self,
        api: Api,
        me: str | None,
        progress: Callable[[ReplayProgress], None] | None,
        cancel: CancelToken,
    ) -> ReplayReport:
        report = ReplayReport()
        # Only the edits of the signed-in account (a shared store holds everyone's): another
        # account's are sent when that account signs in, never as this one.
        queue = self.entries_of(me, OPEN_STATES)
        blocked: set[tuple[str, str | None]] = {
            (e.entity, e.target_id)
            for e in self.entries_of(me, [EntryState.CONFLICT, EntryState.FAILED])
        }
        for done, queued in enumerate(queue, start=1):
            try:
                cancel.raise_if_cancelled()
            except CancelledError as exc:
                raise Cancelled from exc
            entry = self.get(queued.seq)  # earlier entries may have rewritten it
            key = (entry.entity, entry.target_id)
            waits_on_create = (entry.target_id or "").startswith(LOCAL_ID_PREFIX) and (
                entry.op != Op.CREATE
            )
            if key in blocked or waits_on_create or report.stopped_by is not None:
                blocked.add(key)
                report.waiting.append(entry)
                continue
            claimed = self._claim(entry)
            if claimed is None:
                continue  # another replay took it
            try:
                with capture_requests(api) as sent_as:
                    outcome = send(api, claimed, me, cancel)
            except (CancelledError, AuthExpired) as exc:
                self._release(claimed, exc)
                if isinstance(exc, CancelledError) and not isinstance(exc, Cancelled):
                    raise Cancelled from exc
                raise
            except _TRANSIENT as exc:
                settled = self._release(claimed, exc)
                report.stopped_by = exc
                report.waiting.append(settled)
                blocked.add(key)
                log.info("replay stopped at #%d: %s", claimed.seq, exc)
                continue
            except ApiError as exc:
                failed = self._finish(
                    claimed,
                    EntryState.FAILED,
                    error=str(exc),
                    request_id=failure_of(exc)[1] or sent_as.last,
                    message=failure_of(exc)[0],
                )
                report.failed.append(failed)
                blocked.add(key)
                log.warning(
                    "edit #%d (%s %s) refused by the server: %s",
                    claimed.seq,
                    claimed.op,
                    claimed.entity,
                    type(exc).__name__,
                    extra={
                        "request_id": exc.details.request_id or sent_as.last,
                        "event": "edit_failed",
                    },
                )
                continue
            finished = self._apply(claimed, outcome, request_id=sent_as.last)
            log.log(
                logging.INFO if finished.state == EntryState.DONE else logging.WARNING,
                "edit #%d (%s %s) sent: %s",
                claimed.seq,
                claimed.op,
                claimed.entity,
                finished.state,
                extra={"request_id": sent_as.last, "event": "edit_sent"},
            )
            if finished.state == EntryState.DONE:
                report.sent.append(finished)
            elif finished.state == EntryState.CONFLICT:
                report.conflicts.append(finished)
                blocked.add(key)
            elif finished.state == EntryState.FAILED:
                report.failed.append(finished)
                blocked.add(key)
            else:
                report.waiting.append(finished)
                blocked.add(key)
            if progress is not None:
                progress(ReplayProgress(done, len(queue), finished))
        return report

    # ------------------------------------------------------------------ state changes

    def _claim(self, entry: OutboxEntry) -> OutboxEntry | None:
        with self.store.write() as conn:
            result = conn.execute(
                sa.update(TABLE)
                .where(TABLE.c.seq == entry.seq, TABLE.c.state.in_([str(s) for s in OPEN_STATES]))
                .values(
                    state=EntryState.IN_FLIGHT,
                    attempts=TABLE.c.attempts + 1,
                    updated_at=self._now(),
                )
            )
            if not result.rowcount:
                return None
            return self._entry(conn, entry.seq)

    def _release(
        self, entry: OutboxEntry, error: BaseException, *, counts: bool = False
    ) -> OutboxEntry:
        """Back to the queue. Server trouble never uses up an entry; a creation the server
        keeps not confirming (`counts`) fails for good after `max_attempts` tries."""
        exhausted = counts and entry.attempts >= self.max_attempts
        state = EntryState.FAILED if exhausted else EntryState.PENDING
        return self._finish(entry, state, error=str(error) or type(error).__name__)

    def _finish(
        self,
        entry: OutboxEntry,
        state: str,
        *,
        error: str | None = None,
        request_id: str | None = None,
        message: str | None = None,
    ) -> OutboxEntry:
        with self.store.write() as conn:
            self._set(conn, entry.seq, state=state, last_error=error)
            if state == EntryState.FAILED:  # refused, or given up: in the trail with why
                record_entry(
                    conn,
                    entry,
                    Audited.FAILED,
                    server=self.server,
                    message=message or error,  # the server's own words when it gave any
                    request_id=request_id,
                    replayed=True,
                )
            return self._entry(conn, entry.seq)

    def _apply(
        self, entry: OutboxEntry, outcome: Outcome, *, request_id: str | None = None
    ) -> OutboxEntry:
        """The entry's new state and the stored record's new version, in one transaction."""
        if isinstance(outcome, NotYet):
            return self._release(entry, RuntimeError(outcome.reason), counts=True)
        if isinstance(outcome, Refused):  # never sent again by itself: the Failed list
            return self._refuse(entry, outcome.failure, request_id=request_id)
        with self.store.write() as conn:
            if isinstance(outcome, Conflict):
                record_entry(
                    conn,
                    entry,
                    Audited.CONFLICT,
                    server=self.server,
                    message="changed on the server since it was synced"
                    if outcome.remote is not None
                    else "deleted on the server",
                    request_id=request_id,
                    replayed=True,
                )
                self._set(
                    conn,
                    entry.seq,
                    state=EntryState.CONFLICT,
                    remote=outcome.remote,
                    last_error=translate(
                        "Outbox", "The record was changed on the server since it was synced."
                    )
                    if outcome.remote is not None
                    else translate("Outbox", "The record was deleted on the server."),
                )
                return self._entry(conn, entry.seq)
            self._settle_locally(conn, entry, outcome)
            if outcome.server_id and entry.target_id:
                relink_created(conn, entry.profile, entry.target_id, outcome.server_id)
            done = self._entry(conn, entry.seq)
            record_entry(
                conn,
                done if outcome.server_id is None else _with_server_id(done, outcome.server_id),
                Audited.SENT,
                server=self.server,
                message=outcome.note,
                request_id=request_id,
                replayed=True,
            )
            self._set(
                conn,
                entry.seq,
                state=EntryState.DONE,
                result=outcome.record or ({"note": outcome.note} if outcome.note else None),
                server_id=outcome.server_id,
                last_error=None,
            )
            return self._entry(conn, entry.seq)


def _with_server_id(entry: OutboxEntry, server_id: str) -> OutboxEntry:
    """`entry` naming the record by the id the server gave it (a create)."""
    return dataclasses.replace(entry, server_id=server_id)

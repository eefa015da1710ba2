"""The sync engine: pull a deployment's data into the offline store, page by page, resumably.

Each page is written in one transaction together with the sync state that points at the next
page, so a crash, a cancel or a lost connection between pages leaves the store consistent and
the next run continues where this one stopped (same run, same marker). A run that reaches the
end of a *full* pass marks the records it did not see as gone upstream. Lists the server
returns newest first (posts, credit transactions) are walked incrementally between full
passes: the walk stops at the first page entirely older than what the last run had seen.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from viva_desktop.services.common.cancel import NEVER_CANCELLED, CancelledError, CancelToken
from viva_desktop.services.local.audit import record_upstream_changes
from viva_desktop.services.local.readers import reader_of, remember_reader
from viva_desktop.services.local.server_reset import ResetEvidence, check_server_reset
from viva_desktop.services.local.store import (
    Store,
    scopes,
    syncstate,
    writes,
)
from viva_desktop.services.local.store.syncstate import SyncState, SyncStatus
from viva_desktop.services.local.sync import page_sizes, team
from viva_desktop.services.local.sync import waits as stored_waits
from viva_desktop.services.local.sync.comments import CommentsResult, sync_comments
from viva_desktop.services.local.sync.flow_metrics import FlowMetricsResult, sync_flow_metrics
from viva_desktop.services.local.sync.prefetch import PageStream
from viva_desktop.services.local.sync.progress import EntityRun
from viva_desktop.services.local.sync.related import embedded, wire_of
from viva_desktop.services.local.sync.report import (
    EntityResult,
    ProgressCallback,
    SyncReport,
)
from viva_desktop.services.local.sync.schedule import EntityQueue, waiting_progress
from viva_desktop.services.local.sync.sources import ENTITIES, SOURCES, Source
from viva_desktop.services.remote.api import Api
from viva_desktop.services.remote.api.errors import (
    ApiError,
    AuthExpired,
    Cancelled,
    NetworkUnreachable,
    RateLimited,
    RequestTimeout,
    ServerError,
    SessionUnavailable,
)
from viva_desktop.services.remote.api.pacing import extra_requests_wait, waits_up_to
from viva_desktop.services.remote.api.pagination import PageMarker, Paginator

log = logging.getLogger("viva.sync")

# Records written to an entity in one run from which the store's statistics are refreshed.
HOUSEKEEPING_AFTER = 1_000

# Errors after which the server is unreachable for every entity: stop the run. A 429 is not
# one of them: it is a wait (see `schedule`).
_SERVER_GONE = (NetworkUnreachable, RequestTimeout, ServerError)


# --------------------------------------------------------------------------- the engine


class SyncEngine:
    """Syncs one server profile into one store. Not for concurrent use: one run at a time."""

    def __init__(
        self,
        api: Api,
        store: Store,
        profile: str,
        *,
        page_size: int = 200,
        members: bool = True,
        full_pass_every: timedelta = timedelta(hours=24),
        incremental_margin: timedelta = timedelta(minutes=5),
        page_retries: int = 2,
        retry_delay: float = 1.0,
        prefetch: bool = True,
        hold_waits_up_to: float = 30.0,
        pace_inline_up_to: float = 1.0,
        comments: bool = True,
        team_poll_s: float = 1.0,
        host: str | None = None,
    ) -> None:
        """`hold_waits_up_to`: the longest rate-limit wait a run sleeps through when no other
        entity can go on meanwhile; a longer one ends the run, the wait stored for a later
        run (`math.inf`: never end early, e.g. headless). `pace_inline_up_to`: shorter waits
        are slept inside a request; longer ones let the run go on with other entities."""
        self.api = api
        self.store = store
        self.profile = profile
        self.page_size = page_size
        self.members = members
        self.full_pass_every = full_pass_every
        self.incremental_margin = incremental_margin
        self.page_retries = page_retries
        self.retry_delay = retry_delay
        self.prefetch = prefetch
        self.hold_waits_up_to = hold_waits_up_to
        self.pace_inline_up_to = pace_inline_up_to
        self.comments = comments  # after the posts, the comments of the posts that changed
        self.team_poll_s = team_poll_s  # how often a teammate's run is looked at while waiting
        self._host = host or team.this_host()  # "<host>#<pid>" among a team store's writers
        self.check_reset = True  # look for a server whose data was reset (`server_reset`)
        self.flow_metrics = True  # whole runs as an ADMIN: a flow-economics snapshot

    # ------------------------------------------------------------------ public

    def run(
        self,
        entities: Sequence[str] = ENTITIES,
        *,
        full: bool = False,
        progress: ProgressCallback | None = None,
        cancel: CancelToken = NEVER_CANCELLED,
    ) -> SyncReport:
        """Sync `entities` in order; resumes interrupted runs. Raises `Cancelled` when
        cancelled (the state stays resumable) and `AuthExpired` when signed out; other
        failures are recorded per entity in the report, and a server that stops answering
        ends the run early. An entity the server's rate limit holds back steps aside while
        the others go on; one still waiting at the end is `waiting` in the report, its wait
        stored so the next run resumes it on time."""
        unknown = [e for e in entities if e not in SOURCES]
        if unknown:
            raise ValueError(f"cannot sync {', '.join(unknown)}")
        report = SyncReport(self.profile, datetime.now(UTC))
        remember_reader(self.api, self.store, self.profile)
        if not full and self.check_reset:  # a full pass re-reads everything anyway
            report.server_reset = self._reset_evidence(cancel)
        written: list[str] = []
        queue = EntityQueue(entities, hold_up_to=self.hold_waits_up_to)

        def waiting(entity: str, until: datetime) -> None:
            if progress is not None:
                progress(waiting_progress(report.results.get(entity), entity, until))

        try:
            while (entity := queue.next(cancel, waiting)) is not None:
                result = self._sync_entity(SOURCES[entity], full, progress, cancel)
                report.results[entity] = result
                if result.status == SyncStatus.WAITING and result.resume_at is not None:
                    queue.hold(entity, result.resume_at)
                    continue
                if entity == "posts" and result.status == SyncStatus.COMPLETE and self.comments:
                    report.comments = self._sync_comments(cancel)
                if result.items >= HOUSEKEEPING_AFTER:
                    written.append(entity)
                if isinstance(result.error, _SERVER_GONE):
                    log.warning("server unreachable, sync stopped at %s", entity)
                    break
            else:
                if self.flow_metrics and set(ENTITIES) <= set(entities):
                    report.flow_metrics = self._sync_flow_metrics(cancel)
        finally:
            report.finished_at = datetime.now(UTC)
            if written:
                self._housekeeping(written)
        return report

    def _reset_evidence(self, cancel: CancelToken) -> ResetEvidence | None:
        """Whether the server's data was reset or replaced since the last sync: the caller
        offers a full re-sync (an incremental one would keep the rows the server lost)."""
        try:
            return check_server_reset(
                self.api, self.store, self.profile, account=self.reader, cancel=cancel
            )
        except sa.exc.SQLAlchemyError:
            log.exception("could not check whether the server was reset")
            return None

    # ------------------------------------------------------------------ account scopes

    @property
    def reader(self) -> str | None:
        """The account the server answers as: per-caller entities are stored, resumed and
        marked gone in its scope only."""
        return reader_of(self.api)

    @property
    def _server(self) -> str | None:
        return getattr(self.api.client, "base_url", None)

    def _as(self, entity: str) -> str:
        """The account `entity`'s sync state is kept for ("" for shared entities)."""
        return scopes.state_account(entity, self.reader)

    # ------------------------------------------------------------------ one entity

    def _sync_entity(
        self,
        source: Source,
        force_full: bool,
        progress: ProgressCallback | None,
        cancel: CancelToken,
    ) -> EntityResult:
        entity = source.entity
        if source.needs_login and (self.api.client.auth is None or not self.reader):
            # No session at all: the public lists sync, the caller's own data cannot.
            return EntityResult(entity, SyncStatus.FAILED, error=SessionUnavailable())
        held = stored_waits.of(self.store, self.profile, entity, self._as(entity))
        if held is not None and held.resume_at > datetime.now(UTC):
            # Stored by an earlier run (or before a restart): nothing is sent before its time.
            return EntityResult(entity, SyncStatus.WAITING, resume_at=held.resume_at)
        # Per-caller entities: each account's copy is its own job.
        job = ":".join(filter(None, ("sync", self.profile, entity, self._as(entity))))
        waited = False
        while True:
            with self.store.exclusive(job) as mine:
                if mine:
                    done = (
                        team.done_by_teammate(
                            self.store, self.profile, entity, self._as(entity), self._host
                        )
                        if waited
                        else None
                    )
                    if done is not None:
                        return done
                    with team.running(
                        self.store, self.profile, entity, self._as(entity), self._who, self._host
                    ):
                        return self._sync_locked(source, force_full, progress, cancel)
            # A teammate's app is writing this entity into the shared store: wait for it,
            # saying who and how far (never a failure because of a lock).
            waited = True
            if progress is not None:
                progress(team.teammate_progress(self.store, self.profile, entity, self._as(entity)))
            if cancel.wait(self.team_poll_s):
                raise Cancelled

    @property
    def _who(self) -> str | None:
        info = getattr(self.api.client.auth, "info", None)
        email = getattr(info, "email", None) or getattr(info, "account", None)
        return email or self.reader

    def _sync_locked(
        self,
        source: Source,
        force_full: bool,
        progress: ProgressCallback | None,
        cancel: CancelToken,
    ) -> EntityResult:
        entity = source.entity
        run = self._begin(source, force_full)
        stored_waits.release(self.store, self.profile, entity, self._as(entity))
        self._estimate_waits(run)
        attempts_left = self.page_retries
        pages_before = run.pages
        while True:
            try:
                cancel.raise_if_cancelled()
                with waits_up_to(self.pace_inline_up_to):
                    return self._walk(run, progress, cancel)
            except CancelledError as exc:  # `Cancelled` (an ApiError) included
                self._set_status(entity, SyncStatus.CANCELLED, None)
                if isinstance(exc, Cancelled):
                    raise
                raise Cancelled from exc
            except AuthExpired as exc:
                self._set_status(entity, SyncStatus.FAILED, exc)
                raise
            except RateLimited as exc:  # a wait, never a failure: resumes from the marker
                resume_at = datetime.now(UTC) + timedelta(seconds=exc.retry_after)
                stored_waits.hold(
                    self.store, self.profile, entity, self._as(entity), resume_at, source.route
                )
                self._set_status(entity, SyncStatus.WAITING, None)
                log.info("sync of %s waits for the rate limit until %s", entity, resume_at)
                return run.result(SyncStatus.WAITING, resume_at=resume_at)
            except ApiError as exc:
                if run.pages > pages_before:  # progress since the last failure: a fresh budget
                    attempts_left, pages_before = self.page_retries, run.pages
                if isinstance(exc, _SERVER_GONE) and attempts_left > 0:
                    attempts_left -= 1
                    log.info("sync of %s: page failed (%s), retrying", entity, exc)
                    if cancel.wait(self.retry_delay):
                        self._set_status(entity, SyncStatus.CANCELLED, None)
                        raise Cancelled from exc
                    continue  # from the marker of the last written page
                # SessionUnavailable lands here too: signed out, the public lists still sync.
                self._set_status(entity, SyncStatus.FAILED, exc)
                log.warning("sync of %s failed: %s", entity, exc)
                return run.result(SyncStatus.FAILED, error=exc)

    def _sync_comments(self, cancel: CancelToken) -> CommentsResult | None:
        """The comments of the posts that changed, within the rate budget (see `comments`)."""
        try:
            with (
                self.store.exclusive(f"sync:{self.profile}:comments") as mine,
                waits_up_to(self.pace_inline_up_to),
            ):
                if not mine:  # a teammate's app reads them right now: next time
                    return None
                return sync_comments(self.api, self.store, self.profile, cancel=cancel)
        except CancelledError as exc:
            if isinstance(exc, Cancelled):
                raise
            raise Cancelled from exc
        except AuthExpired:
            raise
        except ApiError as exc:  # the posts are synced: the comments wait for the next run
            log.warning("comments not synced: %s", exc)
            return None

    def _sync_flow_metrics(self, cancel: CancelToken) -> FlowMetricsResult | None:
        """The optional ADMIN step (see `flow_metrics`): a failure never fails the run."""
        try:
            with waits_up_to(self.pace_inline_up_to):
                return sync_flow_metrics(self.api, self.store, self.profile, cancel=cancel)
        except (Cancelled, AuthExpired):
            raise
        except (ApiError, sa.exc.SQLAlchemyError) as exc:
            log.warning("flow-economics metrics not synced: %s", exc)
            return None

    def _estimate_waits(self, run: EntityRun) -> None:
        """Let the run's time-left estimate count the rate-limit waits its route will need."""
        pacer = getattr(self.api.client, "pacer", None)
        if pacer is None or not run.source.route:
            return
        route = run.source.route
        run.page_size = self.page_size
        run.waits_for = lambda requests: extra_requests_wait(pacer.budget("GET", route), requests)

    def _begin(self, source: Source, force_full: bool) -> EntityRun:
        """Continue an interrupted run, or start a fresh one."""
        entity = source.entity
        now = datetime.now(UTC)
        with self.store.write() as conn:
            state = syncstate.read(conn, self.profile, entity, self._as(entity))
            resumed = (
                state is not None and state.resumable and not (force_full and not state.full_pass)
            )
            if resumed:
                syncstate.write(
                    conn,
                    self.profile,
                    entity,
                    self._as(entity),
                    status=SyncStatus.RUNNING,
                    updated_at=now,
                )
            else:
                full = force_full or source.newest_first_on is None or self._full_pass_due(state)
                syncstate.write(
                    conn,
                    self.profile,
                    entity,
                    self._as(entity),
                    run_id=uuid.uuid4().hex,
                    status=SyncStatus.RUNNING,
                    full_pass=full,
                    marker={"part": 0, "page": {}},
                    pages=0,
                    items=0,
                    total=None,
                    started_at=now,
                    updated_at=now,
                    finished_at=None,
                    last_error=None,
                )
            fresh = syncstate.read(conn, self.profile, entity, self._as(entity))
        assert fresh is not None
        return EntityRun(source, fresh, resumed)

    def _full_pass_due(self, state: SyncState | None) -> bool:
        if state is None or state.high_water is None or state.last_full_at is None:
            return True
        return datetime.now(UTC) - state.last_full_at >= self.full_pass_every

    def _walk(
        self, run: EntityRun, progress: ProgressCallback | None, cancel: CancelToken
    ) -> EntityResult:
        """Fetch and write pages from the last written marker to the end of the list."""
        state = run.state
        source = run.source
        parts = source.parts(self.api)
        stop_before = None
        if not state.full_pass and state.high_water is not None:
            stop_before = state.high_water - self.incremental_margin
        while True:
            part = int(run.marker.get("part", 0))
            pages = self._pages(run, parts[part], run.marker.get("page") or {}, cancel)
            try:
                for page in pages:
                    cancel.raise_if_cancelled()
                    wire = [wire_of(item) for item in page.items]
                    related = embedded(
                        self.api, source.entity, wire, members=self.members, cancel=cancel
                    )
                    caught_up = run.note_times(wire, source.newest_first_on, stop_before)
                    if page.next_marker is not None and not caught_up:
                        next_marker: dict[str, Any] | None = {
                            "part": part,
                            "page": page.next_marker,
                        }
                    elif part + 1 < len(parts):
                        next_marker = {"part": part + 1, "page": {}}
                    else:
                        next_marker = None
                    if next_marker is not None and run.newest is not None:
                        next_marker["newest"] = run.newest.isoformat()
                    if len(parts) == 1 and page.total is not None:
                        run.total = page.total
                    gone = self._write_page(run, wire, related, next_marker)
                    if progress is not None:
                        progress(run.progress(done=next_marker is None))
                    if next_marker is None:
                        return run.result(SyncStatus.COMPLETE, gone=gone)
                    run.marker = next_marker
                    if next_marker["part"] != part:
                        break
            finally:
                pages.close()

    def _pages(
        self, run: EntityRun, paginator: Paginator[Any], start: PageMarker, cancel: CancelToken
    ) -> PageStream:
        """The pages from `start`, as large as this server's route accepts (page_sizes)."""
        route = run.source.route or run.source.entity
        server = self._server

        def learned(accepted: int, refused: int) -> None:
            page_sizes.remember(self.store, server, route, accepted, refused)
            run.page_size = accepted

        size = page_sizes.page_size_for(self.store, server, route, self.page_size)
        iterator = page_sizes.fitting_pages(paginator, size, start, cancel, learned)
        return PageStream(iterator, cancel, ahead=self.prefetch)

    # ------------------------------------------------------------------ writing

    def _write_page(
        self,
        run: EntityRun,
        wire: list[dict[str, Any]],
        related: Mapping[str, list[dict[str, Any]]],
        next_marker: dict[str, Any] | None,
    ) -> int:
        """One transaction: the page's records, what came embedded in them, and the marker
        of the next page (or, after the last page, the end of the run). Run again from the
        start when a teammate's writer of a shared store made the database roll it back."""
        state = run.state
        entity = state.entity
        pages, items = run.pages + 1, run.items + len(wire)

        def write(conn: sa.Connection) -> int:
            now = datetime.now(UTC)
            gone = 0
            # What the server changed since the last sync goes into the records' history.
            record_upstream_changes(
                conn, entity, self.profile, wire, account=self.reader, server=self._server, now=now
            )
            writes.upsert(
                conn,
                entity,
                self.profile,
                wire,
                synced_at=now,
                run_id=state.run_id,
                account=self.reader,
            )
            for other, records in related.items():
                if other == "event_attendees":
                    self._replace_attendees(conn, records, wire, now, state.run_id)
                elif records:
                    writes.upsert(conn, other, self.profile, records, synced_at=now)
            values: dict[str, Any] = {
                "marker": next_marker,
                "pages": pages,
                "items": items,
                "total": run.total,
                "updated_at": now,
            }
            if next_marker is None:
                if state.full_pass and state.run_id:
                    gone = writes.mark_gone(
                        conn, entity, self.profile, state.run_id, when=now, account=self.reader
                    )
                    # Rows of unknown owner (stores from before accounts) are re-read.
                    scopes.forget_unknown_owner(conn, entity, self.profile)
                marks = [t for t in (run.newest, state.high_water) if t is not None]
                values.update(
                    status=SyncStatus.COMPLETE,
                    finished_at=now,
                    last_complete_at=now,
                    high_water=max(marks) if marks else None,
                    last_error=None,
                )
                if state.full_pass:
                    values["last_full_at"] = now
            syncstate.write(conn, self.profile, entity, self._as(entity), **values)
            return gone

        gone = self.store.write_retrying(write)
        run.pages, run.items = pages, items
        return gone

    def _replace_attendees(
        self,
        conn: sa.Connection,
        attendees: list[dict[str, Any]],
        events: list[dict[str, Any]],
        now: datetime,
        run_id: str | None,
    ) -> None:
        """The attendee list of each event in the page replaces the stored one."""
        marker = run_id or uuid.uuid4().hex
        writes.upsert(
            conn, "event_attendees", self.profile, attendees, synced_at=now, run_id=marker
        )
        for event in events:
            writes.mark_gone(
                conn,
                "event_attendees",
                self.profile,
                marker,
                scope={"event_id": str(event["id"])},
                when=now,
            )

    def _set_status(self, entity: str, status: str, error: ApiError | None) -> None:
        try:
            with self.store.write() as conn:
                syncstate.write(
                    conn,
                    self.profile,
                    entity,
                    self._as(entity),
                    status=status,
                    updated_at=datetime.now(UTC),
                    last_error=str(error) if error is not None else None,
                )
        except sa.exc.SQLAlchemyError:
            log.exception("could not record the sync state of %s", entity)

    def _housekeeping(self, entities: list[str]) -> None:
        related = {"events": "event_attendees", "posts": "comments"}
        names = set(entities) | {"users"} | {related[e] for e in entities if e in related}
        try:
            self.store.optimize(sorted(names))
        except sa.exc.SQLAlchemyError:
            log.exception("store housekeeping after the sync failed")


def sync(
    api: Api,
    store: Store,
    profile: str,
    entities: Sequence[str] = ENTITIES,
    *,
    full: bool = False,
    progress: ProgressCallback | None = None,
    cancel: CancelToken = NEVER_CANCELLED,
    **options: Any,
) -> SyncReport:
    """One sync run with default settings (see `SyncEngine` for the options)."""
    return SyncEngine(api, store, profile, **options).run(
        entities, full=full, progress=progress, cancel=cancel
    )

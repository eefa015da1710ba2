"""Pull a deployment's data into the offline store, page by page, resumably.

Each page is written in one transaction together with the sync state that points at the next
page, so a crash, a cancel or a lost connection between pages leaves the store consistent and
the next run continues where this one stopped (same run, same marker). A run that reaches the
end of a *full* pass marks the records it did not see as gone upstream. Lists the server
returns newest first (posts, credit transactions) are walked incrementally between full
passes: the walk stops at the first page entirely older than what the last run had seen.

Fetching runs one page ahead on a helper thread while the previous page is written, so the
network and the database work overlap.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from viva_desktop.services.common.cancel import NEVER_CANCELLED, CancelledError, CancelToken
from viva_desktop.services.local.store import Store, StoreBusy, syncstate, writes
from viva_desktop.services.local.store.syncstate import SyncState, SyncStatus
from viva_desktop.services.local.store.types import parse_timestamp
from viva_desktop.services.remote.api import Api
from viva_desktop.services.remote.api.client import ApiResponse
from viva_desktop.services.remote.api.errors import (
    ApiError,
    AuthExpired,
    Cancelled,
    Forbidden,
    NetworkUnreachable,
    NotFound,
    RateLimited,
    RequestTimeout,
    ServerError,
    SessionUnavailable,
    bad_response,
)
from viva_desktop.services.remote.api.pagination import (
    Get,
    Page,
    PageMarker,
    Paginator,
    offset_bare,
    offset_with_total,
    unpaged,
)

log = logging.getLogger("viva.sync")

ENTITIES: tuple[str, ...] = (
    "communities",
    "offers",
    "events",
    "posts",
    "credit_transactions",
    "moderation_cases",
)
"""What a sync pulls, in this order (communities first: the other views filter on them)."""

# Records written to an entity in one run from which the store's statistics are refreshed.
HOUSEKEEPING_AFTER = 1_000

# Errors after which the server is unreachable for every entity: stop the run.
_SERVER_GONE = (NetworkUnreachable, RequestTimeout, ServerError, RateLimited)


# --------------------------------------------------------------------------- progress


@dataclass(frozen=True)
class SyncProgress:
    """Where one entity's sync stands, after each written page."""

    entity: str
    pages: int  # pages written in this run (resumed runs include the earlier pages)
    items: int
    total: int | None  # when the server says how many there are
    rate: float  # items per second in this session
    eta_s: float | None  # seconds left, when the total is known
    done: bool
    resumed: bool


ProgressCallback = Callable[[SyncProgress], None]


@dataclass(frozen=True)
class EntityResult:
    entity: str
    status: str  # a SyncStatus value
    pages: int = 0
    items: int = 0
    gone: int = 0
    full_pass: bool = True
    resumed: bool = False
    error: ApiError | None = None


@dataclass
class SyncReport:
    profile: str
    started_at: datetime
    finished_at: datetime | None = None
    results: dict[str, EntityResult] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(r.status == SyncStatus.COMPLETE for r in self.results.values())

    @property
    def failed(self) -> dict[str, EntityResult]:
        return {k: r for k, r in self.results.items() if r.status != SyncStatus.COMPLETE}


# --------------------------------------------------------------------------- sources


@dataclass(frozen=True)
class Source:
    """How one entity is read from the server."""

    entity: str
    # One paginator per part (communities: the public list, then the private ones).
    parts: Callable[[Api], Sequence[Paginator[Any]]]
    # Wire field of a newest-first order that allows incremental walks.
    newest_first_on: str | None = None
    needs_login: bool = False


# The lists are read as the server's JSON, through the API layer's paginators and client.
# The store keeps that JSON verbatim (`raw`); parsing 100 000 records into typed models only
# to dump them back would cost more than the rest of the sync together, and would rewrite
# the server's values on the way (timestamps, for one).


def _records(data: Any, response: ApiResponse) -> list[dict[str, Any]]:
    """The list items of a page, checked to be records with an id."""
    if not isinstance(data, list) or not all(
        isinstance(item, dict) and item.get("id") not in (None, "") for item in data
    ):
        raise bad_response(
            method=response.method,
            path=response.path,
            request_id=response.request_id,
            status=response.status,
            why="expected a list of records with ids",
        )
    return data


def _lister(api: Api, path: str, *, authenticated: bool, **filters: Any) -> Get:
    def get(paging: Mapping[str, Any], cancel: CancelToken | None) -> ApiResponse:
        params = {**filters, **paging}
        return api.client.get(path, params=params, authenticated=authenticated, cancel=cancel)

    return get


SOURCES: dict[str, Source] = {
    source.entity: source
    for source in (
        Source(
            "communities",
            lambda api: [
                unpaged(_lister(api, "/communities", authenticated=False), _records),
                # Private communities are listed only on request (contract §6.2).
                unpaged(
                    _lister(api, "/communities", authenticated=False, visibility="PRIVATE"),
                    _records,
                ),
            ],
        ),
        Source(
            "offers",
            lambda api: [unpaged(_lister(api, "/offers", authenticated=False), _records)],
        ),
        Source(
            "events",
            lambda api: [
                offset_with_total(
                    _lister(api, "/events", authenticated=False, upcoming=False),
                    _records,
                    "events",
                )
            ],
        ),
        Source(
            "posts",
            lambda api: [offset_bare(_lister(api, "/posts", authenticated=False), _records)],
            newest_first_on="createdAt",
        ),
        Source(
            "credit_transactions",
            lambda api: [
                offset_with_total(
                    _lister(api, "/credits/transactions", authenticated=True),
                    _records,
                    "transactions",
                )
            ],
            newest_first_on="createdAt",
            needs_login=True,
        ),
        Source(
            "moderation_cases",
            lambda api: [
                unpaged(_lister(api, "/consensus/moderation/pending", authenticated=True), _records)
            ],
            needs_login=True,
        ),
    )
}


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
    ) -> None:
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
        ends the run early."""
        unknown = [e for e in entities if e not in SOURCES]
        if unknown:
            raise ValueError(f"cannot sync {', '.join(unknown)}")
        report = SyncReport(self.profile, datetime.now(UTC))
        written: list[str] = []
        try:
            for entity in entities:
                result = self._sync_entity(SOURCES[entity], full, progress, cancel)
                report.results[entity] = result
                if result.items >= HOUSEKEEPING_AFTER:
                    written.append(entity)
                if isinstance(result.error, _SERVER_GONE):
                    log.warning("server unreachable, sync stopped at %s", entity)
                    break
        finally:
            report.finished_at = datetime.now(UTC)
            if written:
                self._housekeeping(written)
        return report

    # ------------------------------------------------------------------ one entity

    def _sync_entity(
        self,
        source: Source,
        force_full: bool,
        progress: ProgressCallback | None,
        cancel: CancelToken,
    ) -> EntityResult:
        entity = source.entity
        if source.needs_login and self.api.client.auth is None:
            # No session at all: the public lists sync, the caller's own data cannot.
            return EntityResult(entity, SyncStatus.FAILED, error=SessionUnavailable())
        job = f"sync:{self.profile}:{entity}"
        with self.store.exclusive(job) as mine:
            if not mine:  # a teammate's app is syncing the same data into the shared store
                return EntityResult(entity, SyncStatus.FAILED, error=StoreBusy(job))
            return self._sync_locked(source, force_full, progress, cancel)

    def _sync_locked(
        self,
        source: Source,
        force_full: bool,
        progress: ProgressCallback | None,
        cancel: CancelToken,
    ) -> EntityResult:
        entity = source.entity
        run = self._begin(source, force_full)
        attempts_left = self.page_retries
        pages_before = run.pages
        while True:
            try:
                cancel.raise_if_cancelled()
                return self._walk(run, progress, cancel)
            except CancelledError as exc:  # `Cancelled` (an ApiError) included
                self._set_status(entity, SyncStatus.CANCELLED, None)
                if isinstance(exc, Cancelled):
                    raise
                raise Cancelled from exc
            except AuthExpired as exc:
                self._set_status(entity, SyncStatus.FAILED, exc)
                raise
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

    def _begin(self, source: Source, force_full: bool) -> _Run:
        """Continue an interrupted run, or start a fresh one."""
        entity = source.entity
        now = datetime.now(UTC)
        with self.store.write() as conn:
            state = syncstate.read(conn, self.profile, entity)
            resumed = (
                state is not None and state.resumable and not (force_full and not state.full_pass)
            )
            if resumed:
                syncstate.write(
                    conn, self.profile, entity, status=SyncStatus.RUNNING, updated_at=now
                )
            else:
                full = force_full or source.newest_first_on is None or self._full_pass_due(state)
                syncstate.write(
                    conn,
                    self.profile,
                    entity,
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
            fresh = syncstate.read(conn, self.profile, entity)
        assert fresh is not None
        return _Run(source, fresh, resumed)

    def _full_pass_due(self, state: SyncState | None) -> bool:
        if state is None or state.high_water is None or state.last_full_at is None:
            return True
        return datetime.now(UTC) - state.last_full_at >= self.full_pass_every

    def _walk(
        self, run: _Run, progress: ProgressCallback | None, cancel: CancelToken
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
            pages = self._pages(parts[part], run.marker.get("page") or {}, cancel)
            try:
                for page in pages:
                    cancel.raise_if_cancelled()
                    wire = [_wire(item) for item in page.items]
                    related = self._related(source.entity, wire, cancel)
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
        self, paginator: Paginator[Any], start: PageMarker, cancel: CancelToken
    ) -> _PageStream:
        iterator = paginator.pages(page_size=self.page_size, start=start, cancel=cancel)
        return _PageStream(iterator, cancel, ahead=self.prefetch)

    # ------------------------------------------------------------------ writing

    def _write_page(
        self,
        run: _Run,
        wire: list[dict[str, Any]],
        related: Mapping[str, list[dict[str, Any]]],
        next_marker: dict[str, Any] | None,
    ) -> int:
        """One transaction: the page's records, what came embedded in them, and the marker
        of the next page (or, after the last page, the end of the run)."""
        state = run.state
        entity = state.entity
        now = datetime.now(UTC)
        gone = 0
        with self.store.write() as conn:
            writes.upsert(conn, entity, self.profile, wire, synced_at=now, run_id=state.run_id)
            for other, records in related.items():
                if other == "event_attendees":
                    self._replace_attendees(conn, records, wire, now, state.run_id)
                elif records:
                    writes.upsert(conn, other, self.profile, records, synced_at=now)
            run.pages += 1
            run.items += len(wire)
            values: dict[str, Any] = {
                "marker": next_marker,
                "pages": run.pages,
                "items": run.items,
                "total": run.total,
                "updated_at": now,
            }
            if next_marker is None:
                if state.full_pass and state.run_id:
                    gone = writes.mark_gone(conn, entity, self.profile, state.run_id, when=now)
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
            syncstate.write(conn, self.profile, entity, **values)
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

    # ------------------------------------------------------------------ related records

    def _related(
        self, entity: str, wire: list[dict[str, Any]], cancel: CancelToken
    ) -> dict[str, list[dict[str, Any]]]:
        """Records that come embedded in a page: people, attendees, comments, members."""
        users: dict[str, dict[str, Any]] = {}
        out: dict[str, list[dict[str, Any]]] = {}

        def person(value: Any, **extra: Any) -> None:
            if isinstance(value, dict) and value.get("id"):
                known = users.setdefault(str(value["id"]), {})
                known.update(value)
                known.update({k: v for k, v in extra.items() if v is not None})

        for record in wire:
            person(record.get("User"))
            if entity == "events":
                for attendee in record.get("EventAttendee") or []:
                    if isinstance(attendee, dict) and attendee.get("id"):
                        out.setdefault("event_attendees", []).append(
                            {**attendee, "eventId": record["id"]}
                        )
                        person(attendee.get("User"))
            if entity == "posts":
                for comment in record.get("Comment") or []:
                    if isinstance(comment, dict) and comment.get("id"):
                        out.setdefault("comments", []).append({"postId": record["id"], **comment})
                        person(comment.get("User"))
        if entity == "events":
            out.setdefault("event_attendees", [])
        if entity == "communities" and self.members:
            for record in wire:
                if record.get("restricted"):
                    continue
                for member in self._members(str(record["id"]), cancel):
                    person(member, communityId=record["id"])
        out["users"] = list(users.values())
        return out

    def _members(self, community_id: str, cancel: CancelToken) -> list[dict[str, Any]]:
        try:
            return [_wire(m) for m in self.api.communities.members(community_id, cancel=cancel)]
        except (Forbidden, NotFound):
            return []  # private and not a member, or gone meanwhile: members are optional


class _Run:
    """One entity's run as this session sees it: counters, marker, timing."""

    def __init__(self, source: Source, state: SyncState, resumed: bool) -> None:
        self.source = source
        self.state = state
        self.resumed = resumed
        self.marker: dict[str, Any] = dict(state.marker or {"part": 0, "page": {}})
        self.pages = state.pages
        self.items = state.items
        self.total = state.total
        self.newest = parse_timestamp(self.marker.get("newest"))
        self._started = time.monotonic()
        self._items_at_start = state.items

    def note_times(
        self, wire: list[dict[str, Any]], key: str | None, stop_before: datetime | None
    ) -> bool:
        """Track the newest record seen; True when the page is entirely older than
        `stop_before` (an incremental walk has caught up with the last run)."""
        if key is None:
            return False
        times = [t for t in (parse_timestamp(r.get(key)) for r in wire) if t is not None]
        if not times:
            return False
        newest = max(times)
        self.newest = newest if self.newest is None else max(self.newest, newest)
        return stop_before is not None and newest < stop_before

    def progress(self, *, done: bool) -> SyncProgress:
        elapsed = max(time.monotonic() - self._started, 1e-6)
        rate = (self.items - self._items_at_start) / elapsed
        eta = None
        if self.total is not None and rate > 0:
            eta = max(0.0, (self.total - self.items) / rate)
        return SyncProgress(
            self.source.entity,
            self.pages,
            self.items,
            self.total,
            rate,
            0.0 if done else eta,
            done,
            self.resumed,
        )

    def result(self, status: str, *, gone: int = 0, error: ApiError | None = None) -> EntityResult:
        return EntityResult(
            self.source.entity,
            status,
            self.pages,
            self.items,
            gone,
            self.state.full_pass,
            self.resumed,
            error,
        )


def _wire(item: Any) -> dict[str, Any]:
    """The server's shape of a parsed model (or a plain dict)."""
    if isinstance(item, dict):
        return item
    return item.to_wire()


class _PageStream:
    """Iterates a paginator, optionally fetching the next page on a helper thread while the
    caller writes the current one. Errors surface in the caller's thread, in order."""

    _END = object()

    def __init__(self, pages: Iterator[Page[Any]], cancel: CancelToken, *, ahead: bool) -> None:
        self._pages = pages
        self._cancel = cancel
        self._ahead = ahead
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=1)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        if ahead:
            self._thread = threading.Thread(target=self._produce, name="sync-prefetch", daemon=True)
            self._thread.start()

    def _produce(self) -> None:
        try:
            for page in self._pages:
                if not self._put(page):
                    return
            self._put(self._END)
        except BaseException as exc:
            self._put(exc)

    def _put(self, value: Any) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(value, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def __iter__(self) -> Iterator[Page[Any]]:
        if not self._ahead:
            yield from self._pages
            return
        while True:
            value = self._queue.get()
            if value is self._END:
                return
            if isinstance(value, BaseException):
                raise value
            yield value

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        if not self._ahead:
            close = getattr(self._pages, "close", None)
            if close is not None:
                close()


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

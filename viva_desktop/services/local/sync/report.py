"""What a sync run tells its caller: progress after each page, and the result per entity."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from viva_desktop.services.local.store.syncstate import SyncStatus
from viva_desktop.services.remote.api.errors import ApiError


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
    # Held back by the server's rate limit until then (the sync goes on with other entities,
    # or sleeps when none is left); `eta_s` counts the waits it expects.
    waiting_until: datetime | None = None
    # A teammate's app is writing this entity into the shared store: "<account> on <host>".
    synced_by: str | None = None


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
    resume_at: datetime | None = None  # WAITING: when the rate limit lets it go on
    note: str | None = None  # e.g. skipped: "synced by <account> at 12:01" in a shared store


@dataclass
class SyncReport:
    profile: str
    started_at: datetime
    finished_at: datetime | None = None
    results: dict[str, EntityResult] = field(default_factory=dict)
    # The comments read after the posts (None: not run, or failed; see `comments`).
    comments: Any = None
    server_reset: Any = None  # `server_reset.ResetEvidence` when the server's data looks reset
    # The ADMIN-only flow-economics snapshot (`flow_metrics.FlowMetricsResult`; None: not run
    # or failed, which never fails the run).
    flow_metrics: Any = None

    @property
    def ok(self) -> bool:
        return all(r.status == SyncStatus.COMPLETE for r in self.results.values())

    @property
    def failed(self) -> dict[str, EntityResult]:
        return {k: r for k, r in self.results.items() if r.status != SyncStatus.COMPLETE}

    @property
    def waiting(self) -> dict[str, EntityResult]:
        """Entities left for later by the server's rate limit (stored: they resume on time)."""
        return {k: r for k, r in self.results.items() if r.status == SyncStatus.WAITING}

    @property
    def resume_at(self) -> datetime | None:
        """When the soonest waiting entity may go on."""
        times = [r.resume_at for r in self.waiting.values() if r.resume_at is not None]
        return min(times) if times else None

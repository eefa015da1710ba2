"""The order a run syncs its entities in when the server's rate limit holds some back.

An entity whose route has no budget left steps aside until its wait ends; the others go on
meanwhile (each route has its own budget). When only waiting entities are left, the run sleeps
until the soonest one may go on, if that is within `hold_up_to` seconds; a longer wait ends
the run (the waits are stored, and whoever runs the sync next resumes them on time), so a
worker thread is never held for minutes. Every sleep ends at once on cancel.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.services.local.sync.report import EntityResult, SyncProgress
from viva_desktop.services.remote.api.errors import Cancelled

WaitNotice = Callable[[str, datetime], None]


class EntityQueue:
    def __init__(
        self,
        entities: Iterable[str],
        *,
        hold_up_to: float,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._pending = deque(entities)
        self._waiting: dict[str, datetime] = {}
        self.hold_up_to = hold_up_to
        self._now = now

    def hold(self, entity: str, resume_at: datetime) -> None:
        """`entity` may go on at `resume_at`; the others go first."""
        self._waiting[entity] = resume_at

    @property
    def released(self) -> dict[str, datetime]:
        """The waits still open (when the run ends: those left to a later run)."""
        return dict(self._waiting)

    def next(self, cancel: CancelToken, on_wait: WaitNotice | None = None) -> str | None:
        """The entity to sync now, after sleeping through a short wait; None when nothing is
        left to do in this run."""
        if self._pending:
            return self._pending.popleft()
        if not self._waiting:
            return None
        entity, resume_at = min(self._waiting.items(), key=lambda item: item[1])
        delay = (resume_at - self._now()).total_seconds()
        if delay > self.hold_up_to:
            return None
        if delay > 0:
            if on_wait is not None:
                on_wait(entity, resume_at)
            if cancel.wait(delay):
                raise Cancelled
        del self._waiting[entity]
        return entity


def waiting_progress(last: EntityResult | None, entity: str, until: datetime) -> SyncProgress:
    """What a run waiting for the rate limit reports: the entity's counts so far, and when it
    goes on."""
    pages = last.pages if last is not None else 0
    items = last.items if last is not None else 0
    return SyncProgress(entity, pages, items, None, 0.0, None, False, True, waiting_until=until)

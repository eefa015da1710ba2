"""The database panel's work off the GUI thread: opening the read-only monitor (with retry,
cancellable), taking a reading, and holding the open monitor so that closing the page closes it.

Plain Python, no Qt: these functions run on worker threads.
"""

from __future__ import annotations

from dataclasses import dataclass

from viva_desktop.services.admin.dbmonitor import DatabaseMonitor, DbSnapshot
from viva_desktop.services.common.cancel import CancelToken


@dataclass(frozen=True)
class Reading:
    """One refresh: the round trip of `SELECT 1` and the statistics."""

    ping_ms: float
    snapshot: DbSnapshot
    read_only: bool


def read_statistics(monitor: DatabaseMonitor, long_query_s: float) -> Reading:
    """Ping and snapshot (worker thread)."""
    ping = monitor.ping()
    snapshot = monitor.snapshot(long_query_seconds=long_query_s)
    return Reading(ping, snapshot, monitor.is_read_only())


def open_monitor(
    dsn: str,
    password: str | None,
    long_query_s: float,
    cancel: CancelToken,
    *,
    attempts: int = 3,
    delay: float = 1.0,
) -> tuple[DatabaseMonitor, Reading]:
    """Connect (retrying with backoff, cancellable) and take the first reading."""
    monitor = DatabaseMonitor(
        dsn, password=password or None, cancel=cancel, connect_attempts=attempts, delay=delay
    )
    try:
        monitor.connect()
        return monitor, read_statistics(monitor, long_query_s)
    except BaseException:
        monitor.close()
        raise


class MonitorSession:
    """The open monitor, kept outside the page so the page's `destroyed` signal can close it
    without keeping the page alive."""

    def __init__(self) -> None:
        self.monitor: DatabaseMonitor | None = None

    def close(self, *_args: object) -> None:
        monitor, self.monitor = self.monitor, None
        if monitor is not None:
            monitor.close()

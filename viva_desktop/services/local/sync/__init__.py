"""Pull a deployment's data into the offline store, page by page, resumably.

Each page is written in one transaction together with the sync state that points at the next
page, so a crash, a cancel or a lost connection between pages leaves the store consistent and
the next run continues where this one stopped. The package, by responsibility: `engine` (the
run and its per-entity walks), `sources` (which server lists each entity comes from),
`related` (records embedded in a page), `progress` (counters, rate and time left), `prefetch`
(fetching one page ahead), `report` (what a run tells its caller).
"""

from viva_desktop.services.local.sync.engine import HOUSEKEEPING_AFTER, SyncEngine, sync
from viva_desktop.services.local.sync.report import (
    EntityResult,
    ProgressCallback,
    SyncProgress,
    SyncReport,
)
from viva_desktop.services.local.sync.sources import ENTITIES, SOURCES, Source

__all__ = [
    "ENTITIES",
    "HOUSEKEEPING_AFTER",
    "SOURCES",
    "EntityResult",
    "ProgressCallback",
    "Source",
    "SyncEngine",
    "SyncProgress",
    "SyncReport",
    "sync",
]

"""Offline edits: a durable queue of operations, applied to the store at once and replayed in
order when the server is back.

Every queued operation is one `outbox` row: what to do, to which record, the payload, and the
record as last synced (`base`). Replay re-reads the record before an update or a delete; when
the server changed the edited fields since `base`, the entry becomes a conflict the user
settles (`resolve(..., keep="mine" | "theirs")`) — the server's data is never overwritten
silently. A create that ends in a 5xx or a dropped connection is an *unknown outcome*
(contract §14): replay re-reads the caller's own records and matches the content sent, so
nothing is created twice and nothing is lost. Grants carry the entry's own `relatedId`, which
makes a repeat harmless. Each state change and the matching change to the stored record
commit together, so a crash mid-replay leaves a consistent queue: an entry found in flight is
settled by re-reading before anything is sent again.

The package, by responsibility: `entries` (what the queue holds), `rows` (its persistence),
`queue` (queueing edits: `Outbox`), `replay` (sending the queue in order), `sending` and
`server` (one entry's server calls, and the settle of creates with an unknown outcome),
`local` (the stored record kept in line), `conflicts` (resolve, discard, retry, purge),
`failures` and `refusals` (creates the server cannot perform: the Failed list).
"""

from viva_desktop.services.local.outbox.entries import (
    LOCAL_ID_PREFIX,
    OPEN_STATES,
    TABLE,
    EntryState,
    Op,
    OutboxEntry,
    OutboxError,
    ReplayProgress,
    ReplayReport,
)
from viva_desktop.services.local.outbox.failures import FAILED_CREATE, LOCAL_ONLY
from viva_desktop.services.local.outbox.queue import Outbox
from viva_desktop.services.local.outbox.refusals import CreateFailure, copy_text
from viva_desktop.services.local.outbox.server import SETTLE_WINDOW

__all__ = [
    "FAILED_CREATE",
    "LOCAL_ID_PREFIX",
    "LOCAL_ONLY",
    "OPEN_STATES",
    "SETTLE_WINDOW",
    "TABLE",
    "CreateFailure",
    "EntryState",
    "Op",
    "Outbox",
    "OutboxEntry",
    "OutboxError",
    "ReplayProgress",
    "ReplayReport",
    "copy_text",
]

"""The offline store: a local (SQLite) or shared (PostgreSQL) copy of a deployment's data.

Views read from here rather than from the network, so every browser works offline and can
say how old its data is. `open_store()` is the way in.
"""

from viva_desktop.services.local.store import (  # noqa: F401
    account_tables,
    accounts,
    audit,
    fleet_tables,
    flow_metrics,
    scopes,
    sync_tables,
    view_tables,
)
from viva_desktop.services.local.store.engine import StoreHealth, default_store_url
from viva_desktop.services.local.store.entities import SPECS, EntitySpec, spec_for
from viva_desktop.services.local.store.errors import (
    StoreBusy,
    StoreError,
    StoreMigrationError,
    StoreUnavailable,
)
from viva_desktop.services.local.store.export import ExportFormat
from viva_desktop.services.local.store.models import LocalChange
from viva_desktop.services.local.store.queries import NOT_NULL, Range, Row
from viva_desktop.services.local.store.sqlite_file import CorruptionRecovery
from viva_desktop.services.local.store.store import DataAge, Store, open_store
from viva_desktop.services.local.store.syncstate import SyncState, SyncStatus

__all__ = [
    "NOT_NULL",
    "SPECS",
    "CorruptionRecovery",
    "DataAge",
    "EntitySpec",
    "ExportFormat",
    "LocalChange",
    "Range",
    "Row",
    "Store",
    "StoreBusy",
    "StoreError",
    "StoreHealth",
    "StoreMigrationError",
    "StoreUnavailable",
    "SyncState",
    "SyncStatus",
    "default_store_url",
    "open_store",
    "spec_for",
]

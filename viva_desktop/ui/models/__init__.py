"""Table models of the coordinators' workspace.

Store-backed models (`StoreTableModel` and one subclass per entity) read the offline store
page by page on the worker pool; `RecordsModel` subclasses hold the short lists the server
returns whole (membership and pool requests) and the outbox and sync state.
"""

from viva_desktop.ui.models.columns import ColumnDef, Kind, display_value, enum_label
from viva_desktop.ui.models.entities import (
    STORE_MODELS,
    CommunitiesModel,
    EventsModel,
    LeaderboardModel,
    MembersModel,
    ModerationCasesModel,
    OffersModel,
    PostsModel,
    TransactionsModel,
)
from viva_desktop.ui.models.query import ViewQuery
from viva_desktop.ui.models.records_model import (
    MembershipRequestsModel,
    OutboxModel,
    PoolRequestsModel,
    RecordsModel,
    SyncStatesModel,
    value_at,
)
from viva_desktop.ui.models.roles import Roles
from viva_desktop.ui.models.store_model import PageResult, StoreTableModel, read_page

__all__ = [
    "STORE_MODELS",
    "ColumnDef",
    "CommunitiesModel",
    "EventsModel",
    "Kind",
    "LeaderboardModel",
    "MembersModel",
    "MembershipRequestsModel",
    "ModerationCasesModel",
    "OffersModel",
    "OutboxModel",
    "PageResult",
    "PoolRequestsModel",
    "PostsModel",
    "RecordsModel",
    "Roles",
    "StoreTableModel",
    "SyncStatesModel",
    "TransactionsModel",
    "ViewQuery",
    "display_value",
    "enum_label",
    "read_page",
    "value_at",
]

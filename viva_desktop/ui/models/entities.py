"""One table model per store entity: what each browser shows, over the offline store."""

from __future__ import annotations

from viva_desktop.ui.models import columns as c
from viva_desktop.ui.models.store_model import StoreTableModel


class CommunitiesModel(StoreTableModel):
    ENTITY = "communities"
    COLUMNS = c.COMMUNITY_COLUMNS


class MembersModel(StoreTableModel):
    """The users the sync has come across (members, authors, organisers): the API has no user
    list, so this is the closest thing to one (contract §2)."""

    ENTITY = "users"
    COLUMNS = c.USER_COLUMNS


class OffersModel(StoreTableModel):
    ENTITY = "offers"
    COLUMNS = c.OFFER_COLUMNS


class EventsModel(StoreTableModel):
    ENTITY = "events"
    COLUMNS = c.EVENT_COLUMNS


class PostsModel(StoreTableModel):
    ENTITY = "posts"
    COLUMNS = c.POST_COLUMNS


class TransactionsModel(StoreTableModel):
    """The signed-in user's own credit movements (the API shows nobody else's)."""

    ENTITY = "credit_transactions"
    COLUMNS = c.TRANSACTION_COLUMNS


class LeaderboardModel(StoreTableModel):
    """Users seen, richest first: the leaderboard, readable offline."""

    ENTITY = "users"
    COLUMNS = c.LEADERBOARD_COLUMNS
    INITIAL_SORT = ("credits", False)


class ModerationCasesModel(StoreTableModel):
    ENTITY = "moderation_cases"
    COLUMNS = c.MODERATION_COLUMNS


STORE_MODELS: dict[str, type[StoreTableModel]] = {
    "communities": CommunitiesModel,
    "members": MembersModel,
    "offers": OffersModel,
    "events": EventsModel,
    "posts": PostsModel,
    "credit_transactions": TransactionsModel,
    "leaderboard": LeaderboardModel,
    "moderation_cases": ModerationCasesModel,
}

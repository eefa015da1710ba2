"""`Api`: one typed resource object per entity over one `ApiClient`."""

from __future__ import annotations

from viva_desktop.services.remote.api.client import ApiClient
from viva_desktop.services.remote.api.resources.analytics import AnalyticsResource
from viva_desktop.services.remote.api.resources.auth import AuthResource
from viva_desktop.services.remote.api.resources.communities import CommunitiesResource
from viva_desktop.services.remote.api.resources.credits import CreditsResource
from viva_desktop.services.remote.api.resources.events import EventsResource
from viva_desktop.services.remote.api.resources.health import HealthResource
from viva_desktop.services.remote.api.resources.moderation import ModerationResource
from viva_desktop.services.remote.api.resources.notifications import NotificationsResource
from viva_desktop.services.remote.api.resources.offers import OffersResource
from viva_desktop.services.remote.api.resources.pool_requests import PoolRequestsResource
from viva_desktop.services.remote.api.resources.posts import PostsResource, SocialResource
from viva_desktop.services.remote.api.resources.search import SearchResource
from viva_desktop.services.remote.api.resources.users import UsersResource


class Api:
    """The server's API as typed calls: `api.offers.list()`, `api.credits.grant(...)`..."""

    def __init__(self, client: ApiClient) -> None:
        self.client = client
        self.health = HealthResource(client)
        self.auth = AuthResource(client)
        self.users = UsersResource(client)
        self.communities = CommunitiesResource(client)
        self.offers = OffersResource(client)
        self.events = EventsResource(client)
        self.posts = PostsResource(client)
        self.social = SocialResource(client)
        self.credits = CreditsResource(client)
        self.search = SearchResource(client)
        self.notifications = NotificationsResource(client)
        self.analytics = AnalyticsResource(client)
        self.moderation = ModerationResource(client)
        self.pool_requests = PoolRequestsResource(client)

    def close(self) -> None:
        self.client.close()


__all__ = [
    "AnalyticsResource",
    "Api",
    "AuthResource",
    "CommunitiesResource",
    "CreditsResource",
    "EventsResource",
    "HealthResource",
    "ModerationResource",
    "NotificationsResource",
    "OffersResource",
    "PoolRequestsResource",
    "PostsResource",
    "SearchResource",
    "SocialResource",
    "UsersResource",
]

"""The API layer: transport (`client`), typed errors (`errors`), models, resources, paging.

Typical use, one per server profile::

    client = ApiClient(profile.url, timeout=profile.timeout, verify=profile.verify)
    api = Api(client)
    session = Session(profile.name, api, open_vault().vault)  # becomes the client's auth
"""

from viva_desktop.services.remote.api.client import (
    ApiClient,
    ApiResponse,
    AuthProvider,
    RequestEvent,
    current_request_id,
)
from viva_desktop.services.remote.api.pacing import Pacer
from viva_desktop.services.remote.api.pagination import Page, PageMarker, Paginator
from viva_desktop.services.remote.api.ratelimit import RateLimitBucket, RateLimitState
from viva_desktop.services.remote.api.resources import Api
from viva_desktop.services.remote.api.retry import RetryPolicy

__all__ = [
    "Api",
    "ApiClient",
    "ApiResponse",
    "AuthProvider",
    "Pacer",
    "Page",
    "PageMarker",
    "Paginator",
    "RateLimitBucket",
    "RateLimitState",
    "RequestEvent",
    "RetryPolicy",
    "current_request_id",
]

"""The allow-list every smoke request passes: a run can never reach a destructive route."""

from __future__ import annotations

import re


class ForbiddenRouteError(Exception):
    """A smoke check tried a route outside the allow-list: a bug, refused before sending."""


# Routes that destroy data or reconfigure the server; refused even if the allow-list grew.
DESTRUCTIVE_PREFIXES = ("/health/seed-demo", "/installer")

_ID = r"[A-Za-z0-9_.:@-]+"
ALLOWED_ROUTES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (method, re.compile(pattern))
    for method, pattern in (
        ("GET", r"/health"),
        ("GET", r"/health/status"),
        ("GET", r"/api/docs-json"),
        ("POST", r"/auth/register"),
        ("POST", r"/auth/login"),
        ("GET", rf"/users/{_ID}"),
        ("GET", r"/credits/balance"),
        ("GET", r"/credits/transactions"),
        ("POST", r"/social/posts"),
        ("GET", r"/social/feed"),
        ("GET", rf"/social/posts/{_ID}"),
        ("GET", r"/offers"),
        ("GET", r"/events"),
        ("GET", r"/search"),
        ("GET", r"/non-existent-route-[a-z0-9-]+"),
    )
)
_OWN_POST_DELETE = re.compile(rf"/social/posts/({_ID})")


def route_allowed(method: str, path: str, owned_posts: frozenset[str] = frozenset()) -> bool:
    """Whether a smoke run may send `method path` (the query string is ignored).

    The only delete allowed is of a post this very run created.
    """
    path = path.split("?", 1)[0]
    if path.startswith(DESTRUCTIVE_PREFIXES) or ".." in path:
        return False
    method = method.upper()
    if method == "DELETE":
        match = _OWN_POST_DELETE.fullmatch(path)
        return bool(match and match.group(1) in owned_posts)
    return any(m == method and p.fullmatch(path) for m, p in ALLOWED_ROUTES)

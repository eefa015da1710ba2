"""All routes, in the order the real server registers them (the first match wins)."""

from __future__ import annotations

from viva_desktop.sandbox.routing import Router


def build_router() -> Router:
    from viva_desktop.sandbox.routes import (
        analytics,
        auth,
        communities,
        consensus,
        credits,
        events,
        flow_economics,
        health,
        notifications,
        offers,
        posts,
        search,
        social,
        users,
    )

    router = Router()
    for module in (
        auth,
        users,
        communities,
        offers,
        credits,
        events,
        social,
        posts,
        search,
        notifications,
        analytics,
        consensus,
        flow_economics,
        health,
    ):
        router.extend(module.router)
    return router

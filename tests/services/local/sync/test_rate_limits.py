"""A sync that finishes against a server that enforces its rate limits: it paces itself,
goes on with other entities while one waits, and leaves a long wait stored for a later run
(also after a restart) instead of failing."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.services.local.sync.conftest import FAST_RETRIES
from tests.support.sandboxes import start_sandbox
from viva_desktop.sandbox.ratelimit import RateLimiter
from viva_desktop.sandbox.seed import ADMIN_EMAIL, DEMO_PASSWORD
from viva_desktop.services.local.store import Store, SyncStatus
from viva_desktop.services.local.sync import ENTITIES, SyncEngine, SyncProgress
from viva_desktop.services.local.sync import waits as stored_waits
from viva_desktop.services.remote.api import Api, ApiClient, Pacer, RequestEvent
from viva_desktop.services.remote.session import Session
from viva_desktop.services.remote.vault import MemoryVault


class Signed:
    def __init__(self, url: str, pacer: Pacer) -> None:
        self.client = ApiClient(url, timeout=10.0, retry=FAST_RETRIES, pacer=pacer)
        self.api = Api(self.client)
        self.session = Session("sandbox", self.api, MemoryVault())
        self.session.login(ADMIN_EMAIL, DEMO_PASSWORD)
        self.events: list[RequestEvent] = []
        self.client.add_listener(self.events.append)

    def statuses(self, path: str) -> list[int | None]:
        return [e.status for e in self.events if e.path.split("?")[0] == path]


def _server_counts(url: str, token: str) -> dict[str, int]:
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as http:
        posts = http.get("/posts", params={"limit": 5000, "offset": 0}).json()
        events = http.get("/events", params={"limit": 5000, "offset": 0, "upcoming": "false"})
        return {"posts": len(posts), "events": events.json()["total"]}


@pytest.fixture
def store(synced_store: Store) -> Iterator[Store]:
    return synced_store


def test_enforced_limits_with_short_windows_complete_every_entity_without_a_429(
    store: Store,
) -> None:
    server = start_sandbox(enforce_rate_limits=True, rate_window_ms=800, scale=40)
    signed = Signed(server.url, Pacer())
    try:
        token = signed.session.access_token()
        assert token
        expected = _server_counts(server.url, token)
        server.state.limiter = RateLimiter(enforce=True, window_ms=800)  # fresh counters
        progress: list[SyncProgress] = []
        engine = SyncEngine(
            signed.api,
            store,
            "sandbox",
            page_size=5,
            hold_waits_up_to=math.inf,
            pace_inline_up_to=0.05,  # every wait goes through the engine: others go on
        )
        report = engine.run(progress=progress.append)
    finally:
        signed.client.close()
        server.stop()
    assert report.ok, {k: (r.status, r.error) for k, r in report.results.items()}
    assert store.data_age("posts", "sandbox").count == expected["posts"]
    assert store.data_age("events", "sandbox").count == expected["events"]
    assert not [e for e in signed.events if e.status == 429]
    waits = [p for p in progress if p.waiting_until is not None]
    assert waits, "the posts need several windows: the run reported its waits"
    # While the posts waited for their route's budget, the entities after them went on.
    order = [p.entity for p in progress]
    first_posts, last_posts = order.index("posts"), len(order) - 1 - order[::-1].index("posts")
    assert {"credit_transactions", "moderation_cases"} <= set(order[first_posts:last_posts])


def test_a_long_wait_ends_the_run_and_resumes_later_also_after_a_restart(store: Store) -> None:
    window = 40_000
    server = start_sandbox(enforce_rate_limits=True, rate_window_ms=window, scale=10)
    # A client that does not pace meets the server's 429 and its Retry-After (about 40 s).
    signed = Signed(server.url, Pacer(enabled=False))
    try:
        token = signed.session.access_token()
        assert token
        expected = _server_counts(server.url, token)
        server.state.limiter = RateLimiter(enforce=True, window_ms=window)
        started = time.monotonic()
        first = SyncEngine(signed.api, store, "sandbox", page_size=2).run()
        took = time.monotonic() - started
        assert took < 15  # the worker is let go, not held for the wait
        posts = first.results["posts"]
        assert posts.status == SyncStatus.WAITING
        assert posts.resume_at is not None
        assert posts.resume_at - datetime.now(UTC) > timedelta(seconds=30)
        assert first.results["credit_transactions"].status == SyncStatus.COMPLETE  # went on
        assert signed.statuses("/posts").count(429) == 1
        stored = stored_waits.of(store, "sandbox", "posts", "")
        assert stored is not None
        assert stored.resume_at == posts.resume_at

        # "Restart": a new engine (a fresh client) sends nothing on the route before its time.
        again = Signed(server.url, Pacer())
        try:
            before = len(again.statuses("/posts"))
            second = SyncEngine(again.api, store, "sandbox", page_size=2).run(["posts"])
            assert second.results["posts"].status == SyncStatus.WAITING
            assert len(again.statuses("/posts")) == before
            # Time passes: the server's window ends, and so does the stored wait.
            server.state.limiter = RateLimiter(enforce=True, window_ms=window)
            stored_waits.hold(
                store, "sandbox", "posts", "", datetime.now(UTC) - timedelta(seconds=1)
            )
            # The rest in one page: the resumed run continues from the stored marker.
            third = SyncEngine(again.api, store, "sandbox", page_size=500).run(["posts"])
        finally:
            again.client.close()
    finally:
        signed.client.close()
        server.stop()
    assert third.results["posts"].status == SyncStatus.COMPLETE
    assert third.results["posts"].resumed
    assert store.data_age("posts", "sandbox").count == expected["posts"]
    assert stored_waits.of(store, "sandbox", "posts", "") is None
    assert set(first.results) == set(ENTITIES)

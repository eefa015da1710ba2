"""Pacing to the server's rate limits and bounded waits for a silent server, against the
sandbox over loopback (short rate-limit windows, so no test waits a minute)."""

from __future__ import annotations

import threading
import time

import pytest

from tests.support.sandboxes import start_sandbox
from tests.support.silent_proxy import SilentProxy
from viva_desktop.sandbox.seed import ADMIN_EMAIL, DEMO_PASSWORD
from viva_desktop.services.remote.api import ApiClient, Pacer, RequestEvent, RetryPolicy
from viva_desktop.services.remote.api.errors import (
    InvalidCredentials,
    RateLimited,
    RequestTimeout,
    UnknownOutcome,
)
from viva_desktop.services.remote.api.pacing import route_key, waits_up_to


def _client(url: str, pacer: Pacer | None, **policy: object) -> tuple[ApiClient, list]:
    events: list[RequestEvent] = []
    options = {"initial_wait": 0.01, "max_backoff": 0.02, "jitter": 0.0, **policy}
    client = ApiClient(url, timeout=5.0, retry=RetryPolicy(**options), pacer=pacer)  # type: ignore[arg-type]
    client.add_listener(events.append)
    return client, events


def test_route_keys_name_the_handler_not_the_record() -> None:
    assert route_key("get", "/posts/0b7f3c1e-1111-4222-8333-444455556666?x=1") == "GET /posts/{id}"
    assert route_key("GET", "/posts") == "GET /posts"
    assert route_key("GET", "/communities/42/members") == "GET /communities/{id}/members"


def test_a_used_up_budget_waits_for_its_window_instead_of_being_refused() -> None:
    server = start_sandbox(enforce_rate_limits=True, rate_window_ms=1000)
    try:
        client, events = _client(server.url, Pacer())
        started = time.monotonic()
        for _ in range(25):  # the strict throttler allows 10 per window on every route
            client.get("/health/status", authenticated=False)
        elapsed = time.monotonic() - started
    finally:
        client.close()
        server.stop()
    assert [e.status for e in events] == [200] * 25
    # 25 requests need 3 windows: two waits of about one window each, no more.
    assert 1.9 <= elapsed <= 3.5


def test_a_wait_longer_than_the_thread_sleeps_is_raised_without_sending() -> None:
    server = start_sandbox(enforce_rate_limits=True, rate_window_ms=40_000)
    try:
        client, events = _client(server.url, Pacer())
        for _ in range(10):
            client.get("/health/status", authenticated=False)
        with waits_up_to(1.0), pytest.raises(RateLimited) as caught:
            client.get("/health/status", authenticated=False)
        assert 35 <= caught.value.retry_after <= 41
        assert caught.value.details.status is None  # nothing was sent
        assert len(events) == 10
        client.get("/communities", authenticated=False)  # other routes have their own budget
    finally:
        client.close()
        server.stop()


def test_a_429_longer_than_the_old_cap_is_a_wait_the_route_remembers() -> None:
    server = start_sandbox(enforce_rate_limits=True, rate_window_ms=45_000)
    pacer = Pacer(enabled=False)  # a client that does not pace still honours a 429
    try:
        client, events = _client(server.url, pacer)
        for _ in range(10):
            client.get("/health/status", authenticated=False)
        with waits_up_to(1.0), pytest.raises(RateLimited) as refused:
            client.get("/health/status", authenticated=False)
        assert refused.value.details.status == 429
        assert refused.value.retry_after > 30
        with waits_up_to(1.0), pytest.raises(RateLimited) as held:
            client.get("/health/status", authenticated=False)
        assert held.value.details.status is None  # not sent again before its time
        assert [e.status for e in events].count(429) == 1
    finally:
        client.close()
        server.stop()


def test_a_never_enforcing_server_is_paced_unless_pacing_is_off() -> None:
    server = start_sandbox(enforce_rate_limits=False, rate_window_ms=600)
    try:
        paced, _ = _client(server.url, Pacer())
        started = time.monotonic()
        for _ in range(11):
            paced.get("/health/status", authenticated=False)
        assert time.monotonic() - started >= 0.5  # the 11th waited for the next window
        server.state.limiter._hits.clear()
        unpaced, events = _client(server.url, Pacer(enabled=False))
        started = time.monotonic()
        for _ in range(11):
            unpaced.get("/health/status", authenticated=False)
        assert time.monotonic() - started < 0.5
        assert [e.status for e in events] == [200] * 11
    finally:
        paced.close()
        unpaced.close()
        server.stop()


def test_sign_in_is_never_repeated_on_its_own() -> None:
    server = start_sandbox(enforce_rate_limits=True, rate_window_ms=1000)
    try:
        client, events = _client(server.url, Pacer(), max_wait=120.0)
        for _ in range(5):  # the login budget: 5 per 15 windows
            with pytest.raises(InvalidCredentials):
                client.post(
                    "/auth/login",
                    json={"email": ADMIN_EMAIL, "password": "wrong-" + DEMO_PASSWORD},
                    authenticated=False,
                )
        with pytest.raises(RateLimited):
            client.post(
                "/auth/login",
                json={"email": ADMIN_EMAIL, "password": DEMO_PASSWORD},
                authenticated=False,
            )
        assert [e.status for e in events] == [401] * 5 + [429]  # sent once, not retried
    finally:
        client.close()
        server.stop()


def test_a_silent_server_costs_one_deadline_for_reads_and_one_timeout_for_writes() -> None:
    server = start_sandbox()
    try:
        with SilentProxy("127.0.0.1", server.port) as proxy:
            client = ApiClient(
                proxy.url,
                timeout=1.0,
                retry=RetryPolicy(max_attempts=4, initial_wait=0.05, jitter=0.0, deadline=2.5),
            )
            client.get("/health", authenticated=False)  # through the proxy while it speaks
            proxy.silent.set()
            seen: list[object] = []
            watcher = threading.Timer(1.5, lambda: seen.append(client.stalled(1.0)))
            watcher.start()
            started = time.monotonic()
            with pytest.raises(RequestTimeout):
                client.get("/health", authenticated=False)
            read_took = time.monotonic() - started
            watcher.join()
            started = time.monotonic()
            with pytest.raises(UnknownOutcome):
                client.post("/posts/x/share", authenticated=False)
            write_took = time.monotonic() - started
            client.close()
    finally:
        server.stop()
    # Without the shared deadline: 4 attempts x 1 s plus back-off.
    assert 2.0 <= read_took <= 3.4
    assert 0.9 <= write_took <= 1.8
    stall = seen[0]
    assert stall is not None
    assert stall.waiting_s >= 1.0
    assert stall.retry_until is not None  # type: ignore[attr-defined]

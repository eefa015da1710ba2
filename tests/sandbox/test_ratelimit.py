"""Rate-limit headers (section 3.7): two throttlers, per IP and route handler, never blocking
unless the server is asked to behave like a fixed deployment."""

from __future__ import annotations

import itertools

import pytest

from tests.sandbox.conftest import Api, assert_error
from viva_desktop.sandbox.config import SandboxConfig
from viva_desktop.sandbox.ratelimit import RateLimiter, throttles_for
from viva_desktop.sandbox.seed import ADMIN_EMAIL, CITIZEN_EMAIL, DEMO_PASSWORD


def limits(response) -> dict[str, str]:
    return {
        k.lower(): v for k, v in response.headers.items() if k.lower().startswith("x-ratelimit")
    }


def test_counters_are_per_route_and_count_down_to_zero_and_stay(api: Api) -> None:
    seen = [limits(api.get("/health")) for _ in range(12)]
    assert seen[0] == {
        "x-ratelimit-limit": "100", "x-ratelimit-remaining": "99", "x-ratelimit-reset": "60000",
        "x-ratelimit-limit-strict": "10", "x-ratelimit-remaining-strict": "9",
        "x-ratelimit-reset-strict": "60000",
    }  # fmt: skip
    assert [s["x-ratelimit-remaining-strict"] for s in seen] == [
        str(n) for n in range(9, -1, -1)
    ] + ["0", "0"]
    assert seen[-1]["x-ratelimit-remaining"] == "88"
    other = limits(api.get("/communities"))
    assert other["x-ratelimit-remaining"] == "99"


def test_route_overrides_of_the_default_throttler(api: Api) -> None:
    login = limits(api.post("/auth/login", json={"email": ADMIN_EMAIL, "password": "x"}))
    assert (login["x-ratelimit-limit"], login["x-ratelimit-reset"]) == ("5", "900000")
    assert login["x-ratelimit-limit-strict"] == "10"
    register = limits(api.post("/auth/register", json={}))
    assert (register["x-ratelimit-limit"], register["x-ratelimit-reset"]) == ("3", "3600000")
    refresh = limits(api.post("/auth/refresh", json={}))
    assert (refresh["x-ratelimit-limit"], refresh["x-ratelimit-reset"]) == ("30", "60000")
    grant = limits(api.post("/credits/grant", json={}))
    assert grant["x-ratelimit-limit"] == "30"


def test_login_budget_is_shared_across_accounts_and_never_blocks(api: Api) -> None:
    emails = itertools.cycle([ADMIN_EMAIL, CITIZEN_EMAIL])
    responses = [
        api.post("/auth/login", json={"email": next(emails), "password": DEMO_PASSWORD})
        for _ in range(7)
    ]
    assert all(r.status_code == 201 for r in responses)
    assert [limits(r)["x-ratelimit-remaining"] for r in responses] == [
        "4",
        "3",
        "2",
        "1",
        "0",
        "0",
        "0",
    ]
    assert "retry-after" not in responses[-1].headers


def test_enforced_limits_answer_429_with_retry_after(make_server, api_for) -> None:
    api = api_for(make_server(enforce_rate_limits=True))
    for _ in range(10):
        assert api.get("/health").status_code == 200
    blocked = api.get("/health")
    assert_error(blocked, 429, "ThrottlerException: Too Many Requests")
    assert 1 <= int(blocked.headers["retry-after"]) <= 60
    assert 1 <= int(blocked.headers["retry-after-strict"]) <= 60
    assert limits(blocked)["x-ratelimit-remaining-strict"] == "0"
    assert api.get("/communities").status_code == 200  # other routes keep their own budget


def test_counters_reset_after_their_window() -> None:
    now = [1000.0]
    limiter = RateLimiter(enforce=True, clock=lambda: now[0])
    throttles = throttles_for((2, 60_000))
    assert [o.remaining for o in limiter.hit("ip", "GET /x", throttles)] == [1, 9]
    limiter.hit("ip", "GET /x", throttles)
    blocked = limiter.hit("ip", "GET /x", throttles)
    assert blocked[0].blocked
    assert blocked[0].retry_after_s == 60
    now[0] += 61
    assert [o.remaining for o in limiter.hit("ip", "GET /x", throttles)] == [1, 9]
    assert limiter.hit("other-ip", "GET /x", throttles)[0].remaining == 1


def test_a_shorter_window_scales_every_throttler_and_its_headers(make_server, api_for) -> None:
    server = make_server(enforce_rate_limits=True, rate_window_ms=500)
    now = [1000.0]
    server.state.limiter = RateLimiter(enforce=True, clock=lambda: now[0], window_ms=500)
    api = api_for(server)
    first = limits(api.get("/health"))
    assert (first["x-ratelimit-reset"], first["x-ratelimit-reset-strict"]) == ("500", "500")
    login = limits(api.post("/auth/login", json={"email": ADMIN_EMAIL, "password": "x"}))
    assert login["x-ratelimit-reset"] == "7500"  # 15 minutes become 15 windows
    for _ in range(9):
        api.get("/health")
    blocked = api.get("/health")
    assert blocked.status_code == 429
    assert blocked.headers["retry-after"] == "1"  # whole seconds, rounded up
    now[0] += 0.5  # the window ends after half a second
    assert api.get("/health").status_code == 200


def test_the_window_length_must_be_sensible() -> None:
    with pytest.raises(ValueError, match="rate_window_ms"):
        SandboxConfig(rate_window_ms=5)

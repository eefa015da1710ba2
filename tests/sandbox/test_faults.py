"""The fault switches: at start-up, from Python, and over `/__sandbox__/faults`."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.sandbox.conftest import Api, assert_error
from viva_desktop.sandbox import Faults
from viva_desktop.sandbox.seed import ADMIN_EMAIL, CITIZEN_EMAIL


def test_latency_is_added_to_every_routed_request(api: Api) -> None:
    api.server.set_faults(latency_ms=150)
    started = time.perf_counter()
    assert api.get("/health").status_code == 200
    assert time.perf_counter() - started >= 0.15  # a lower bound only: never time the upper one


def test_error_rate_answers_the_configured_status_in_the_common_envelope(api: Api) -> None:
    api.server.set_faults(error_rate=1.0)
    assert_error(api.get("/health"), 503, "Service Unavailable")
    api.server.set_faults(error_status=502)
    response = api.get("/offers")
    assert_error(response, 502, "Bad Gateway")
    assert not [h for h in response.headers if h.lower().startswith("x-ratelimit")]
    api.server.clear_faults()
    assert api.get("/health").status_code == 200


def test_faults_can_be_limited_to_path_prefixes(api: Api) -> None:
    api.server.set_faults(error_rate=1.0, paths=["/offers"])
    assert api.get("/health").status_code == 200
    assert api.get("/offers").status_code == 503
    assert api.get("/__sandbox__/faults").status_code == 200


def test_a_page_size_cap_refuses_larger_pages_with_400(api: Api) -> None:
    api.server.set_faults(max_page_size=10)
    assert_error(api.get("/posts?limit=11&offset=0"), 400, "limit must not be greater than 10")
    assert api.get("/posts?limit=10&offset=0").status_code == 200
    assert api.get("/events?limit=5").status_code == 200
    with pytest.raises(ValueError):
        Faults(max_page_size=0)
    api.server.clear_faults()
    assert api.get("/posts?limit=500&offset=0").status_code == 200


def test_the_dice_are_reproducible_with_a_seed(make_server, api_for) -> None:
    outcomes = []
    for _ in range(2):
        api = api_for(make_server(faults=Faults(error_rate=0.5, seed=7)))
        outcomes.append([api.get("/health").status_code for _ in range(12)])
    assert outcomes[0] == outcomes[1]
    assert set(outcomes[0]) == {200, 503}


def test_error_after_write_commits_the_change_and_still_answers_500(api: Api) -> None:
    maria = api.login(CITIZEN_EMAIL)
    api.server.set_faults(error_after_write_rate=1.0)
    response = api.post("/social/posts", maria, json={"content": "Resultado incierto"})
    assert_error(response, 500, "Internal server error")
    assert api.get("/offers").status_code == 200  # reads are not writes
    api.server.clear_faults()
    mine = api.get(f"/social/users/{maria.id}/posts", params={"limit": 50}).json()
    assert "Resultado incierto" in [p["content"] for p in mine]


def test_drop_closes_the_connection_without_a_response(api: Api) -> None:
    api.server.set_faults(drop_rate=1.0)
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(f"{api.server.url}/health", timeout=5)
    api.server.clear_faults()
    assert httpx.get(f"{api.server.url}/health", timeout=5).status_code == 200


def test_database_down(api: Api) -> None:
    api.server.set_faults(db_down=True)
    assert api.get("/health").status_code == 200  # liveness never touches the database
    status = api.get("/health/status")
    assert status.status_code == 200
    body = status.json()
    assert body["status"] == "unhealthy"
    assert body["services"]["database"]["status"] == "down"
    assert body["services"]["database"]["error"]
    assert body["database"] == {"connected": False}
    assert_error(api.get("/offers"), 500, "Internal server error")
    assert_error(api.get("/auth/email-verification-status"), 401)  # the JWT guard comes first
    api.server.clear_faults()
    assert api.get("/health/status").json()["status"] == "healthy"


def test_slow_database_and_heap_pressure_degrade_the_status(api: Api) -> None:
    api.server.set_faults(db_latency_ms=1500)
    body = api.get("/health/status").json()
    assert body["status"] == "degraded"
    assert body["services"]["database"]["status"] == "degraded"
    assert body["services"]["database"]["latency"] >= 1500
    api.server.set_faults(db_latency_ms=0, heap_pressure=True)
    body = api.get("/health/status").json()
    assert body["status"] == "degraded"
    memory = body["process"]["memory"]
    assert memory["heapUsed"] / memory["heapTotal"] > 0.9
    api.server.set_faults(db_down=True)
    assert api.get("/health/status").json()["status"] == "degraded"  # the heap rule comes last


def test_expire_tokens_rejects_issued_tokens_but_refresh_still_works(api: Api) -> None:
    session = api.login(CITIZEN_EMAIL)
    assert api.get("/auth/2fa/status", session).status_code == 200
    api.server.set_faults(expire_tokens=True)
    assert_error(api.get("/auth/2fa/status", session), 401, "Unauthorized")
    refreshed = api.post("/auth/refresh", json={"refresh_token": session.refresh_token})
    assert refreshed.status_code == 201
    token = refreshed.json()["access_token"]
    assert (
        api.get("/auth/2fa/status", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    )


def test_faults_from_the_configuration_apply_from_the_first_request(make_server, api_for) -> None:
    api = api_for(make_server(faults=Faults(error_rate=1.0, error_status=500)))
    assert_error(api.get("/health"), 500, "Internal Server Error")
    assert api.server.faults.error_rate == 1.0


def test_the_runtime_control_endpoint(api: Api) -> None:
    assert api.get("/__sandbox__/faults").json() == Faults().to_dict()
    changed = api.put("/__sandbox__/faults", json={"latency_ms": 10, "paths": ["/offers"]})
    assert changed.status_code == 200
    assert changed.json()["latency_ms"] == 10
    assert changed.json()["paths"] == ["/offers"]
    assert api.server.faults.latency_ms == 10
    assert_error(api.put("/__sandbox__/faults", json={"nope": 1}), 400)
    assert_error(api.put("/__sandbox__/faults", json={"error_rate": 2}), 400)
    assert api.delete("/__sandbox__/faults").json()["latency_ms"] == 0
    assert not [
        h for h in api.get("/__sandbox__/faults").headers if h.lower().startswith("x-ratelimit")
    ]


def test_the_control_endpoint_can_expire_tokens(api: Api) -> None:
    admin = api.login(ADMIN_EMAIL)
    api.put("/__sandbox__/faults", json={"expire_tokens": True})
    assert_error(api.get("/auth/2fa/status", admin), 401)


def test_invalid_fault_values_are_refused() -> None:
    with pytest.raises(ValueError, match="error_rate"):
        Faults(error_rate=1.5)
    with pytest.raises(ValueError, match="unknown"):
        Faults().with_changes(bogus=True)
    with pytest.raises(ValueError, match="error_status"):
        Faults(error_status=200)

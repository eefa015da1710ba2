"""The global conventions of section 3: the error envelope, unmatched routes, Helmet, CORS,
Swagger, the validation pipe's conversions, ETags and body limits."""

from __future__ import annotations

import httpx

from tests.sandbox.conftest import Api, assert_error
from viva_desktop.sandbox.seed import ADMIN_EMAIL, CITIZEN_EMAIL

SECURITY_HEADERS = {
    "strict-transport-security": "max-age=31536000; includeSubDomains; preload",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "origin-agent-cluster": "?1",
    "x-dns-prefetch-control": "off",
    "x-download-options": "noopen",
    "x-permitted-cross-domain-policies": "none",
    "x-xss-protection": "0",
    "access-control-allow-credentials": "true",
    "access-control-expose-headers": "Content-Range,X-Content-Range",
}


def test_unmatched_routes_are_404_without_rate_limit_headers(api: Api) -> None:
    for method, path in (
        ("GET", "/does-not-exist?x=1"),
        ("POST", "/offers/a/b"),
        ("GET", "/api/v1/offers"),
    ):
        response = api.request(method, path)
        body = assert_error(response, 404, f"Cannot {method} {path}")
        assert isinstance(body["error"], str)
        assert not [h for h in response.headers if h.lower().startswith("x-ratelimit")]


def test_error_bodies_carry_the_path_with_its_query_and_a_stack_only_in_development(
    make_server, api_for
) -> None:
    dev = api_for(make_server())
    body = assert_error(
        dev.get("/posts?limit=abc"), 400, "Validation failed (numeric string is expected)"
    )
    assert body["path"] == "/posts?limit=abc"
    assert body["timestamp"].endswith("Z")
    assert len(body["timestamp"]) == len("2025-01-01T10:00:00.000Z")
    prod = api_for(make_server(environment="production"))
    body = assert_error(prod.get("/posts?limit=abc"), 400)
    assert "error" not in body


def test_security_headers_and_csp_by_environment(make_server, api_for) -> None:
    dev = api_for(make_server()).get("/health")
    for name, value in SECURITY_HEADERS.items():
        assert dev.headers[name] == value
    assert "content-security-policy-report-only" in dev.headers
    assert "content-security-policy" not in dev.headers
    assert "x-powered-by" not in dev.headers
    assert "server" not in dev.headers
    prod = api_for(make_server(environment="production")).get("/health")
    assert "content-security-policy" in prod.headers
    assert "content-security-policy-report-only" not in prod.headers


def test_cors_reflects_any_origin_in_development(api: Api) -> None:
    response = api.get("/health", headers={"Origin": "http://anything.example"})
    assert response.headers["access-control-allow-origin"] == "http://anything.example"
    preflight = api.request(
        "OPTIONS",
        "/offers",
        headers={"Origin": "http://x.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 204
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert preflight.headers["access-control-max-age"] == "86400"


def test_cors_in_production_rejects_unlisted_origins_with_a_500(make_server, api_for) -> None:
    api = api_for(make_server(environment="production"))
    assert api.get("/health").status_code == 200  # no Origin: a desktop client always passes
    allowed = api.get("/health", headers={"Origin": "http://localhost:3000"})
    assert allowed.headers["access-control-allow-origin"] == "http://localhost:3000"
    rejected = api.request("OPTIONS", "/offers", headers={"Origin": "http://evil.example"})
    body = assert_error(rejected, 500, "Internal server error")
    assert "error" not in body
    assert rejected.headers["x-powered-by"] == "Express"
    assert "x-frame-options" not in rejected.headers
    assert not [h for h in rejected.headers if h.lower().startswith("x-ratelimit")]


def test_swagger_only_outside_production(make_server, api_for) -> None:
    doc = api_for(make_server()).get("/api/docs-json")
    assert doc.status_code == 200
    assert doc.json()["info"]["title"] == "Comunidad Viva API"
    assert "/offers/{id}" in doc.json()["paths"]
    assert doc.json()["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    prod = api_for(make_server(environment="production")).get("/api/docs-json")
    assert_error(prod, 404, "Cannot GET /api/docs-json")


def test_validation_converts_types_like_the_global_pipe(fixed_api: Api) -> None:
    maria = fixed_api.login(CITIZEN_EMAIL)
    updated = fixed_api.put(f"/users/{maria.id}", maria, json={"lat": "7", "name": 12345})
    assert updated.status_code == 200
    assert updated.json()["lat"] == 7
    assert updated.json()["name"] == "12345"
    undeclared = fixed_api.put(f"/users/{maria.id}", maria, json={"role": "ADMIN"})
    assert_error(undeclared, 400, "Bad Request Exception")
    community = fixed_api.post(
        "/communities",
        maria,
        json={
            "slug": "pruebas",
            "name": "Pruebas",
            "type": "CUSTOM",
            "visibility": "PUBLIC",
            "requiresApproval": "false",
        },
    )
    assert community.status_code == 201
    assert community.json()["requiresApproval"] is True  # Boolean("false") is true


def test_invalid_json_and_oversized_bodies(api: Api) -> None:
    bad = api.post("/auth/login", content=b"{nope", headers={"Content-Type": "application/json"})
    assert_error(bad, 400)
    big = api.post("/auth/login", json={"email": "x" * 110_000, "password": "y"})
    assert_error(big, 413, "request entity too large")


def test_conditional_get_with_the_weak_etag(api: Api) -> None:
    first = api.get("/communities")
    etag = first.headers["etag"]
    assert etag.startswith('W/"')
    second = api.get("/communities", headers={"If-None-Match": etag})
    assert second.status_code == 304
    assert second.content == b""


def test_answers_of_a_kilobyte_or_more_are_gzipped_for_clients_that_accept_it(api: Api) -> None:
    """Express' `compression`: 1 KB or more, gzip only when asked for, never on HEAD."""
    plain = api.get("/communities", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert len(plain.content) >= 1024
    assert int(plain.headers["content-length"]) == len(plain.content)

    packed = api.get("/communities", headers={"Accept-Encoding": "gzip, deflate"})
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.headers["vary"] == "Accept-Encoding"
    assert int(packed.headers["content-length"]) < len(plain.content)  # the wire size
    assert packed.json() == plain.json()  # httpx decodes it
    assert packed.headers["etag"] == plain.headers["etag"]  # of the uncompressed body

    small = api.get("/health", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers
    head = api.request("HEAD", "/communities", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in head.headers


def test_keep_alive_timeout_is_advertised(api: Api) -> None:
    assert api.get("/health").headers["keep-alive"] == "timeout=5"


def test_a_handler_that_returns_nothing_is_an_empty_200(api: Api) -> None:
    admin = api.login(ADMIN_EMAIL)
    response = api.get("/users/search/email/nadie@example.com", admin)
    assert response.status_code == 200
    assert response.content == b""
    assert "content-type" not in response.headers


def test_head_requests_follow_get_routes(api: Api) -> None:
    response = api.request("HEAD", "/health")
    assert response.status_code == 200
    assert response.content == b""
    assert int(response.headers["content-length"]) > 0


def test_server_closes_idle_keep_alive_connections_in_a_reasonable_time(api: Api) -> None:
    with httpx.Client(base_url=api.server.url) as client:
        assert client.get("/health").status_code == 200

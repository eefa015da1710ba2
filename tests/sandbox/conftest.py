"""Fixtures for the sandbox server's own tests: fresh servers on demand and a small client."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pyotp
import pytest

from viva_desktop.sandbox import SandboxConfig, SandboxServer
from viva_desktop.sandbox.seed import DEMO_PASSWORD, TWO_FACTOR_EMAIL, TWO_FACTOR_SECRET


@pytest.fixture
def make_server() -> Iterator[Callable[..., SandboxServer]]:
    """Start a fresh server with the given `SandboxConfig` options; all are stopped afterwards."""
    started: list[SandboxServer] = []

    def make(**options: Any) -> SandboxServer:
        server = SandboxServer(SandboxConfig(**options)).start()
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()


@dataclass
class Session:
    access_token: str
    refresh_token: str
    user: dict

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}

    @property
    def id(self) -> str:
        return self.user["id"]


class Api:
    """httpx against one sandbox, with log-in helpers."""

    def __init__(self, server: SandboxServer) -> None:
        self.server = server
        self.http = httpx.Client(base_url=server.url, timeout=20)

    def close(self) -> None:
        self.http.close()

    def request(
        self, method: str, path: str, session: Session | None = None, **kw: Any
    ) -> httpx.Response:
        headers = dict(kw.pop("headers", {}) or {})
        if session is not None:
            headers.update(session.headers)
        return self.http.request(method, path, headers=headers, **kw)

    def get(self, path: str, session: Session | None = None, **kw: Any) -> httpx.Response:
        return self.request("GET", path, session, **kw)

    def post(self, path: str, session: Session | None = None, **kw: Any) -> httpx.Response:
        return self.request("POST", path, session, **kw)

    def put(self, path: str, session: Session | None = None, **kw: Any) -> httpx.Response:
        return self.request("PUT", path, session, **kw)

    def delete(self, path: str, session: Session | None = None, **kw: Any) -> httpx.Response:
        return self.request("DELETE", path, session, **kw)

    def login(self, email: str, password: str = DEMO_PASSWORD) -> Session:
        """Log in; the seeded 2FA account answers the second step with its TOTP secret."""
        response = self.post("/auth/login", json={"email": email, "password": password})
        assert response.status_code == 201, response.text
        data = response.json()
        if data.get("requires2FA") and email == TWO_FACTOR_EMAIL:
            code = pyotp.TOTP(TWO_FACTOR_SECRET).now()
            body = {"email": email, "password": password, "twoFactorToken": code}
            data = self.post("/auth/login", json=body).json()
        return Session(data["access_token"], data["refresh_token"], data["user"])

    def register(
        self, email: str, password: str = "Secreto123!", name: str = "Prueba Cliente"
    ) -> Session:
        response = self.post(
            "/auth/register", json={"name": name, "email": email, "password": password}
        )
        assert response.status_code == 201, response.text
        data = response.json()
        return Session(data["access_token"], data["refresh_token"], data["user"])


@pytest.fixture
def api_for() -> Iterator[Callable[[SandboxServer], Api]]:
    clients: list[Api] = []

    def make(server: SandboxServer) -> Api:
        api = Api(server)
        clients.append(api)
        return api

    yield make
    for api in clients:
        api.close()


@pytest.fixture
def api(sandbox: SandboxServer, api_for) -> Api:
    """A client of a fresh sandbox with the upstream defects on."""
    return api_for(sandbox)


@pytest.fixture
def fixed_api(sandbox_fixed: SandboxServer, api_for) -> Api:
    """A client of a fresh sandbox that behaves like a fixed server."""
    return api_for(sandbox_fixed)


def assert_error(response: httpx.Response, status: int, message: str | None = None) -> dict:
    """The common error envelope, with its development-only `error` field."""
    assert response.status_code == status, response.text
    body = response.json()
    assert list(body)[:5] == ["statusCode", "timestamp", "path", "method", "message"]
    assert body["statusCode"] == status
    assert body["method"] == response.request.method
    assert body["path"] == response.request.url.raw_path.decode()
    if message is not None:
        assert body["message"] == message
    return body

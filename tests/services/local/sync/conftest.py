"""Fixtures of the sync and outbox tests: signed-in clients with fast back-off, sandboxes with
enough data for several pages, a store on each backend, and an independent reader of the
server's truth (plain httpx, no project code) to compare the store against."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.services.local.store.conftest import (  # noqa: F401 - fixtures shared with the store tests
    migrated_pg_template,
    store_url,
)
from tests.support.deployment import Deployment
from viva_desktop.sandbox.seed import ADMIN_EMAIL, DEMO_PASSWORD
from viva_desktop.services.local.store import Store, open_store
from viva_desktop.services.remote.api import Api, ApiClient, RequestEvent, RetryPolicy
from viva_desktop.services.remote.session import Session
from viva_desktop.services.remote.vault import MemoryVault

FAST_RETRIES = RetryPolicy(max_attempts=4, initial_wait=0.001, max_backoff=0.004, jitter=0.0)


@dataclass
class Client:
    """One signed-in API client and what it sent."""

    api: Api
    session: Session
    events: list[RequestEvent] = field(default_factory=list)

    def calls(self, path: str, method: str = "GET") -> list[str]:
        return [e.path for e in self.events if e.method == method and e.path.split("?")[0] == path]


SignIn = Callable[..., Client]


@pytest.fixture
def sign_in() -> Iterator[SignIn]:
    """`sign_in(url, email=ADMIN_EMAIL)`: a signed-in client with millisecond back-off."""
    made: list[ApiClient] = []

    def make(url: str, email: str = ADMIN_EMAIL, *, timeout: float = 10.0) -> Client:
        client = ApiClient(url, timeout=timeout, retry=FAST_RETRIES)
        made.append(client)
        api = Api(client)
        session = Session("sandbox", api, MemoryVault())
        session.login(email, DEMO_PASSWORD)
        signed = Client(api, session)
        client.add_listener(signed.events.append)
        return signed

    yield make
    for client in made:
        client.close()


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[Deployment]:
    """About 600 posts (several pages), restartable on the same port and data."""
    with Deployment(tmp_path / "server.sqlite3", scale=600) as deployed:
        yield deployed


@pytest.fixture
def synced_store(store_url: str) -> Iterator[Store]:  # noqa: F811 - the fixture above
    store = open_store(store_url, attempts=1)
    try:
        yield store
    finally:
        store.close()


class ServerTruth:
    """The server's data read with plain HTTP requests, independent of the code under test."""

    def __init__(self, url: str, token: str) -> None:
        self.http = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"})

    def close(self) -> None:
        self.http.close()

    def get(self, path: str, **params: Any) -> Any:
        response = self.http.get(path, params=params)
        response.raise_for_status()
        return response.json()

    def posts(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        while True:
            page = self.get("/posts", limit=500, offset=len(out))
            out += page
            if len(page) < 500:
                return out

    def events(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        while True:
            body = self.get("/events", limit=500, offset=len(out), upcoming="false")
            out += body["events"]
            if len(out) >= body["total"] or not body["events"]:
                return out

    def offers(self) -> list[dict[str, Any]]:
        return self.get("/offers")

    def communities(self) -> list[dict[str, Any]]:
        return self.get("/communities") + self.get("/communities", visibility="PRIVATE")

    def transactions(self) -> list[dict[str, Any]]:
        return self.get("/credits/transactions", limit=1000, offset=0)["transactions"]

    def pending_cases(self) -> list[dict[str, Any]]:
        return self.get("/consensus/moderation/pending")


@pytest.fixture
def truth_for() -> Iterator[Callable[[str, Client], ServerTruth]]:
    made: list[ServerTruth] = []

    def make(url: str, client: Client) -> ServerTruth:
        token = client.session.access_token()
        assert token
        truth = ServerTruth(url, token)
        made.append(truth)
        return truth

    yield make
    for truth in made:
        truth.close()

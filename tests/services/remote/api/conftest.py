"""Fixtures of the API-layer tests: clients with fast, recorded back-off against the sandbox."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest

from viva_desktop.services.remote.api import Api, ApiClient, RequestEvent, RetryPolicy
from viva_desktop.services.remote.session import Session
from viva_desktop.services.remote.vault import MemoryVault


class Recorder:
    """Collects back-off waits (instead of sleeping) and request events."""

    def __init__(self) -> None:
        self.waits: list[float] = []
        self.events: list[RequestEvent] = []
        self._lock = threading.Lock()

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.waits.append(seconds)

    def listen(self, event: RequestEvent) -> None:
        with self._lock:
            self.events.append(event)


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


ClientFactory = Callable[..., ApiClient]


@pytest.fixture
def make_client(recorder: Recorder) -> Iterator[ClientFactory]:
    """`make_client(url, timeout=..., **policy)`: a client whose waits are recorded, not slept."""
    clients: list[ApiClient] = []

    def make(url: str, *, timeout: float = 10.0, **policy: object) -> ApiClient:
        options = {"jitter": 0.0, "sleep": recorder.sleep, **policy}
        client = ApiClient(url, timeout=timeout, retry=RetryPolicy(**options))  # type: ignore[arg-type]
        client.add_listener(recorder.listen)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def login(client: ApiClient, email: str, password: str) -> tuple[Api, Session]:
    api = Api(client)
    session = Session("test", api, MemoryVault())
    session.login(email, password)
    return api, session


@pytest.fixture
def admin(readonly_sandbox, make_client: ClientFactory) -> Api:
    """The seeded admin signed in to the shared read-only sandbox."""
    from viva_desktop.sandbox.seed import ADMIN_EMAIL, DEMO_PASSWORD

    api, _ = login(make_client(readonly_sandbox.url), ADMIN_EMAIL, DEMO_PASSWORD)
    return api


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Poll a condition (like qtbot.waitUntil) for tests without a Qt event loop."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        pause.wait(0.01)

"""Fixtures of the session tests: a client, its Api and a Session, on a fresh sandbox."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest

from tests.services.remote.api.conftest import Recorder
from viva_desktop.services.remote.api import Api, ApiClient, RetryPolicy
from viva_desktop.services.remote.session import Session, SessionEvent, SessionInfo
from viva_desktop.services.remote.vault import MemoryVault, TokenVault


@dataclass
class Rig:
    """One signed-out session on a server, with everything it did recorded."""

    client: ApiClient
    api: Api
    session: Session
    vault: TokenVault
    recorder: Recorder
    clock_offset: list[float]
    session_events: list[SessionEvent] = field(default_factory=list)

    def advance(self, seconds: float) -> None:
        """Move the session's clock (not the server's) forward."""
        self.clock_offset[0] += seconds

    def calls_to(self, path: str) -> list[int | None]:
        return [e.status for e in self.recorder.events if e.path.split("?")[0] == path]


RigFactory = Callable[..., Rig]


@pytest.fixture
def make_rig() -> Iterator[RigFactory]:
    import time

    rigs: list[Rig] = []

    def make(url: str, vault: TokenVault | None = None, profile: str = "test") -> Rig:
        recorder = Recorder()
        client = ApiClient(url, retry=RetryPolicy(jitter=0.0, sleep=recorder.sleep))
        client.add_listener(recorder.listen)
        api = Api(client)
        offset = [0.0]
        vault = vault if vault is not None else MemoryVault()
        session = Session(profile, api, vault, clock=lambda: time.time() + offset[0])
        rig = Rig(client, api, session, vault, recorder, offset)

        def remember(event: SessionEvent, info: SessionInfo | None) -> None:
            rig.session_events.append(event)

        session.add_listener(remember)
        rigs.append(rig)
        return rig

    yield make
    for rig in rigs:
        rig.client.close()

"""A server whose data was reset or replaced (issue 17, defect 5): the sandbox starts from
its seed every time, a real server can be restored from a backup. The sync notices (records
of the copy gone, the server started after the last sync) and says so in its report, so the
app can offer a full re-sync; an ordinary server raises nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.deployment import Deployment
from viva_desktop.sandbox.seed import VERIFIED_CITIZEN_EMAIL
from viva_desktop.services.local.server_reset import check_server_reset
from viva_desktop.services.local.store import Store
from viva_desktop.services.local.sync import SyncEngine

from .conftest import SignIn

PROFILE = "sandbox"
ENTITIES = ["posts", "events", "communities"]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Deployment]:
    with Deployment(tmp_path / "server.sqlite3", scale=0, defects=False) as deployed:
        yield deployed


def test_a_server_started_again_from_its_seed_is_noticed(
    server: Deployment, sign_in: SignIn, synced_store: Store
) -> None:
    juan = sign_in(server.url, VERIFIED_CITIZEN_EMAIL)
    for text in ("Antes del reinicio", "También antes del reinicio"):
        juan.api.posts.create({"content": text, "type": "NEED"})
    first = SyncEngine(juan.api, synced_store, PROFILE).run(ENTITIES)
    assert first.ok
    assert first.server_reset is None  # nothing to compare with yet

    server.stop()  # the data is replaced: a fresh database, seeded again, same address
    server.path.unlink()
    server.start()
    juan = sign_in(server.url, VERIFIED_CITIZEN_EMAIL)
    report = SyncEngine(juan.api, synced_store, PROFILE).run(ENTITIES)
    evidence = report.server_reset
    assert evidence is not None
    assert len(evidence.gone) >= 2
    assert {entity for entity, _ in evidence.gone} == {"posts"}
    assert evidence.restarted_since_sync
    [gone_line, restart_line] = evidence.reasons()
    assert "are no longer on the server" in gone_line
    assert "started again after the last sync" in restart_line


def test_an_ordinary_server_raises_nothing(
    server: Deployment, sign_in: SignIn, synced_store: Store
) -> None:
    juan = sign_in(server.url, VERIFIED_CITIZEN_EMAIL)
    assert SyncEngine(juan.api, synced_store, PROFILE).run(ENTITIES).ok
    juan.api.posts.create({"content": "Después de la copia", "type": "NEED"})
    again = SyncEngine(juan.api, synced_store, PROFILE).run(ENTITIES)
    assert again.server_reset is None
    assert check_server_reset(juan.api, synced_store, PROFILE) is None

"""The largest page size a server accepts, against a sandbox that refuses large pages (its
`max_page_size` fault, like a server validating `@Max()` or a proxy): the sync halves the
size after a 400 until a page comes back, copies everything, and remembers the size per
server and route so the next sync asks for it at once (no refused request again)."""

from __future__ import annotations

import logging

import pytest

from tests.support.deployment import Deployment
from viva_desktop.services.local.store import Store, SyncStatus
from viva_desktop.services.local.sync import SyncEngine, page_sizes

from .conftest import SignIn

PROFILE = "sandbox"
LEARNED = "accepted after"


def test_a_refused_page_size_is_found_once_and_remembered_per_server(
    deployment: Deployment,
    sign_in: SignIn,
    truth_for,
    synced_store: Store,
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert deployment.server is not None
    client = sign_in(deployment.url)
    posts = len(truth_for(deployment.url, client).posts())  # read before large pages fail
    server = client.api.client.base_url
    deployment.server.set_faults(max_page_size=7)
    try:
        caplog.set_level(logging.INFO, logger="viva.sync")
        report = SyncEngine(client.api, synced_store, PROFILE, page_size=200).run(["posts"])
        assert report.results["posts"].status == SyncStatus.COMPLETE
        assert synced_store.count("posts", profile=PROFILE) == posts
        # 200, 100, 50, 25 and 12 refused; 6 accepted, and stored for this server's /posts.
        assert page_sizes.remembered(synced_store, server, "/posts") == 6
        assert page_sizes.remembered(synced_store, "http://127.0.0.1:9", "/posts") is None
        assert sum(LEARNED in r.getMessage() for r in caplog.records) == 1

        caplog.clear()
        again = SyncEngine(client.api, synced_store, PROFILE, page_size=200)
        report = again.run(["posts"], full=True)
        assert report.results["posts"].status == SyncStatus.COMPLETE
        assert synced_store.count("posts", profile=PROFILE) == posts
        assert not any(LEARNED in r.getMessage() for r in caplog.records)  # asked for 6 at once
    finally:
        deployment.server.clear_faults()


def test_a_server_that_accepts_the_size_teaches_nothing(
    deployment: Deployment, sign_in: SignIn, synced_store: Store
) -> None:
    client = sign_in(deployment.url)
    report = SyncEngine(client.api, synced_store, PROFILE, page_size=7).run(["posts", "events"])
    assert report.ok, report.failed
    server = client.api.client.base_url
    assert page_sizes.remembered(synced_store, server, "/posts") is None
    assert page_sizes.page_size_for(synced_store, server, "/posts", 200) == 200
    page_sizes.remember(synced_store, server, "/posts", 50, 100)
    assert page_sizes.page_size_for(synced_store, server, "/posts", 200) == 50
    assert page_sizes.page_size_for(synced_store, server, "/posts", 20) == 20

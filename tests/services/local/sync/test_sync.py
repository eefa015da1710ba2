"""The sync engine against a real sandbox over HTTP, into SQLite and PostgreSQL: complete
copies, one transaction per page, resume after a crash or a cancel between pages, incremental
walks, records gone upstream, and syncing under the sandbox's faults."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from tests.support.deployment import Deployment
from viva_desktop.sandbox.seed import VERIFIED_CITIZEN_EMAIL
from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.services.local.store import NOT_NULL, Store, SyncStatus, open_store
from viva_desktop.services.local.store.types import parse_timestamp
from viva_desktop.services.local.sync import ENTITIES, SyncEngine, SyncProgress, team
from viva_desktop.services.remote.api import Api, ApiClient
from viva_desktop.services.remote.api.errors import (
    Cancelled,
    NetworkUnreachable,
    SessionUnavailable,
)

from .conftest import FAST_RETRIES, ServerTruth, SignIn

PROFILE = "sandbox"


class Crash(Exception):
    """Stands for the process dying between two pages."""


def assert_posts_match(store: Store, truth: ServerTruth) -> None:
    server = {p["id"]: p for p in truth.posts()}
    rows = store.query("posts", profile=PROFILE, limit=5_000)
    assert len(rows) == len(server)
    for row in rows:
        expected = server[row.id]
        assert row.raw["content"] == expected["content"]
        assert row.raw["authorId"] == expected["authorId"]
        assert row["created_at"] == parse_timestamp(expected["createdAt"])
        assert row["author_name"] == expected["User"]["name"]
        assert row.gone_at is None


def test_a_full_sync_copies_every_entity(
    deployment: Deployment, sign_in: SignIn, truth_for, synced_store: Store
) -> None:
    client = sign_in(deployment.url)
    truth = truth_for(deployment.url, client)
    seen: list[SyncProgress] = []
    before = datetime.now(UTC)
    report = SyncEngine(client.api, synced_store, PROFILE, page_size=100).run(progress=seen.append)
    assert report.ok, report.failed
    assert list(report.results) == list(ENTITIES)

    assert_posts_match(synced_store, truth)
    offers = truth.offers()
    assert {r.id for r in synced_store.query("offers", profile=PROFILE, limit=5_000)} == {
        o["id"] for o in offers
    }
    events = truth.events()
    assert synced_store.count("events", profile=PROFILE) == len(events)
    attendees = sum(len(e["EventAttendee"]) for e in events)
    assert attendees > 0
    assert synced_store.count("event_attendees", profile=PROFILE) == attendees
    one = next(e for e in events if e["EventAttendee"])
    stored = synced_store.query("event_attendees", profile=PROFILE, filters={"event_id": one["id"]})
    assert {a.id for a in stored} == {a["id"] for a in one["EventAttendee"]}
    communities = truth.communities()
    assert {r.id for r in synced_store.query("communities", profile=PROFILE)} == {
        c["id"] for c in communities
    }
    me = client.session.user_id  # the caller's own records are stored in its scope
    assert synced_store.count("credit_transactions", profile=PROFILE, account=me) == len(
        truth.transactions()
    )
    assert synced_store.count("moderation_cases", profile=PROFILE, account=me) == len(
        truth.pending_cases()
    )
    # People met on the way: every author is known, with safe fields only.
    authors = {p["authorId"] for p in truth.posts()}
    users = {r.id: r for r in synced_store.query("users", profile=PROFILE, limit=5_000)}
    assert authors <= set(users)
    assert all("password" not in u.raw for u in users.values())

    # Every record says when it was synced.
    age = synced_store.data_age("posts", PROFILE)
    assert age.oldest is not None
    assert before <= age.oldest <= age.newest <= datetime.now(UTC)

    # Progress: per page, counts rising, a rate, and a time left where totals are known.
    posts = [p for p in seen if p.entity == "posts"]
    assert len(posts) == report.results["posts"].pages >= 6
    assert [p.items for p in posts] == sorted(p.items for p in posts)
    assert posts[-1].done
    assert posts[-1].items == len(truth.posts())
    assert all(p.rate > 0 for p in seen)
    events_progress = [p for p in seen if p.entity == "events"]
    assert events_progress[-1].total == len(events)
    assert events_progress[-1].eta_s == 0.0

    state = synced_store.sync_state(PROFILE, "posts")
    assert state is not None
    assert state.status == SyncStatus.COMPLETE
    assert state.marker is None
    assert state.full_pass


@pytest.mark.parametrize("prefetch", [True, False])
def test_a_crash_between_pages_resumes_from_the_stored_marker(
    deployment: Deployment, sign_in: SignIn, truth_for, store_url: str, prefetch: bool
) -> None:
    client = sign_in(deployment.url)
    store = open_store(store_url, attempts=1)

    def crash_after_four_pages(p: SyncProgress) -> None:
        if p.pages == 4:
            raise Crash

    engine = SyncEngine(client.api, store, PROFILE, page_size=50, prefetch=prefetch)
    with pytest.raises(Crash):
        engine.run(["posts"], progress=crash_after_four_pages)
    store.close()  # the process is gone; its connections with it

    store = open_store(store_url, attempts=1)
    try:
        state = store.sync_state(PROFILE, "posts")
        assert state is not None
        assert state.status == SyncStatus.RUNNING
        assert (state.pages, state.items) == (4, 200)
        assert state.marker == {
            "part": 0,
            "page": {"offset": 200},
            "newest": state.marker["newest"],
        }
        assert store.count("posts", profile=PROFILE) == 200  # exactly the committed pages

        client.events.clear()
        report = SyncEngine(client.api, store, PROFILE, page_size=50, prefetch=prefetch).run(
            ["posts"]
        )
        result = report.results["posts"]
        assert result.status == SyncStatus.COMPLETE
        assert result.resumed
        assert result.pages > 4
        offsets = [int(p.split("offset=")[1].split("&")[0]) for p in client.calls("/posts")]
        assert min(offsets) == 200  # nothing fetched twice
        assert result.gone == 0
        assert_posts_match(store, truth_for(deployment.url, client))
    finally:
        store.close()


def test_cancel_between_pages_then_resume(
    deployment: Deployment, sign_in: SignIn, truth_for, synced_store: Store
) -> None:
    client = sign_in(deployment.url)
    cancel = CancelToken()

    def cancel_after_two(p: SyncProgress) -> None:
        if p.entity == "posts" and p.pages == 2:
            cancel.cancel()

    engine = SyncEngine(client.api, synced_store, PROFILE, page_size=100)
    with pytest.raises(Cancelled):
        engine.run(["offers", "posts", "events"], progress=cancel_after_two, cancel=cancel)
    state = synced_store.sync_state(PROFILE, "posts")
    assert state is not None
    assert state.status == SyncStatus.CANCELLED
    assert state.resumable
    assert synced_store.count("posts", profile=PROFILE) == 200
    assert synced_store.sync_state(PROFILE, "events") is None  # never started

    report = engine.run(["offers", "posts", "events"])
    assert report.ok
    assert report.results["posts"].resumed
    assert not report.results["offers"].resumed  # it had completed: a new run
    assert_posts_match(synced_store, truth_for(deployment.url, client))


def test_network_loss_then_restart_resumes(
    deployment: Deployment, sign_in: SignIn, truth_for, synced_store: Store
) -> None:
    client = sign_in(deployment.url)

    def pull_the_plug(p: SyncProgress) -> None:
        if p.entity == "posts" and p.pages == 3:
            deployment.stop()

    engine = SyncEngine(client.api, synced_store, PROFILE, page_size=100, retry_delay=0.001)
    report = engine.run(["posts", "events"], progress=pull_the_plug)
    posts = report.results["posts"]
    assert posts.status == SyncStatus.FAILED
    assert isinstance(posts.error, NetworkUnreachable)
    assert "events" not in report.results  # the server is gone: the run stopped
    state = synced_store.sync_state(PROFILE, "posts")
    assert state is not None
    assert state.status == SyncStatus.FAILED
    assert state.last_error
    assert state.pages >= 3  # plus the pages already fetched ahead when the plug was pulled
    assert state.marker is not None
    assert synced_store.count("posts", profile=PROFILE) == state.items

    deployment.start()  # same port, same data
    report = engine.run(["posts", "events"])
    assert report.ok
    assert report.results["posts"].resumed
    assert_posts_match(synced_store, truth_for(deployment.url, client))


def test_incremental_walks_and_full_passes(
    deployment: Deployment, sign_in: SignIn, truth_for, synced_store: Store
) -> None:
    admin = sign_in(deployment.url)
    engine = SyncEngine(admin.api, synced_store, PROFILE, page_size=50)
    first = engine.run(["posts"]).results["posts"]
    assert first.full_pass
    all_pages = first.pages

    author = sign_in(deployment.url, VERIFIED_CITIZEN_EMAIL)
    new = author.api.posts.create({"content": "Recién publicado en el barrio", "type": "STORY"})
    oldest = synced_store.query("posts", profile=PROFILE, sort=[("created_at", True)], limit=1)[0]
    # The oldest post disappears upstream (its author deletes it through /social).
    owner = oldest.raw["authorId"]
    truth = truth_for(deployment.url, admin)
    email = truth.get(f"/users/{owner}")["email"]
    sign_in(deployment.url, email).api.social.delete_post(oldest.id)

    second = engine.run(["posts"]).results["posts"]
    assert not second.full_pass
    assert second.pages < all_pages  # stopped once it reached what it already had
    assert synced_store.get("posts", PROFILE, new.id) is not None
    assert synced_store.get("posts", PROFILE, oldest.id).gone_at is None  # not seen, not judged

    third = engine.run(["posts"], full=True).results["posts"]
    assert third.full_pass
    assert third.gone == 1
    gone = synced_store.query("posts", profile=PROFILE, filters={"gone_at": NOT_NULL})
    assert [r.id for r in gone] == [oldest.id]


def test_gone_offers_and_replaced_attendee_lists(
    deployment: Deployment, sign_in: SignIn, truth_for, synced_store: Store
) -> None:
    admin = sign_in(deployment.url)
    engine = SyncEngine(admin.api, synced_store, PROFILE)
    engine.run(["offers", "events"])
    truth = truth_for(deployment.url, admin)
    offer = next(o for o in truth.offers() if o["User"])
    owner = sign_in(deployment.url, truth.get(f"/users/{offer['userId']}")["email"])
    owner.api.offers.delete(offer["id"])  # a soft delete: it leaves the active list

    event, leaving = next(
        (e, a) for e in truth.events() for a in e["EventAttendee"] if a["checkedInAt"] is None
    )
    attendee = sign_in(deployment.url, truth.get(f"/users/{leaving['userId']}")["email"])
    attendee.api.client.delete(f"/events/{event['id']}/register")

    report = engine.run(["offers", "events"])
    assert report.results["offers"].gone == 1
    assert synced_store.get("offers", PROFILE, offer["id"]).gone_at is not None
    kept = synced_store.query(
        "event_attendees", profile=PROFILE, filters={"event_id": event["id"], "gone_at": None}
    )
    assert leaving["id"] not in {a.id for a in kept}
    assert len(kept) == len(event["EventAttendee"]) - 1


@pytest.mark.parametrize(
    "faults",
    [
        {"error_rate": 0.3, "error_status": 503},
        {"error_rate": 0.25, "error_status": 502, "drop_rate": 0.15},
    ],
    ids=["5xx", "5xx+dropped"],
)
def test_sync_completes_under_faults(
    deployment: Deployment, sign_in: SignIn, truth_for, synced_store: Store, faults: dict
) -> None:
    client = sign_in(deployment.url)
    assert deployment.server is not None
    deployment.server.set_faults(
        paths=["/posts", "/events", "/offers", "/communities"], seed=7, **faults
    )
    report = SyncEngine(
        client.api, synced_store, PROFILE, page_size=50, page_retries=10, retry_delay=0.001
    ).run(["communities", "offers", "events", "posts"])
    assert report.ok, report.failed
    assert any(e.error for e in client.events)  # the faults did bite
    deployment.server.clear_faults()
    assert_posts_match(synced_store, truth_for(deployment.url, client))


def test_expired_tokens_are_refreshed_during_a_sync(
    deployment: Deployment, sign_in: SignIn, synced_store: Store
) -> None:
    client = sign_in(deployment.url)
    assert deployment.server is not None

    def expire_after_first_page(p: SyncProgress) -> None:
        if p.entity == "posts" and p.pages == 1:
            deployment.server.set_faults(expire_tokens=True)

    report = SyncEngine(client.api, synced_store, PROFILE, page_size=100).run(
        ["posts", "credit_transactions", "moderation_cases"], progress=expire_after_first_page
    )
    assert report.ok, report.failed
    assert client.calls("/auth/refresh", "POST")


def test_signed_out_syncs_the_public_lists_only(
    deployment: Deployment, synced_store: Store
) -> None:
    api = Api(ApiClient(deployment.url, retry=FAST_RETRIES))
    try:
        report = SyncEngine(api, synced_store, PROFILE, members=False).run()
    finally:
        api.close()
    assert report.results["posts"].status == SyncStatus.COMPLETE
    assert report.results["offers"].status == SyncStatus.COMPLETE
    for entity in ("credit_transactions", "moderation_cases"):
        assert report.results[entity].status == SyncStatus.FAILED
        assert isinstance(report.results[entity].error, SessionUnavailable)
    assert not report.ok


def test_a_teammate_syncing_the_same_data_is_waited_for_then_not_repeated(
    deployment: Deployment, sign_in: SignIn, store_url: str
) -> None:
    """A shared store: while another app syncs the posts, ours waits for it (saying who) and
    then skips them as "synced by <account> at 12:01"; never "failed" because of a lock."""
    client = sign_in(deployment.url)
    other = sign_in(deployment.url)
    ours = open_store(store_url, attempts=1)
    teammate = open_store(store_url, attempts=1)
    seen: list[SyncProgress] = []
    try:
        assert deployment.server is not None
        deployment.server.set_faults(latency_ms=40, paths=["/posts"])
        theirs = SyncEngine(other.api, teammate, PROFILE, page_size=50, host="laptop-3#7")
        first_page = threading.Event()
        running = threading.Thread(
            target=lambda: theirs.run(["posts"], progress=lambda _p: first_page.set())
        )
        running.start()
        assert first_page.wait(10)  # the teammate holds the posts now
        holder = team.holder(teammate, PROFILE, "posts", "")
        assert holder is not None
        assert holder.status == "running"
        report = SyncEngine(client.api, ours, PROFILE, team_poll_s=0.05).run(
            ["offers", "posts"], progress=seen.append
        )
        running.join(timeout=30)
        deployment.server.clear_faults()
    finally:
        ours.close()
        teammate.close()
    assert report.ok
    assert report.results["offers"].status == SyncStatus.COMPLETE
    posts = report.results["posts"]
    assert posts.status == SyncStatus.COMPLETE
    assert posts.error is None
    assert posts.note is not None
    assert posts.note.startswith("synced by ")
    assert posts.items > 0
    waiting = [p for p in seen if p.synced_by]
    assert waiting
    assert waiting[0].synced_by.endswith(" on laptop-3")

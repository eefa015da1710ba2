"""Several accounts of one server in one store (issue 13), on SQLite and PostgreSQL against the
sandbox: each sees only its own per-caller records and its own queue, public data is shared,
and every write is in the audit trail with its outcome, before/after and request id."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.deployment import Deployment
from viva_desktop.sandbox.seed import ADMIN_EMAIL, CITIZEN_EMAIL, VERIFIED_CITIZEN_EMAIL
from viva_desktop.services.local.audit import record_direct
from viva_desktop.services.local.outbox import EntryState, Outbox
from viva_desktop.services.local.store import Store, accounts, audit, scopes
from viva_desktop.services.local.sync import SyncEngine

from .conftest import Client, SignIn

PROFILE = "sandbox"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Deployment]:
    with Deployment(tmp_path / "server.sqlite3", scale=0, defects=False) as deployed:
        yield deployed


@pytest.fixture
def three(server: Deployment, sign_in: SignIn) -> dict[str, Client]:
    return {
        "admin": sign_in(server.url, ADMIN_EMAIL),
        "maria": sign_in(server.url, CITIZEN_EMAIL),
        "juan": sign_in(server.url, VERIFIED_CITIZEN_EMAIL),
    }


def sync_all(store: Store, clients: dict[str, Client]) -> None:
    for client in clients.values():
        report = SyncEngine(client.api, store, PROFILE, members=False).run(
            ["offers", "credit_transactions", "moderation_cases"]
        )
        assert report.ok, report.failed


def own_transactions(client: Client) -> set[str]:
    return {t.id for t in client.api.credits.transactions()}


def test_three_accounts_see_only_their_own_records(
    three: dict[str, Client], synced_store: Store
) -> None:
    sync_all(synced_store, three)
    for name, client in three.items():
        me = client.session.user_id
        stored = {
            r.id
            for r in synced_store.query(
                "credit_transactions", profile=PROFILE, account=me, limit=1000
            )
        }
        assert stored == own_transactions(client), name
        assert scopes.count_visible(synced_store, PROFILE, me, "moderation_cases") == len(
            client.api.moderation.pending()
        )
    # Public data is synced once and shared by every account of the server.
    offers = {
        scopes.count_visible(synced_store, PROFILE, c.session.user_id, "offers")
        for c in three.values()
    }
    assert len(offers) == 1
    assert offers.pop() > 0
    # The sync noted who signed in, by e-mail.
    known = {a.email for a in accounts.known(synced_store, PROFILE)}
    assert known == {ADMIN_EMAIL, CITIZEN_EMAIL, VERIFIED_CITIZEN_EMAIL}


def test_a_queued_edit_is_only_ever_sent_as_its_account(
    three: dict[str, Client], synced_store: Store
) -> None:
    admin, maria = three["admin"], three["maria"]
    sync_all(synced_store, {"admin": admin})
    juan_id = str(three["juan"].session.user_id)
    queued = Outbox(synced_store, PROFILE, user_id=admin.session.user_id).grant(juan_id, 3)

    hers = Outbox(synced_store, PROFILE, user_id=maria.session.user_id)
    assert hers.count() == 0
    assert hers.pending() == []
    assert hers.queued_by_others() == {str(admin.session.user_id): 1}
    assert [e.seq for e in hers.entries_of(admin.session.user_id)] == [queued.seq]
    report = hers.replay(maria.api)  # her app, signed in as her
    assert report.sent == []
    assert report.failed == []
    assert not maria.calls("/credits/grant", "POST")
    assert hers.get(queued.seq).state == EntryState.PENDING

    report = Outbox(synced_store, PROFILE, user_id=admin.session.user_id).replay(admin.api)
    assert [e.seq for e in report.sent] == [queued.seq]


def test_the_audit_trail_records_queue_replay_failure_and_conflict(
    server: Deployment, three: dict[str, Client], synced_store: Store
) -> None:
    juan, admin = three["juan"], three["admin"]
    me = juan.session.user_id
    accounts.remember(synced_store, PROFILE, me, email=VERIFIED_CITIZEN_EMAIL)
    SyncEngine(juan.api, synced_store, PROFILE, members=False).run(["offers", "moderation_cases"])
    box = Outbox(synced_store, PROFILE, user_id=me)
    first, second = synced_store.query("offers", profile=PROFILE, filters={"user_id": me}, limit=2)

    edit = box.update("offers", first.id, {"title": "Huerto (editado)"})
    clash = box.update("offers", second.id, {"title": "Mi título"})
    admin.api.offers.update(second.id, {"title": "Título del administrador"})
    refused = box.grant(str(admin.session.user_id), 2)  # only administrators may grant
    report = box.replay(juan.api)
    assert [e.seq for e in report.sent] == [edit.seq]
    assert [e.seq for e in report.conflicts] == [clash.seq]
    assert [e.seq for e in report.failed] == [refused.seq]
    box.resolve(clash.seq, keep="theirs")

    trail = audit.entries(synced_store, PROFILE, account=me, newest_first=False)
    events = [(e.outbox_seq, e.action, e.outcome) for e in trail]
    assert events == [
        (edit.seq, "update", "queued"),
        (clash.seq, "update", "queued"),
        (refused.seq, "grant", "queued"),
        (edit.seq, "update", "sent"),
        (clash.seq, "update", "conflict"),
        (refused.seq, "grant", "failed"),
        (clash.seq, "resolve", "resolved"),
    ]
    sent = trail[3]
    assert (sent.record_id, sent.entity, sent.replayed) == (first.id, "offers", True)
    assert sent.before == {"title": first.raw["title"]}
    assert sent.after == {"title": "Huerto (editado)"}
    assert sent.account_email == VERIFIED_CITIZEN_EMAIL
    assert sent.server == server.url.rstrip("/")
    assert sent.request_id
    assert sent.request_id in {e.request_id for e in juan.events}
    failed = trail[5]
    assert failed.message  # the server's reason
    assert failed.request_id
    resolution = trail[6]
    assert resolution.message == "kept theirs"
    assert resolution.before == {"title": "Título del administrador"}
    assert resolution.after == {"title": "Título del administrador"}
    # A record's history: this app's changes to it, newest first.
    history = audit.entries(synced_store, PROFILE, entity="offers", record_id=first.id)
    assert [e.outcome for e in history] == ["sent", "queued"]


def test_votes_and_direct_decisions_are_in_the_trail(
    three: dict[str, Client], synced_store: Store
) -> None:
    admin = three["admin"]
    me = admin.session.user_id
    SyncEngine(admin.api, synced_store, PROFILE, members=False).run(["moderation_cases"])
    case = synced_store.query("moderation_cases", profile=PROFILE, account=me)[0]
    box = Outbox(synced_store, PROFILE, user_id=me)
    vote = box.vote(case.id, "KEEP", "Correcto")
    assert [e.seq for e in box.replay(admin.api).sent] == [vote.seq]
    record_direct(
        synced_store,
        profile=PROFILE,
        account=me,
        entity="membership_requests",
        op="approve",
        record_id="req-1",
        payload={"community_id": "c1"},
        outcome=audit.Outcome.FAILED,
        message="You need moderation permissions",
    )
    actions = [
        (e.action, e.outcome) for e in audit.entries(synced_store, PROFILE, newest_first=False)
    ]
    assert actions == [("vote", "queued"), ("vote", "sent"), ("approve", "failed")]


_TEAMMATE = textwrap.dedent(
    """
    import json, sys
    from viva_desktop.services.local.store import open_store, scopes
    from viva_desktop.services.local.sync import SyncEngine
    from viva_desktop.services.remote.api import Api, ApiClient
    from viva_desktop.services.remote.session import Session
    from viva_desktop.services.remote.vault import MemoryVault

    url, store_url, email = sys.argv[1:4]
    api = Api(ApiClient(url))
    session = Session("sandbox", api, MemoryVault())
    session.login(email, "Test1234!")
    with open_store(store_url, attempts=3) as store:
        report = SyncEngine(api, store, "sandbox", members=False).run(
            ["offers", "credit_transactions", "moderation_cases"]
        )
        me = session.user_id
        print(json.dumps({
            "status": {k: r.status for k, r in report.results.items()},
            "me": me,
            "mine": sorted(r.id for r in store.query(
                "credit_transactions", profile="sandbox", account=me, limit=1000)),
        }))
    api.close()
    """
)


def test_two_processes_share_a_team_store(
    server: Deployment, three: dict[str, Client], pg_url: str
) -> None:
    """Two laptops (processes) sync as two people into one PostgreSQL store at once."""
    from viva_desktop.services.local.store import open_store

    open_store(pg_url, attempts=1).close()  # migrated once, as the first laptop would
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", _TEAMMATE, server.url, pg_url, email],
            stdout=subprocess.PIPE,
            text=True,
        )
        for email in (ADMIN_EMAIL, CITIZEN_EMAIL)
    ]
    results = [json.loads(run.communicate(timeout=120)[0]) for run in runs]
    for result in results:  # each account's own lists never wait for the other's
        assert result["status"]["credit_transactions"] == "complete"
        assert result["status"]["moderation_cases"] == "complete"
    admin, maria = results
    assert set(admin["mine"]) == own_transactions(three["admin"])
    assert set(maria["mine"]) == own_transactions(three["maria"])
    assert not set(admin["mine"]) & set(maria["mine"])


def test_the_sync_notes_what_changed_upstream_between_two_syncs(
    three: dict[str, Client], synced_store: Store
) -> None:
    juan = three["juan"]
    me = juan.session.user_id
    SyncEngine(juan.api, synced_store, PROFILE, members=False).run(["offers"])
    offer = synced_store.query("offers", profile=PROFILE, filters={"user_id": me}, limit=1)[0]
    first_sync = offer.synced_at
    juan.api.offers.update(offer.id, {"title": "Huerto (cambiado en la web)"})  # elsewhere
    SyncEngine(juan.api, synced_store, PROFILE, members=False).run(["offers"], full=True)
    [seen] = audit.entries(synced_store, PROFILE, entity="offers", record_id=offer.id)
    assert (seen.action, seen.outcome, seen.fields) == ("upstream", "seen", ["title"])
    assert seen.before == {"title": offer.raw["title"]}
    assert seen.after == {"title": "Huerto (cambiado en la web)"}
    assert seen.message == first_sync.isoformat()  # changed between that sync and this one
    # A sync that finds nothing new adds nothing.
    SyncEngine(juan.api, synced_store, PROFILE, members=False).run(["offers"], full=True)
    assert len(audit.entries(synced_store, PROFILE, entity="offers")) == 1

"""The outbox: offline edits applied locally at once, durable, replayed in order against a
real sandbox — under 5xx, dropped connections and expired tokens — with conflicts surfaced,
unknown outcomes settled without duplicates, and safe grant retries."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.support.deployment import Deployment
from viva_desktop.sandbox.seed import ADMIN_EMAIL, VERIFIED_CITIZEN_EMAIL
from viva_desktop.services.local.outbox import (
    LOCAL_ID_PREFIX,
    CreateFailure,
    EntryState,
    Op,
    Outbox,
    OutboxError,
    copy_text,
)
from viva_desktop.services.local.store import NOT_NULL, LocalChange, Store, open_store
from viva_desktop.services.local.store.models import OutboxRow
from viva_desktop.services.local.sync import SyncEngine
from viva_desktop.services.remote.api.errors import NetworkUnreachable, ServerError

from .conftest import Client, SignIn

PROFILE = "sandbox"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Deployment]:
    """The seeded sandbox, as a fixed server (creates work), restartable on its data file."""
    with Deployment(tmp_path / "server.sqlite3", scale=0, defects=False) as deployed:
        yield deployed


@pytest.fixture
def juan(server: Deployment, sign_in: SignIn) -> Client:
    """A verified citizen who owns offers and posts: the coordinator editing offline."""
    return sign_in(server.url, VERIFIED_CITIZEN_EMAIL)


@pytest.fixture
def synced(juan: Client, synced_store: Store) -> Store:
    report = SyncEngine(juan.api, synced_store, PROFILE).run(["offers", "posts", "events"])
    assert report.ok
    return synced_store


def outbox_for(store: Store, client: Client) -> Outbox:
    return Outbox(store, PROFILE, user_id=client.session.user_id)


def own(store: Store, entity: str, owner_field: str, client: Client, n: int = 1) -> list[Any]:
    rows = store.query(
        entity, profile=PROFILE, filters={owner_field: client.session.user_id}, limit=50
    )
    assert len(rows) >= n
    return rows[:n]


def server_offer(client: Client, offer_id: str) -> dict[str, Any]:
    return next(o.to_wire() for o in client.api.offers.mine() if o.id == offer_id)


def test_edits_apply_locally_at_once_and_survive_a_restart(
    juan: Client, synced: Store, store_url: str
) -> None:
    offer = own(synced, "offers", "user_id", juan)[0]
    box = outbox_for(synced, juan)
    entry = box.update("offers", offer.id, {"title": "Huerto compartido (editado)"})
    assert entry.state == EntryState.PENDING
    assert entry.op == Op.UPDATE
    assert entry.base == offer.raw  # the record as last synced
    row = synced.get("offers", PROFILE, offer.id)
    assert row["title"] == "Huerto compartido (editado)"
    assert row.local_changes == LocalChange.UPDATED

    # A sync in between does not undo the offline edit.
    SyncEngine(juan.api, synced, PROFILE).run(["offers"])
    assert synced.get("offers", PROFILE, offer.id)["title"] == "Huerto compartido (editado)"

    synced.close()
    reopened = open_store(store_url, attempts=1)
    try:
        again = Outbox(reopened, PROFILE, user_id=juan.session.user_id)
        assert [e.seq for e in again.pending()] == [entry.seq]
        assert reopened.get("offers", PROFILE, offer.id)["title"] == "Huerto compartido (editado)"
    finally:
        reopened.close()


def test_queueing_refuses_what_cannot_be_sent(juan: Client, synced: Store) -> None:
    box = outbox_for(synced, juan)
    offer = own(synced, "offers", "user_id", juan)[0]
    with pytest.raises(OutboxError):
        box.update("offers", offer.id, {"views": 1000})  # not a field the server lets us set
    with pytest.raises(OutboxError):
        box.update("offers", "no-such-offer", {"title": "x"})
    with pytest.raises(OutboxError):
        box.create("credit_transactions", {"amount": 1})
    with pytest.raises(OutboxError):
        box.grant("someone", 0)
    box.delete("offers", offer.id)
    with pytest.raises(OutboxError):
        box.update("offers", offer.id, {"title": "after delete"})


def test_replay_sends_in_order_and_settles_the_store(juan: Client, synced: Store) -> None:
    box = outbox_for(synced, juan)
    first, second = own(synced, "offers", "user_id", juan, 2)
    post = own(synced, "posts", "author_id", juan)[0]
    e1 = box.update("offers", first.id, {"title": "Primera edición"})
    e2 = box.update("posts", post.id, {"content": "Contenido revisado sin conexión"})
    e3 = box.create("posts", {"content": "Nueva publicación offline", "type": "STORY"})
    local_id = e3.target_id
    assert local_id is not None
    assert local_id.startswith(LOCAL_ID_PREFIX)
    assert synced.get("posts", PROFILE, local_id).local_changes == LocalChange.CREATED
    folded = box.update("posts", local_id, {"content": "Nueva publicación offline, corregida"})
    assert folded.seq == e3.seq  # an unsent creation absorbs later edits
    e4 = box.update("offers", first.id, {"description": "Descripción nueva"})
    e5 = box.delete("offers", second.id)
    assert e5 is not None
    assert synced.get("offers", PROFILE, second.id).local_changes == LocalChange.DELETED

    juan.events.clear()
    report = box.replay(juan.api)
    assert report.complete
    assert [e.seq for e in report.sent] == [e1.seq, e2.seq, e3.seq, e4.seq, e5.seq]
    writes = [(e.method, e.path.split("?")[0]) for e in juan.events if e.method != "GET"]
    assert writes == [
        ("PUT", f"/offers/{first.id}"),
        ("PUT", f"/posts/{post.id}"),
        ("POST", "/posts"),
        ("PUT", f"/offers/{first.id}"),
        ("DELETE", f"/offers/{second.id}"),
    ]
    assert box.pending() == []

    on_server = server_offer(juan, first.id)
    assert on_server["title"] == "Primera edición"
    assert on_server["description"] == "Descripción nueva"
    stored = synced.get("offers", PROFILE, first.id)
    assert stored.local_changes is None
    assert stored.raw["description"] == "Descripción nueva"
    assert synced.get("offers", PROFILE, second.id)["status"] == "CANCELLED"
    assert synced.get("posts", PROFILE, local_id) is None  # the local copy gave way...
    created = box.get(e3.seq)
    assert created.server_id
    mine = synced.get("posts", PROFILE, created.server_id)  # ...to the server's record
    assert mine is not None
    assert mine.raw["content"] == "Nueva publicación offline, corregida"
    assert synced.count("posts", profile=PROFILE, filters={"local_changes": NOT_NULL}) == 0


def test_replay_stops_on_5xx_and_dropped_connections_then_resumes(
    server: Deployment, juan: Client, synced: Store
) -> None:
    assert server.server is not None
    box = outbox_for(synced, juan)
    offers = own(synced, "offers", "user_id", juan, 2)
    entries = [box.update("offers", o.id, {"title": f"Edición {i}"}) for i, o in enumerate(offers)]

    server.server.set_faults(error_rate=1.0, error_status=503, paths=["/offers"])
    report = box.replay(juan.api)
    assert isinstance(report.stopped_by, ServerError)
    assert report.sent == []
    assert [e.seq for e in report.waiting] == [e.seq for e in entries]  # order kept
    assert all(e.state == EntryState.PENDING for e in box.pending())
    assert box.get(entries[0].seq).last_error

    server.server.set_faults(error_rate=0.0, drop_rate=1.0, paths=["/offers"])
    report = box.replay(juan.api)
    assert isinstance(report.stopped_by, NetworkUnreachable)
    assert report.sent == []

    server.server.clear_faults()
    report = box.replay(juan.api)
    assert report.complete
    assert [e.seq for e in report.sent] == [e.seq for e in entries]
    for i, offer in enumerate(offers):
        assert server_offer(juan, offer.id)["title"] == f"Edición {i}"


def test_flaky_server_applies_every_edit_exactly_once(
    server: Deployment, juan: Client, synced: Store
) -> None:
    assert server.server is not None
    box = outbox_for(synced, juan)
    offers = own(synced, "offers", "user_id", juan, 2)
    for round_ in range(3):
        for offer in offers:
            box.update("offers", offer.id, {"title": f"{offer.id[:4]} ronda {round_}"})
    server.server.set_faults(
        error_rate=0.3, error_status=502, error_after_write_rate=0.3, paths=["/offers"], seed=11
    )
    for _ in range(40):
        report = box.replay(juan.api)
        if report.complete:
            break
    assert report.complete
    server.server.clear_faults()
    done = box.entries([EntryState.DONE])
    assert len(done) == 6
    assert [e.seq for e in done] == sorted(e.seq for e in done)
    for offer in offers:
        assert server_offer(juan, offer.id)["title"] == f"{offer.id[:4]} ronda 2"
        assert synced.get("offers", PROFILE, offer.id).local_changes is None


def test_expired_tokens_are_refreshed_during_replay(
    server: Deployment, juan: Client, synced: Store
) -> None:
    assert server.server is not None
    box = outbox_for(synced, juan)
    offer = own(synced, "offers", "user_id", juan)[0]
    box.update("offers", offer.id, {"title": "Tras caducar el token"})
    server.server.set_faults(expire_tokens=True)
    report = box.replay(juan.api)
    assert report.complete
    assert juan.calls("/auth/refresh", "POST")
    assert server_offer(juan, offer.id)["title"] == "Tras caducar el token"


def test_a_change_behind_our_back_is_a_conflict_never_overwritten(
    server: Deployment, juan: Client, synced: Store, sign_in: SignIn
) -> None:
    box = outbox_for(synced, juan)
    first, second = own(synced, "offers", "user_id", juan, 2)
    mine = box.update("offers", first.id, {"title": "Mi título"})
    independent = box.update("offers", second.id, {"title": "Otro cambio mío"})

    admin = sign_in(server.url, ADMIN_EMAIL)  # meanwhile, on the server...
    admin.api.offers.update(first.id, {"title": "Título del administrador"})
    admin.api.offers.update(second.id, {"description": "Descripción del admin"})

    report = box.replay(juan.api)
    assert [e.seq for e in report.conflicts] == [mine.seq]
    assert [e.seq for e in report.sent] == [independent.seq]  # other fields: no conflict
    conflict = box.get(mine.seq)
    assert conflict.state == EntryState.CONFLICT
    assert conflict.remote is not None
    assert conflict.remote["title"] == "Título del administrador"
    assert conflict.conflicting_fields() == ["title"]
    assert server_offer(juan, first.id)["title"] == "Título del administrador"  # untouched
    both = server_offer(juan, second.id)
    assert (both["title"], both["description"]) == ("Otro cambio mío", "Descripción del admin")

    resolved = box.resolve(conflict, keep="theirs")
    assert resolved.state == EntryState.DONE
    row = synced.get("offers", PROFILE, first.id)
    assert row["title"] == "Título del administrador"
    assert row.local_changes is None


def test_keeping_mine_sends_it_on_top_of_theirs(
    server: Deployment, juan: Client, synced: Store, sign_in: SignIn
) -> None:
    box = outbox_for(synced, juan)
    profile = juan.api.users.get(str(juan.session.user_id)).to_wire()
    synced.upsert("users", PROFILE, [profile])
    entry = box.update("users", profile["id"], {"bio": "Coordinador del huerto (offline)"})
    sign_in(server.url, ADMIN_EMAIL).api.users.update(profile["id"], {"bio": "Editado por admin"})

    report = box.replay(juan.api)
    assert [e.seq for e in report.conflicts] == [entry.seq]
    assert juan.api.users.get(profile["id"]).bio == "Editado por admin"

    box.resolve(entry.seq, keep="mine")
    assert box.get(entry.seq).state == EntryState.PENDING
    report = box.replay(juan.api)
    assert [e.seq for e in report.sent] == [entry.seq]
    assert juan.api.users.get(profile["id"]).bio == "Coordinador del huerto (offline)"
    assert synced.get("users", PROFILE, profile["id"]).local_changes is None


def test_a_record_deleted_upstream_is_a_conflict(
    server: Deployment, juan: Client, synced: Store
) -> None:
    box = outbox_for(synced, juan)
    post = own(synced, "posts", "author_id", juan)[0]
    entry = box.update("posts", post.id, {"content": "Edición de algo que ya no existe"})
    juan.api.social.delete_post(post.id)  # from another device
    report = box.replay(juan.api)
    assert [e.seq for e in report.conflicts] == [entry.seq]
    assert box.get(entry.seq).remote is None
    with pytest.raises(OutboxError):
        box.resolve(entry.seq, keep="mine")
    box.resolve(entry.seq, keep="theirs")
    assert synced.get("posts", PROFILE, post.id) is None


def test_unknown_outcome_create_is_settled_without_duplicates(
    server: Deployment, juan: Client, synced: Store
) -> None:
    assert server.server is not None
    box = outbox_for(synced, juan)
    entry = box.create(
        "posts", {"content": "Publicada durante un fallo del servidor", "type": "NEED"}
    )
    server.server.set_faults(error_after_write_rate=1.0, paths=["/posts"])  # saved, then 500
    report = box.replay(juan.api)
    server.server.clear_faults()
    assert [e.seq for e in report.sent] == [entry.seq]
    done = box.get(entry.seq)
    assert done.state == EntryState.DONE
    assert done.attempts == 1  # settled by re-reading, not by sending again
    matching = [p for p in juan.api.posts.list(limit=100) if p.content == entry.payload["content"]]
    assert len(matching) == 1
    assert done.server_id == matching[0].id
    assert synced.get("posts", PROFILE, done.server_id) is not None
    assert synced.get("posts", PROFILE, str(entry.target_id)) is None


def test_an_entry_left_in_flight_by_a_crash_is_settled_before_resending(
    juan: Client, synced: Store
) -> None:
    box = outbox_for(synced, juan)
    entry = box.create("posts", {"content": "Enviada justo antes del corte", "type": "STORY"})
    # The crashed process had claimed the entry and the server had created the post.
    with synced.write() as conn:
        conn.execute(
            sa.update(OutboxRow.__table__)
            .where(OutboxRow.__table__.c.seq == entry.seq)
            .values(state=EntryState.IN_FLIGHT, attempts=1)
        )
    juan.api.posts.create(dict(entry.payload))
    juan.events.clear()
    report = box.replay(juan.api)
    assert [e.seq for e in report.sent] == [entry.seq]
    assert not juan.calls("/posts", "POST")  # nothing sent twice
    matching = [p for p in juan.api.posts.list(limit=100) if p.content == entry.payload["content"]]
    assert len(matching) == 1


def test_a_create_the_server_never_makes_waits_in_the_failed_list_after_one_repeat(
    tmp_path: Path, sign_in: SignIn, synced_store: Store
) -> None:
    """Upstream defect D1: every POST /offers is a 500 and nothing is created. One settle
    proves it, one repeat gets the same answer, then the entry waits for the user."""
    with Deployment(tmp_path / "upstream.sqlite3", scale=0, defects=True) as upstream:
        client = sign_in(upstream.url, VERIFIED_CITIZEN_EMAIL)
        box = Outbox(synced_store, PROFILE, user_id=client.session.user_id)
        offers_before = synced_store.data_age("offers", PROFILE).count
        entry = box.create(
            "offers",
            {
                "title": "Bici",
                "description": "Préstamo",
                "category": "Movilidad",
                "type": "SERVICE",
            },
        )
        client.events.clear()
        report = box.replay(client.api)
        assert [e.seq for e in report.failed] == [entry.seq]
        sent = [(e.method, e.path.split("?")[0]) for e in client.events]
        assert sent == [
            ("POST", "/offers"),
            ("GET", "/offers/user/my-offers"),  # the settle: not created
            ("POST", "/offers"),  # the one repeat: the same 500
        ]
        failed = box.get(entry.seq)
        assert failed.state == EntryState.FAILED
        failure = CreateFailure.from_result(failed.result)
        assert failure is not None
        assert failure.status == 500
        assert failure.message == "Internal server error"
        assert "defect" in failure.meaning  # contract §13, D1
        assert [e.seq for e in box.failed_creates()] == [entry.seq]
        # Kept (nothing lost), marked, and not counted among the offers.
        row = synced_store.get("offers", PROFILE, str(entry.target_id))
        assert row is not None
        assert row.local_changes == LocalChange.FAILED
        assert synced_store.data_age("offers", PROFILE).count == offers_before
        # Sending other edits never sends it again.
        other = box.create("posts", {"content": "Otra cosa", "type": "STORY"})
        client.events.clear()
        box.replay(client.api)
        assert box.get(other.seq).state == EntryState.DONE
        assert not client.calls("/offers", "POST")
        assert box.get(entry.seq).state == EntryState.FAILED
        text = copy_text(box.get(entry.seq))
        assert "title: Bici" in text
        assert "500 Internal server error" in text
        # Edit puts it back in the queue, changed; Retry looks for it before sending.
        edited = box.edit_failed(entry.seq, {"title": "Bici de paseo"})
        assert edited.state == EntryState.PENDING
        assert edited.payload["title"] == "Bici de paseo"
        row = synced_store.get("offers", PROFILE, str(entry.target_id))
        assert row is not None
        assert row.local_changes == LocalChange.CREATED
        client.events.clear()
        box.replay(client.api)
        assert client.calls("/offers/user/my-offers")[0]  # settled first
        assert box.get(entry.seq).state == EntryState.FAILED
        assert not [o for o in client.api.offers.mine() if o.title.startswith("Bici")]
        box.discard(entry.seq)
        assert synced_store.get("offers", PROFILE, str(entry.target_id)) is None


def test_grants_are_safe_to_retry(server: Deployment, sign_in: SignIn, synced_store: Store) -> None:
    assert server.server is not None
    admin = sign_in(server.url, ADMIN_EMAIL)
    juan = sign_in(server.url, VERIFIED_CITIZEN_EMAIL)
    user_id = str(juan.session.user_id)
    before = admin.api.users.get(user_id).credits
    box = Outbox(synced_store, PROFILE, user_id=admin.session.user_id)
    entry = box.grant(user_id, 25, description="Ayuda en la feria")
    server.server.set_faults(error_after_write_rate=1.0, paths=["/credits/grant"])
    report = box.replay(admin.api)
    server.server.clear_faults()
    assert [e.seq for e in report.sent] == [entry.seq]
    grants = admin.calls("/credits/grant", "POST")
    assert len(grants) == 2  # the retry reused the same relatedId...
    assert admin.api.users.get(user_id).credits == before + 25  # ...so it paid once


def test_votes_replay_and_clear_the_case(
    server: Deployment, sign_in: SignIn, synced_store: Store
) -> None:
    admin = sign_in(server.url, ADMIN_EMAIL)
    SyncEngine(admin.api, synced_store, PROFILE).run(["moderation_cases"])
    me = admin.session.user_id  # juror cases are the admin's own copies
    cases = synced_store.query("moderation_cases", profile=PROFILE, account=me)
    assert cases  # the seed makes the admin a juror of two open cases
    box = Outbox(synced_store, PROFILE, user_id=me)
    entry = box.vote(cases[0].id, "KEEP", "Contenido correcto")
    assert synced_store.get("moderation_cases", PROFILE, cases[0].id, account=me).local_changes
    report = box.replay(admin.api)
    assert [e.seq for e in report.sent] == [entry.seq]
    assert cases[0].id not in {c.id for c in admin.api.moderation.pending()}
    case = synced_store.get("moderation_cases", PROFILE, cases[0].id, account=me)
    assert case.local_changes is None


def test_a_shared_store_replays_only_the_signed_in_accounts_edits(
    server: Deployment, juan: Client, synced: Store, sign_in: SignIn
) -> None:
    admin = sign_in(server.url, ADMIN_EMAIL)
    mine = outbox_for(synced, juan).update(
        "offers", own(synced, "offers", "user_id", juan)[0].id, {"title": "De Juan"}
    )
    theirs = Outbox(synced, PROFILE, user_id=admin.session.user_id).grant(
        str(juan.session.user_id), 5
    )
    report = Outbox(synced, PROFILE).replay(juan.api)  # Juan's app replays
    assert [e.seq for e in report.sent] == [mine.seq]
    assert Outbox(synced, PROFILE).get(theirs.seq).state == EntryState.PENDING
    assert not juan.calls("/credits/grant", "POST")
    report = Outbox(synced, PROFILE).replay(admin.api)  # the admin's app
    assert [e.seq for e in report.sent] == [theirs.seq]


def test_a_record_created_here_shows_its_owner_at_once(juan: Client, synced: Store) -> None:
    """Issue 17, defect 6: a new post's author (a new offer's Owner) showed "—" until the next
    sync; the signed-in user's name fills it from the start, and the server's answer keeps it."""
    box = outbox_for(synced, juan)
    box.user_name = "Juan Pérez"
    entry = box.create("posts", {"content": "Recién creada aquí", "type": "NEED"})
    local = synced.get("posts", PROFILE, str(entry.target_id))
    assert local is not None
    assert local["author_name"] == "Juan Pérez"
    report = box.replay(juan.api)
    assert [e.seq for e in report.sent] == [entry.seq]
    sent = synced.get("posts", PROFILE, str(box.get(entry.seq).server_id))
    assert sent is not None
    assert sent["author_name"]  # the server's name for the author, or ours: never empty

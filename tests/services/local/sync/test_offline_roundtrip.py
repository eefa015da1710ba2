"""The issue's "done when", end to end on each backend: sync a sandbox deployment, stop the
server, browse, search, edit and export offline, restart the server on the same data, and
replay the edits with the conflict surfaced."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.support.deployment import Deployment
from viva_desktop.sandbox.seed import VERIFIED_CITIZEN_EMAIL
from viva_desktop.services.local.outbox import EntryState, Outbox
from viva_desktop.services.local.store import NOT_NULL, LocalChange, Range, Store
from viva_desktop.services.local.sync import SyncEngine
from viva_desktop.services.remote.api.errors import NetworkUnreachable

from .conftest import SignIn

PROFILE = "sandbox"


def test_sync_go_offline_edit_come_back_and_replay(
    tmp_path: Path, sign_in: SignIn, truth_for, synced_store: Store
) -> None:
    store = synced_store
    with Deployment(tmp_path / "server.sqlite3", scale=150, defects=False) as deployment:
        laptop = sign_in(deployment.url, VERIFIED_CITIZEN_EMAIL)
        me = str(laptop.session.user_id)

        # 1. Snapshot the deployment.
        report = SyncEngine(laptop.api, store, PROFILE, page_size=50).run()
        assert report.ok, report.failed
        total_posts = store.count("posts", profile=PROFILE)
        assert total_posts == len(truth_for(deployment.url, laptop).posts())

        # 2. The server goes away.
        deployment.stop()

        # 3. Browse offline: filters, facets, date ranges, data age.
        my_offers = store.query("offers", profile=PROFILE, filters={"user_id": me})
        assert my_offers
        community = my_offers[0]["community_id"]
        in_community = store.count("offers", profile=PROFILE, filters={"community_id": community})
        assert in_community >= 1
        types = dict(store.facets("posts", "type", profile=PROFILE))
        assert sum(types.values()) == total_posts
        low, high = store.date_range("events", "starts_at", profile=PROFILE)
        assert low is not None
        assert high is not None
        upcoming = store.count("events", profile=PROFILE, filters={"starts_at": Range(start=low)})
        assert upcoming == store.count("events", profile=PROFILE)
        assert store.data_age("posts", PROFILE).newest is not None

        # 4. Search offline.
        some_word = next(w for w in my_offers[0]["title"].split() if len(w) > 4)
        hits = store.query("offers", profile=PROFILE, search=some_word)
        assert my_offers[0].id in {h.id for h in hits}

        # 5. Edit offline: an update, a new post, a deletion.
        box = Outbox(store, PROFILE, user_id=me)
        offer = my_offers[0]
        edit = box.update("offers", offer.id, {"title": "Taller de bicis (revisado offline)"})
        new_post = box.create("posts", {"content": "Escrito sin conexión", "type": "STORY"})
        mine = store.query("posts", profile=PROFILE, filters={"author_id": me})
        victim = next(p for p in mine if not p.id.startswith("local-"))
        removal = box.delete("posts", victim.id)
        assert removal is not None
        assert store.count("posts", profile=PROFILE, filters={"local_changes": NOT_NULL}) == 2
        assert store.query("offers", profile=PROFILE, search="revisado")[0].id == offer.id

        # Trying to send while offline changes nothing and loses nothing.
        attempt = box.replay(laptop.api)
        assert isinstance(attempt.stopped_by, NetworkUnreachable)
        assert len(box.pending()) == 3

        # 6. Export offline: the selection as the user sees it, local edits included.
        csv_out = tmp_path / "offers.csv"
        json_out = tmp_path / "offers.json"
        store.export("offers", csv_out, profile=PROFILE, filters={"user_id": me})
        store.export("offers", json_out, format="json", profile=PROFILE, filters={"user_id": me})
        rows = list(csv.DictReader(io.StringIO(csv_out.read_text(encoding="utf-8-sig"))))
        assert "Taller de bicis (revisado offline)" in {r["title"] for r in rows}
        exported = json.loads(json_out.read_text(encoding="utf-8"))
        flagged = [r for r in exported if r["_sync"]["localChanges"] == LocalChange.UPDATED]
        assert [r["id"] for r in flagged] == [offer.id]

        # 7. The server comes back, and someone else edits the same offer first.
        deployment.start()
        web = sign_in(deployment.url, VERIFIED_CITIZEN_EMAIL)
        web.api.offers.update(offer.id, {"title": "Cambiado desde la web"})

        # 8. Replay: the creation and the deletion go through; the conflict is surfaced.
        result = box.replay(laptop.api)
        assert result.stopped_by is None
        assert [e.seq for e in result.conflicts] == [edit.seq]
        assert {e.seq for e in result.sent} == {new_post.seq, removal.seq}
        truth = truth_for(deployment.url, web)
        server_posts = {p["id"]: p for p in truth.posts()}
        assert victim.id not in server_posts
        created = box.get(new_post.seq).server_id
        assert created in server_posts
        assert server_posts[created]["content"] == "Escrito sin conexión"
        assert next(o for o in truth.offers() if o["id"] == offer.id)["title"] == (
            "Cambiado desde la web"
        )  # never overwritten silently
        conflict = box.conflicts()[0]
        assert conflict.conflicting_fields() == ["title"]
        assert conflict.remote is not None
        assert conflict.remote["title"] == "Cambiado desde la web"

        # 9. The user keeps their version; the next replay sends it.
        box.resolve(conflict, keep="mine")
        assert box.replay(laptop.api).complete
        assert box.count() == 0
        assert all(e.state == EntryState.DONE for e in box.entries())
        truth = truth_for(deployment.url, web)
        assert next(o for o in truth.offers() if o["id"] == offer.id)["title"] == (
            "Taller de bicis (revisado offline)"
        )

        # 10. A fresh sync agrees with the server, with nothing left flagged.
        assert SyncEngine(laptop.api, store, PROFILE, page_size=50).run(full=True).ok
        assert store.count("posts", profile=PROFILE, filters={"local_changes": NOT_NULL}) == 0
        assert store.count("posts", profile=PROFILE, filters={"gone_at": None}) == len(
            truth.posts()
        )
        assert store.get("offers", PROFILE, offer.id)["title"] == (
            "Taller de bicis (revisado offline)"
        )

"""Comments synced after the posts, with their authors, incrementally: only posts whose
counter or update time changed are read again; against a real sandbox, into both stores."""

from __future__ import annotations

import re

from viva_desktop.services.local.store import Store
from viva_desktop.services.local.sync import SyncEngine
from viva_desktop.services.local.sync.comments import changed_posts, comments_of

from .conftest import SignIn

DETAIL = re.compile(r"^/social/posts/[^/?]+$")


def _details(events) -> list[str]:
    return [e.path for e in events if e.method == "GET" and DETAIL.match(e.path.split("?")[0])]


def test_comments_are_read_once_then_only_for_posts_that_changed(
    sandbox_fixed, sign_in: SignIn, synced_store: Store
) -> None:
    client = sign_in(sandbox_fixed.url)
    engine = SyncEngine(client.api, synced_store, "sandbox")
    first = engine.run(["posts"])
    assert first.ok
    assert first.comments is not None
    assert first.comments.posts_read > 0
    assert first.comments.left == 0
    assert changed_posts(synced_store, "sandbox") == []
    # Every stored comment is the server's, with its author.
    posts = client.api.posts.list(limit=500, offset=0)
    with_comments = [p for p in posts if p.visibility == "PUBLIC" and (p.comments_count or 0) > 0]
    assert with_comments
    for post in with_comments:
        truth = client.api.client.get(f"/social/posts/{post.id}", authenticated=False).data
        stored = comments_of(synced_store, "sandbox", post.id)
        assert stored.complete
        assert {c["id"] for c in stored.comments} == {c["id"] for c in truth["Comment"]}
        for comment in stored.comments:
            assert comment["User"]["name"]
            assert synced_store.get("users", "sandbox", comment["User"]["id"]) is not None

    client.events.clear()
    second = engine.run(["posts"])
    assert second.comments is not None
    assert second.comments.posts_read == 0
    assert _details(client.events) == []  # nothing changed: no post's comments read again

    target = with_comments[0]
    client.api.social.comment(target.id, "Un comentario nuevo")
    client.events.clear()
    third = engine.run(["posts"], full=True)
    assert third.comments is not None
    assert third.comments.posts_read == 1
    assert _details(client.events) == [f"/social/posts/{target.id}"]
    stored = comments_of(synced_store, "sandbox", target.id)
    assert "Un comentario nuevo" in [c["content"] for c in stored.comments]
    assert stored.comments[0]["content"] == "Un comentario nuevo"  # newest first


def test_posts_are_found_by_their_comments_and_count_the_stored_ones(
    sandbox_fixed, sign_in: SignIn, synced_store: Store
) -> None:
    client = sign_in(sandbox_fixed.url)
    engine = SyncEngine(client.api, synced_store, "sandbox")
    posts = client.api.posts.list(limit=500, offset=0)
    target = next(p for p in posts if p.visibility == "PUBLIC")
    client.api.social.comment(target.id, "Zanahorias moradas del huerto")
    assert engine.run(["posts"]).ok

    found = synced_store.query("posts", profile="sandbox", search="zanahorias moradas")
    assert [row.id for row in found] == [target.id]  # a word only its comment has
    row = synced_store.get("posts", "sandbox", target.id)
    stored = comments_of(synced_store, "sandbox", target.id)
    assert row is not None
    assert row.values["comments_stored"] == len(stored.comments) > 0
    # The server's counter is kept beside it (the Comments column shows both when they differ).
    assert row.values["comments_count"] == target.comments_count + 1

    # A sync of the post itself keeps its comments' words searchable.
    assert engine.run(["posts"], full=True).ok
    found = synced_store.query("posts", profile="sandbox", search="zanahorias")
    assert [row.id for row in found] == [target.id]

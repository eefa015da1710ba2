"""A post's synced comments in its detail pane, with their authors, read off the GUI thread."""

from __future__ import annotations

import httpx

from tests.ui.conftest import TEST_PROFILE
from tests.ui.helpers import open_page
from viva_desktop.sandbox.seed import ADMIN_EMAIL
from viva_desktop.services.local.sync.comments import comments_of

from .helpers import select


def test_the_detail_pane_lists_the_posts_comments(qtbot, sign_in, sandbox_fixed) -> None:
    context = sign_in(sandbox_fixed.url, ADMIN_EMAIL)  # synced: the comments too
    # The newest posts' comments were read within the rate budget (the app paces itself).
    stored = [r for r in context.store.query("posts", profile=TEST_PROFILE, limit=200)]
    post = next(r for r in stored if comments_of(context.store, TEST_PROFILE, r.id).comments)
    with httpx.Client(base_url=sandbox_fixed.url) as plain:
        truth = plain.get(f"/social/posts/{post.id}").json()["Comment"]
    page = open_page(qtbot, context, "posts")
    select(qtbot, page, post.id)
    detail = page.browser.detail
    qtbot.waitUntil(lambda: detail.row is not None and detail.row.id == post.id, timeout=5000)

    def comments() -> tuple[str, str] | None:
        return next((f for f in detail.fields(detail.row) if f[0].startswith("Comments (")), None)

    qtbot.waitUntil(lambda: comments() is not None, timeout=5000)
    label, text = comments()
    counter = post.values["comments_count"]
    if counter == len(truth):
        assert label == f"Comments ({len(truth)})"
    else:  # the seed's counters disagree with its rows (contract §13, D9)
        assert label == f"Comments ({len(truth)}; the server counts {counter})"
    for comment in truth:
        assert f"{comment['User']['name']}: " in text

"""The Comments column of the posts browser counts the comments stored here, and shows the
server's counter beside it when the two disagree (the server does not keep it in step)."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtTest import QAbstractItemModelTester

from tests.ui.helpers import wait_loaded
from viva_desktop.services.local.store import Store, comment_text
from viva_desktop.services.local.store.sync_tables import CommentSyncRow
from viva_desktop.ui.models import STORE_MODELS
from viva_desktop.ui.models.columns import counted_text

PROFILE = "counts"


def post(number: int, comments: int) -> dict:
    return {
        "id": f"post-{number}",
        "authorId": "u-1",
        "content": f"Post {number}",
        "type": "STORY",
        "visibility": "PUBLIC",
        "commentsCount": comments,
        "createdAt": f"2025-01-0{number}T10:00:00.000Z",
        "User": {"id": "u-1", "name": "Lucía"},
    }


def comment(number: int, post_id: str) -> dict:
    return {
        "id": f"c-{number}",
        "postId": post_id,
        "content": f"Comentario {number}",
        "createdAt": "2025-01-05T10:00:00.000Z",
        "User": {"id": "u-2", "name": "Marta"},
    }


def test_counted_text() -> None:
    assert counted_text(3, None) == "3"  # not read yet: the server's counter alone
    assert counted_text(3, 3) == "3"
    assert counted_text(3, 1) == "1 (server: 3)"
    assert counted_text(None, 2) == "2"
    assert counted_text(None, None) == ""


def test_the_comments_column_shows_stored_comments_and_the_servers_counter(
    qtbot, store: Store
) -> None:
    store.upsert("posts", PROFILE, [post(1, 3), post(2, 1), post(3, 2)])
    store.upsert("comments", PROFILE, [comment(1, "post-1"), comment(2, "post-2")])
    seen = CommentSyncRow.__table__
    now = datetime.now(UTC)
    with store.write() as conn:
        for post_id in ("post-1", "post-2"):  # post-3's comments were never read
            conn.execute(
                seen.insert().values(profile=PROFILE, post_id=post_id, complete=True, synced_at=now)
            )
        comment_text.refresh(conn, PROFILE, ["post-1", "post-2", "post-3"])
    model = STORE_MODELS["posts"](store, PROFILE, page_size=50)
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    wait_loaded(qtbot, model)
    column = next(i for i, c in enumerate(model.COLUMNS) if c.key == "comments_count")
    ids = model.record_ids()
    shown = {ids[row]: model.index(row, column).data() for row in range(model.rowCount())}
    assert shown == {"post-1": "1 (server: 3)", "post-2": "1", "post-3": "2"}
    del tester

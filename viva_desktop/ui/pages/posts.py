"""Posts: browse the social feed's posts; write, edit and delete your own. The detail pane
shows a post's synced comments with their authors ("newest 5 of N" where the API gives only
those: posts that are not public)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QWidget

from viva_desktop.services.local.store import Row
from viva_desktop.services.local.sync.comments import PostComments, comments_of
from viva_desktop.ui.browser.detail import Field
from viva_desktop.ui.common.changes import data_changes_of
from viva_desktop.ui.common.worker import run_task
from viva_desktop.ui.editors.content import PostEditor
from viva_desktop.ui.editors.permissions import can_edit_post
from viva_desktop.ui.models import PostsModel
from viva_desktop.ui.pages.browser_page import ContentPage


class PostsPage(ContentPage):
    MODEL = PostsModel
    KEY = "posts"
    FACETS = ("type", "visibility", "author_id", "local_changes")
    DATES = ("created_at", "edited_at")
    EDITOR = PostEditor
    CAN_EDIT = staticmethod(can_edit_post)
    CAN_REMOVE = staticmethod(can_edit_post)  # only the author does either

    new_post = ContentPage.create
    edit_post = ContentPage.edit
    delete_posts = ContentPage.remove

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        self._comments: dict[str, PostComments] = {}  # read off the GUI thread, by post id
        self._reading: set[str] = set()
        super().__init__(context, parent)
        context.profile_changed.connect(lambda _p: self._comments.clear())
        data_changes_of(context).changed.connect(lambda _entities: self._comments.clear())
        self.delete_button = self.remove_button
        self.retranslate()

    def texts(self) -> None:
        self.title.setText(self.tr("Posts"))
        self.new_button.setText(self.tr("New post…"))
        self.edit_button.setText(self.tr("Edit…"))
        self.delete_button.setText(self.tr("Delete…"))

    def selection_tips(self) -> tuple[str, str]:
        return (
            self.tr("Select one post to edit it."),
            self.tr("Select your posts to delete them."),
        )

    def describe(self, row: Row, names: dict[str, str]) -> Sequence[Field]:
        raw = row.raw
        fields: list[Field] = [(self.tr("Text"), str(raw.get("content") or ""))]
        if raw.get("tags"):
            fields.append((self.tr("Tags"), ", ".join(map(str, raw["tags"]))))
        counters = (
            ("thanksCount", self.tr("Thanks")),
            ("supportsCount", self.tr("Supports")),
            ("sharesCount", self.tr("Shares")),
        )
        for key, label in counters:
            if raw.get(key):
                fields.append((label, str(raw[key])))
        fields.extend(self._comment_fields(row))
        return fields

    def _comment_fields(self, row: Row) -> list[Field]:
        found = self._comments.get(row.id)
        if found is None:
            self._read_comments(row.id)
            return []
        stored = len(found.comments)
        if not stored:
            return []
        if found.complete:
            label = self.tr("Comments ({count})").format(count=stored)
            if found.server_count is not None and found.server_count != stored:
                # The server's stored counter drifts from its rows (contract §13, D9).
                label = self.tr("Comments ({count}; the server counts {server})").format(
                    count=stored, server=found.server_count
                )
        else:
            label = self.tr("Comments (newest {shown} of {count})").format(
                shown=stored, count=max(stored, found.server_count or 0)
            )
        lines = []
        for comment in found.comments:
            author = (comment.get("User") or {}).get("name") or self.tr("someone")
            lines.append(f"{author}: {' '.join(str(comment.get('content') or '').split())}")
        return [(label, "\n".join(lines))]

    def _read_comments(self, post_id: str) -> None:
        store, profile = self.context.store, self.context.profile_name
        if store is None or profile is None or post_id in self._reading:
            return
        self._reading.add(post_id)
        run_task(
            comments_of,
            store,
            profile,
            post_id,
            on_done=lambda found: self._comments_read(post_id, found),
            on_error=lambda _exc: self._reading.discard(post_id),
            parent=self,
            name="post comments",
        )

    def _comments_read(self, post_id: str, found: PostComments) -> None:
        self._reading.discard(post_id)
        self._comments[post_id] = found
        detail = self.browser.detail
        if detail.row is not None and detail.row.id == post_id and found.comments:
            detail.retranslate()  # shows the row again, now with its comments

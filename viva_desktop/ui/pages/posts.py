"""Posts: browse the social feed's posts; write, edit and delete your own."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QWidget

from viva_desktop.services.store import Row
from viva_desktop.ui.browser.detail import Field
from viva_desktop.ui.browser.page import BrowserPage, set_permission
from viva_desktop.ui.editors.content import PostEditor, RemoveDialog
from viva_desktop.ui.editors.permissions import can_create, can_edit_post, first_refusal
from viva_desktop.ui.models import PostsModel


class PostsPage(BrowserPage):
    MODEL = PostsModel
    KEY = "posts"
    FACETS = ("type", "visibility", "author_id")
    DATES = ("created_at", "edited_at")

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.new_button = self.action_button("add", self.new_post)
        self.edit_button = self.action_button("edit", self.edit_post)
        self.delete_button = self.action_button("remove", self.delete_posts)
        self.retranslate()

    def texts(self) -> None:
        self.title.setText(self.tr("Posts"))
        self.new_button.setText(self.tr("New post…"))
        self.edit_button.setText(self.tr("Edit…"))
        self.delete_button.setText(self.tr("Delete…"))

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
        return fields

    def update_actions(self) -> None:
        rows = self.selected_raw()
        me = self.me
        set_permission(self.new_button, can_create(me))
        if len(rows) == 1:
            set_permission(self.edit_button, can_edit_post(me, rows[0]))
        else:
            self.edit_button.setEnabled(False)
            self.edit_button.setToolTip(self.tr("Select one post to edit it."))
        delete = first_refusal([can_edit_post(me, r) for r in rows])
        if rows:
            set_permission(self.delete_button, delete)
        else:
            self.delete_button.setEnabled(False)
            self.delete_button.setToolTip(self.tr("Select your posts to delete them."))
        self.browser.set_hint(delete.reason if rows and not delete else "")

    def open_row(self, row: Row) -> None:
        if can_edit_post(self.me, row.raw):
            self.edit_post()

    def new_post(self) -> PostEditor:
        return self.open_dialog(PostEditor(self.context, None, self))

    def edit_post(self) -> PostEditor | None:
        rows = self.selected_raw()
        if len(rows) != 1 or not can_edit_post(self.me, rows[0]):
            return None
        return self.open_dialog(PostEditor(self.context, rows[0], self))

    def delete_posts(self) -> RemoveDialog | None:
        rows = self.selected_raw()
        if not rows or not first_refusal([can_edit_post(self.me, r) for r in rows]):
            return None
        return self.open_dialog(RemoveDialog(self.context, "posts", rows, self))

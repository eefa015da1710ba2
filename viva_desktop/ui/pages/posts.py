"""Posts: browse the social feed's posts; write, edit and delete your own."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QWidget

from viva_desktop.services.local.store import Row
from viva_desktop.ui.browser.detail import Field
from viva_desktop.ui.editors.content import PostEditor
from viva_desktop.ui.editors.permissions import can_edit_post
from viva_desktop.ui.models import PostsModel
from viva_desktop.ui.pages.browser_page import ContentPage


class PostsPage(ContentPage):
    MODEL = PostsModel
    KEY = "posts"
    FACETS = ("type", "visibility", "author_id")
    DATES = ("created_at", "edited_at")
    EDITOR = PostEditor
    CAN_EDIT = staticmethod(can_edit_post)
    CAN_REMOVE = staticmethod(can_edit_post)  # only the author does either

    new_post = ContentPage.create
    edit_post = ContentPage.edit
    delete_posts = ContentPage.remove

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
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
        return fields

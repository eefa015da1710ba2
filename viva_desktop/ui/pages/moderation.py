"""Moderation: the reported cases you were chosen to judge, and your vote on them.

There is no admin moderation queue upstream (contract §6.11): juries of ordinary users decide,
and the server only lists the cases where the signed-in user is a juror and has not voted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QWidget

from viva_desktop.services.local.store import Row
from viva_desktop.ui.browser.detail import Field
from viva_desktop.ui.editors.decisions import VoteDialog, case_summary
from viva_desktop.ui.editors.permissions import Permission, can_vote
from viva_desktop.ui.models import ModerationCasesModel
from viva_desktop.ui.pages.browser_page import BrowserPage, set_permission


class ModerationPage(BrowserPage):
    MODEL = ModerationCasesModel
    KEY = "moderation"
    FACETS = ("content_type", "status")
    DATES = ("deadline", "created_at")

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.vote_button = self.action_button("vote", self.vote)
        self.retranslate()

    def texts(self) -> None:
        self.title.setText(self.tr("Moderation"))
        self.vote_button.setText(self.tr("Vote…"))

    def describe(self, row: Row, names: dict[str, str]) -> Sequence[Field]:
        titles = {
            "title": self.tr("Title"),
            "name": self.tr("Name"),
            "content": self.tr("Content"),
            "description": self.tr("Description"),
            "author": self.tr("Author"),
            "reportReason": self.tr("Reported because"),
            "stats": self.tr("Votes so far"),
        }
        fields: list[Field] = [
            (titles.get(key, key), text)
            for key, text in case_summary(row.raw)
            if key != "reportReason"
        ]
        votes = row.raw.get("ModerationVote")
        if isinstance(votes, list) and votes:
            fields.append(
                (
                    self.tr("Jurors who voted"),
                    ", ".join(
                        str((v.get("User") or {}).get("name") or v.get("voterId"))
                        for v in votes
                        if isinstance(v, dict)
                    ),
                )
            )
        return fields

    def update_actions(self) -> None:
        rows = self.selected_raw()
        if len(rows) != 1:
            permission = Permission(False, self.tr("Select one case to vote on it."))
            self.browser.set_hint("")
        else:
            permission = can_vote(self.me, rows[0])
            self.browser.set_hint("" if permission else permission.reason)
        set_permission(self.vote_button, permission)

    def open_row(self, row: Row) -> None:
        if can_vote(self.me, row.raw):
            self.vote()

    def vote(self) -> VoteDialog | None:
        rows = self.selected_raw()
        if len(rows) != 1 or not can_vote(self.me, rows[0]):
            return None
        return self.open_dialog(VoteDialog(self.context, rows[0], self))

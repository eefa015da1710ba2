"""Members: the people the sync has come across (community members, authors, organisers).

The server has no user list (contract §2), so this is assembled from what the other lists
mention; filter by community to see one community's members."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from viva_desktop.services.local.store import Row
from viva_desktop.ui.browser.detail import Field
from viva_desktop.ui.editors.decisions import GrantDialog
from viva_desktop.ui.editors.permissions import Permission, can_grant
from viva_desktop.ui.models import MembersModel
from viva_desktop.ui.pages.browser_page import BrowserPage, set_permission


class MembersPage(BrowserPage):
    MODEL = MembersModel
    KEY = "members"
    FACETS = ("community_id", "role")

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.grant_button = self.action_button("credits", self.grant)
        # Where the list comes from: the API has no list of users (contract §2).
        self.source_note = QLabel()
        self.source_note.setObjectName("MembersSource")
        self.source_note.setWordWrap(True)
        self.layout_.insertWidget(self.layout_.indexOf(self.browser), self.source_note)
        self.retranslate()

    def texts(self) -> None:
        self.title.setText(self.tr("Members"))
        self.grant_button.setText(self.tr("Grant credits…"))
        self.source_note.setText(
            self.tr(
                "The server offers no list of its users: this list is assembled from the "
                "communities' member lists and from the authors of offers, events, posts and "
                "comments that were synced. It may be incomplete: people who joined no public "
                "community and wrote nothing are not in it."
            )
        )

    def describe(self, row: Row, names: dict[str, str]) -> Sequence[Field]:
        raw = row.raw
        fields: list[Field] = []
        for key, label in (
            ("bio", self.tr("About")),
            ("neighborhood", self.tr("Neighbourhood")),
            ("generosityScore", self.tr("Generosity score")),
            ("peopleHelped", self.tr("People helped")),
            ("hoursShared", self.tr("Hours shared")),
        ):
            if raw.get(key) not in (None, ""):
                fields.append((label, str(raw[key])))
        if raw.get("interests"):
            fields.append((self.tr("Interests"), ", ".join(map(str, raw["interests"]))))
        return fields

    def update_actions(self) -> None:
        allowed = can_grant(self.me)
        if allowed and len(self.selected()) != 1:
            allowed = Permission(False, self.tr("Select one person to grant credits to."))
        # Visible to everyone, disabled with the reason for those who may not grant.
        set_permission(self.grant_button, allowed)

    def grant(self) -> GrantDialog | None:
        row = self.browser.current_row()
        if row is None or not can_grant(self.me):
            return None
        label = str(row.values.get("name") or row.id)
        email = row.values.get("email")
        choices = [(row.id, f"{label} <{email}>" if email else label)]
        dialog = GrantDialog(self.context, choices, user_id=row.id, parent=self)
        return self.open_dialog(dialog, reveal=False)

"""Offers: browse every offer of the deployment; create, edit and cancel your own."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QWidget

from viva_desktop.services.store import Row
from viva_desktop.ui.browser.detail import Field
from viva_desktop.ui.browser.page import BrowserPage, set_permission
from viva_desktop.ui.editors.content import OfferEditor, RemoveDialog
from viva_desktop.ui.editors.permissions import (
    can_cancel_offer,
    can_create,
    can_edit_offer,
    first_refusal,
)
from viva_desktop.ui.models import OffersModel


class OffersPage(BrowserPage):
    MODEL = OffersModel
    KEY = "offers"
    FACETS = ("community_id", "type", "status", "category")
    DATES = ("created_at", "updated_at")

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.new_button = self.action_button("add", self.new_offer)
        self.edit_button = self.action_button("edit", self.edit_offer)
        self.cancel_button = self.action_button("cancel", self.cancel_offers)
        self.retranslate()

    def texts(self) -> None:
        self.title.setText(self.tr("Offers"))
        self.new_button.setText(self.tr("New offer…"))
        self.edit_button.setText(self.tr("Edit…"))
        self.cancel_button.setText(self.tr("Cancel offer…"))

    def describe(self, row: Row, names: dict[str, str]) -> Sequence[Field]:
        raw = row.raw
        fields: list[Field] = []
        if raw.get("description"):
            fields.append((self.tr("Description"), str(raw["description"])))
        if raw.get("tags"):
            fields.append((self.tr("Tags"), ", ".join(map(str, raw["tags"]))))
        if raw.get("address"):
            fields.append((self.tr("Address"), str(raw["address"])))
        for key, label in (("views", self.tr("Views")), ("stock", self.tr("Stock"))):
            if raw.get(key) is not None:
                fields.append((label, str(raw[key])))
        return fields

    def update_actions(self) -> None:
        rows = self.selected_raw()
        me = self.me
        set_permission(self.new_button, can_create(me))
        if len(rows) == 1:
            set_permission(self.edit_button, can_edit_offer(me, rows[0]))
        else:
            self.edit_button.setEnabled(False)
            self.edit_button.setToolTip(self.tr("Select one offer to edit it."))
        cancel = first_refusal([can_cancel_offer(me, r) for r in rows])
        if not rows:
            self.cancel_button.setEnabled(False)
            self.cancel_button.setToolTip(self.tr("Select your offers to cancel them."))
        else:
            set_permission(self.cancel_button, cancel)
        hint = ""
        if rows and not cancel:
            hint = cancel.reason
        self.browser.set_hint(hint)

    def open_row(self, row: Row) -> None:
        if can_edit_offer(self.me, row.raw):
            self.edit_offer()

    def new_offer(self) -> OfferEditor:
        return self.open_dialog(OfferEditor(self.context, None, self))

    def edit_offer(self) -> OfferEditor | None:
        rows = self.selected_raw()
        if len(rows) != 1 or not can_edit_offer(self.me, rows[0]):
            return None
        return self.open_dialog(OfferEditor(self.context, rows[0], self))

    def cancel_offers(self) -> RemoveDialog | None:
        rows = self.selected_raw()
        if not rows or not first_refusal([can_cancel_offer(self.me, r) for r in rows]):
            return None
        return self.open_dialog(RemoveDialog(self.context, "offers", rows, self))

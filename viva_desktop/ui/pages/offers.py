"""Offers: browse every offer of the deployment; create, edit and cancel your own."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QWidget

from viva_desktop.services.local.store import Row
from viva_desktop.ui.browser.detail import Field
from viva_desktop.ui.editors.content import OfferEditor
from viva_desktop.ui.editors.permissions import can_cancel_offer, can_edit_offer
from viva_desktop.ui.models import OffersModel
from viva_desktop.ui.pages.browser_page import ContentPage


class OffersPage(ContentPage):
    MODEL = OffersModel
    KEY = "offers"
    FACETS = ("community_id", "type", "status", "category", "local_changes")
    DATES = ("created_at", "updated_at")
    EDITOR = OfferEditor
    CAN_EDIT = staticmethod(can_edit_offer)
    CAN_REMOVE = staticmethod(can_cancel_offer)
    REMOVE_ICON = "cancel"

    new_offer = ContentPage.create
    edit_offer = ContentPage.edit
    cancel_offers = ContentPage.remove

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.cancel_button = self.remove_button
        self.retranslate()

    def texts(self) -> None:
        self.title.setText(self.tr("Offers"))
        self.new_button.setText(self.tr("New offer…"))
        self.edit_button.setText(self.tr("Edit…"))
        self.cancel_button.setText(self.tr("Cancel offer…"))

    def selection_tips(self) -> tuple[str, str]:
        return (
            self.tr("Select one offer to edit it."),
            self.tr("Select your offers to cancel them."),
        )

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

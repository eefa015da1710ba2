"""Events: browse every event; create events, and edit or delete the ones you organise."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QWidget

from viva_desktop.services.local.store import Row
from viva_desktop.ui.browser.detail import Field
from viva_desktop.ui.common.worker import run_task
from viva_desktop.ui.editors.content import EventEditor, community_choices
from viva_desktop.ui.editors.permissions import can_delete_event, can_edit_event
from viva_desktop.ui.models import EventsModel
from viva_desktop.ui.pages.browser_page import ContentPage


def read_communities(store: Any, profile: str) -> list[tuple[str, str]]:
    """(id, name) of the stored communities, by name (worker thread)."""
    return community_choices(store.query("communities", profile=profile, limit=1000))


class EventsPage(ContentPage):
    MODEL = EventsModel
    KEY = "events"
    FACETS = ("community_id", "type", "status", "local_changes")
    DATES = ("starts_at", "ends_at", "created_at")
    EDITOR = EventEditor
    CAN_EDIT = staticmethod(can_edit_event)
    CAN_REMOVE = staticmethod(can_delete_event)

    new_event = ContentPage.create
    edit_event = ContentPage.edit
    delete_events = ContentPage.remove

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.communities: list[tuple[str, str]] = []
        self.delete_button = self.remove_button
        self.retranslate()
        self._load_communities()

    def texts(self) -> None:
        self.title.setText(self.tr("Events"))
        self.new_button.setText(self.tr("New event…"))
        self.edit_button.setText(self.tr("Edit…"))
        self.delete_button.setText(self.tr("Delete…"))

    def selection_tips(self) -> tuple[str, str]:
        return (
            self.tr("Select one event to edit it."),
            self.tr("Select your events to delete them."),
        )

    def editor(self, record: dict[str, Any] | None) -> EventEditor:
        if record is None:  # only a new event chooses its community
            return EventEditor(self.context, None, self, communities=self.communities)
        return EventEditor(self.context, record, self)

    def refresh(self) -> None:
        super().refresh()
        self._load_communities()

    def _load_communities(self) -> None:
        store, profile = self.context.store, self.context.profile_name
        if store is None or profile is None:
            return
        run_task(
            read_communities,
            store,
            profile,
            on_done=self._communities_read,
            on_error=lambda _exc: None,
            parent=self,
            name="communities for events",
        )

    def _communities_read(self, communities: list[tuple[str, str]]) -> None:
        self.communities = communities

    def describe(self, row: Row, names: dict[str, str]) -> Sequence[Field]:
        raw = row.raw
        fields: list[Field] = []
        if raw.get("description"):
            fields.append((self.tr("Description"), str(raw["description"])))
        if raw.get("creditsReward") is not None:
            fields.append((self.tr("Credits for attending"), str(raw["creditsReward"])))
        attendees = raw.get("EventAttendee")
        if isinstance(attendees, list) and attendees:
            people = [
                str((a.get("User") or {}).get("name") or a.get("userId"))
                for a in attendees
                if isinstance(a, dict)
            ]
            fields.append((self.tr("Registered"), ", ".join(people)))
        if raw.get("requirements"):
            fields.append((self.tr("Requirements"), ", ".join(map(str, raw["requirements"]))))
        return fields

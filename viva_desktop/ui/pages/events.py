"""Events: browse every event; create events, and edit or delete the ones you organise."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QWidget

from viva_desktop.services.store import Row
from viva_desktop.ui.browser.detail import Field
from viva_desktop.ui.browser.page import BrowserPage, set_permission
from viva_desktop.ui.editors.content import EventEditor, RemoveDialog, community_choices
from viva_desktop.ui.editors.permissions import (
    can_create,
    can_delete_event,
    can_edit_event,
    first_refusal,
)
from viva_desktop.ui.models import EventsModel
from viva_desktop.ui.worker import run_task


def read_communities(store: Any, profile: str) -> list[tuple[str, str]]:
    """(id, name) of the stored communities, by name (worker thread)."""
    return community_choices(store.query("communities", profile=profile, limit=1000))


class EventsPage(BrowserPage):
    MODEL = EventsModel
    KEY = "events"
    FACETS = ("community_id", "type", "status")
    DATES = ("starts_at", "ends_at", "created_at")

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.communities: list[tuple[str, str]] = []
        self.new_button = self.action_button("add", self.new_event)
        self.edit_button = self.action_button("edit", self.edit_event)
        self.delete_button = self.action_button("remove", self.delete_events)
        self.retranslate()
        self._load_communities()

    def texts(self) -> None:
        self.title.setText(self.tr("Events"))
        self.new_button.setText(self.tr("New event…"))
        self.edit_button.setText(self.tr("Edit…"))
        self.delete_button.setText(self.tr("Delete…"))

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

    def update_actions(self) -> None:
        rows = self.selected_raw()
        me = self.me
        set_permission(self.new_button, can_create(me))
        if len(rows) == 1:
            set_permission(self.edit_button, can_edit_event(me, rows[0]))
        else:
            self.edit_button.setEnabled(False)
            self.edit_button.setToolTip(self.tr("Select one event to edit it."))
        delete = first_refusal([can_delete_event(me, r) for r in rows])
        if rows:
            set_permission(self.delete_button, delete)
        else:
            self.delete_button.setEnabled(False)
            self.delete_button.setToolTip(self.tr("Select your events to delete them."))
        self.browser.set_hint(delete.reason if rows and not delete else "")

    def open_row(self, row: Row) -> None:
        if can_edit_event(self.me, row.raw):
            self.edit_event()

    def new_event(self) -> EventEditor:
        return self.open_dialog(EventEditor(self.context, None, self, communities=self.communities))

    def edit_event(self) -> EventEditor | None:
        rows = self.selected_raw()
        if len(rows) != 1 or not can_edit_event(self.me, rows[0]):
            return None
        return self.open_dialog(EventEditor(self.context, rows[0], self))

    def delete_events(self) -> RemoveDialog | None:
        rows = self.selected_raw()
        if not rows or not first_refusal([can_delete_event(self.me, r) for r in rows]):
            return None
        return self.open_dialog(RemoveDialog(self.context, "events", rows, self))

"""Editors for content a coordinator owns: offers, events and posts (create and edit), and the
confirmation of cancelling or deleting them (one or several at once)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from viva_desktop.services.remote.validation import (
    EVENT_DTO_TYPES,
    OFFER_TYPES,
    POST_TYPES,
    POST_VISIBILITIES,
    ValidationResult,
    validate_event,
    validate_offer,
    validate_post,
)
from viva_desktop.ui.editors.fields import (
    ChoiceField,
    DateTimeField,
    ListField,
    NumberField,
    TextField,
)
from viva_desktop.ui.editors.form import EditorDialog
from viva_desktop.ui.editors.writer import Operation
from viva_desktop.ui.models.columns import enum_label


def _choices(values: Sequence[str]) -> list[tuple[str, str]]:
    return [(value, enum_label(value)) for value in values]


class RecordEditor(EditorDialog):
    """Create when `record` is None, else edit it (sending only what changed)."""

    ENTITY = ""

    def __init__(
        self,
        context: Any,
        record: Mapping[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, parent)
        self.record = dict(record) if record is not None else None
        self.build()
        if self.record is not None:
            self.load(self.record)
        self.retranslate()

    @property
    def creating(self) -> bool:
        return self.record is None

    def build(self) -> None:
        raise NotImplementedError

    def labels(self) -> dict[str, str]:
        raise NotImplementedError

    def retranslate(self) -> None:
        for name, text in self.labels().items():
            if name in self.fields:
                self.fields[name].set_label(text)
        super().retranslate()

    def operation(self, cleaned: dict[str, Any]) -> Operation:
        if self.record is None:
            return Operation(self.ENTITY, "create", cleaned, summary=self.summary(cleaned))
        return Operation(
            self.ENTITY,
            "update",
            cleaned,
            target_id=str(self.record["id"]),
            base=self.record,
            summary=self.summary({**self.record, **cleaned}),
        )

    def summary(self, values: Mapping[str, Any]) -> str:
        return str(values.get("title") or "")


class OfferEditor(RecordEditor):
    ENTITY = "offers"

    def build(self) -> None:
        self.add_field(TextField("title"))
        self.add_field(ChoiceField("type", _choices(OFFER_TYPES)))
        self.add_field(TextField("category"))
        self.add_field(TextField("description", multiline=True))
        self.add_field(NumberField("priceEur"))
        self.add_field(NumberField("priceCredits"))
        self.add_field(NumberField("stock"))
        self.add_field(TextField("address"))
        self.add_field(NumberField("lat"))
        self.add_field(NumberField("lng"))
        self.add_field(ListField("tags"))
        self.add_field(ListField("images"))

    def labels(self) -> dict[str, str]:
        return {
            "title": self.tr("Title"),
            "type": self.tr("Type"),
            "category": self.tr("Category"),
            "description": self.tr("Description"),
            "priceEur": self.tr("Price (€)"),
            "priceCredits": self.tr("Price (credits)"),
            "stock": self.tr("Stock"),
            "address": self.tr("Address"),
            "lat": self.tr("Latitude"),
            "lng": self.tr("Longitude"),
            "tags": self.tr("Tags (comma-separated)"),
            "images": self.tr("Image addresses (comma-separated)"),
        }

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("New offer") if self.creating else self.tr("Edit offer"))
        self.intro.setText(
            self.tr(
                "Offers are listed publicly. The server keeps plain text only, and an offer "
                "cannot be paused: it can only be cancelled."
            )
        )
        type_field = self.fields.get("type")
        if isinstance(type_field, ChoiceField):
            type_field.set_labels(_choices(OFFER_TYPES))
        super().retranslate()

    def validate(self, dto: Mapping[str, Any]) -> ValidationResult:
        return validate_offer(dto, partial=not self.creating)


class EventEditor(RecordEditor):
    ENTITY = "events"

    def __init__(
        self,
        context: Any,
        record: Mapping[str, Any] | None = None,
        parent: QWidget | None = None,
        *,
        communities: Sequence[tuple[str, str]] = (),
    ) -> None:
        self._communities = list(communities)
        super().__init__(context, record, parent)

    def build(self) -> None:
        self.add_field(TextField("title"))
        self.add_field(TextField("description", multiline=True))
        starts = self.add_field(DateTimeField("startsAt"))
        ends = self.add_field(DateTimeField("endsAt", optional=True))
        if self.creating:
            tomorrow = (datetime.now(UTC) + timedelta(days=1)).replace(
                minute=0, second=0, microsecond=0
            )
            starts.load(tomorrow)
            ends.load(tomorrow + timedelta(hours=2))
        self.add_field(TextField("address"))
        self.add_field(NumberField("lat"))
        self.add_field(NumberField("lng"))
        self.add_field(NumberField("capacity"))
        self.add_field(NumberField("creditsReward"))
        if self.creating:
            self.add_field(ChoiceField("communityId", self._communities, optional=True))
            self.add_field(ChoiceField("type", _choices(EVENT_DTO_TYPES), optional=True))
        self.add_field(ListField("tags"))
        self.add_field(ListField("requirements"))
        self.add_field(TextField("image"))

    def labels(self) -> dict[str, str]:
        return {
            "title": self.tr("Title"),
            "description": self.tr("Description"),
            "startsAt": self.tr("Starts"),
            "endsAt": self.tr("Ends"),
            "address": self.tr("Address"),
            "lat": self.tr("Latitude"),
            "lng": self.tr("Longitude"),
            "capacity": self.tr("Capacity"),
            "creditsReward": self.tr("Credits for attending"),
            "communityId": self.tr("Community"),
            "type": self.tr("Format"),
            "tags": self.tr("Tags (comma-separated)"),
            "requirements": self.tr("Requirements (comma-separated)"),
            "image": self.tr("Image address"),
        }

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("New event") if self.creating else self.tr("Edit event"))
        self.intro.setText(
            self.tr(
                "Only the organizer can change an event later. Times are your local time; "
                "the server stores them in UTC."
            )
        )
        super().retranslate()

    def validate(self, dto: Mapping[str, Any]) -> ValidationResult:
        return validate_event(dto, partial=not self.creating)


class PostEditor(RecordEditor):
    ENTITY = "posts"

    def build(self) -> None:
        self.add_field(TextField("content", multiline=True))
        post_type = self.add_field(ChoiceField("type", _choices(POST_TYPES)))
        post_type.set_enabled(self.creating)  # fixed once published
        self.add_field(ChoiceField("visibility", _choices(POST_VISIBILITIES)))
        self.add_field(ListField("tags"))
        self.add_field(ListField("images"))

    def labels(self) -> dict[str, str]:
        return {
            "content": self.tr("Text"),
            "type": self.tr("Kind"),
            "visibility": self.tr("Visible to"),
            "tags": self.tr("Tags (comma-separated)"),
            "images": self.tr("Image addresses (comma-separated)"),
        }

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("New post") if self.creating else self.tr("Edit post"))
        self.intro.setText(
            self.tr("Posts are published as you. Only you can edit or delete them later.")
        )
        super().retranslate()

    def set_enabled_fields(self) -> None:
        self.fields["type"].set_enabled(self.creating)

    def _set_editable(self, editable: bool) -> None:
        super()._set_editable(editable)
        if editable:
            self.set_enabled_fields()

    def validate(self, dto: Mapping[str, Any]) -> ValidationResult:
        return validate_post(dto, partial=not self.creating)

    def summary(self, values: Mapping[str, Any]) -> str:
        text = " ".join(str(values.get("content") or "").split())
        return text[:60] + ("…" if len(text) > 60 else "")


class RemoveDialog(EditorDialog):
    """Confirm cancelling offers or deleting events and posts (one or several)."""

    def __init__(
        self,
        context: Any,
        entity: str,
        records: Sequence[Mapping[str, Any]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, parent)
        self.entity = entity
        self.records = [dict(r) for r in records]
        self.listing = QLabel()
        self.listing.setWordWrap(True)
        self.extra.addWidget(self.listing)
        self.retranslate()

    def describe(self, record: Mapping[str, Any]) -> str:
        if self.entity == "posts":
            text = " ".join(str(record.get("content") or "").split())
            return text[:60] + ("…" if len(text) > 60 else "")
        return str(record.get("title") or record.get("id"))

    def retranslate(self) -> None:
        count = len(self.records)
        if self.entity == "offers":
            self.setWindowTitle(self.tr("Cancel offers"))
            self.intro.setText(
                self.tr(
                    "Cancel %n offer(s)? The server keeps cancelled offers (status "
                    "CANCELLED) and has no way to reactivate them.",
                    "",
                    count,
                )
            )
        elif self.entity == "events":
            self.setWindowTitle(self.tr("Delete events"))
            self.intro.setText(
                self.tr("Delete %n event(s) for good? This cannot be undone.", "", count)
            )
        else:
            self.setWindowTitle(self.tr("Delete posts"))
            self.intro.setText(
                self.tr("Delete %n post(s) for good, with their comments and reactions?", "", count)
            )
        self.listing.setText("\n".join(f"• {self.describe(r)}" for r in self.records[:12]))
        super().retranslate()

    def submit_text(self) -> str:
        if self.entity == "offers":
            return self.tr("Cancel offers")
        return self.tr("Delete")

    def validate(self, dto: Mapping[str, Any]) -> ValidationResult:
        return ValidationResult({})

    def operation(self, cleaned: dict[str, Any]) -> list[Operation]:
        return [
            Operation(
                self.entity,
                "delete",
                {},
                target_id=str(record["id"]),
                base=record,
                summary=self.describe(record),
            )
            for record in self.records
        ]


def community_choices(rows: Sequence[Any]) -> list[tuple[str, str]]:
    """(id, name) of stored communities, for the event editor."""
    return [(row.id, str(row.values.get("name") or row.id)) for row in rows]


__all__ = [
    "EventEditor",
    "OfferEditor",
    "PostEditor",
    "RecordEditor",
    "RemoveDialog",
    "community_choices",
]

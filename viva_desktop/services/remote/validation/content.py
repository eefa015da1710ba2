"""Requests about what people publish: offers, events, posts, social posts and comments."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, ClassVar

from pydantic import BeforeValidator, Field, StringConstraints

from viva_desktop.services.common.i18n import QT_TRANSLATE_NOOP, translate
from viva_desktop.services.remote.validation.choices import (
    COMMENT_MAX,
    SOCIAL_POST_MAX,
    EventDtoType,
    OfferType,
    PostType,
    PostVisibility,
)
from viva_desktop.services.remote.validation.fields import (
    CHOICE,
    DateTime,
    Identifier,
    Integer,
    Latitude,
    Longitude,
    MultilineText,
    Number,
    Text,
    TextList,
    Url,
    UrlList,
    stored_length,
)
from viva_desktop.services.remote.validation.form import Request, check
from viva_desktop.services.remote.validation.messages import Message, absent, fail
from viva_desktop.services.remote.validation.parsing import fmt, parse_number_text
from viva_desktop.services.remote.validation.result import ValidationResult

Uuid = Annotated[
    Identifier,
    StringConstraints(
        pattern=r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
        to_lower=True,
    ),
    Message(QT_TRANSLATE_NOOP("Validation", "Enter a UUID (e.g. from the item's URL).")),
]


def _location(value: Any) -> str:
    if isinstance(value, str) and not value.strip():
        absent()
    parts: list[Any]
    if isinstance(value, str):
        parts = [part.strip() for part in value.split(",")]
    elif isinstance(value, list | tuple):
        parts = list(value)
    else:
        parts = []
    numbers = [None if isinstance(p, bool) else parse_number_text(str(p)) for p in parts]
    if len(numbers) != 2 or numbers[0] is None or numbers[1] is None:
        fail(translate("Validation", "Enter the location as “latitude,longitude”."))
    lat, lng = float(numbers[0]), float(numbers[1])
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        fail(
            translate(
                "Validation", "Latitude must be between -90 and 90, longitude between -180 and 180."
            )
        )
    return f"{fmt(lat)},{fmt(lng)}"


Location = Annotated[str, BeforeValidator(_location)]
"""Where a social post was written, sent as "latitude,longitude"."""

_NOT_SETTABLE = QT_TRANSLATE_NOOP("Validation", "This cannot be set through the server's API.")
_FIXED_AFTER_PUBLISHING = QT_TRANSLATE_NOOP(
    "Validation", "This cannot be changed after publishing."
)


class Offer(Request):
    """`POST /offers` (CreateOfferDto); `PUT /offers/{id}` checks it partially."""

    title: Text
    description: MultilineText
    category: Text
    type: Annotated[OfferType, CHOICE]
    priceEur: Annotated[Number, Field(ge=0)] = None
    priceCredits: Annotated[Integer, Field(ge=0)] = None
    stock: Annotated[Integer, Field(ge=0)] = None
    lat: Latitude = None
    lng: Longitude = None
    address: Text = None
    tags: TextList = None
    images: UrlList = None

    not_sent: ClassVar[Mapping[str, str]] = dict.fromkeys(
        ("status", "featured", "expiresAt", "communityId", "userId"), _NOT_SETTABLE
    )


class Event(Request):
    """`POST /events` (CreateEventDto); `PUT /events/{id}` checks it partially."""

    title: Text
    description: MultilineText
    startsAt: DateTime
    endsAt: DateTime = None
    address: Text
    lat: Latitude
    lng: Longitude
    capacity: Annotated[Integer, Field(ge=1)] = None
    type: Annotated[EventDtoType, CHOICE] = None
    creditsReward: Annotated[Integer, Field(ge=0)] = None
    tags: TextList = None
    requirements: TextList = None
    communityId: Identifier = None
    offerId: Identifier = None
    image: Url = None

    not_sent: ClassVar[Mapping[str, str]] = {
        "category": QT_TRANSLATE_NOOP(
            "Validation",
            "Events have no category on the server (sending one makes it fail), so it will "
            "not be sent.",
        )
    }


class UpdatePost(Request):
    """`PUT /posts/{id}`: only content, images, visibility and tags can change."""

    content: MultilineText
    images: UrlList = None
    visibility: Annotated[PostVisibility, CHOICE] = None
    tags: TextList = None

    not_sent: ClassVar[Mapping[str, str]] = dict.fromkeys(
        ("type", "mentions", "relatedOfferId", "lat", "lng"), _FIXED_AFTER_PUBLISHING
    )


class Post(UpdatePost):
    """`POST /posts` (CreatePostDto, posts variant)."""

    type: Annotated[PostType, CHOICE]
    mentions: TextList = None
    relatedOfferId: Uuid = None
    lat: Latitude = None
    lng: Longitude = None

    not_sent: ClassVar[Mapping[str, str]] = {}


class UpdateSocialPost(Request):
    """`PUT /social/posts/{id}` (where `media`, `location` and `relatedEventId` make it fail)."""

    content: Annotated[MultilineText, stored_length(at_most=SOCIAL_POST_MAX)]
    type: Annotated[PostType, CHOICE] = None
    visibility: Annotated[PostVisibility, CHOICE] = None
    relatedOfferId: Identifier = None
    tags: TextList = None

    not_sent: ClassVar[Mapping[str, str]] = dict.fromkeys(
        ("media", "location", "relatedEventId"),
        QT_TRANSLATE_NOOP(
            "Validation",
            "The server fails when an update contains this field, so it will not be sent.",
        ),
    )


class SocialPost(UpdateSocialPost):
    """`POST /social/posts` (CreatePostDto, social variant)."""

    media: UrlList = None
    location: Location = None

    not_sent: ClassVar[Mapping[str, str]] = {
        "relatedEventId": QT_TRANSLATE_NOOP(
            "Validation", "The server ignores this field, so it will not be sent."
        )
    }


class Comment(Request):
    """`POST /social/posts/{id}/comments`."""

    content: Annotated[MultilineText, stored_length(at_most=COMMENT_MAX)]


def validate_offer(dto: Mapping[str, Any], *, partial: bool = False) -> ValidationResult:
    """`POST /offers` (CreateOfferDto), or `PUT /offers/{id}` with `partial`."""
    return check(Offer, dto, partial=partial).result(require_something=partial)


def validate_event(
    dto: Mapping[str, Any], partial: bool = False, *, now: datetime | None = None
) -> ValidationResult:
    """`POST /events` (CreateEventDto), or `PUT /events/{id}` with `partial`."""
    form = check(Event, dto, partial=partial)
    if "type" in form.values:
        form.warn(
            "type",
            translate(
                "Validation",
                "The server's database uses other event types (WORKSHOP, MARKET...), so "
                "some servers fail when this is set.",
            ),
        )
    starts, ends = form.values.get("startsAt"), form.values.get("endsAt")
    moment = now if now is not None else datetime.now(UTC)
    if starts is not None:
        if starts <= moment and not partial:
            form.error("startsAt", translate("Validation", "A new event must start in the future."))
        elif starts <= moment:
            form.warn("startsAt", translate("Validation", "This start time is in the past."))
    if ends is not None and starts is not None and ends <= starts:
        form.error("endsAt", translate("Validation", "The end must be after the start."))
    if not partial and ends is None and "startsAt" not in form.errors:
        form.warn(
            "endsAt",
            translate(
                "Validation", "The server's database needs an end time; without one it may fail."
            ),
        )
    if starts is not None and ends is not None and ends - starts > timedelta(days=31):
        form.warn("endsAt", translate("Validation", "This event lasts more than a month."))
    return form.result(require_something=partial)


def validate_post(dto: Mapping[str, Any], *, partial: bool = False) -> ValidationResult:
    """`POST /posts` (CreatePostDto, posts variant), or `PUT /posts/{id}` with `partial`
    (which accepts only content, images, visibility and tags)."""
    if partial:
        return check(UpdatePost, dto, partial=True).result(require_something=True)
    return check(Post, dto).result()


def validate_social_post(dto: Mapping[str, Any], *, partial: bool = False) -> ValidationResult:
    """`POST /social/posts` (CreatePostDto, social variant), or `PUT /social/posts/{id}` with
    `partial` (where `media`, `location` and `relatedEventId` make the server fail)."""
    if partial:
        return check(UpdateSocialPost, dto, partial=True).result(require_something=True)
    return check(SocialPost, dto).result()


def validate_comment(dto: Mapping[str, Any]) -> ValidationResult:
    """`POST /social/posts/{id}/comments` (`{content}`, at most 1000 characters)."""
    return check(Comment, dto).result()

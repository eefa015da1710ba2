"""One table per request type: a valid body (and exactly what is sent), each invalid field with
the message the form shows, and an undeclared field (dropped with a warning). The last test
checks the tables cover every field the request models declare."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, NamedTuple

import pytest

from viva_desktop.services.remote.validation import (
    CREDIT_REASONS,
    FORM,
    ValidationResult,
    accounts,
    communities,
    content,
    decisions,
    validate_comment,
    validate_community,
    validate_event,
    validate_grant,
    validate_login,
    validate_membership_decision,
    validate_moderation_report,
    validate_moderation_vote,
    validate_offer,
    validate_pool_decision,
    validate_post,
    validate_register,
    validate_social_post,
    validate_user_update,
)
from viva_desktop.services.remote.validation.form import Request

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
GONE = object()
"""In a row's changes: remove this field from the valid body."""

REQUIRED = "This field is required."
CANNOT_BE_EMPTY = "This field cannot be empty."
TEXT = "Enter text."
NUMBER = "Enter a number."
WHOLE = "Enter a whole number."
LIST = "Enter a list of texts."
SECOND_NOT_TEXT = "Entry 2 is not text."
URL = "Enter a complete http:// or https:// address without spaces."
FIRST_NOT_URL = "Entry 1 is not a complete http:// or https:// address."
ID_TYPE = "Enter an identifier (text)."
ID_CHARS = "Identifiers contain no spaces, quotes or '<', '>'."
EMAIL = "Enter a valid e-mail address, e.g. ana@example.org."
EMAIL_TYPE = "Enter an e-mail address."
DATE = "Enter a date and time, e.g. 2025-12-01T10:00 (ISO 8601)."
YES_NO = "Choose yes or no."
GROUP = "Enter a group of values."
NOTHING = "Nothing to change."
UNDECLARED = "The server does not accept this field, so it will not be sent."
LAT_MAX = "Enter a value of at most 90."
LNG_MIN = "Enter a value of at least -180."
POST_TYPES = "Choose one of: STORY, NEED, OFFER, THANKS, ACHIEVEMENT, MILESTONE, TIP."
POST_VISIBILITIES = "Choose one of: PUBLIC, NEIGHBORS, FRIENDS, PRIVATE."


class Row(NamedTuple):
    """Changes to the valid body, the errors expected (exactly), warnings expected (at least)."""

    changes: dict[str, Any]
    errors: dict[str, str]
    warnings: dict[str, str] | None = None


def rows(table: dict[str, Row]) -> list[Any]:
    return [pytest.param(row, id=label) for label, row in table.items()]


Validate = Callable[[dict[str, Any]], ValidationResult]


def run(validate: Validate, valid: Mapping[str, Any], row: Row) -> ValidationResult:
    """Check the valid body with the row's changes against what the row expects."""
    body = {**valid, **row.changes}
    body = {name: value for name, value in body.items() if value is not GONE}
    result = validate(body)
    assert result.errors == row.errors
    for name, message in (row.warnings or {}).items():
        assert result.warnings.get(name) == message
    if not row.errors:
        for name in set(row.changes) - set(valid):
            assert name not in result.cleaned  # undeclared or not for the server: never sent
    return result


def undeclared(name: str = "nickname") -> Row:
    return Row({name: "x"}, {}, {name: UNDECLARED})


# --------------------------------------------------------------------------- accounts

REGISTER = {
    "name": "Ana",
    "email": "ana@example.org",
    "phone": "+34600123456",
    "password": "secreto",
}
REGISTER_ROWS = {
    "valid": Row({}, {}),
    "name missing": Row({"name": GONE}, {"name": REQUIRED}),
    "name too short": Row({"name": "A"}, {"name": "Enter at least 2 characters."}),
    "name not text": Row({"name": 7}, {"name": TEXT}),
    "email invalid": Row({"email": "ana@"}, {"email": EMAIL}),
    "email not text": Row({"email": 7}, {"email": EMAIL_TYPE}),
    "phone format": Row(
        {"phone": "0600"},
        {
            "phone": "Enter the phone number in international format, e.g. +34600123456 "
            "(2 to 15 digits, not starting with 0)."
        },
    ),
    "phone not a number": Row({"phone": True}, {"phone": "Enter a phone number."}),
    "password missing": Row({"password": ""}, {"password": REQUIRED}),
    "password short": Row({"password": "12345"}, {"password": "Use at least 6 characters."}),
    "password cut by the server": Row(
        {"password": "abc<defghij"},
        {
            "password": "The server removes everything from '<' to the next '>' in passwords, "
            "which leaves fewer than 6 characters here."
        },
    ),
    "undeclared": undeclared("isAdmin"),
}


@pytest.mark.parametrize("row", rows(REGISTER_ROWS))
def test_register_table(row: Row) -> None:
    result = run(validate_register, REGISTER, row)
    if not row.changes:
        assert result.cleaned == REGISTER


LOGIN = {"email": "Ana@Example.org", "password": "Test1234!", "twoFactorToken": "123 456"}
LOGIN_ROWS = {
    "valid": Row(
        {},
        {},
        {"email": "The server compares e-mail addresses exactly, upper and lower case included."},
    ),
    "email missing": Row({"email": "  "}, {"email": REQUIRED}),
    "email not text": Row({"email": 3}, {"email": EMAIL_TYPE}),
    "password missing": Row({"password": GONE}, {"password": REQUIRED}),
    "password not text": Row({"password": 1234}, {"password": TEXT}),
    "two-factor code": Row(
        {"twoFactorToken": "12345"},
        {
            "twoFactorToken": "Enter the 6-digit code from the authenticator app or an "
            "8-character backup code."
        },
    ),
    "undeclared": undeclared("remember"),
}


@pytest.mark.parametrize("row", rows(LOGIN_ROWS))
def test_login_table(row: Row) -> None:
    result = run(validate_login, LOGIN, row)
    if not row.changes:
        assert result.cleaned == {**LOGIN, "twoFactorToken": "123456"}


USER = {"name": "Ana", "bio": "", "avatar": "https://img.example/a.png", "interests": "huerta"}
USER_ROWS = {
    "valid": Row({}, {}),
    "name not text": Row({"name": 1}, {"name": TEXT}),
    "bio not text": Row({"bio": ["x"]}, {"bio": TEXT}),
    "avatar": Row({"avatar": "javascript:x"}, {"avatar": URL}),
    "address not text": Row({"address": 1}, {"address": TEXT}),
    "neighborhood not text": Row({"neighborhood": 1}, {"neighborhood": TEXT}),
    "lat": Row({"lat": 91}, {"lat": LAT_MAX}),
    "lng": Row({"lng": -181}, {"lng": LNG_MIN}),
    "interests": Row({"interests": 5}, {"interests": LIST}),
    "role is not settable": Row(
        {"role": "ADMIN"},
        {},
        {"role": "This cannot be changed through the server's API, so it will not be sent."},
    ),
    "undeclared": undeclared(),
}


@pytest.mark.parametrize("row", rows(USER_ROWS))
def test_user_update_table(row: Row) -> None:
    result = run(validate_user_update, USER, row)
    if not row.changes:
        assert result.cleaned == {**USER, "interests": ["huerta"]}
    assert validate_user_update({"role": "ADMIN"}).errors == {FORM: NOTHING}


# --------------------------------------------------------------------------- offers and events

OFFER = {
    "title": "Bici",
    "description": "Roja",
    "category": "Transporte",
    "type": "PRODUCT",
    "priceEur": 3.5,
    "priceCredits": 10,
    "stock": 1,
    "lat": 42.81,
    "lng": -1.64,
    "address": "Calle Mayor 1",
    "tags": ["bici"],
    "images": ["https://img.example/a.jpg"],
}
OFFER_ROWS = {
    "valid": Row({}, {}),
    "title missing": Row({"title": GONE}, {"title": REQUIRED}),
    "title only markup": Row({"title": "<b></b>"}, {"title": REQUIRED}),
    "description not text": Row({"description": 5}, {"description": TEXT}),
    "category empty": Row({"category": " "}, {"category": REQUIRED}),
    "type": Row(
        {"type": "NOPE"}, {"type": "Choose one of: PRODUCT, SERVICE, TIME_BANK, GROUP_BUY, EVENT."}
    ),
    "priceEur negative": Row({"priceEur": -0.01}, {"priceEur": "Enter a value of at least 0."}),
    "priceEur not a number": Row({"priceEur": "diez"}, {"priceEur": NUMBER}),
    "priceEur infinite": Row({"priceEur": float("inf")}, {"priceEur": "Enter a finite number."}),
    "priceCredits fraction": Row({"priceCredits": 2.5}, {"priceCredits": WHOLE}),
    "stock too large": Row({"stock": 2**31}, {"stock": "This number is too large."}),
    "lat": Row({"lat": 91}, {"lat": LAT_MAX}),
    "lng": Row({"lng": -180.5}, {"lng": LNG_MIN}),
    "address not text": Row({"address": 1}, {"address": TEXT}),
    "tags": Row({"tags": ["ok", 3]}, {"tags": SECOND_NOT_TEXT}),
    "images": Row({"images": ["javascript:alert(1)"]}, {"images": FIRST_NOT_URL}),
    "status is not settable": Row(
        {"status": "PAUSED"}, {}, {"status": "This cannot be set through the server's API."}
    ),
    "undeclared": undeclared(),
}


@pytest.mark.parametrize("row", rows(OFFER_ROWS))
def test_offer_table(row: Row) -> None:
    result = run(validate_offer, OFFER, row)
    if not row.changes:
        assert result.cleaned == OFFER


OFFER_UPDATE_ROWS = {
    "valid": Row({}, {}),
    "title cleared": Row({"title": ""}, {"title": CANNOT_BE_EMPTY}),
    "priceEur": Row({"priceEur": -1}, {"priceEur": "Enter a value of at least 0."}),
    "nothing": Row({"priceEur": GONE}, {FORM: NOTHING}),
    "undeclared only": Row({"priceEur": GONE, "nickname": "x"}, {FORM: NOTHING}),
}


@pytest.mark.parametrize("row", rows(OFFER_UPDATE_ROWS))
def test_offer_update_table(row: Row) -> None:
    result = run(lambda body: validate_offer(body, partial=True), {"priceEur": 5}, row)
    if not row.changes:
        assert result.cleaned == {"priceEur": 5}


EVENT = {
    "title": "Taller",
    "description": "Compost",
    "startsAt": "2026-12-01T10:00:00.000Z",
    "endsAt": "2026-12-01T12:00:00.000Z",
    "address": "Calle Mayor 1",
    "lat": 42.81,
    "lng": -1.64,
    "capacity": 20,
    "type": "HYBRID",
    "creditsReward": 5,
    "tags": ["compost"],
    "requirements": ["guantes"],
    "communityId": "c1",
    "offerId": "o1",
    "image": "https://img.example/e.jpg",
}
EVENT_TYPE_WARNING = (
    "The server's database uses other event types (WORKSHOP, MARKET...), so some servers fail "
    "when this is set."
)
EVENT_ROWS = {
    "valid": Row({}, {}, {"type": EVENT_TYPE_WARNING}),
    "title missing": Row({"title": GONE}, {"title": REQUIRED}),
    "description not text": Row({"description": 1}, {"description": TEXT}),
    "startsAt not a date": Row({"startsAt": "mañana"}, {"startsAt": DATE}),
    "startsAt in the past": Row(
        {"startsAt": "2026-11-26T11:59:00Z"},
        {"startsAt": "A new event must start in the future."},
    ),
    "endsAt before the start": Row(
        {"endsAt": "2026-12-01T09:00:00Z"}, {"endsAt": "The end must be after the start."}
    ),
    "address missing": Row({"address": GONE}, {"address": REQUIRED}),
    "lat missing": Row({"lat": None}, {"lat": REQUIRED}),
    "lng": Row({"lng": -181}, {"lng": LNG_MIN}),
    "capacity": Row({"capacity": 0}, {"capacity": "Enter a value of at least 1."}),
    "type": Row({"type": "WORKSHOP"}, {"type": "Choose one of: VIRTUAL, IN_PERSON, HYBRID."}),
    "creditsReward": Row({"creditsReward": -1}, {"creditsReward": "Enter a value of at least 0."}),
    "tags": Row({"tags": {"a": 1}}, {"tags": LIST}),
    "requirements": Row({"requirements": ["a", 2]}, {"requirements": SECOND_NOT_TEXT}),
    "communityId": Row({"communityId": "a b"}, {"communityId": ID_CHARS}),
    "offerId": Row({"offerId": 5}, {"offerId": ID_TYPE}),
    "image": Row({"image": "data:image/png;base64,AAAA"}, {"image": URL}),
    "category is never sent": Row(
        {"category": "WORKSHOP"},
        {},
        {
            "category": "Events have no category on the server (sending one makes it fail), so "
            "it will not be sent."
        },
    ),
    "undeclared": undeclared(),
}


@pytest.mark.parametrize("row", rows(EVENT_ROWS))
def test_event_table(row: Row) -> None:
    result = run(lambda body: validate_event(body, now=NOW), EVENT, row)
    if not row.changes:
        assert result.cleaned == EVENT


EVENT_UPDATE_ROWS = {
    "valid": Row({}, {}, {"startsAt": "This start time is in the past."}),
    "startsAt": Row({"startsAt": 12}, {"startsAt": DATE}),
    "title cleared": Row({"title": ""}, {"title": CANNOT_BE_EMPTY}),
    "nothing": Row({"startsAt": GONE}, {FORM: NOTHING}),
    "undeclared": undeclared(),
}


@pytest.mark.parametrize("row", rows(EVENT_UPDATE_ROWS))
def test_event_update_table(row: Row) -> None:
    valid = {"startsAt": "2020-01-01T10:00:00Z"}
    result = run(lambda body: validate_event(body, partial=True, now=NOW), valid, row)
    if not row.changes:
        assert result.cleaned == {"startsAt": "2020-01-01T10:00:00.000Z"}


# --------------------------------------------------------------------------- posts and comments

POST = {
    "content": "Hola",
    "images": ["https://img.example/p.jpg"],
    "visibility": "PUBLIC",
    "tags": ["saludo"],
    "type": "STORY",
    "mentions": ["u1"],
    "relatedOfferId": "5e2b6a1e-1111-4222-8333-444455556666",
    "lat": 42.81,
    "lng": -1.64,
}
POST_ROWS = {
    "valid": Row({}, {}),
    "content missing": Row({"content": GONE}, {"content": REQUIRED}),
    "images": Row({"images": "ftp://x"}, {"images": FIRST_NOT_URL}),
    "visibility": Row({"visibility": "SECRET"}, {"visibility": POST_VISIBILITIES}),
    "tags": Row({"tags": 3}, {"tags": LIST}),
    "type missing": Row({"type": GONE}, {"type": REQUIRED}),
    "type": Row({"type": "NEWS"}, {"type": POST_TYPES}),
    "mentions": Row({"mentions": ["u1", None]}, {"mentions": SECOND_NOT_TEXT}),
    "relatedOfferId": Row(
        {"relatedOfferId": "x"}, {"relatedOfferId": "Enter a UUID (e.g. from the item's URL)."}
    ),
    "lat": Row({"lat": "north"}, {"lat": NUMBER}),
    "lng": Row({"lng": -200}, {"lng": LNG_MIN}),
    "undeclared": undeclared(),
}


@pytest.mark.parametrize("row", rows(POST_ROWS))
def test_post_table(row: Row) -> None:
    result = run(validate_post, POST, row)
    if not row.changes:
        assert result.cleaned == POST


POST_UPDATE_ROWS = {
    "valid": Row({}, {}),
    "content cleared": Row({"content": ""}, {"content": CANNOT_BE_EMPTY}),
    "visibility": Row({"visibility": 1}, {"visibility": POST_VISIBILITIES}),
    "type cannot change": Row(
        {"type": "TIP"}, {}, {"type": "This cannot be changed after publishing."}
    ),
    "undeclared": undeclared(),
}


@pytest.mark.parametrize("row", rows(POST_UPDATE_ROWS))
def test_post_update_table(row: Row) -> None:
    result = run(lambda body: validate_post(body, partial=True), {"content": "Editado"}, row)
    if not row.changes:
        assert result.cleaned == {"content": "Editado"}


SOCIAL_POST = {
    "content": "Nuevo huerto #verde",
    "type": "TIP",
    "visibility": "FRIENDS",
    "relatedOfferId": "o1",
    "tags": ["huerto"],
    "media": ["https://img.example/h.jpg"],
    "location": "42.81,-1.64",
}
SOCIAL_POST_ROWS = {
    "valid": Row({}, {}),
    "content too long": Row(
        {"content": "x" * 5001}, {"content": "Too long: 5001 characters, at most 5000 allowed."}
    ),
    "type": Row({"type": "NEWS"}, {"type": POST_TYPES}),
    "visibility": Row({"visibility": "ALL"}, {"visibility": POST_VISIBILITIES}),
    "relatedOfferId": Row({"relatedOfferId": "<x>"}, {"relatedOfferId": ID_CHARS}),
    "tags": Row({"tags": 1.5}, {"tags": LIST}),
    "media": Row({"media": ["nope"]}, {"media": FIRST_NOT_URL}),
    "location format": Row(
        {"location": "aquí"}, {"location": "Enter the location as “latitude,longitude”."}
    ),
    "location range": Row(
        {"location": "95,0"},
        {"location": "Latitude must be between -90 and 90, longitude between -180 and 180."},
    ),
    "relatedEventId is ignored": Row(
        {"relatedEventId": "e1"},
        {},
        {"relatedEventId": "The server ignores this field, so it will not be sent."},
    ),
    "undeclared": undeclared(),
}


@pytest.mark.parametrize("row", rows(SOCIAL_POST_ROWS))
def test_social_post_table(row: Row) -> None:
    result = run(validate_social_post, SOCIAL_POST, row)
    if not row.changes:
        assert result.cleaned == SOCIAL_POST


SOCIAL_POST_UPDATE_ROWS = {
    "valid": Row({}, {}),
    "content cleared": Row({"content": "  "}, {"content": CANNOT_BE_EMPTY}),
    "media is never sent": Row(
        {"media": []},
        {},
        {"media": "The server fails when an update contains this field, so it will not be sent."},
    ),
    "undeclared": undeclared(),
}


@pytest.mark.parametrize("row", rows(SOCIAL_POST_UPDATE_ROWS))
def test_social_post_update_table(row: Row) -> None:
    result = run(lambda body: validate_social_post(body, partial=True), {"content": "b"}, row)
    if not row.changes:
        assert result.cleaned == {"content": "b"}


COMMENT_ROWS = {
    "valid": Row({}, {}),
    "content missing": Row({"content": GONE}, {"content": REQUIRED}),
    "content too long": Row(
        {"content": "y" * 1001}, {"content": "Too long: 1001 characters, at most 1000 allowed."}
    ),
    "undeclared": undeclared(),
}


@pytest.mark.parametrize("row", rows(COMMENT_ROWS))
def test_comment_table(row: Row) -> None:
    result = run(validate_comment, {"content": "Gracias"}, row)
    if not row.changes:
        assert result.cleaned == {"content": "Gracias"}


# --------------------------------------------------------------------------- decisions

GRANT = {
    "userId": "u-1",
    "amount": 25,
    "reason": "ADMIN_GRANT",
    "relatedId": "ticket-7",
    "description": "Ayuda",
}
GRANT_ROWS = {
    "valid": Row({}, {}),
    "userId missing": Row({"userId": ""}, {"userId": REQUIRED}),
    "userId with a space": Row({"userId": "a b"}, {"userId": ID_CHARS}),
    "amount zero": Row({"amount": 0}, {"amount": "Enter a value of at least 1."}),
    "amount fraction": Row({"amount": 2.5}, {"amount": WHOLE}),
    "reason": Row({"reason": "GIFT"}, {"reason": f"Choose one of: {', '.join(CREDIT_REASONS)}."}),
    "relatedId not text": Row({"relatedId": 7}, {"relatedId": TEXT}),
    "description not text": Row({"description": 7}, {"description": TEXT}),
    "undeclared": undeclared(),
}


@pytest.mark.parametrize("row", rows(GRANT_ROWS))
def test_grant_table(row: Row) -> None:
    result = run(validate_grant, GRANT, row)
    if not row.changes:
        assert result.cleaned == GRANT
        assert result.warnings == {}


VOTE_ROWS = {
    "valid": Row({}, {}),
    "decision missing": Row({"decision": GONE}, {"decision": REQUIRED}),
    "decision": Row({"decision": "BAN"}, {"decision": "Choose one of: KEEP, REMOVE, WARN."}),
    "reason not text": Row({"reason": 1}, {"reason": TEXT}),
    "undeclared": undeclared(),
}


@pytest.mark.parametrize("row", rows(VOTE_ROWS))
def test_moderation_vote_table(row: Row) -> None:
    valid = {"decision": "REMOVE", "reason": "Spam"}
    result = run(validate_moderation_vote, valid, row)
    if not row.changes:
        assert result.cleaned == valid


REPORT = {"contentId": "p1", "contentType": "POST", "reason": "Spam"}
REPORT_ROWS = {
    "valid": Row({}, {}),
    "contentId missing": Row({"contentId": GONE}, {"contentId": REQUIRED}),
    "contentType": Row(
        {"contentType": "USER"},
        {
            "contentType": "Choose one of: POST, OFFER, COMMENT, MESSAGE, REVIEW, COMMUNITY, "
            "EVENT, TIMEBANK."
        },
    ),
    "reason missing": Row({"reason": ""}, {"reason": REQUIRED}),
    "undeclared": undeclared("daoId"),
}


@pytest.mark.parametrize("row", rows(REPORT_ROWS))
def test_moderation_report_table(row: Row) -> None:
    result = run(validate_moderation_report, REPORT, row)
    if not row.changes:
        assert result.cleaned == REPORT


MEMBERSHIP_ROWS = {
    "valid": Row({}, {}),
    "action missing": Row({"action": GONE}, {"action": "Choose approve or reject."}),
    "action": Row({"action": "ban"}, {"action": "Choose approve or reject."}),
    "reviewNote not text": Row({"reviewNote": 1}, {"reviewNote": TEXT}),
    "undeclared": undeclared(),
}


@pytest.mark.parametrize("row", rows(MEMBERSHIP_ROWS))
def test_membership_decision_table(row: Row) -> None:
    result = run(validate_membership_decision, {"action": "reject", "reviewNote": "Sin datos"}, row)
    if not row.changes:
        assert result.cleaned == {"reviewNote": "Sin datos"}  # the action picks the route


POOL_ROWS = {
    "valid": Row({}, {}),
    "action missing": Row({"action": GONE}, {"action": "Choose approve, reject or distribute."}),
    "action": Row({"action": "cancel"}, {"action": "Choose approve, reject or distribute."}),
    "approve a decided request": Row(
        {"status": "APPROVED"}, {"action": "Only a pending request can be decided."}
    ),
    "distribute a pending request": Row(
        {"action": "distribute"}, {"action": "Only an approved request can be distributed."}
    ),
    "status": Row(
        {"status": "LOST"},
        {"status": "Choose one of: PENDING, APPROVED, REJECTED, DISTRIBUTED, CANCELLED."},
    ),
    "undeclared": undeclared(),
}


@pytest.mark.parametrize("row", rows(POOL_ROWS))
def test_pool_decision_table(row: Row) -> None:
    result = run(validate_pool_decision, {"action": "approve", "status": "PENDING"}, row)
    assert result.cleaned == {}  # these routes take no body


# --------------------------------------------------------------------------- communities

COMMUNITY = {
    "slug": "pamplona-centro",
    "name": "Pamplona",
    "type": "REGION",
    "visibility": "PUBLIC",
    "description": "Centro",
    "logo": "https://img.example/l.png",
    "bannerImage": "https://img.example/b.png",
    "location": "Pamplona",
    "lat": 42.81,
    "lng": -1.64,
    "radiusKm": 5,
    "requiresApproval": False,
    "allowExternalOffers": True,
    "primaryColor": "#4CAF50",
    "language": "es",
    "currency": "EUR",
    "onboardingPack": {"type": "ECOVILLAGE", "setupData": {"a": 1}},
}
COMMUNITY_ROWS = {
    "valid": Row({}, {}),
    "slug missing": Row({"slug": GONE}, {"slug": REQUIRED}),
    "name missing": Row({"name": ""}, {"name": REQUIRED}),
    "type": Row(
        {"type": "CITY"},
        {"type": "Choose one of: NEIGHBORHOOD, VILLAGE, TOWN, COUNTY, REGION, CUSTOM."},
    ),
    "visibility missing": Row({"visibility": None}, {"visibility": REQUIRED}),
    "description not text": Row({"description": 1}, {"description": TEXT}),
    "logo": Row({"logo": "ftp://x.example/logo.png"}, {"logo": URL}),
    "bannerImage not text": Row({"bannerImage": 1}, {"bannerImage": "Enter a web address."}),
    "location not text": Row({"location": 1}, {"location": TEXT}),
    "lat": Row({"lat": 90.5}, {"lat": LAT_MAX}),
    "lng": Row({"lng": -190}, {"lng": LNG_MIN}),
    "radiusKm": Row({"radiusKm": 0}, {"radiusKm": "Enter a value greater than 0."}),
    "requiresApproval": Row({"requiresApproval": "sí"}, {"requiresApproval": YES_NO}),
    "allowExternalOffers": Row({"allowExternalOffers": 2}, {"allowExternalOffers": YES_NO}),
    "primaryColor not text": Row({"primaryColor": 0x4CAF50}, {"primaryColor": TEXT}),
    "language not text": Row({"language": 1}, {"language": TEXT}),
    "currency not text": Row({"currency": 1}, {"currency": TEXT}),
    "onboardingPack": Row({"onboardingPack": "x"}, {"onboardingPack": GROUP}),
    "onboardingPack.type": Row(
        {"onboardingPack": {"type": "BAR"}},
        {
            "onboardingPack.type": "Choose one of: CONSUMER_GROUP, HOUSING_COOP, COMMUNITY_BAR, "
            "SOCIAL_CENTER, WORKER_COOP, NEIGHBORHOOD_ASSOCIATION, TRANSITION_TOWN, ECOVILLAGE, "
            "SOLIDARITY_NETWORK, CULTURAL_SPACE."
        },
    ),
    "onboardingPack.setupData": Row(
        {"onboardingPack": {"type": "ECOVILLAGE", "setupData": []}},
        {"onboardingPack.setupData": GROUP},
    ),
    "undeclared": undeclared(),
    "undeclared in the onboarding pack": Row(
        {"onboardingPack": {"type": "ECOVILLAGE", "extra": 1}},
        {},
        {"onboardingPack.extra": UNDECLARED},
    ),
}


@pytest.mark.parametrize("row", rows(COMMUNITY_ROWS))
def test_community_table(row: Row) -> None:
    result = run(validate_community, COMMUNITY, row)
    if not row.changes:
        assert result.cleaned == COMMUNITY
        assert result.warnings == {}


COMMUNITY_UPDATE_ROWS = {
    "valid": Row({}, {}),
    "name after the first 30 days": Row(
        {"name": "Nuevo"},
        {
            "name": "After the first 30 days this can only change through a COMMUNITY_UPDATE "
            "proposal."
        },
    ),
    "slug cleared": Row({"slug": ""}, {"slug": CANNOT_BE_EMPTY}),
    "nothing": Row({"description": GONE}, {FORM: NOTHING}),
    "undeclared": undeclared(),
}


@pytest.mark.parametrize("row", rows(COMMUNITY_UPDATE_ROWS))
def test_community_update_table(row: Row) -> None:
    def validate(body: dict[str, Any]) -> ValidationResult:
        return validate_community(body, partial=True, in_bootstrap=False)

    result = run(validate, {"description": "Otra"}, row)
    if not row.changes:
        assert result.cleaned == {"description": "Otra"}


# --------------------------------------------------------------------------- coverage

TABLES: dict[type[Request], list[dict[str, Row]]] = {
    accounts.Register: [REGISTER_ROWS],
    accounts.Login: [LOGIN_ROWS],
    accounts.UpdateUser: [USER_ROWS],
    content.Offer: [OFFER_ROWS],
    content.Event: [EVENT_ROWS],
    content.Post: [POST_ROWS],
    content.UpdatePost: [POST_ROWS],
    content.SocialPost: [SOCIAL_POST_ROWS],
    content.UpdateSocialPost: [SOCIAL_POST_ROWS],
    content.Comment: [COMMENT_ROWS],
    decisions.Grant: [GRANT_ROWS],
    decisions.ModerationVote: [VOTE_ROWS],
    decisions.ModerationReport: [REPORT_ROWS],
    decisions.PoolDecision: [POOL_ROWS],
    communities.Community: [COMMUNITY_ROWS],
    communities.MembershipDecision: [MEMBERSHIP_ROWS],
}


@pytest.mark.parametrize("table", TABLES, ids=lambda table: table.__name__)
def test_every_declared_field_has_an_invalid_row(table: type[Request]) -> None:
    refused = {name for group in TABLES[table] for row in group.values() for name in row.errors}
    assert set(table.model_fields) <= refused


def test_every_request_table_is_tested() -> None:
    declared = {
        model
        for module in (accounts, communities, content, decisions)
        for model in vars(module).values()
        if isinstance(model, type) and issubclass(model, Request) and model is not Request
    }
    assert declared == set(TABLES)


@pytest.mark.parametrize(
    ("table", "valid", "validate"),
    [
        (accounts.Register, REGISTER, validate_register),
        (content.Offer, OFFER, validate_offer),
        (content.Event, EVENT, lambda body: validate_event(body, now=NOW)),
        (content.Post, POST, validate_post),
        (content.SocialPost, SOCIAL_POST, validate_social_post),
        (decisions.Grant, GRANT, validate_grant),
        (decisions.ModerationReport, REPORT, validate_moderation_report),
    ],
    ids=lambda value: value.__name__ if isinstance(value, type) else "",
)
def test_tables_are_plain_pydantic_models(
    table: type[Request], valid: dict[str, Any], validate: Validate
) -> None:
    """What `validate_*` sends is what the model itself makes of a valid body."""
    model = table.model_validate(valid)
    assert model.model_dump(exclude_unset=True) == validate(valid).cleaned
    with pytest.raises(ValueError, match="Extra inputs are not permitted"):
        table.model_validate({**valid, "nickname": "x"})

"""The DTO rules of the contract, checked locally with per-field messages."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viva_desktop.services.common.i18n import install_translator
from viva_desktop.services.remote.validation import (
    FORM,
    ValidationResult,
    ensure_valid,
    slugify,
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

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def sample_body(samples_dir: Path, name: str) -> dict[str, Any]:
    return json.loads((samples_dir / name).read_text(encoding="utf-8"))["request"]["body"]


# --------------------------------------------------------------------------- contract samples


def test_register_sample_that_got_a_400_is_refused_field_by_field(samples_dir: Path) -> None:
    body = sample_body(samples_dir, "validation-error-400.json")
    result = validate_register(body)
    assert set(result.errors) == {"name", "email", "password"}
    assert "isAdmin" in result.warnings  # undeclared: dropped, never sent
    assert "isAdmin" not in result.cleaned


@pytest.mark.parametrize(
    "sample", ["auth-register-201.json", "auth-register-201-limit-not-enforced.json"]
)
def test_register_sample_that_got_a_201_passes_unchanged(samples_dir: Path, sample: str) -> None:
    body = sample_body(samples_dir, sample)
    result = validate_register(body)
    assert result.ok, result.errors
    assert result.cleaned == body


def test_offer_sample_that_got_a_400_is_refused_field_by_field(samples_dir: Path) -> None:
    body = sample_body(samples_dir, "offer-create-400-validation.json")
    result = validate_offer(body)
    assert set(result.errors) == {"title", "description", "category", "type", "priceEur"}


def test_valid_offer_sample_passes(samples_dir: Path) -> None:
    body = sample_body(samples_dir, "offer-create-500.json")  # valid; the 500 is defect D1
    result = validate_offer(body)
    assert result.ok, result.errors
    assert result.cleaned == body


# --------------------------------------------------------------------------- authentication


def test_register_cleans_and_normalises() -> None:
    result = validate_register(
        {
            "name": "  <b>Ana</b>  López ",
            "email": " Ana.Lopez@Example.ORG ",
            "phone": "+34 600-12.34 (56)",
            "password": "secreto1",
        }
    )
    assert result.ok, result.errors
    assert result.cleaned == {
        "name": "Ana  López",
        "email": "Ana.Lopez@example.org",
        "phone": "+34600123456",
        "password": "secreto1",
    }
    assert "name" in result.warnings  # markup removed


@pytest.mark.parametrize("phone", ["0034600123456", "+34600123456", "600 123 456"])
def test_register_accepts_phone_formats(phone: str) -> None:
    body = {"name": "Ana", "email": "a@x.org", "password": "secreto", "phone": phone}
    result = validate_register(body)
    assert result.ok
    assert result.cleaned["phone"].lstrip("+").isdigit()


@pytest.mark.parametrize("phone", ["0600123456", "+0", "12345678901234567", "abc", True])
def test_register_refuses_bad_phones(phone: object) -> None:
    body = {"name": "Ana", "email": "a@x.org", "password": "secreto", "phone": phone}
    assert "phone" in validate_register(body).errors


def test_register_password_rules_follow_the_servers_stripper() -> None:
    base = {"name": "Ana", "email": "a@x.org"}
    short = validate_register({**base, "password": "12345"})
    assert "password" in short.errors
    # Long enough as typed, but the server keeps only "ab" + "" ("<cd>efgh" is a "tag").
    cut = validate_register({**base, "password": "ab<cd>efgh"})
    assert cut.ok
    assert "password" in cut.warnings
    cut_short = validate_register({**base, "password": "abc<defghij"})
    assert "'<'" in cut_short.errors["password"]
    spaced = validate_register({**base, "password": "  pass word  "})
    assert spaced.cleaned["password"] == "  pass word  "  # never trimmed or cleaned


def test_login_sends_the_email_as_typed() -> None:
    result = validate_login({"email": " Maria@Comunidad.local\n", "password": "Test1234!"})
    assert result.cleaned == {"email": "Maria@Comunidad.local", "password": "Test1234!"}
    assert "email" in result.warnings  # case matters on the server
    assert validate_login({"email": "maria@comunidad.local", "password": "x"}).warnings == {}


@pytest.mark.parametrize(
    ("code", "sent"),
    [("123 456", "123456"), ("ab12cd34", "AB12CD34"), ("AB12-CD34", "AB12CD34")],
)
def test_login_two_factor_codes(code: str, sent: str) -> None:
    result = validate_login({"email": "a@x.org", "password": "p", "twoFactorToken": code})
    assert result.cleaned["twoFactorToken"] == sent


def test_login_refuses_bad_two_factor_codes_and_missing_fields() -> None:
    result = validate_login({"twoFactorToken": "12345"})
    assert set(result.errors) == {"email", "password", "twoFactorToken"}
    assert validate_login({"email": 3, "password": "p"}).errors["email"]


# --------------------------------------------------------------------------- offers


def offer(**changes: Any) -> dict[str, Any]:
    body = {"title": "Bici", "description": "Roja", "category": "Transporte", "type": "PRODUCT"}
    body.update(changes)
    return body


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"priceCredits": 2.5}, "priceCredits"),  # integer column: a fraction is a 500 upstream
        ({"stock": "1,5"}, "stock"),
        ({"priceEur": -0.01}, "priceEur"),
        ({"priceEur": True}, "priceEur"),
        ({"priceEur": float("nan")}, "priceEur"),
        ({"priceEur": "diez"}, "priceEur"),
        ({"stock": 2**31}, "stock"),
        ({"lat": 91}, "lat"),
        ({"lng": -180.5}, "lng"),
        ({"type": "NOPE"}, "type"),
        ({"title": ""}, "title"),
        ({"title": "<b></b>"}, "title"),
        ({"tags": 5}, "tags"),
        ({"tags": ["ok", 3]}, "tags"),
        ({"images": ["javascript:alert(1)"]}, "images"),
    ],
)
def test_offer_errors(changes: dict[str, Any], field: str) -> None:
    assert field in validate_offer(offer(**changes)).errors


def test_offer_cleaning_gives_real_json_types() -> None:
    result = validate_offer(
        offer(
            type=" service ",
            priceEur="3,5",
            priceCredits="10",
            stock=4.0,
            lat="42.81",
            lng=-1.64,
            tags="bici, ciudad,, bici",
            images=["http://img.example/a.jpg", " https://img.example/b.jpg "],
            status="PAUSED",
            foo="bar",
        )
    )
    assert result.ok, result.errors
    assert result.cleaned == {
        **offer(type="SERVICE"),
        "priceEur": 3.5,
        "priceCredits": 10,
        "stock": 4,
        "lat": 42.81,
        "lng": -1.64,
        "tags": ["bici", "ciudad"],
        "images": ["http://img.example/a.jpg", "https://img.example/b.jpg"],
    }
    assert isinstance(result.cleaned["stock"], int)
    assert {"images", "status", "foo"} <= set(result.warnings)  # http://, not settable, unknown


def test_offer_partial_update() -> None:
    assert validate_offer({"priceEur": 5}, partial=True).cleaned == {"priceEur": 5}
    assert validate_offer({}, partial=True).errors == {FORM: "Nothing to change."}
    assert "title" in validate_offer({"title": "  "}, partial=True).errors
    assert validate_offer({"address": ""}, partial=True).cleaned == {"address": ""}
    assert validate_offer({"address": None}, partial=True).errors == {FORM: "Nothing to change."}


def test_text_warnings_about_the_servers_stripper() -> None:
    result = validate_offer(offer(description="precio < 5 euros", title="a > b"))
    assert result.ok
    assert "“precio ”" in result.warnings["description"]
    assert "&gt;" in result.warnings["title"]


# --------------------------------------------------------------------------- events


def event(**changes: Any) -> dict[str, Any]:
    body = {
        "title": "Taller",
        "description": "Compost",
        "startsAt": "2026-12-01T10:00:00.000Z",
        "endsAt": "2026-12-01T12:00:00.000Z",
        "address": "Calle Mayor 1",
        "lat": 42.81,
        "lng": -1.64,
    }
    body.update(changes)
    return body


def test_event_valid_and_dates_normalised_to_utc() -> None:
    madrid = timezone(timedelta(hours=1))
    result = validate_event(
        event(startsAt=datetime(2026, 12, 1, 11, 0, tzinfo=madrid), capacity="20"), now=NOW
    )
    assert result.ok, result.errors
    assert result.cleaned["startsAt"] == "2026-12-01T10:00:00.000Z"
    assert result.cleaned["capacity"] == 20


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"startsAt": "2026-11-26T11:59:00Z"}, "startsAt"),  # in the past for a new event
        ({"startsAt": "mañana"}, "startsAt"),
        ({"endsAt": "2026-12-01T09:00:00Z"}, "endsAt"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": 1.5}, "capacity"),
        ({"lat": None}, "lat"),
        ({"type": "WORKSHOP"}, "type"),  # the DTO's own list, not the database enum
        ({"creditsReward": -1}, "creditsReward"),
        ({"image": "data:image/png;base64,AAAA"}, "image"),
    ],
)
def test_event_errors(changes: dict[str, Any], field: str) -> None:
    assert field in validate_event(event(**changes), now=NOW).errors


def test_event_warnings_for_server_defects() -> None:
    body = event(category="WORKSHOP", type="hybrid")
    del body["endsAt"]
    result = validate_event(body, now=NOW)
    assert result.ok
    assert result.cleaned["type"] == "HYBRID"
    assert "category" not in result.cleaned  # not a column: a 500 upstream
    assert {"category", "type", "endsAt"} <= set(result.warnings)


def test_event_partial_update_allows_a_past_start_with_a_warning() -> None:
    result = validate_event({"startsAt": "2020-01-01T10:00:00Z"}, partial=True, now=NOW)
    assert result.ok
    assert "startsAt" in result.warnings


# --------------------------------------------------------------------------- posts


def test_post_variant() -> None:
    result = validate_post(
        {
            "content": "Hola",
            "type": "story",
            "relatedOfferId": "5E2B6A1E-1111-4222-8333-444455556666",
            "mentions": ["u1"],
        }
    )
    assert result.ok, result.errors
    assert result.cleaned["type"] == "STORY"
    assert result.cleaned["relatedOfferId"] == "5e2b6a1e-1111-4222-8333-444455556666"
    assert "type" in validate_post({"content": "Hola"}).errors
    assert "relatedOfferId" in validate_post({**result.cleaned, "relatedOfferId": "x"}).errors
    update = validate_post({"content": "Editado", "type": "TIP"}, partial=True)
    assert update.cleaned == {"content": "Editado"}
    assert "type" in update.warnings


def test_social_post_length_is_counted_as_the_server_stores_it() -> None:
    assert validate_social_post({"content": "x" * 5000}).ok
    assert "content" in validate_social_post({"content": "x" * 5001}).errors
    # Each '>' is stored as '&gt;' (4 characters) before the length check runs.
    assert "content" in validate_social_post({"content": "x" * 4990 + ">>>>"}).errors


def test_social_post_fields() -> None:
    result = validate_social_post(
        {
            "content": "Nuevo huerto #verde",
            "media": ["https://img.example/h.jpg"],
            "location": " 42.81 , -1.64 ",
            "relatedEventId": "e1",
        }
    )
    assert result.ok, result.errors
    assert result.cleaned == {
        "content": "Nuevo huerto #verde",
        "media": ["https://img.example/h.jpg"],
        "location": "42.81,-1.64",
    }
    assert "relatedEventId" in result.warnings
    assert validate_social_post({"content": "a", "location": (10, 20)}).cleaned["location"] == (
        "10,20"
    )
    assert "location" in validate_social_post({"content": "a", "location": "95,0"}).errors
    update = validate_social_post({"content": "b", "media": [], "location": "1,1"}, partial=True)
    assert update.cleaned == {"content": "b"}
    assert {"media", "location"} <= set(update.warnings)


def test_comment_limit() -> None:
    assert validate_comment({"content": "y" * 1000}).ok
    assert "content" in validate_comment({"content": "y" * 1001}).errors
    assert "content" in validate_comment({"content": "   "}).errors


# --------------------------------------------------------------------------- credits


def test_grant_valid() -> None:
    result = validate_grant(
        {"userId": " u-1 ", "amount": "25", "reason": "admin_grant", "relatedId": "ticket-7"}
    )
    assert result.ok
    assert result.cleaned == {
        "userId": "u-1",
        "amount": 25,
        "reason": "ADMIN_GRANT",
        "relatedId": "ticket-7",
    }
    assert result.warnings == {}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": 0}, "amount"),
        ({"amount": 2.5}, "amount"),
        ({"amount": -5}, "amount"),
        ({"amount": None}, "amount"),
        ({"reason": "GIFT"}, "reason"),
        ({"userId": ""}, "userId"),
        ({"userId": "a b"}, "userId"),
    ],
)
def test_grant_errors(changes: dict[str, Any], field: str) -> None:
    body = {"userId": "u1", "amount": 5, "reason": "ADMIN_GRANT", "relatedId": "r"}
    assert field in validate_grant({**body, **changes}).errors


def test_grant_warnings() -> None:
    result = validate_grant({"userId": "u1", "amount": 5000, "reason": "REFERRAL"})
    assert result.ok
    assert set(result.warnings) == {"amount", "reason", "relatedId"}
    assert "20" in result.warnings["reason"]
    deduct = validate_grant(
        {"userId": "u1", "amount": 1, "reason": "ADMIN_DEDUCT", "relatedId": "r"}
    )
    assert "reason" in deduct.warnings


# --------------------------------------------------------------------------- users, communities


def test_user_update() -> None:
    result = validate_user_update(
        {"bio": "", "interests": ["huerta", " bicis "], "role": "ADMIN", "email": "x@y.org"}
    )
    assert result.ok
    assert result.cleaned == {"bio": "", "interests": ["huerta", "bicis"]}
    assert {"role", "email"} <= set(result.warnings)
    assert validate_user_update({"role": "ADMIN"}).errors == {FORM: "Nothing to change."}
    assert "avatar" in validate_user_update({"avatar": "javascript:x"}).errors


def community(**changes: Any) -> dict[str, Any]:
    body = {"slug": "pamplona-centro", "name": "Pamplona", "type": "REGION", "visibility": "PUBLIC"}
    body.update(changes)
    return body


def test_community_create() -> None:
    result = validate_community(
        community(
            requiresApproval="false",
            radiusKm="5",
            primaryColor="#4CAF50",
            language="ES",
            currency="eur",
            onboardingPack={"type": "ecovillage", "setupData": {"a": 1}},
        )
    )
    assert result.ok, result.errors
    assert result.cleaned["requiresApproval"] is False  # never the string "false"
    assert result.cleaned["language"] == "es"
    assert result.cleaned["currency"] == "EUR"
    assert result.cleaned["onboardingPack"] == {"type": "ECOVILLAGE", "setupData": {"a": 1}}
    assert result.warnings == {}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"type": "CITY"}, "type"),
        ({"visibility": None}, "visibility"),
        ({"radiusKm": 0}, "radiusKm"),
        ({"requiresApproval": "sí"}, "requiresApproval"),
        ({"onboardingPack": {"type": "BAR"}}, "onboardingPack.type"),
        ({"onboardingPack": "x"}, "onboardingPack"),
        ({"logo": "ftp://x.example/logo.png"}, "logo"),
    ],
)
def test_community_errors(changes: dict[str, Any], field: str) -> None:
    assert field in validate_community(community(**changes)).errors


def test_community_warnings_and_slugs() -> None:
    result = validate_community(community(slug="Mi Barrio", primaryColor="green", language="fr"))
    assert result.ok
    assert {"slug", "primaryColor", "language"} <= set(result.warnings)
    assert "mi-barrio" in result.warnings["slug"]
    assert slugify("  Ñoño & Café <b>Centro</b> ") == "nono-cafe-centro"


def test_community_update_after_bootstrap() -> None:
    late = validate_community({"name": "Nuevo"}, partial=True, in_bootstrap=False)
    assert "name" in late.errors
    unknown = validate_community({"name": "Nuevo"}, partial=True)
    assert unknown.ok
    assert "name" in unknown.warnings
    technical = validate_community({"description": "x"}, partial=True, in_bootstrap=False)
    assert technical.ok


# --------------------------------------------------------------------------- governance


def test_moderation_vote_and_report() -> None:
    vote = validate_moderation_vote({"decision": "remove"})
    assert vote.cleaned == {"decision": "REMOVE"}
    assert "reason" in vote.warnings
    assert "decision" in validate_moderation_vote({"decision": "BAN"}).errors
    report = validate_moderation_report(
        {"contentId": "p1", "contentType": "post", "reason": "Spam", "daoId": "x"}
    )
    assert report.cleaned == {"contentId": "p1", "contentType": "POST", "reason": "Spam"}
    assert "daoId" in report.warnings
    assert set(validate_moderation_report({}).errors) == {"contentId", "contentType", "reason"}


def test_membership_decision() -> None:
    assert validate_membership_decision({"action": "approve"}).cleaned == {}
    reject = validate_membership_decision({"action": "Reject", "reviewNote": " Sin datos "})
    assert reject.cleaned == {"reviewNote": "Sin datos"}
    assert "reviewNote" in validate_membership_decision({"action": "reject"}).warnings
    assert "action" in validate_membership_decision({"action": "ban"}).errors


@pytest.mark.parametrize(
    ("action", "status", "ok"),
    [
        ("approve", "PENDING", True),
        ("reject", "pending", True),
        ("distribute", "APPROVED", True),
        ("approve", None, True),
        ("approve", "APPROVED", False),
        ("distribute", "PENDING", False),
        ("reject", "DISTRIBUTED", False),
        ("cancel", "PENDING", False),
        ("approve", "LOST", False),
    ],
)
def test_pool_decision(action: str, status: str | None, ok: bool) -> None:
    body = {"action": action} if status is None else {"action": action, "status": status}
    result = validate_pool_decision(body)
    assert result.ok is ok
    assert result.cleaned == {}  # these routes take no body


# --------------------------------------------------------------------------- plumbing


def test_ensure_valid() -> None:
    from viva_desktop.services.remote.api.errors import InvalidInput

    good = validate_comment({"content": "Gracias"})
    assert ensure_valid(good) == {"content": "Gracias"}
    with pytest.raises(InvalidInput) as caught:
        ensure_valid(validate_comment({}))
    assert caught.value.field_errors == {"content": "This field is required."}


def test_messages_go_through_the_translator() -> None:
    install_translator(lambda context, text: f"[{context}] {text}")
    try:
        result = validate_comment({})
    finally:
        install_translator(None)
    assert result.errors["content"] == "[Validation] This field is required."


def test_result_is_immutable_and_reports_ok() -> None:
    result = ValidationResult()
    assert result.ok
    with pytest.raises(AttributeError):
        result.errors = {}  # type: ignore[misc]


VALIDATORS = [
    validate_register,
    validate_login,
    validate_offer,
    lambda d: validate_offer(d, partial=True),
    lambda d: validate_event(d, now=NOW),
    lambda d: validate_event(d, partial=True, now=NOW),
    validate_post,
    validate_social_post,
    lambda d: validate_social_post(d, partial=True),
    validate_comment,
    validate_grant,
    validate_user_update,
    validate_community,
    validate_moderation_vote,
    validate_moderation_report,
    validate_membership_decision,
    validate_pool_decision,
]
FIELD_NAMES = [
    "name", "email", "password", "phone", "title", "description", "category", "type",
    "priceEur", "priceCredits", "stock", "lat", "lng", "tags", "images", "startsAt", "endsAt",
    "capacity", "content", "media", "location", "userId", "amount", "reason", "relatedId",
    "slug", "visibility", "decision", "action", "status", "onboardingPack", "extra",
]  # fmt: skip
values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=30),
        st.sampled_from(["PRODUCT", "ADMIN_GRANT", "2026-12-01T10:00:00Z", "<b>x</b>", "a < b"]),
    ),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=6,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(VALIDATORS), st.dictionaries(st.sampled_from(FIELD_NAMES), values))
def test_validators_never_raise_and_send_only_json(validator: Any, dto: dict[str, Any]) -> None:
    result = validator(dto)
    json.dumps(result.cleaned, allow_nan=False)
    assert set(result.cleaned) <= set(dto) | {"onboardingPack"}
    for message in (*result.errors.values(), *result.warnings.values()):
        assert isinstance(message, str)
        assert message


def test_long_truncation_previews_show_where_the_text_is_cut() -> None:
    result = validate_social_post({"content": "a" * 300 + " < 5"})
    warning = result.warnings["content"]
    assert len(warning) < 400
    assert "…" + "a" * 78 + " ”" in warning

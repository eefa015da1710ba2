"""The status -> typed error matrix, driven by the contract's real captured answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from viva_desktop.services.common.i18n import install_translator
from viva_desktop.services.remote.api import error_mapping as m
from viva_desktop.services.remote.api import errors as e


def sample(samples_dir: Path, name: str) -> dict[str, Any]:
    return json.loads((samples_dir / f"{name}.json").read_text(encoding="utf-8"))


def from_sample(samples_dir: Path, name: str, **kw: Any) -> e.ApiError:
    s = sample(samples_dir, name)
    body = s["body"] if s["body"] != "" else None
    return m.error_from_response(
        s["status"],
        body,
        s["headers"],
        method=s["request"]["method"],
        path=s["request"]["path"],
        request_id="rid-1",
        **kw,
    )


@pytest.mark.parametrize(
    ("name", "kind", "step"),
    [
        ("validation-error-400", e.InvalidInput, e.NextStep.FIX_INPUT),
        ("production-validation-error-400", e.InvalidInput, e.NextStep.FIX_INPUT),
        ("offer-create-400-validation", e.InvalidInput, e.NextStep.FIX_INPUT),
        ("posts-list-400-missing-paging", e.InvalidInput, e.NextStep.FIX_INPUT),
        ("auth-login-401", e.InvalidCredentials, e.NextStep.FIX_INPUT),
        ("unauthorized-401-no-token", e.AuthExpired, e.NextStep.LOGIN),
        ("unauthorized-401-invalid-token", e.AuthExpired, e.NextStep.LOGIN),
        ("production-unauthorized-401", e.AuthExpired, e.NextStep.LOGIN),
        ("flow-economics-metrics-history-403", e.Forbidden, e.NextStep.NONE),
        ("offer-create-403-unverified", e.Forbidden, e.NextStep.NONE),
        ("offer-update-403-not-owner", e.Forbidden, e.NextStep.NONE),
        ("not-found-404", e.NotFound, e.NextStep.NONE),
        ("not-found-404-api-prefix", e.NotFound, e.NextStep.NONE),
        ("production-not-found-404", e.NotFound, e.NextStep.NONE),
        ("communities-audit-log-404", e.NotFound, e.NextStep.REREAD),
        ("auth-register-duplicate-500", e.DuplicateEmail, e.NextStep.FIX_INPUT),
        ("offer-detail-unknown-500", e.NotFound, e.NextStep.REREAD),
        ("production-offer-detail-unknown-500", e.NotFound, e.NextStep.REREAD),
        ("offer-create-500", e.UnknownOutcome, e.NextStep.REREAD),
    ],
)
def test_captured_answers_map_to_typed_errors(
    samples_dir: Path, name: str, kind: type[e.ApiError], step: e.NextStep
) -> None:
    error = from_sample(samples_dir, name)
    assert type(error) is kind
    assert error.next_step is step
    assert error.user_message
    assert error.details.status == sample(samples_dir, name)["status"]
    assert error.details.request_id == "rid-1"


def test_forbidden_keeps_the_servers_reason(samples_dir: Path) -> None:
    role = from_sample(samples_dir, "flow-economics-metrics-history-403")
    unverified = from_sample(samples_dir, "offer-create-403-unverified")
    owner = from_sample(samples_dir, "offer-update-403-not-owner")
    assert isinstance(role, e.Forbidden)
    assert role.reason is e.ForbiddenReason.ROLE
    assert "administrator" in role.user_message
    assert isinstance(unverified, e.Forbidden)
    assert unverified.reason is e.ForbiddenReason.EMAIL_NOT_VERIFIED
    assert "verified" in unverified.user_message
    assert isinstance(owner, e.Forbidden)
    assert owner.reason is e.ForbiddenReason.OWNERSHIP
    assert role.details.server_message == "Access denied. Required roles: ADMIN"


def test_validation_error_has_no_field_details_from_the_server(samples_dir: Path) -> None:
    error = from_sample(samples_dir, "validation-error-400")
    assert isinstance(error, e.InvalidInput)
    assert error.field_errors == {}
    assert "Bad Request Exception" not in error.user_message
    assert error.details.server_message == "Bad Request Exception"


def test_business_rule_400_shows_the_servers_text() -> None:
    error = m.error_from_response(
        400, {"statusCode": 400, "message": "Event is full"}, {}, method="POST", path="/x"
    )
    assert isinstance(error, e.InvalidInput)
    assert error.user_message == "Event is full"


def test_repeated_grant_is_a_duplicate_grant() -> None:
    body = {"statusCode": 400, "message": "Credits already granted for this action"}
    error = m.error_from_response(400, body, {}, method="POST", path="/credits/grant")
    assert isinstance(error, e.DuplicateGrant)
    assert isinstance(error, e.Conflict)


def test_route_miss_404_points_at_the_server_address(samples_dir: Path) -> None:
    error = from_sample(samples_dir, "not-found-404-api-prefix")
    assert "server URL" in error.user_message
    entity = from_sample(samples_dir, "communities-audit-log-404")
    assert entity.user_message == "Community not found"


def test_offer_500_on_read_is_not_found_but_on_update_is_a_server_error() -> None:
    body = {"statusCode": 500, "message": "Internal server error"}
    read = m.error_from_response(500, body, {}, method="GET", path="/offers/abc")
    update = m.error_from_response(500, body, {}, method="PUT", path="/offers/abc")
    create = m.error_from_response(500, body, {}, method="POST", path="/offers")
    fixed = m.error_from_response(
        404, {"statusCode": 404, "message": "Offer not found"}, {}, method="GET", path="/offers/a"
    )
    assert isinstance(read, e.NotFound)
    assert isinstance(fixed, e.NotFound)
    assert type(update) is e.ServerError
    assert update.retryable
    assert type(create) is e.UnknownOutcome
    assert not create.retryable


def test_non_author_401_on_posts_is_forbidden_not_an_expired_session() -> None:
    body = {"statusCode": 401, "message": "You can only update your own posts"}
    assert not m.is_token_rejection(401, "/posts/p1", body["message"])
    error = m.error_from_response(401, body, {}, method="PUT", path="/posts/p1")
    assert isinstance(error, e.Forbidden)
    assert error.reason is e.ForbiddenReason.OWNERSHIP


@pytest.mark.parametrize(
    ("path", "message", "refreshable"),
    [
        ("/users/1", "Unauthorized", True),
        ("/users/1", None, True),
        ("/auth/email-verification-status", "Unauthorized", True),
        ("/auth/login", "Invalid credentials", False),
        ("/auth/refresh", "Invalid refresh token", False),
        ("/auth/logout", "Invalid refresh token", False),
        ("/auth/2fa/disable", "Invalid verification code", False),
        ("/posts/1", "You can only update your own posts", False),
    ],
)
def test_which_401s_a_refresh_can_fix(path: str, message: str | None, refreshable: bool) -> None:
    assert m.is_token_rejection(401, path, message) is refreshable


def test_login_401s() -> None:
    wrong_code = m.error_from_response(
        401, {"message": "Invalid 2FA code"}, {}, method="POST", path="/auth/login"
    )
    refresh = m.error_from_response(
        401, {"message": "Invalid refresh token"}, {}, method="POST", path="/auth/refresh"
    )
    assert isinstance(wrong_code, e.InvalidTwoFactorCode)
    assert isinstance(refresh, e.AuthExpired)


def test_429_waits_retry_after_then_reset_milliseconds_then_sixty_seconds() -> None:
    with_header = m.error_from_response(
        429, {"message": "ThrottlerException: Too Many Requests"}, {"Retry-After": "17"},
        method="GET", path="/health/status",
    )  # fmt: skip
    assert isinstance(with_header, e.RateLimited)
    assert with_header.retry_after == 17
    assert "17 seconds" in with_header.user_message
    assert "17 seconds" in with_header.next_step_text
    reset_only = m.error_from_response(
        429,
        None,
        {
            "x-ratelimit-limit": "100",
            "x-ratelimit-remaining": "57",
            "x-ratelimit-reset": "60000",
            "x-ratelimit-limit-strict": "10",
            "x-ratelimit-remaining-strict": "0",
            "x-ratelimit-reset-strict": "30000",
        },
        method="GET",
        path="/x",
    )
    assert isinstance(reset_only, e.RateLimited)
    assert reset_only.retry_after == 30.0  # the exhausted throttler's window, ms -> s
    assert reset_only.user_message == "Too many requests. Please try again later."
    bare = m.error_from_response(429, None, {}, method="POST", path="/auth/login")
    assert isinstance(bare, e.RateLimited)
    assert bare.retry_after == 60.0
    assert bare.retryable


def test_retry_after_as_http_date() -> None:
    from datetime import UTC, datetime, timedelta

    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    when = (now + timedelta(seconds=42)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert m.parse_retry_after({"Retry-After": when}, now=now) == pytest.approx(42)
    assert m.parse_retry_after({"Retry-After": "soon"}) is None


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_errors(status: int) -> None:
    read = m.error_from_response(status, None, {}, method="GET", path="/events")
    write = m.error_from_response(status, None, {}, method="POST", path="/social/posts")
    login = m.error_from_response(status, None, {}, method="POST", path="/auth/login")
    assert type(read) is e.ServerError
    assert read.next_step is e.NextStep.RETRY
    assert type(write) is e.UnknownOutcome
    assert type(login) is e.ServerError
    assert read.user_message == "Server error. Please try again later."


def test_conflict_and_other_statuses() -> None:
    conflict = m.error_from_response(
        409, {"message": "Slug taken"}, {}, method="POST", path="/communities"
    )
    teapot = m.error_from_response(418, {"message": "I'm a teapot"}, {}, method="GET", path="/x")
    odd = m.error_from_response(422, None, {}, method="GET", path="/x")
    assert isinstance(conflict, e.Conflict)
    assert conflict.user_message == "Slug taken"
    assert type(teapot) is e.ApiError
    assert teapot.user_message == "I'm a teapot"
    assert odd.user_message == "An error occurred. Please try again."


def test_empty_200_of_an_unknown_user_is_not_found(samples_dir: Path) -> None:
    s = sample(samples_dir, "user-profile-unknown-200-empty")
    assert s["status"] == 200
    assert s["body"] == ""
    error = e.error_for_empty_body(method="GET", path=s["request"]["path"], request_id="r")
    assert isinstance(error, e.NotFound)
    assert error.details.status == 200


def test_transport_exceptions() -> None:
    request = httpx.Request("POST", "http://127.0.0.1/social/posts")

    def mapped(exc: Exception, method: str = "GET") -> e.ApiError | None:
        return m.error_from_exception(exc, method=method, path="/social/posts")

    assert type(mapped(httpx.ConnectError("refused", request=request))) is e.NetworkUnreachable
    assert type(mapped(httpx.ConnectError("refused"), "POST")) is e.NetworkUnreachable
    assert type(mapped(httpx.ConnectTimeout("slow"), "POST")) is e.RequestTimeout
    assert type(mapped(httpx.ReadTimeout("slow"))) is e.RequestTimeout
    assert type(mapped(httpx.ReadTimeout("slow"), "POST")) is e.UnknownOutcome
    assert type(mapped(httpx.RemoteProtocolError("dropped"))) is e.NetworkUnreachable
    assert type(mapped(httpx.RemoteProtocolError("dropped"), "POST")) is e.UnknownOutcome
    assert type(mapped(httpx.UnsupportedProtocol("ftp"))) is e.BadServerAddress
    assert mapped(ValueError("a bug")) is None
    from viva_desktop.services.common.cancel import CancelledError

    cancelled = mapped(CancelledError())
    assert isinstance(cancelled, e.Cancelled)
    assert isinstance(cancelled, CancelledError)


def test_tls_failures_are_not_retried() -> None:
    import ssl

    try:
        try:
            raise ssl.SSLCertVerificationError("certificate verify failed")
        except ssl.SSLError as inner:
            raise httpx.ConnectError("tls") from inner
    except httpx.ConnectError as exc:
        error = m.error_from_exception(exc, method="GET", path="/health")
    assert isinstance(error, e.TlsError)
    assert not error.retryable


def test_details_for_the_clipboard(samples_dir: Path) -> None:
    error = from_sample(samples_dir, "offer-update-403-not-owner")
    text = error.details.as_text()
    assert "rid-1" in text
    assert "PUT /offers/" in text
    assert "403" in text
    assert "No tienes permisos para modificar este recurso" in text
    assert sample(samples_dir, "offer-update-403-not-owner")["body"]["timestamp"] in text
    report = error.report_text()
    assert report.startswith(error.user_message)
    assert "Error: Forbidden" in report
    assert "rid-1" in str(error)


def test_messages_go_through_the_installed_translator() -> None:
    install_translator(lambda context, text: f"[{context}] {text}")
    try:
        error = m.error_from_response(503, None, {}, method="GET", path="/x")
        assert error.user_message == "[Errors] Server error. Please try again later."
        assert error.next_step_text == "[Errors] Try again in a moment."
    finally:
        install_translator(None)


def test_redirect_names_the_new_address() -> None:
    error = m.error_from_response(
        301, None, {"Location": "https://viva.example.org/health"}, method="GET", path="/health"
    )
    assert isinstance(error, e.BadServerAddress)
    assert "https://viva.example.org/health" in error.user_message
    assert isinstance(m.error_from_response(304, None, {}, method="GET", path="/x"), e.BadResponse)

"""Authentication against the sandbox: register, login, refresh rotation, logout, 2FA and the
JWT checks, as described in section 5 of the contract."""

from __future__ import annotations

import time

import jwt
import pyotp
import pytest

from tests.sandbox.conftest import Api, assert_error
from viva_desktop.sandbox.seed import (
    ADMIN_EMAIL,
    CITIZEN_EMAIL,
    DEMO_PASSWORD,
    TWO_FACTOR_BACKUP_CODES,
    TWO_FACTOR_EMAIL,
    TWO_FACTOR_SECRET,
    VERIFIED_CITIZEN_EMAIL,
)

USER_FIELDS = 59


def test_register_returns_tokens_and_the_complete_user_row(api: Api) -> None:
    response = api.post(
        "/auth/register",
        json={"name": "Nueva", "email": "nueva@example.com", "password": "secreto1"},
    )
    assert response.status_code == 201
    body = response.json()
    assert list(body) == ["access_token", "refresh_token", "user"]
    user = body["user"]
    assert len(user) == USER_FIELDS
    assert "password" not in user
    assert user["role"] == "CITIZEN"
    assert user["emailVerified"] is False
    assert (user["twoFactorSecret"], user["backupCodes"]) == (None, [])
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert list(claims) == ["email", "sub", "role", "iat", "exp"]
    assert claims["exp"] - claims["iat"] == 900
    assert claims["sub"] == user["id"]


@pytest.mark.parametrize(
    "body",
    [
        {"name": "X", "email": "ok@example.com", "password": "secreto1"},
        {"name": "Xavi", "email": "not-an-email", "password": "secreto1"},
        {"name": "Xavi", "email": "ok@example.com", "password": "12345"},
        {"name": "Xavi", "email": "ok@example.com", "password": "secreto1", "isAdmin": True},
        {"name": "Xavi", "email": "ok@example.com", "password": "secreto1", "phone": "0123"},
        {"email": "ok@example.com", "password": "secreto1"},
    ],
)
def test_register_dto_failures_are_a_bare_bad_request(api: Api, body: dict) -> None:
    assert_error(api.post("/auth/register", json=body), 400, "Bad Request Exception")


def test_a_duplicate_email_is_500_upstream_and_409_when_fixed(api: Api, fixed_api: Api) -> None:
    for client, status, message in ((api, 500, "Internal server error"), (fixed_api, 409, None)):
        client.register("dup@example.com")
        response = client.post(
            "/auth/register",
            json={"name": "Dup", "email": "dup@example.com", "password": "secreto1"},
        )
        assert_error(response, status, message)


def test_the_token_lifetime_is_configurable(make_server, api_for) -> None:
    api = api_for(make_server(access_token_ttl=60))
    session = api.login(ADMIN_EMAIL)
    claims = jwt.decode(session.access_token, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 60


def test_login_matches_the_email_exactly_and_reports_missing_fields(api: Api) -> None:
    assert api.login(ADMIN_EMAIL).user["role"] == "ADMIN"
    wrong_case = api.post(
        "/auth/login", json={"email": ADMIN_EMAIL.upper(), "password": DEMO_PASSWORD}
    )
    assert_error(wrong_case, 401, "Invalid credentials")
    wrong_password = api.post("/auth/login", json={"email": ADMIN_EMAIL, "password": "nope"})
    assert_error(wrong_password, 401, "Invalid credentials")
    assert_error(api.post("/auth/login", json={"email": ADMIN_EMAIL}), 401, "Unauthorized")
    assert_error(api.post("/auth/login", json={}), 401, "Unauthorized")


def test_refresh_rotates_and_revokes_the_presented_token(api: Api) -> None:
    session = api.login(CITIZEN_EMAIL)
    first = api.post("/auth/refresh", json={"refresh_token": session.refresh_token})
    assert first.status_code == 201
    rotated = first.json()
    assert rotated["refresh_token"] != session.refresh_token
    assert rotated["user"]["email"] == CITIZEN_EMAIL
    again = api.post("/auth/refresh", json={"refresh_token": session.refresh_token})
    assert_error(again, 401, "Invalid refresh token")
    assert (
        api.post("/auth/refresh", json={"refresh_token": rotated["refresh_token"]}).status_code
        == 201
    )
    assert_error(api.post("/auth/refresh", json={}), 401, "Invalid refresh token")


def test_logout_revokes_the_refresh_token(api: Api) -> None:
    session = api.login(CITIZEN_EMAIL)
    response = api.post("/auth/logout", json={"refresh_token": session.refresh_token})
    assert response.status_code == 201
    assert response.json() == {"message": "Logged out successfully"}
    refresh = api.post("/auth/refresh", json={"refresh_token": session.refresh_token})
    assert_error(refresh, 401, "Invalid refresh token")
    again = api.post("/auth/logout", json={"refresh_token": session.refresh_token})
    assert_error(again, 401, "Invalid refresh token")


def test_two_step_login_with_a_totp_code(api: Api) -> None:
    first = api.post("/auth/login", json={"email": TWO_FACTOR_EMAIL, "password": DEMO_PASSWORD})
    assert first.status_code == 201
    assert first.json()["requires2FA"] is True
    assert list(first.json()) == ["requires2FA", "temporaryToken"]
    code = pyotp.TOTP(TWO_FACTOR_SECRET).now()
    second = api.post(
        "/auth/login",
        json={"email": TWO_FACTOR_EMAIL, "password": DEMO_PASSWORD, "twoFactorToken": code},
    )
    assert second.status_code == 201
    assert second.json()["user"]["twoFactorEnabled"] is True
    bad = api.post(
        "/auth/login",
        json={"email": TWO_FACTOR_EMAIL, "password": DEMO_PASSWORD, "twoFactorToken": "000000"},
    )
    assert_error(bad, 401, "Invalid 2FA code")


def test_a_code_two_steps_old_is_still_accepted(api: Api) -> None:
    old = pyotp.TOTP(TWO_FACTOR_SECRET).at(time.time() - 60)
    response = api.post(
        "/auth/login",
        json={"email": TWO_FACTOR_EMAIL, "password": DEMO_PASSWORD, "twoFactorToken": old},
    )
    assert response.status_code == 201


def test_a_backup_code_works_once(api: Api) -> None:
    body = {
        "email": TWO_FACTOR_EMAIL,
        "password": DEMO_PASSWORD,
        "twoFactorToken": TWO_FACTOR_BACKUP_CODES[0],
    }
    assert api.post("/auth/login", json=body).status_code == 201
    assert_error(api.post("/auth/login", json=body), 401, "Invalid 2FA code")


def test_the_temporary_token_passes_the_jwt_check(api: Api) -> None:
    """Upstream accepts the 2FA temporary token as an ordinary bearer token (S4)."""
    temp = api.post(
        "/auth/login", json={"email": TWO_FACTOR_EMAIL, "password": DEMO_PASSWORD}
    ).json()
    response = api.get(
        "/auth/2fa/status", headers={"Authorization": f"Bearer {temp['temporaryToken']}"}
    )
    assert response.status_code == 200
    assert response.json() == {"twoFactorEnabled": True}


def test_two_factor_setup_enable_and_disable(api: Api) -> None:
    session = api.login(CITIZEN_EMAIL)
    setup = api.post("/auth/2fa/setup", session).json()
    assert setup["qrCodeUrl"].startswith("data:image/png;base64,")
    assert len(setup["backupCodes"]) == 8
    totp = pyotp.TOTP(setup["secret"])
    wrong = api.post(
        "/auth/2fa/enable",
        session,
        json={**setup, "token": "123456" if totp.now() != "123456" else "654321"},
    )
    assert_error(wrong, 401, "Invalid verification code")
    enabled = api.post(
        "/auth/2fa/enable",
        session,
        json={"secret": setup["secret"], "token": totp.now(), "backupCodes": setup["backupCodes"]},
    )
    assert enabled.json() == {"message": "2FA enabled successfully"}
    assert api.get("/auth/2fa/status", session).json() == {"twoFactorEnabled": True}
    assert_error(api.post("/auth/2fa/setup", session), 400, "2FA is already enabled for this user")
    login = api.post("/auth/login", json={"email": CITIZEN_EMAIL, "password": DEMO_PASSWORD})
    assert login.json()["requires2FA"] is True
    codes = api.post("/auth/2fa/regenerate-backup-codes", session, json={"token": totp.now()})
    assert len(codes.json()["backupCodes"]) == 8
    disabled = api.post("/auth/2fa/disable", session, json={"token": totp.now()})
    assert disabled.json() == {"message": "2FA disabled successfully"}
    assert_error(
        api.post("/auth/2fa/disable", session, json={"token": totp.now()}),
        400,
        "2FA is not enabled",
    )


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer abc.def.ghi", "Token abc", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x"],
)
def test_missing_or_malformed_tokens_are_401(api: Api, header: str) -> None:
    headers = {"Authorization": header} if header else {}
    response = api.get("/auth/email-verification-status", headers=headers)
    assert_error(response, 401, "Unauthorized")


def test_expired_or_foreign_tokens_are_401_and_the_scheme_is_case_insensitive(api: Api) -> None:
    session = api.login(CITIZEN_EMAIL)
    secret = api.server.state.tokens.secret
    now = int(time.time())
    claims = {"email": CITIZEN_EMAIL, "sub": session.id, "role": "CITIZEN"}
    expired = jwt.encode({**claims, "iat": now - 1000, "exp": now - 100}, secret, algorithm="HS256")
    foreign = jwt.encode({**claims, "iat": now, "exp": now + 900}, "x" * 40, algorithm="HS256")
    for token in (expired, foreign):
        response = api.get(
            "/auth/email-verification-status", headers={"Authorization": f"Bearer {token}"}
        )
        assert_error(response, 401, "Unauthorized")
    lower = api.get(
        "/auth/email-verification-status",
        headers={"Authorization": f"bearer {session.access_token}"},
    )
    assert lower.status_code == 200


def test_email_verification_status(api: Api) -> None:
    unverified = api.get("/auth/email-verification-status", api.login(CITIZEN_EMAIL)).json()
    assert unverified == {"emailVerified": False, "message": "Email pendiente de verificación"}
    verified = api.get("/auth/email-verification-status", api.login(VERIFIED_CITIZEN_EMAIL)).json()
    assert verified["emailVerified"] is True


def test_auth_events_reach_the_audit_log(api: Api) -> None:
    import sqlalchemy as sa

    from viva_desktop.sandbox import storage

    session = api.register("audit@example.com")
    api.post("/auth/login", json={"email": "audit@example.com", "password": "wrong-one"})
    api.post("/auth/refresh", json={"refresh_token": session.refresh_token})
    with api.server.state.db.transaction() as conn:
        actions = set(
            conn.execute(
                sa.select(storage.audit_log.c.action).where(
                    storage.audit_log.c.userId == session.id
                )
            ).scalars()
        )
    assert {"register", "failed_login", "token_refresh"} <= actions

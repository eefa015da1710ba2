"""`/auth` (contract §5). Used by `services.session`; the UI goes through the session."""

from __future__ import annotations

from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.services.remote.api.client import ApiResponse
from viva_desktop.services.remote.api.errors import ErrorDetails, TwoFactorRequired, bad_response
from viva_desktop.services.remote.api.models.users import EmailVerificationStatus, LoginReply
from viva_desktop.services.remote.api.resources.base import Resource, query

SLOW_AUTH_TIMEOUT = 90.0
"""Refresh and logout compare the token against every stored one with bcrypt (§3.8, §14)."""


class AuthResource(Resource):
    def login(
        self,
        email: str,
        password: str,
        two_factor_code: str | None = None,
        *,
        cancel: CancelToken | None = None,
    ) -> LoginReply:
        """Raises `TwoFactorRequired` on step one of a 2FA login; repeat with the code."""
        body = query(email=email, password=password, twoFactorToken=two_factor_code)
        # Repeating a login cannot harm anything, so it may be retried like a read.
        response = self._client.post(
            "/auth/login", json=body, authenticated=False, idempotent=True, cancel=cancel
        )
        data = response.data
        if isinstance(data, dict) and data.get("requires2FA"):
            details = ErrorDetails(
                request_id=response.request_id,
                method=response.method,
                path=response.path,
                status=response.status,
            )
            raise TwoFactorRequired(str(data.get("temporaryToken") or ""), details=details)
        return self._login_reply(response)

    def refresh(
        self, refresh_token: str, *, retry: bool = True, cancel: CancelToken | None = None
    ) -> LoginReply:
        """A new access token and a new refresh token; the presented one is revoked."""
        response = self._client.post(
            "/auth/refresh",
            json={"refresh_token": refresh_token},
            authenticated=False,
            idempotent=True,  # a repeat either works or answers 401: never a double effect
            timeout=max(SLOW_AUTH_TIMEOUT, self._client.timeout),
            cancel=cancel,
            retry=retry,
        )
        return self._login_reply(response)

    def logout(
        self, refresh_token: str, *, retry: bool = True, cancel: CancelToken | None = None
    ) -> None:
        """Revoke `refresh_token` (a 401 means it was already invalid)."""
        self._client.post(
            "/auth/logout",
            json={"refresh_token": refresh_token},
            authenticated=False,
            idempotent=True,
            timeout=max(SLOW_AUTH_TIMEOUT, self._client.timeout),
            cancel=cancel,
            retry=retry,
        )

    def register(
        self,
        name: str,
        email: str,
        password: str,
        phone: str | None = None,
        *,
        cancel: CancelToken | None = None,
    ) -> LoginReply:
        """A 500 here means a duplicate e-mail or phone: `DuplicateEmail` (§13 D5)."""
        body = query(name=name, email=email, password=password, phone=phone)
        response = self._client.post(
            "/auth/register", json=body, authenticated=False, cancel=cancel
        )
        return self._login_reply(response)

    def two_factor_enabled(self, *, cancel: CancelToken | None = None) -> bool:
        data = self._get("/auth/2fa/status", cancel=cancel).data
        return bool(isinstance(data, dict) and data.get("twoFactorEnabled"))

    def email_verification_status(
        self, *, cancel: CancelToken | None = None
    ) -> EmailVerificationStatus:
        response = self._get("/auth/email-verification-status", cancel=cancel)
        return self._one(EmailVerificationStatus, response)

    def _login_reply(self, response: ApiResponse) -> LoginReply:
        reply = self._one(LoginReply, response)
        if not reply.access_token:
            raise bad_response(
                method=response.method,
                path=response.path,
                request_id=response.request_id,
                status=response.status,
                why="no access token in the reply",
            )
        return reply

"""Signing in to one server profile, keeping the session alive, and signing out.

Access tokens live 15 minutes and every refresh revokes the refresh token it used
(contract §3.8), so the session refreshes about a minute before expiry, one refresh at a time,
and saves the new refresh token before it uses the new access token: a crash in between can
then never leave only a revoked token behind. On a refused token the client calls
`refresh_after_unauthorized` once; if even a fresh token is refused the session forgets itself
and tells its listeners, so the UI can open the login again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

import jwt

from viva_desktop.services.common.i18n import translate
from viva_desktop.services.remote.api.client import last_request_id
from viva_desktop.services.remote.api.errors import (
    ApiError,
    AuthExpired,
    KeyringUnavailable,
    SessionUnavailable,
    TwoFactorRequired,
    bad_response,
)
from viva_desktop.services.remote.api.resources import Api
from viva_desktop.services.remote.vault import StoredTokens, TokenVault

log = logging.getLogger("viva.session")

ADMIN_ROLE = "ADMIN"


class SessionEvent(StrEnum):
    LOGGED_IN = "logged_in"
    REFRESHED = "refreshed"
    EXPIRED = "expired"
    LOGGED_OUT = "logged_out"


@dataclass(frozen=True)
class TokenClaims:
    """What the access token says about its holder (read without checking the signature:
    the server checks it; we only need the facts)."""

    user_id: str
    email: str | None
    role: str | None
    expires_at: float  # epoch seconds, by the server's clock
    issued_at: float | None
    received_at: float | None = None  # our clock when the server handed it out

    @property
    def lifetime(self) -> float | None:
        if self.issued_at is None or self.expires_at <= self.issued_at:
            return None
        return self.expires_at - self.issued_at

    @property
    def local_expiry(self) -> float:
        """Expiry by our clock: receipt time plus lifetime, immune to clock skew between us and
        the server. A token read back from the vault has only the server's `exp`."""
        if self.received_at is not None and self.lifetime is not None:
            return self.received_at + self.lifetime
        return self.expires_at

    @classmethod
    def read(cls, token: str, received_at: float | None = None) -> TokenClaims:
        try:
            claims = jwt.decode(token, options={"verify_signature": False})
            return cls(
                user_id=str(claims["sub"]),
                email=claims.get("email"),
                role=claims.get("role"),
                expires_at=float(claims["exp"]),
                issued_at=float(claims["iat"]) if "iat" in claims else None,
                received_at=received_at,
            )
        except (jwt.PyJWTError, KeyError, TypeError, ValueError) as exc:
            raise bad_response(
                method="POST", path="/auth", why="the access token is not a readable JWT"
            ) from exc


@dataclass(frozen=True)
class SessionInfo:
    profile: str
    account: str
    user_id: str
    email: str | None
    role: str | None
    name: str | None
    expires_at: datetime
    persistent: bool

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN_ROLE


SessionListener = Callable[[SessionEvent, SessionInfo | None], None]


class Session:
    """The signed-in state of one server profile; also the `AuthProvider` of its client.

    Creating a session makes it the auth provider of `api.client` (one session per client).
    Thread-safe: worker threads ask for tokens concurrently.
    """

    def __init__(
        self,
        profile: str,
        api: Api,
        vault: TokenVault,
        *,
        refresh_margin: float = 60.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.profile = profile
        self.api = api
        self.vault = vault
        self.refresh_margin = refresh_margin
        self._clock = clock
        self._state = threading.RLock()
        self._refreshing = threading.Lock()  # single flight: one refresh at a time
        self._tokens: StoredTokens | None = None
        self._claims: TokenClaims | None = None
        self._account: str | None = None
        self._name: str | None = None
        self._persistence_problem: str | None = None
        self._listeners: list[SessionListener] = []
        # Bumped whenever the tokens change. Two tokens issued in the same second are
        # byte-identical, so "has the token changed?" must not compare strings.
        self._generation = 0
        self._handed = threading.local()  # the generation of the token this thread was given
        api.client.auth = self

    # ------------------------------------------------------------------ state

    @property
    def authenticated(self) -> bool:
        with self._state:
            return self._tokens is not None

    @property
    def info(self) -> SessionInfo | None:
        with self._state:
            if self._tokens is None or self._claims is None or self._account is None:
                return None
            return SessionInfo(
                profile=self.profile,
                account=self._account,
                user_id=self._claims.user_id,
                email=self._claims.email,
                role=self._claims.role,
                name=self._name,
                expires_at=datetime.fromtimestamp(self._claims.local_expiry, UTC),
                persistent=self.persistent,
            )

    @property
    def user_id(self) -> str | None:
        with self._state:
            return self._claims.user_id if self._claims else None

    @property
    def email(self) -> str | None:
        with self._state:
            return self._claims.email if self._claims else None

    @property
    def role(self) -> str | None:
        with self._state:
            return self._claims.role if self._claims else None

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN_ROLE

    @property
    def expires_at(self) -> datetime | None:
        """When the access token runs out, by this machine's clock."""
        with self._state:
            if self._claims is None:
                return None
            return datetime.fromtimestamp(self._claims.local_expiry, UTC)

    @property
    def persistent(self) -> bool:
        """Whether the tokens survive a restart (a working keyring)."""
        return bool(self.vault.persistent) and self._persistence_problem is None

    @property
    def persistence_problem(self) -> str | None:
        """Why tokens are not being remembered although the vault is a keyring."""
        return self._persistence_problem

    def add_listener(self, listener: SessionListener) -> Callable[[], None]:
        with self._state:
            self._listeners.append(listener)

        def remove() -> None:
            with self._state:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return remove

    # ------------------------------------------------------------------ sign in and out

    def login(self, email: str, password: str, two_factor_code: str | None = None) -> SessionInfo:
        """Sign in. Raises `TwoFactorRequired` on step one of a 2FA account: call again with
        the code from the authenticator app."""
        try:
            reply = self.api.auth.login(email, password, two_factor_code)
        except TwoFactorRequired as exc:
            log.info(
                "sign-in to %s as %s: the two-factor code is needed",
                self.profile,
                email,
                extra={"request_id": exc.details.request_id or None, "event": "sign_in"},
            )
            raise
        except ApiError as exc:
            log.warning(
                "sign-in to %s as %s failed: %s",
                self.profile,
                email,
                type(exc).__name__,
                extra={"request_id": exc.details.request_id or None, "event": "sign_in_failed"},
            )
            raise
        request_id = last_request_id.get()
        if not reply.refresh_token:
            raise bad_response(method="POST", path="/auth/login", why="no refresh token")
        tokens = StoredTokens(reply.access_token, reply.refresh_token)
        claims = TokenClaims.read(tokens.access_token, received_at=self._clock())
        account = claims.email or email
        with self._refreshing:
            previous, previous_account = self._swap(None, None, None)
            if previous is not None:
                self._revoke_quietly(previous)
                if previous_account != account:
                    self._vault_clear(previous_account)
            self._vault_save(account, tokens)
            self._swap(tokens, claims, account)
            with self._state:
                self._name = reply.user.name if reply.user else None
        log.info(
            "signed in to %s as %s (%s)",
            self.profile,
            account,
            claims.role,
            extra={"request_id": request_id, "event": "sign_in"},
        )
        info = self._require_info()
        self._notify(SessionEvent.LOGGED_IN, info)
        return info

    def restore(self, account: str) -> bool:
        """Resume a remembered session from the vault; False when there is none that works.

        Offline, an expired access token is kept: the next request refreshes it once the
        server can be reached again.
        """
        try:
            tokens = self.vault.load(self.profile, account)
        except KeyringUnavailable:
            log.warning("keyring unavailable: cannot restore the session of %s", self.profile)
            return False
        if tokens is None:
            return False
        try:
            claims = TokenClaims.read(tokens.access_token)
        except ApiError:
            self._vault_clear(account)
            return False
        with self._refreshing:
            self._swap(tokens, claims, account)
            generation = self._generation
        if self._due(claims):
            try:
                self._refresh_if_current(generation)
            except AuthExpired:
                return False
            except ApiError as exc:
                log.info("could not refresh the restored session yet: %s", type(exc).__name__)
        info = self.info
        if info is None:
            return False
        self._notify(SessionEvent.LOGGED_IN, info)
        return True

    def logout(self) -> None:
        """Revoke the refresh token on the server and forget the session locally, even when
        the server cannot be reached."""
        tokens, account = self._swap(None, None, None)
        if tokens is None:
            return
        try:
            self._revoke_quietly(tokens)
        finally:
            self._vault_clear(account)
        log.info(
            "signed out of %s (%s)",
            self.profile,
            account,
            extra={"request_id": last_request_id.get(), "event": "sign_out"},
        )
        self._notify(SessionEvent.LOGGED_OUT, None)

    def refresh(self) -> SessionInfo:
        """Get a new access token now (normally automatic)."""
        with self._state:
            if self._tokens is None:
                raise SessionUnavailable()
            generation = self._generation
        self._refresh_if_current(generation)
        return self._require_info()

    # ------------------------------------------------------------------ AuthProvider

    def access_token(self) -> str | None:
        with self._state:
            tokens, claims, generation = self._tokens, self._claims, self._generation
        if tokens is None or claims is None:
            return None
        if self._due(claims):
            try:
                self._refresh_if_current(generation)
            except AuthExpired:
                raise
            except ApiError:
                if self._clock() >= claims.local_expiry:
                    raise
                log.info("early refresh failed; the current token is still valid", exc_info=True)
        with self._state:
            if self._tokens is None:
                return None
            self._handed.generation = self._generation
            return self._tokens.access_token

    def refresh_after_unauthorized(self, rejected_token: str) -> None:
        """Refresh unless the token this thread was refused has already been replaced."""
        generation = getattr(self._handed, "generation", None)
        if generation is None:  # not handed out by `access_token` in this thread
            with self._state:
                if self._tokens is None:
                    raise SessionUnavailable()
                if self._tokens.access_token != rejected_token:
                    return
                generation = self._generation
        self._refresh_if_current(generation)

    def mark_expired(self, error: AuthExpired) -> None:
        self._expire(error)

    # ------------------------------------------------------------------ internals

    def _due(self, claims: TokenClaims) -> bool:
        """Refresh when less than the margin is left; short-lived tokens (tests, odd server
        settings) use half their lifetime as the margin so they are not refreshed every call."""
        margin = self.refresh_margin
        if claims.lifetime is not None:
            margin = min(margin, claims.lifetime / 2)
        return self._clock() >= claims.local_expiry - margin

    def _refresh_if_current(self, seen_generation: int) -> None:
        """Refresh unless another thread replaced the tokens since `seen_generation`.

        Logout and expiry do not wait for a refresh in flight (the GUI thread may call them);
        a refresh that finds the session gone when it returns discards and revokes its result.
        """
        with self._refreshing:
            with self._state:
                tokens, account = self._tokens, self._account
                current = self._generation
            if tokens is None or account is None:
                raise SessionUnavailable()
            if current != seen_generation:
                return
            try:
                # No retry loop of its own: the request that needed the token has one.
                reply = self.api.auth.refresh(tokens.refresh_token, retry=False)
            except AuthExpired as exc:
                if not self._expire(exc, generation=current):
                    raise SessionUnavailable() from exc  # signed out meanwhile, not expired
                raise
            fresh = StoredTokens(reply.access_token, reply.refresh_token or tokens.refresh_token)
            claims = TokenClaims.read(fresh.access_token, received_at=self._clock())
            self._vault_save(account, fresh)  # before use: the old refresh token is revoked
            with self._state:
                gone = self._generation != current
                if not gone:
                    self._swap(fresh, claims, account)
            if gone:  # signed out or expired meanwhile: do not bring the session back
                self._vault_clear(account)
                self._revoke_quietly(fresh)
                raise SessionUnavailable()
        log.debug("session of %s refreshed", self.profile)
        self._notify(SessionEvent.REFRESHED, self.info)

    def _expire(self, error: AuthExpired, *, generation: int | None = None) -> bool:
        """Forget the session (only if it is still the one of `generation`, when given);
        False when there was nothing left to expire."""
        with self._state:
            if generation is not None and generation != self._generation:
                return False
            tokens, account = self._swap(None, None, None)
        if tokens is None:
            return False
        self._vault_clear(account)
        log.info("session of %s expired: %s", self.profile, error.details.path or "-")
        self._notify(SessionEvent.EXPIRED, None)
        return True

    def _swap(
        self, tokens: StoredTokens | None, claims: TokenClaims | None, account: str | None
    ) -> tuple[StoredTokens | None, str | None]:
        with self._state:
            previous, previous_account = self._tokens, self._account
            self._tokens, self._claims, self._account = tokens, claims, account
            self._generation += 1
            if tokens is None:
                self._name = None
            return previous, previous_account

    def _revoke_quietly(self, tokens: StoredTokens) -> None:
        try:
            self.api.auth.logout(tokens.refresh_token)
        except ApiError as exc:
            log.info(
                "could not revoke the refresh token on the server: %s",
                type(exc).__name__,
                extra={"request_id": exc.details.request_id or None},
            )

    def _vault_save(self, account: str, tokens: StoredTokens) -> None:
        try:
            self.vault.save(self.profile, account, tokens)
            self._persistence_problem = None
        except KeyringUnavailable:
            self._persistence_problem = translate(
                "Session",
                "The system keyring stopped working, so your sign-in will not be remembered "
                "after the application closes.",
            )

    def _vault_clear(self, account: str | None) -> None:
        if account is None:
            return
        try:
            self.vault.clear(self.profile, account)
        except KeyringUnavailable:
            log.warning("could not remove the stored tokens of %s from the keyring", account)

    def _require_info(self) -> SessionInfo:
        info = self.info
        if info is None:
            raise SessionUnavailable()
        return info

    def _notify(self, event: SessionEvent, info: SessionInfo | None) -> None:
        with self._state:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(event, info)
            except Exception:
                log.exception("session listener failed")

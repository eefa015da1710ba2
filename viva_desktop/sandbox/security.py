"""Credentials: password and backup-code hashes, HS256 access tokens, opaque refresh tokens and
TOTP codes, with the lifetimes and claims of the real server."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

import jwt
import pyotp

_ITERATIONS = 10_000
_SCHEME = "pbkdf2_sha256"


def hash_secret(secret: str, *, salt: bytes | None = None) -> str:
    """Salted PBKDF2 hash; never stored or logged in plain text."""
    salt = salt if salt is not None else secrets.token_bytes(12)
    digest = hashlib.pbkdf2_hmac("sha256", secret.encode("utf-8"), salt, _ITERATIONS)
    return "$".join(
        (
            _SCHEME,
            str(_ITERATIONS),
            base64.b64encode(salt).decode(),
            base64.b64encode(digest).decode(),
        )
    )


def verify_secret(secret: str, stored: str | None) -> bool:
    if not stored or not isinstance(secret, str):
        return False
    try:
        scheme, iterations, salt_b64, digest_b64 = stored.split("$")
    except ValueError:
        return False
    if scheme != _SCHEME:
        return False
    digest = hashlib.pbkdf2_hmac(
        "sha256", secret.encode("utf-8"), base64.b64decode(salt_b64), int(iterations)
    )
    return hmac.compare_digest(digest, base64.b64decode(digest_b64))


@functools.cache
def seeded_password_hash(password: str) -> str:
    """One hash shared by every seeded account, so seeding stays fast."""
    return hash_secret(password, salt=b"viva-sandbox-seed")


def token_digest(token: str) -> str:
    """Refresh tokens are stored as a digest, never as sent."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_refresh_token() -> str:
    import uuid

    return str(uuid.uuid4())


def new_backup_codes(count: int = 8) -> list[str]:
    return [secrets.token_hex(4).upper() for _ in range(count)]


def totp_valid(secret: str | None, code: Any) -> bool:
    """TOTP check with a window of two 30-second steps either side, like upstream."""
    if not secret or not isinstance(code, str | int):
        return False
    try:
        return pyotp.TOTP(secret).verify(str(code), valid_window=2)
    except Exception:
        return False


@dataclass(frozen=True)
class Identity:
    """What handlers know about the caller: only what the token says (not re-read from the DB)."""

    user_id: str | None
    email: str | None
    role: str | None


class TokenService:
    """Issues and checks access tokens; can expire every token issued so far (a fault switch)."""

    def __init__(self, secret: str | None, access_ttl: int) -> None:
        self.secret = secret or secrets.token_urlsafe(48)
        self.access_ttl = access_ttl
        self._lock = threading.Lock()
        self._issued: set[str] = set()
        self._expired: set[str] = set()

    def _remember(self, token: str) -> str:
        digest = token_digest(token)
        with self._lock:
            self._issued.add(digest)
            self._expired.discard(digest)  # the same claims issued again are a fresh token
        return token

    def access_token(self, user_id: str, email: str, role: str) -> str:
        now = int(time.time())
        payload = {
            "email": email,
            "sub": user_id,
            "role": role,
            "iat": now,
            "exp": now + self.access_ttl,
        }
        return self._remember(jwt.encode(payload, self.secret, algorithm="HS256"))

    def temporary_token(self, user_id: str) -> str:
        """The 2FA `temporaryToken`: `{sub, temp: true}` for 5 minutes (nothing consumes it)."""
        now = int(time.time())
        payload = {"sub": user_id, "temp": True, "iat": now, "exp": now + 300}
        return self._remember(jwt.encode(payload, self.secret, algorithm="HS256"))

    def expire_all_issued(self) -> None:
        with self._lock:
            self._expired |= self._issued
            self._issued = set()

    def identify(self, token: str) -> Identity | None:
        """The identity in a valid token, or None (bad signature, malformed, expired, revoked)."""
        try:
            payload = jwt.decode(
                token,
                self.secret,
                algorithms=["HS256"],
                options={"require": ["exp"], "verify_iat": False},
            )
        except jwt.PyJWTError:
            return None
        with self._lock:
            if token_digest(token) in self._expired:
                return None
        sub = payload.get("sub")
        return Identity(
            user_id=sub if isinstance(sub, str) else None,
            email=payload.get("email"),
            role=payload.get("role"),
        )

"""Where session tokens live: the OS keyring, or memory when there is no usable keyring.

Never a file: a refresh token is a password-equivalent for seven days (contract §3.8). When no
keyring works (no Secret Service, a locked or broken backend, or only a plaintext backend
such as keyrings.alt's files), the session is kept in memory for this run and the UI is told
why, so it can say "you will have to sign in again next time".
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

import keyring
import keyring.backend
import keyring.errors
from keyring.backends import chainer, fail

from viva_desktop.services.common.i18n import translate
from viva_desktop.services.remote.api.errors import KeyringUnavailable

log = logging.getLogger("viva.session")

SERVICE_PREFIX = "viva-desktop"
_PROBE_ACCOUNT = "__viva-desktop-probe__"

T = TypeVar("T")


def service_name(profile: str) -> str:
    return f"{SERVICE_PREFIX}:{profile}"


@dataclass(frozen=True)
class StoredTokens:
    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)

    def to_secret(self) -> str:
        return json.dumps(
            {"v": 1, "access_token": self.access_token, "refresh_token": self.refresh_token}
        )

    @classmethod
    def from_secret(cls, secret: str) -> StoredTokens | None:
        try:
            data = json.loads(secret)
            return cls(str(data["access_token"]), str(data["refresh_token"]))
        except (ValueError, KeyError, TypeError):
            return None


class TokenVault(Protocol):
    @property
    def persistent(self) -> bool: ...

    def load(self, profile: str, account: str) -> StoredTokens | None: ...

    def save(self, profile: str, account: str, tokens: StoredTokens) -> None: ...

    def clear(self, profile: str, account: str) -> None: ...


class MemoryVault:
    """Tokens for this run only."""

    persistent = False

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokens: dict[tuple[str, str], StoredTokens] = {}

    def load(self, profile: str, account: str) -> StoredTokens | None:
        with self._lock:
            return self._tokens.get((profile, account))

    def save(self, profile: str, account: str, tokens: StoredTokens) -> None:
        with self._lock:
            self._tokens[(profile, account)] = tokens

    def clear(self, profile: str, account: str) -> None:
        with self._lock:
            self._tokens.pop((profile, account), None)


class KeyringVault:
    """One secret per server profile and account: service `viva-desktop:<profile>`, user name
    the account's e-mail, value a small JSON with both tokens (saved in one call, so the pair
    can never be half-updated)."""

    persistent = True

    def __init__(self, backend: keyring.backend.KeyringBackend | None = None) -> None:
        self.backend = backend or keyring.get_keyring()
        self._lock = threading.Lock()  # D-Bus round trips from many worker threads

    def load(self, profile: str, account: str) -> StoredTokens | None:
        secret = self._call(self.backend.get_password, service_name(profile), account)
        return StoredTokens.from_secret(secret) if secret else None

    def save(self, profile: str, account: str, tokens: StoredTokens) -> None:
        self._call(self.backend.set_password, service_name(profile), account, tokens.to_secret())

    def clear(self, profile: str, account: str) -> None:
        try:
            self._call(self.backend.delete_password, service_name(profile), account)
        except KeyringUnavailable as exc:
            if isinstance(exc.__cause__, keyring.errors.PasswordDeleteError):
                return  # nothing stored: already clear
            raise

    def _call(self, func: Callable[..., T], *args: str) -> T:
        with self._lock:
            try:
                return func(*args)
            except Exception as exc:  # every backend has its own failures (D-Bus, locked...)
                log.warning("keyring %s failed: %s", func.__name__, type(exc).__name__)
                raise KeyringUnavailable() from exc


@dataclass(frozen=True)
class VaultChoice:
    vault: TokenVault
    persistent: bool
    reason: str | None  # why tokens will not be remembered; None when they will


def _usable_backend(
    backend: keyring.backend.KeyringBackend,
) -> keyring.backend.KeyringBackend | None:
    """The backend that would really store secrets, unless it is absent or writes plaintext."""
    if isinstance(backend, chainer.ChainerBackend):
        for candidate in backend.backends:
            usable = _usable_backend(candidate)
            if usable is not None:
                return usable
        return None
    if isinstance(backend, fail.Keyring):
        return None
    module = type(backend).__module__
    if module.startswith(("keyrings.alt", "keyring.backends.null")):
        return None  # files on disk (plaintext or weakly encrypted) or a black hole
    return backend


def _probe(backend: keyring.backend.KeyringBackend, timeout: float) -> BaseException | None:
    """Write, read back and delete a probe secret; a locked keyring may hang, hence a thread."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            service = service_name("probe")
            backend.set_password(service, _PROBE_ACCOUNT, "ok")
            if backend.get_password(service, _PROBE_ACCOUNT) != "ok":
                raise keyring.errors.KeyringError("the probe secret did not read back")
            backend.delete_password(service, _PROBE_ACCOUNT)
            outcome.append(None)
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=run, name="keyring-probe", daemon=True)
    worker.start()
    worker.join(timeout)
    if not outcome:
        return TimeoutError(f"the keyring did not answer within {timeout:g} s")
    return outcome[0]


def open_vault(
    backend: keyring.backend.KeyringBackend | None = None, *, timeout: float = 10.0
) -> VaultChoice:
    """The keyring when it works, else memory with a reason the UI can show."""
    try:
        chosen = backend or keyring.get_keyring()
    except Exception as exc:
        log.warning("no keyring backend: %s", exc)
        chosen = fail.Keyring()
    usable = _usable_backend(chosen)
    if usable is None:
        return VaultChoice(
            MemoryVault(),
            False,
            translate(
                "Session",
                "No secure system keyring was found, so your sign-in will not be remembered "
                "after the application closes.",
            ),
        )
    problem = _probe(usable, timeout)
    if problem is not None:
        log.warning("keyring unusable (%s): %s", type(problem).__name__, problem)
        return VaultChoice(
            MemoryVault(),
            False,
            translate(
                "Session",
                "The system keyring is locked or not working, so your sign-in will not be "
                "remembered after the application closes.",
            ),
        )
    return VaultChoice(KeyringVault(usable), True, None)

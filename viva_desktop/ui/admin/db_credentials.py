"""The database panel's credentials: the connection string without its password, and the
password itself in the system keyring when the administrator asks for that, never on disk.

Plain Python (no Qt): keyring calls are D-Bus round trips, so they run on the worker. The
backend is the one the application's token vault already proved secure (a real Secret
Service, not a plaintext file); without one, passwords live in memory for the session.
"""

from __future__ import annotations

import logging
import threading
from urllib.parse import unquote, urlsplit, urlunsplit

import keyring.backend
import keyring.errors
import psycopg
from psycopg import conninfo

from viva_desktop.services.admin.dbmonitor import describe_target
from viva_desktop.services.remote.api.errors import KeyringUnavailable

log = logging.getLogger("viva.ui.database")

SERVICE_PREFIX = "viva-desktop:db:"


def service_name(profile: str, account: str) -> str:
    """Keyring service of one account's monitoring passwords on one profile:
    `viva-desktop:db:<profile>/<account>` (the account is the signed-in user's id), so a
    second administrator on the same profile never gets the first one's password back."""
    return f"{SERVICE_PREFIX}{profile}/{account}"


def legacy_service_name(profile: str) -> str:
    """The per-profile service of earlier versions, `viva-desktop:db:<profile>`: never read
    any more (nobody can tell which administrator saved it), only deleted."""
    return SERVICE_PREFIX + profile


def split_password(dsn: str) -> tuple[str, str | None]:
    """`dsn` without its password, and the password it contained (URL or key=value form)."""
    text = dsn.strip()
    if "://" in text:
        try:
            parts = urlsplit(text)
        except ValueError:
            return text, None
        if parts.password is None:
            return text, None
        userinfo, host = parts.netloc.rsplit("@", 1)
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}@{host}" if user else host
        clean = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
        return clean, unquote(parts.password)
    try:
        values = conninfo.conninfo_to_dict(text)
    except psycopg.ProgrammingError:
        return text, None
    password = values.pop("password", None)
    if password is None:
        return text, None
    return conninfo.make_conninfo(**{k: str(v) for k, v in values.items()}), str(password)


def credential_key(dsn: str) -> str:
    """The keyring user name of a password: the role and server it belongs to."""
    return describe_target(split_password(dsn)[0])


class PasswordKeeper:
    """Monitoring passwords in the keyring, one per profile, account and
    `user@host:port/db`."""

    def __init__(self, backend: keyring.backend.KeyringBackend | None) -> None:
        self.backend = backend
        self._lock = threading.Lock()

    @property
    def persistent(self) -> bool:
        return self.backend is not None

    def recall(self, profile: str, account: str, dsn: str) -> str | None:
        if self.backend is None:
            return None
        try:
            with self._lock:
                return self.backend.get_password(
                    service_name(profile, account), credential_key(dsn)
                )
        except Exception as exc:  # every backend fails in its own way (D-Bus, locked...)
            log.warning("keyring lookup failed: %s", type(exc).__name__)
            return None

    def remember(self, profile: str, account: str, dsn: str, password: str) -> None:
        if self.backend is None:
            raise KeyringUnavailable()
        try:
            with self._lock:
                self.backend.set_password(
                    service_name(profile, account), credential_key(dsn), password
                )
        except Exception as exc:
            log.warning("keyring save failed: %s", type(exc).__name__)
            raise KeyringUnavailable() from exc

    def forget(self, profile: str, account: str, dsn: str) -> None:
        self._delete(service_name(profile, account), dsn)

    def drop_legacy(self, profile: str, dsn: str) -> None:
        """Delete the per-profile password an earlier version may have saved for `dsn`."""
        self._delete(legacy_service_name(profile), dsn)

    def _delete(self, service: str, dsn: str) -> None:
        if self.backend is None:
            return
        try:
            with self._lock:
                self.backend.delete_password(service, credential_key(dsn))
        except keyring.errors.PasswordDeleteError:
            return  # nothing was stored
        except Exception as exc:
            log.warning("keyring delete failed: %s", type(exc).__name__)
            raise KeyringUnavailable() from exc


def keeper_for(vault: object) -> PasswordKeeper:
    """A keeper on the token vault's proven keyring backend, or a memory-only one."""
    backend = getattr(vault, "backend", None)
    persistent = bool(getattr(vault, "persistent", False))
    return PasswordKeeper(backend if persistent else None)

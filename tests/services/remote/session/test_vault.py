"""Token storage: the real Secret Service keyring, and memory when no keyring is usable."""

from __future__ import annotations

import json
import os
import tempfile
import threading
from pathlib import Path

import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from tests.services.remote.session.conftest import RigFactory
from viva_desktop.sandbox import SandboxServer
from viva_desktop.sandbox.seed import ADMIN_EMAIL, DEMO_PASSWORD
from viva_desktop.services.remote.api.errors import KeyringUnavailable
from viva_desktop.services.remote.vault import (
    KeyringVault,
    MemoryVault,
    StoredTokens,
    open_vault,
    service_name,
)

TOKENS = StoredTokens("header.payload.signature", "0b5e3a3c-1111-4222-8333-944445555666")


class _Backend(KeyringBackend):
    """A keyring backend whose behaviour a test decides (a real `KeyringBackend` subclass)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self, error: Exception | None = None, gate: threading.Event | None = None):
        super().__init__()
        self.error = error
        self.gate = gate
        self.secrets: dict[tuple[str, str], str] = {}

    def _check(self) -> None:
        if self.gate is not None:
            self.gate.wait()
        if self.error is not None:
            raise self.error

    def get_password(self, service: str, username: str) -> str | None:
        self._check()
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._check()
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._check()
        if (service, username) not in self.secrets:
            raise keyring.errors.PasswordDeleteError("not found")
        del self.secrets[(service, username)]


def test_memory_vault() -> None:
    vault = MemoryVault()
    assert not vault.persistent
    assert vault.load("p", "a") is None
    vault.save("p", "a", TOKENS)
    assert vault.load("p", "a") == TOKENS
    assert vault.load("other", "a") is None
    vault.clear("p", "a")
    vault.clear("p", "a")
    assert vault.load("p", "a") is None


def test_tokens_never_show_in_reprs() -> None:
    assert TOKENS.access_token not in repr(TOKENS)
    assert TOKENS.refresh_token not in repr(TOKENS)


def test_keyring_vault_in_the_secret_service(secret_service: str) -> None:
    vault = KeyringVault()
    assert vault.persistent
    vault.save("staging", "admin@example.org", TOKENS)
    raw = keyring.get_password(service_name("staging"), "admin@example.org")
    assert raw is not None
    assert json.loads(raw)["refresh_token"] == TOKENS.refresh_token
    assert vault.load("staging", "admin@example.org") == TOKENS
    assert vault.load("production", "admin@example.org") is None  # per server profile
    vault.clear("staging", "admin@example.org")
    vault.clear("staging", "admin@example.org")  # clearing twice is fine
    assert keyring.get_password(service_name("staging"), "admin@example.org") is None


def test_open_vault_picks_the_secret_service(secret_service: str) -> None:
    choice = open_vault()
    assert choice.persistent
    assert choice.reason is None
    assert isinstance(choice.vault, KeyringVault)
    assert type(choice.vault.backend).__name__ == "Keyring"
    assert keyring.get_password(service_name("probe"), "__viva-desktop-probe__") is None


def _files_containing(secret: bytes, roots: list[Path]) -> list[Path]:
    """Files under `roots` holding `secret`; tolerant of files and folders that other
    processes create and delete while the scan runs (os.walk skips unreadable folders)."""
    found: list[Path] = []
    seen: set[Path] = set()
    for root in roots:
        for folder, _dirs, names in os.walk(root, onerror=lambda _error: None):
            for name in names:
                path = Path(folder) / name
                try:
                    if path in seen or not path.is_file() or path.stat().st_size > 64_000_000:
                        continue
                    seen.add(path)
                    if secret in path.read_bytes():
                        found.append(path)
                except OSError:
                    continue
    return found


def test_tokens_live_in_the_keyring_and_never_on_disk(
    secret_service: str, sandbox: SandboxServer, make_rig: RigFactory
) -> None:
    choice = open_vault()
    rig = make_rig(sandbox.url, choice.vault, profile="disk-scan")
    rig.session.login(ADMIN_EMAIL, DEMO_PASSWORD)
    assert rig.session.persistent
    stored = KeyringVault().load("disk-scan", ADMIN_EMAIL)
    assert stored is not None
    rig.session.refresh()  # rotate once, so old and new tokens have both passed through
    current = KeyringVault().load("disk-scan", ADMIN_EMAIL)
    assert current is not None
    roots = [Path(tempfile.gettempdir()), Path.home()]
    roots += [
        Path(os.environ[v]) for v in os.environ if v.startswith("XDG_") and v.endswith("HOME")
    ]
    for secret in (stored.refresh_token, current.refresh_token, current.access_token):
        assert _files_containing(secret.encode(), roots) == []
    # ... and a fresh session finds them in the keyring
    later = make_rig(sandbox.url, KeyringVault(), profile="disk-scan")
    assert later.session.restore(ADMIN_EMAIL)
    rig.session.logout()
    assert KeyringVault().load("disk-scan", ADMIN_EMAIL) is None


def test_no_keyring_means_memory_only_with_a_reason(
    sandbox: SandboxServer, make_rig: RigFactory
) -> None:
    choice = open_vault(fail.Keyring())
    assert isinstance(choice.vault, MemoryVault)
    assert not choice.persistent
    assert choice.reason is not None
    assert "not be remembered" in choice.reason
    rig = make_rig(sandbox.url, choice.vault)
    info = rig.session.login(ADMIN_EMAIL, DEMO_PASSWORD)
    assert not info.persistent
    assert not rig.session.persistent


def test_locked_keyring_means_memory_only() -> None:
    choice = open_vault(_Backend(keyring.errors.KeyringLocked("locked")))
    assert isinstance(choice.vault, MemoryVault)
    assert choice.reason is not None
    assert "locked" in choice.reason


def test_a_keyring_that_never_answers_is_given_up_on() -> None:
    gate = threading.Event()
    try:
        choice = open_vault(_Backend(gate=gate), timeout=0.2)
    finally:
        gate.set()
    assert isinstance(choice.vault, MemoryVault)
    assert choice.reason is not None


def test_plaintext_backends_are_refused() -> None:
    plaintext = type("PlaintextKeyring", (_Backend,), {"__module__": "keyrings.alt.file"})
    choice = open_vault(plaintext())
    assert isinstance(choice.vault, MemoryVault)
    assert choice.reason is not None


def test_working_backend_is_used() -> None:
    backend = _Backend()
    choice = open_vault(backend)
    assert isinstance(choice.vault, KeyringVault)
    choice.vault.save("p", "a", TOKENS)
    assert (
        json.loads(backend.secrets[("viva-desktop:p", "a")])["access_token"] == TOKENS.access_token
    )
    assert backend.secrets.keys() == {("viva-desktop:p", "a")}  # the probe cleaned up


def test_keyring_failure_is_a_typed_error() -> None:
    vault = KeyringVault(_Backend(keyring.errors.KeyringError("dbus gone")))
    with pytest.raises(KeyringUnavailable):
        vault.save("p", "a", TOKENS)
    with pytest.raises(KeyringUnavailable):
        vault.load("p", "a")


def test_keyring_breaking_mid_session_keeps_the_session_in_memory(
    sandbox: SandboxServer, make_rig: RigFactory
) -> None:
    backend = _Backend()
    rig = make_rig(sandbox.url, KeyringVault(backend))
    backend.error = keyring.errors.KeyringError("dbus gone")
    rig.session.login(ADMIN_EMAIL, DEMO_PASSWORD)
    assert rig.session.authenticated
    assert not rig.session.persistent
    assert rig.session.persistence_problem is not None
    assert rig.api.auth.email_verification_status() is not None
    rig.session.logout()  # clearing the keyring fails quietly
    assert not rig.session.authenticated

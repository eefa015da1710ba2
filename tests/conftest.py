"""Shared fixtures: real parts only (sandbox over loopback HTTP, SQLite and PostgreSQL, a Secret
Service keyring, a local Sentry receiver, Qt offscreen).

When CI is set, a missing service is a failure rather than a skip: a skipped suite in CI hides
exactly what CI exists to catch.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Isolate every test run from the developer's own config, data, logs and keyring before any
# project module computes its platformdirs paths.
_ISOLATED = Path(tempfile.mkdtemp(prefix="viva-tests-"))
for _var, _sub in (
    ("XDG_CONFIG_HOME", "config"),
    ("XDG_DATA_HOME", "data"),
    ("XDG_CACHE_HOME", "cache"),
    ("XDG_STATE_HOME", "state"),
):
    os.environ[_var] = str(_ISOLATED / _sub)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_KEPT = ("VIVA_TEST_PG_URL", "VIVA_SKIP_BUNDLE")  # test-run switches, not app settings
for _var in [v for v in os.environ if v.startswith("VIVA_") and v not in _KEPT]:
    del os.environ[_var]
os.environ.pop("SENTRY_DSN", None)

import pytest  # noqa: E402

from tests.support.sentry_receiver import SentryReceiver  # noqa: E402

pytest_plugins = ["tests.support.service_fixtures", "tests.support.synced_fixtures"]

SAMPLES_DIR = Path(__file__).parent / "fixtures" / "contract_samples"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def need(condition: bool, reason: str) -> None:
    """Skip locally, fail in CI, when a real service the test needs is not there."""
    if condition:
        return
    if in_ci():
        pytest.fail(f"required service missing in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES_DIR


# --------------------------------------------------------------------------- PostgreSQL


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    url = os.environ.get("VIVA_TEST_PG_URL", "")
    need(bool(url), "no PostgreSQL server (run the tests through `make test`)")
    return url


@pytest.fixture
def pg_url(pg_server_url: str) -> Iterator[str]:
    """A fresh, empty database on the throwaway cluster, dropped afterwards."""
    from tests.support.postgres import scratch_database

    with scratch_database(pg_server_url) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The store's database URL, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    return request.getfixturevalue("pg_url")


# --------------------------------------------------------------------------- keyring


@pytest.fixture(scope="session")
def secret_service() -> str:
    """The real Secret Service keyring the test command runs inside; returns the backend name."""
    import keyring
    from keyring.backends import SecretService

    backend = keyring.get_keyring()
    usable = isinstance(backend, SecretService.Keyring)
    if usable:
        try:
            keyring.set_password("viva-desktop-probe", "probe", "x")
            keyring.delete_password("viva-desktop-probe", "probe")
        except Exception:
            usable = False
    need(usable, "no Secret Service keyring in a D-Bus session (run through `make test`)")
    return type(backend).__module__ + "." + type(backend).__name__


# --------------------------------------------------------------------------- Sentry


@pytest.fixture
def sentry_receiver() -> Iterator[SentryReceiver]:
    receiver = SentryReceiver().start()
    try:
        yield receiver
    finally:
        receiver.stop()


# --------------------------------------------------------------------------- sandbox server


def _start_sandbox(**options: object):  # -> SandboxServer
    from viva_desktop.sandbox import SandboxConfig, SandboxServer

    server = SandboxServer(SandboxConfig(**options))
    server.start()
    return server


@pytest.fixture
def sandbox() -> Iterator:
    """A fresh, seeded sandbox on a free loopback port, faithful to the contract: its outright
    defects (500 on creates, 500 instead of 404) are switched on."""
    server = _start_sandbox(defects=True)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def sandbox_fixed() -> Iterator:
    """A fresh sandbox behaving like a fixed server (creates work, 404 for unknown ids), as in
    the demo."""
    server = _start_sandbox(defects=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def readonly_sandbox() -> Iterator:
    """One seeded sandbox for the whole run, for tests that only read and set no faults."""
    server = _start_sandbox(defects=True)
    try:
        yield server
    finally:
        server.stop()

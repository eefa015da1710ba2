"""Logging set-up: console and JSON output, context, the live buffer, and redaction proven on
real handlers."""

from __future__ import annotations

import io
import json
import logging
import stat
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from viva_desktop.services.common import paths
from viva_desktop.services.common.config import LogSettings
from viva_desktop.services.common.logs import (
    LOG_FILE_NAME,
    REDACTED,
    LogBuffer,
    LoggingHandle,
    current_request_id,
    is_sensitive_key,
    log_context,
    redact_data,
    redact_text,
    set_active_profile,
    setup_logging,
)

JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJzdWIiOiI1ZTJiNmExZSIsInJvbGUiOiJBRE1JTiJ9."
    "Qm9ndXNTaWduYXR1cmVGb3JUZXN0c19fX19fX19fX18"
)
REFRESH = "3f2b6a1e-1111-4222-8333-444455556666"
PASSWORD = "Hunter2-very-secret"
TOTP_SECRET = "JBSWY3DPEHPK3PXP"
SECRETS = (JWT, REFRESH, PASSWORD, TOTP_SECRET, "s3cretpw", "dsnpublickey", "A1B2C3D4")


@pytest.fixture
def logging_setup(tmp_path: Path) -> Iterator[tuple[LoggingHandle, io.StringIO, Path]]:
    root = logging.getLogger()
    level = root.level
    console = io.StringIO()
    handle = setup_logging(
        LogSettings(level="DEBUG"), log_dir=tmp_path / "logs", console_stream=console
    )
    try:
        yield handle, console, tmp_path / "logs" / LOG_FILE_NAME
    finally:
        handle.close()
        root.setLevel(level)
        set_active_profile(None)


def json_lines(path: Path) -> list[dict]:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def outputs(console: io.StringIO, log_file: Path) -> tuple[str, str]:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return console.getvalue(), log_file.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- redaction (text)


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        (f"Authorization: Bearer {JWT}", JWT),
        (f"headers={{'Authorization': 'Bearer {JWT}'}}", JWT),
        (f"token {JWT} accepted", JWT),
        (f'{{"access_token": "{JWT}", "user": {{"id": "u1"}}}}', JWT),
        (f'{{"refresh_token":"{REFRESH}"}}', REFRESH),
        (f"refresh token {REFRESH} rotated", REFRESH),
        (f"refreshToken={REFRESH}", REFRESH),
        (f"login password={PASSWORD}&email=a@b.org", PASSWORD),
        (f"{{'password': '{PASSWORD}'}}", PASSWORD),
        (f'"password": "{PASSWORD}"', PASSWORD),
        (
            f'{{"twoFactorSecret": "{TOTP_SECRET}", "backupCodes": ["A1B2C3D4", "E5F6A7B8"]}}',
            "A1B2C3D4",
        ),
        (f"twoFactorSecret={TOTP_SECRET}", TOTP_SECRET),
        ("postgresql+psycopg://viva:s3cretpw@db.example.org/viva", "s3cretpw"),
        ("https://dsnpublickey@o1.ingest.sentry.io/42", "dsnpublickey"),
        ("X-Api-Key: abcdef123456", "abcdef123456"),
        ("Basic dXNlcjpwYXNzd29yZA==", "dXNlcjpwYXNzd29yZA=="),
    ],
)
def test_redact_text(text: str, secret: str) -> None:
    redacted = redact_text(text)
    assert secret not in redacted
    assert REDACTED in redacted


@pytest.mark.parametrize(
    "text",
    [
        "GET /users/3f2b6a1e-1111-4222-8333-444455556666 -> 200",  # ids are not secrets
        "postgresql+psycopg://viva@db.example.org/viva",  # a user name alone is not a secret
        "release viva-desktop@0.1.0",
        "the access token expires in 60 s",
        "maria@comunidad.local signed in",
    ],
)
def test_redact_text_leaves_harmless_text_alone(text: str) -> None:
    assert redact_text(text) == text


def test_redact_text_can_hide_emails() -> None:
    assert redact_text("maria@comunidad.local signed in", emails=True) == "[EMAIL] signed in"


def test_redact_data_by_key_and_value() -> None:
    data = {
        "user": {"email": "a@b.org", "twoFactorSecret": TOTP_SECRET, "backupCodes": ["A1B2C3D4"]},
        "access_token": JWT,
        "Authorization": f"Bearer {JWT}",
        "note": f"sent with Bearer {JWT}",
        "items": [("password", PASSWORD), {"refreshToken": REFRESH}],
        "empty_token": None,
        "count": 3,
    }
    redacted = redact_data(data)
    text = json.dumps(redacted)
    for secret in (JWT, REFRESH, TOTP_SECRET, "A1B2C3D4"):
        assert secret not in text
    assert redacted["user"]["email"] == "a@b.org"
    assert redacted["empty_token"] is None
    assert redacted["count"] == 3
    assert data["access_token"] == JWT  # a copy: the input is untouched


@pytest.mark.parametrize(
    ("key", "sensitive"),
    [
        ("password", True),
        ("newPassword", True),
        ("access_token", True),
        ("accessToken", True),
        ("X-Api-Key", True),
        ("Authorization", True),
        ("backupCodes", True),
        ("JWT_SECRET", True),
        ("sentry_dsn", True),
        ("email", False),
        ("request_id", False),
        ("userId", False),
    ],
)
def test_sensitive_keys(key: str, sensitive: bool) -> None:
    assert is_sensitive_key(key) is sensitive


token_chars = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


SECRET_TEMPLATES = [
    "Authorization: Bearer {t}",
    "password={t}",
    '{{"refresh_token": "{t}"}}',
    "{{'access_token': '{t}'}}",
    "eyJ{t}.eyJ{u}.{u}",
    "postgresql+psycopg://viva:{t}@db/viva",
]


@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=40),
    token_chars.filter(lambda s: len(s) >= 8),
    token_chars.filter(lambda s: len(s) >= 8),
    st.text(max_size=40),
    st.sampled_from(SECRET_TEMPLATES),
)
def test_injected_secrets_never_survive(
    prefix: str, token: str, other: str, suffix: str, template: str
) -> None:
    assume(token not in prefix + suffix)
    redacted = redact_text(f"{prefix} {template.format(t=token, u=other)} {suffix}")
    assert token not in redacted


# --------------------------------------------------------------------------- handlers


def test_console_and_json_file_redact_message_args_extra_and_exceptions(logging_setup) -> None:
    _handle, console, log_file = logging_setup
    log = logging.getLogger("viva.test.redaction")
    log.info("login reply %s", {"access_token": JWT, "refresh_token": REFRESH})
    log.warning("refresh with refresh_token=%s failed", REFRESH)
    log.info(
        "user update",
        extra={"payload": {"password": PASSWORD, "name": "Ana"}, "twoFactorSecret": TOTP_SECRET},
    )
    log.info("store at %s", "postgresql+psycopg://viva:s3cretpw@db/viva")
    log.info("sentry %s", "https://dsnpublickey@o1.ingest.sentry.io/42")
    try:
        raise RuntimeError(f"request failed: Authorization: Bearer {JWT}, backupCodes=[A1B2C3D4]")
    except RuntimeError:
        log.exception("API call failed")
    console_text, file_text = outputs(console, log_file)
    for text in (console_text, file_text):
        for secret in SECRETS:
            assert secret not in text, secret
        assert REDACTED in text
    records = json_lines(log_file)
    assert [r["message"].split(" ")[0] for r in records] == [
        "login",
        "refresh",
        "user",
        "store",
        "sentry",
        "API",
    ]
    assert records[2]["extra"]["payload"] == {"password": REDACTED, "name": "Ana"}
    assert records[2]["extra"]["twoFactorSecret"] == REDACTED
    assert "RuntimeError: request failed" in records[-1]["exception"]
    assert "Traceback" in console_text


def test_buffer_entries_are_redacted_too(logging_setup) -> None:
    handle, _console, _file = logging_setup
    logging.getLogger("viva.test").error("token %s", JWT)
    [entry] = [e for e in handle.buffer.records() if e["logger"] == "viva.test"]
    assert JWT not in json.dumps(entry)
    assert entry["level"] == "ERROR"


def test_json_lines_carry_context(logging_setup) -> None:
    from viva_desktop.services.remote.api.client import current_request_id as api_request_id

    _handle, console, log_file = logging_setup
    log = logging.getLogger("viva.test.context")
    set_active_profile("Producción")
    log.info("plain")
    with log_context(profile="Local", request_id="req-own"):
        log.info("inside")
    token = api_request_id.set("req-from-api-client")
    try:
        assert current_request_id() == "req-from-api-client"
        log.info("during a request")
    finally:
        api_request_id.reset(token)
    worker = threading.Thread(target=lambda: log.info("from a worker"), name="worker-1")
    worker.start()
    worker.join()
    records = {r["message"]: r for r in json_lines(log_file)}
    assert records["plain"]["profile"] == "Producción"
    assert records["plain"]["request_id"] == "-"
    assert records["inside"]["profile"] == "Local"
    assert records["inside"]["request_id"] == "req-own"
    assert records["during a request"]["request_id"] == "req-from-api-client"
    assert records["from a worker"]["profile"] == "Producción"  # process-wide default
    assert records["from a worker"]["thread"] == "worker-1"
    first = records["plain"]
    assert first["module"] == "test_logs"
    assert first["logger"] == "viva.test.context"
    assert first["time"].endswith("+00:00")
    assert "profile=Local request=req-own: inside" in console.getvalue()


def test_level_changes_at_run_time(logging_setup) -> None:
    handle, _console, log_file = logging_setup
    log = logging.getLogger("viva.test.level")
    handle.set_level("warning")
    assert handle.level == "WARNING"
    log.info("hidden")
    log.warning("shown")
    handle.set_level(logging.DEBUG)
    log.debug("debug shown")
    messages = [r["message"] for r in json_lines(log_file)]
    assert messages == ["shown", "debug shown"]


def test_files_are_private_and_rotate(tmp_path: Path) -> None:
    root_level = logging.getLogger().level
    handle = setup_logging(
        LogSettings(console=False, file_max_bytes=10_000, file_backups=2), log_dir=tmp_path / "logs"
    )
    try:
        log = logging.getLogger("viva.test.rotation")
        for index in range(400):
            log.info("line %d %s", index, "x" * 60)
        for handler in handle.handlers:
            handler.flush()
        folder = tmp_path / "logs"
        files = sorted(p.name for p in folder.iterdir())
        assert files == [LOG_FILE_NAME, f"{LOG_FILE_NAME}.1", f"{LOG_FILE_NAME}.2"]
        for path in folder.iterdir():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert all(p.stat().st_size <= 10_000 for p in folder.iterdir())
    finally:
        handle.close()
        logging.getLogger().setLevel(root_level)


def test_default_folder_and_replacement(tmp_path: Path) -> None:
    root = logging.getLogger()
    before = list(root.handlers)
    first = setup_logging(LogSettings(console=False))
    assert first.log_file == paths.log_dir() / LOG_FILE_NAME
    second = setup_logging(LogSettings(console=False, json_file=False))
    try:
        assert second.log_file is None
        assert all(h not in root.handlers for h in first.handlers)  # replaced, not stacked
        assert all(h in root.handlers for h in second.handlers)
    finally:
        second.close()
        second.close()  # idempotent
    assert root.handlers == before


# --------------------------------------------------------------------------- the live buffer


def test_log_buffer_ring_and_subscriptions() -> None:
    buffer = LogBuffer(capacity=3)
    seen: list[str] = []
    unsubscribe = buffer.subscribe(lambda entry: seen.append(entry["message"]))
    buffer.subscribe(lambda entry: 1 / 0)  # a broken subscriber does not stop the others
    log = logging.getLogger(f"viva.test.buffer.{uuid.uuid4().hex}")
    log.propagate = False
    log.addHandler(buffer)
    log.setLevel(logging.INFO)
    for index in range(5):
        log.info("entry %d", index)
    unsubscribe()
    log.info("after")
    assert [e["message"] for e in buffer.records()] == ["entry 3", "entry 4", "after"]
    assert seen == [f"entry {i}" for i in range(5)]
    buffer.clear()
    assert buffer.records() == []


def test_log_buffer_subscriber_that_logs_is_not_reentered() -> None:
    buffer = LogBuffer()
    log = logging.getLogger(f"viva.test.reentry.{uuid.uuid4().hex}")
    log.propagate = False
    log.addHandler(buffer)
    log.setLevel(logging.INFO)
    buffer.subscribe(lambda entry: log.info("echo of %s", entry["message"]))
    log.info("first")
    assert [e["message"] for e in buffer.records()] == ["first"]


def test_log_buffer_is_thread_safe() -> None:
    buffer = LogBuffer(capacity=10_000)
    counted: list[int] = []
    lock = threading.Lock()

    def count(entry: dict) -> None:
        with lock:
            counted.append(1)

    buffer.subscribe(count)
    log = logging.getLogger(f"viva.test.threads.{uuid.uuid4().hex}")
    log.propagate = False
    log.addHandler(buffer)
    log.setLevel(logging.INFO)
    threads = [
        threading.Thread(target=lambda: [log.info("m") for _ in range(250)]) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(buffer.records()) == 2000
    assert len(counted) == 2000


def test_an_unusable_log_folder_does_not_stop_the_app(tmp_path: Path) -> None:
    root_level = logging.getLogger().level
    blocker = tmp_path / "logs"
    blocker.write_text("a file where the folder should be")
    console = io.StringIO()
    handle = setup_logging(LogSettings(), log_dir=blocker, console_stream=console)
    try:
        assert handle.log_file is None
        assert handle.file_error
        logging.getLogger("viva.test").info("still logging")
        assert "still logging" in console.getvalue()
        assert "No log file" in console.getvalue()
        assert [e["message"] for e in handle.buffer.records()][-1] == "still logging"
    finally:
        handle.close()
        logging.getLogger().setLevel(root_level)

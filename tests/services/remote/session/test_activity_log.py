"""What an administrator reads in the Logs page (issue 17, defect 4): sign-ins that failed or
worked, sign-outs, writes sent (creates, edits, grants, decisions) and refused, exports; each
with the id of the request it made, so the Request column is filled wherever there is one."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.services.remote.session.conftest import RigFactory
from viva_desktop.sandbox import SandboxServer
from viva_desktop.sandbox.seed import ADMIN_EMAIL, DEMO_PASSWORD
from viva_desktop.services.common.config import LogSettings
from viva_desktop.services.common.logs import LogBuffer, setup_logging
from viva_desktop.services.local.store import open_store
from viva_desktop.services.remote.api.errors import InvalidCredentials, NotFound


@pytest.fixture
def buffer(tmp_path: Path):
    settings = LogSettings(level="INFO", json_file=False, console=False)
    handle = setup_logging(settings, log_dir=tmp_path)
    try:
        yield handle.buffer
    finally:
        handle.close()


def lines(buffer: LogBuffer, needle: str) -> list[dict]:
    return [r for r in buffer.records() if needle in r["message"]]


def test_sign_ins_and_outs_are_logged_with_their_request(
    sandbox: SandboxServer, make_rig: RigFactory, buffer: LogBuffer
) -> None:
    rig = make_rig(sandbox.url)
    with pytest.raises(InvalidCredentials) as refused:
        rig.session.login(ADMIN_EMAIL, "not-the-password")
    [failed] = lines(buffer, "failed: InvalidCredentials")
    assert failed["level"] == "WARNING"
    assert failed["request_id"] == refused.value.details.request_id != "-"
    rig.session.login(ADMIN_EMAIL, DEMO_PASSWORD)
    [signed_in] = lines(buffer, "signed in to test")
    assert signed_in["level"] == "INFO"
    assert len(signed_in["request_id"]) == 32
    login_calls = [e for e in rig.recorder.events if e.path == "/auth/login"]
    assert signed_in["request_id"] == login_calls[-1].request_id
    rig.session.logout()
    [signed_out] = lines(buffer, "signed out of test")
    assert signed_out["request_id"] not in ("-", signed_in["request_id"])
    assert DEMO_PASSWORD not in str(buffer.records())


def test_writes_are_logged_at_info_and_refusals_as_warnings(
    sandbox: SandboxServer, make_rig: RigFactory, buffer: LogBuffer
) -> None:
    rig = make_rig(sandbox.url)
    rig.session.login(ADMIN_EMAIL, DEMO_PASSWORD)
    before = len(buffer.records())
    rig.api.posts.list()  # reads stay out of an INFO log
    assert {r["level"] for r in lines(buffer, "GET /posts")} <= {"DEBUG"}
    post = rig.api.posts.create({"content": "Hola vecinos", "type": "STORY"})
    [created] = lines(buffer, "POST /posts -> 201")
    assert created["level"] == "INFO"
    assert created["request_id"] == rig.recorder.events[-1].request_id
    rig.api.posts.update(post.id, {"content": "Hola, vecinas"})
    [edited] = lines(buffer, f"PUT /posts/{post.id} -> 200")
    assert edited["level"] == "INFO"
    missing = "00000000-0000-4000-8000-000000000000"
    with pytest.raises(NotFound):
        rig.api.posts.delete(missing)
    refused = [
        r for r in buffer.records()[before:] if f"DELETE /posts/{missing} -> 404" in r["message"]
    ]
    assert refused
    assert refused[0]["level"] == "WARNING"
    assert refused[0]["request_id"] != "-"


def test_exports_are_logged(tmp_path: Path, buffer: LogBuffer) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    try:
        count = store.export("offers", tmp_path / "offers.csv", profile="test")
    finally:
        store.close()
    [exported] = lines(buffer, "exported")
    assert exported["message"].startswith(f"exported {count} offers of test as csv to ")
    assert exported["level"] == "INFO"

"""The embedding API, persistence in a file, `scale`, and the command line."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.sandbox.conftest import Api
from viva_desktop.sandbox import Faults, SandboxConfig, SandboxServer
from viva_desktop.sandbox.seed import CITIZEN_EMAIL

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_start_stop_releases_the_port_and_works_as_a_context_manager() -> None:
    with SandboxServer(SandboxConfig()) as server:
        port = server.port
        assert server.url == f"http://127.0.0.1:{port}"
        assert httpx.get(f"{server.url}/health").json()["status"] == "ok"
        assert server.running
    assert not server.running
    with SandboxServer(SandboxConfig(port=port)) as again:  # the port is free again at once
        assert again.port == port
    server.stop()  # stopping twice is harmless


def test_a_busy_port_is_an_error() -> None:
    with SandboxServer(SandboxConfig()) as server, pytest.raises(OSError):
        SandboxServer(SandboxConfig(port=server.port)).start()


def test_faults_can_be_set_before_start() -> None:
    server = SandboxServer(SandboxConfig())
    server.set_faults(error_rate=1.0)
    assert server.faults == Faults(error_rate=1.0)
    with server:
        assert httpx.get(f"{server.url}/health").status_code == 503
        assert server.clear_faults() == Faults()
        assert httpx.get(f"{server.url}/health").status_code == 200


def test_invalid_configuration_is_refused() -> None:
    with pytest.raises(ValueError, match="environment"):
        SandboxConfig(environment="staging")
    with pytest.raises(ValueError, match="jwt_secret"):
        SandboxConfig(jwt_secret="short")


def test_data_persists_in_a_database_file(tmp_path: Path, api_for) -> None:
    path = tmp_path / "sandbox.sqlite3"
    with SandboxServer(SandboxConfig(database_url=str(path))) as first:
        api = api_for(first)
        maria = api.login(CITIZEN_EMAIL)
        api.post("/social/posts", maria, json={"content": "Sigo aquí"})
    with SandboxServer(SandboxConfig(database_url=f"sqlite:///{path}")) as second:
        api = api_for(second)
        maria = api.login(CITIZEN_EMAIL)  # seeded once, not twice
        posts = api.get(f"/social/users/{maria.id}/posts", params={"limit": 100}).json()
        assert "Sigo aquí" in [p["content"] for p in posts]


def test_an_unseeded_server_has_empty_tables(make_server, api_for) -> None:
    api = api_for(make_server(seed=False))
    assert api.get("/offers").json() == []
    assert api.register("primera@example.com").user["email"] == "primera@example.com"


def test_each_server_has_its_own_data(api: Api, make_server, api_for) -> None:
    other = api_for(make_server())
    maria = api.login(CITIZEN_EMAIL)
    api.post("/social/posts", maria, json={"content": "Solo en uno"})
    elsewhere = other.get(f"/social/users/{maria.id}/posts", params={"limit": 100}).json()
    assert "Solo en uno" not in [p["content"] for p in elsewhere]


def test_scale_generates_proportional_data(make_server, api_for) -> None:
    api = api_for(make_server(scale=3000))
    offset, seen = 0, 0
    while page := api.get("/posts", params={"limit": 500, "offset": offset}).json():
        seen += len(page)
        offset += 500
    assert seen >= 3000
    assert len(api.get("/offers").json()) >= 250
    assert api.get("/events", params={"upcoming": "false", "limit": 1}).json()["total"] >= 60


def test_the_command_line_serves_until_terminated() -> None:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "viva_desktop.sandbox",
            "--port",
            str(port),
            "--no-defects",
            "--scale",
            "100",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()  # printed once the server answers
        assert re.search(rf"listening on http://127\.0\.0\.1:{port}", line), (
            line + process.stderr.read()
        )
        assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=10).json()["status"] == "ok"
        missing = httpx.get(f"http://127.0.0.1:{port}/offers/00000000-0000-0000-0000-000000000000")
        assert missing.status_code == 404  # --no-defects
    finally:
        process.terminate()
        assert process.wait(timeout=20) == 0


def test_the_command_line_rejects_bad_options() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "viva_desktop.sandbox", "--error-rate", "3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "error_rate" in result.stderr

"""`viva-desktop smoke` as a user runs it: exit codes, JUnit file, JSON, secrets kept out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from tests.support.sandboxes import free_port
from viva_desktop.cli import smoke as smoke_cli
from viva_desktop.sandbox.seed import ADMIN_EMAIL, DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "viva_desktop.cli.smoke", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_failures_give_a_non_zero_exit_and_a_junit_file(sandbox: Any, tmp_path: Path) -> None:
    junit = tmp_path / "reports" / "smoke.xml"
    done = run_cli("--server", sandbox.url, "--junit", str(junit))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "FAIL    hardening.api_docs" in done.stdout
    assert "passed" in done.stdout
    assert done.stderr == ""
    suite = ET.parse(junit).getroot().find("testsuite")  # noqa: S314 - our own file
    assert suite is not None
    assert int(suite.attrib["failures"]) >= 5
    assert int(suite.attrib["tests"]) == len(suite.findall("testcase"))
    failed = {
        c.attrib["name"].split(":")[0]
        for c in suite.findall("testcase")
        if c.find("failure") is not None
    }
    assert {"hardening.api_docs", "hardening.stack_traces", "hardening.rate_limit"} <= failed


def test_a_clean_read_only_run_exits_zero(production_sandbox: Any, tmp_path: Path) -> None:
    done = run_cli("--server", production_sandbox.url, "--read-only", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["exit_code"] == 0
    assert report["read_only"] is True
    assert report["counts"]["fail"] == 0
    assert report["counts"]["error"] == 0


def test_the_password_comes_from_the_environment_and_never_shows(
    sandbox: Any, tmp_path: Path
) -> None:
    junit = tmp_path / "smoke.xml"
    done = run_cli(
        "--server",
        sandbox.url,
        "--email",
        ADMIN_EMAIL,
        "--password-env",
        "VIVA_SMOKE_PW",
        "--read-only",
        "--junit",
        str(junit),
        env={"VIVA_SMOKE_PW": DEMO_PASSWORD},
    )
    assert "PASS    auth.login" in done.stdout, done.stdout + done.stderr
    assert "PASS    credits.balance" in done.stdout
    for text in (done.stdout, done.stderr, junit.read_text(encoding="utf-8")):
        assert DEMO_PASSWORD not in text


def test_backend_down_exits_non_zero_with_a_clear_line(tmp_path: Path) -> None:
    junit = tmp_path / "smoke.xml"
    done = run_cli("--server", f"http://127.0.0.1:{free_port()}", "--junit", str(junit))
    assert done.returncode == 1
    assert "ERROR   health.basic" in done.stdout
    assert "Connection refused" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    root = ET.parse(junit).getroot()  # noqa: S314 - our own file
    assert root.find("testsuite/testcase/error") is not None


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--server", "127.0.0.1:4000"], {}, "must start with http"),
        (["--server", "http://h", "--email", "a@b.c"], {}, "needs --password-env"),
        (["--server", "http://h", "--password-env", "X"], {}, "needs --email"),
        (
            ["--server", "http://h", "--email", "a@b.c", "--password-env", "VIVA_UNSET_PW"],
            {},
            "VIVA_UNSET_PW is not set",
        ),
        (["--server", "http://h", "--timeout", "0"], {}, "--timeout"),
        (["--server", "https://h", "--ca-bundle", "/nonexistent.pem"], {}, "no such file"),
    ],
)
def test_usage_errors_exit_two(
    args: list[str],
    env: dict[str, str],
    message: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("VIVA_UNSET_PW", raising=False)
    assert smoke_cli.main(args) == 2
    assert message in capsys.readouterr().err


def test_argparse_errors_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert smoke_cli.main([]) == 2  # --server is required
    assert smoke_cli.main(["--server", "https://h", "--insecure", "--ca-bundle", "x"]) == 2
    assert smoke_cli.main(["--help"]) == 0
    assert "--password-env" in capsys.readouterr().out


def test_the_app_entry_point_dispatches_to_the_smoke_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from viva_desktop.app import main

    assert main(["smoke", "--server", f"http://127.0.0.1:{free_port()}"]) == 1
    assert "ERROR   health.basic" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("server", "message"),
    [
        ("http://[::1", "--server is not a valid URL"),
        ("http://", "--server has no host name"),
        ("http://127.0.0.1:99999", "the port must be a number from 1 to 65535"),
        ("http://127.0.0.1:0", "the port must be a number from 1 to 65535"),
        ("http://127.0.0.1:abc", "the port must be a number from 1 to 65535"),
    ],
)
def test_a_server_that_is_not_a_url_is_a_usage_error(server: str, message: str) -> None:
    """Issue 17, item 3: what is not a URL ends at once with exit 2 and one line naming the
    problem, before any check runs (no "This is a bug" lines, no "connection refused")."""
    done = run_cli("--server", server)
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in done.stderr
    assert repr(server) in done.stderr
    assert "This is a bug" not in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert "refused" not in (done.stdout + done.stderr).lower()
    assert done.stdout == ""

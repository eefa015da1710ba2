"""`viva-desktop sync`: the app's sync engine headless against a real sandbox that enforces
short rate-limit windows, into a real store (SQLite and PostgreSQL); exit 0 when every entity
is complete, 1 when not, 2 for bad arguments."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.sandboxes import start_sandbox
from viva_desktop.cli import SUBCOMMANDS
from viva_desktop.cli import sync as sync_cli
from viva_desktop.cli.sync_progress import ProgressPrinter
from viva_desktop.sandbox import SandboxServer
from viva_desktop.sandbox.seed import ADMIN_EMAIL, DEMO_PASSWORD
from viva_desktop.services.local.store import open_store
from viva_desktop.services.local.sync import ENTITIES, SyncProgress

PROFILE = "team"


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    server = start_sandbox(enforce_rate_limits=True, rate_window_ms=500, scale=15)
    yield server
    server.stop()


@pytest.fixture
def config(server: SandboxServer, store_url: str, tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f'store_url = "{store_url}"\n\n[[profiles]]\nname = "{PROFILE}"\nurl = "{server.url}"\n',
        encoding="utf-8",
    )
    return path


def run(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = sync_cli.run_command(
        sync_cli.build_parser(), args, lambda a: sync_cli._run(a, out, err), stderr=err
    )
    return code, out.getvalue(), err.getvalue()


def test_it_is_listed_among_the_sub_commands() -> None:
    assert "sync" in SUBCOMMANDS


def test_a_full_sync_through_enforced_limits_completes_every_entity(
    config: Path, store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VIVA_TEST_PW", DEMO_PASSWORD)
    code, out, err = run(
        [
            "--config", str(config), "--profile", PROFILE, "--email", ADMIN_EMAIL,
            "--password-env", "VIVA_TEST_PW", "--page-size", "5", "--json",
        ]
    )  # fmt: skip
    assert code == 0, err
    result = json.loads(out)
    assert result["profile"] == PROFILE
    assert result["account"] == ADMIN_EMAIL
    assert set(result["entities"]) == set(ENTITIES)
    assert all(e["status"] == "complete" for e in result["entities"].values())
    with open_store(store_url, attempts=1) as store:
        assert result["entities"]["posts"]["records"] == store.data_age("posts", PROFILE).count
    assert "posts:" in err  # plain progress lines: stderr is not a terminal here
    assert "\r" not in err


def test_only_the_chosen_entities_and_a_failed_sign_in_is_exit_1(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VIVA_TEST_PW", DEMO_PASSWORD)
    base = ["--config", str(config), "--profile", PROFILE, "--email", ADMIN_EMAIL]
    code, out, _ = run([*base, "--password-env", "VIVA_TEST_PW", "--entities", "offers,events"])
    assert code == 0
    assert [line.split(":")[0] for line in out.splitlines()] == ["offers", "events"]
    monkeypatch.setenv("VIVA_WRONG_PW", "not-the-password")
    code, out, err = run([*base, "--password-env", "VIVA_WRONG_PW", "--json"])
    assert code == 1
    assert "cannot sign in" in err
    assert json.loads(out)["entities"] == {}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--entities", "offers,nope"], "unknown nope"),
        (["--page-size", "0"], "--page-size"),
        (["--password-env", "VIVA_UNSET_VARIABLE"], "VIVA_UNSET_VARIABLE"),
    ],
)
def test_bad_arguments_exit_2(
    config: Path, extra: list[str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VIVA_UNSET_VARIABLE", raising=False)
    monkeypatch.setenv("VIVA_TEST_PW", DEMO_PASSWORD)
    args = ["--config", str(config), "--profile", PROFILE, "--email", ADMIN_EMAIL]
    if "--password-env" not in extra:
        args += ["--password-env", "VIVA_TEST_PW"]
    code, _, err = run(args + extra)
    assert code == 2
    assert message in err


def test_a_terminal_gets_one_redrawn_bar() -> None:
    stream = io.StringIO()
    printer = ProgressPrinter(stream, tty=True)
    printer(SyncProgress("posts", 1, 50, 200, 10.0, 15.0, False, False))
    printer(SyncProgress("posts", 4, 200, 200, 10.0, 0.0, True, False))
    text = stream.getvalue()
    assert text.startswith("\r[")
    assert "posts: 200/200 records, 4 pages, complete" in text
    assert text.endswith("\n")
    assert text.count("\n") == 1


def test_two_processes_syncing_one_profile_into_postgresql_never_fail(
    pg_url: str, tmp_path: Path
) -> None:
    """Two `viva-desktop sync` processes on one team store at once: the second waits for each
    entity the first is writing, then skips it as synced by the first; both exit 0."""
    import subprocess
    import sys

    from tests.support.child_env import child_env

    server = start_sandbox(defects=False)
    try:
        server.set_faults(latency_ms=120)  # long enough for the two runs to meet
        config = tmp_path / "config.toml"
        config.write_text(
            f'store_url = "{pg_url}"\n\n[[profiles]]\nname = "{PROFILE}"\nurl = "{server.url}"\n',
            encoding="utf-8",
        )
        env = {**child_env(tmp_path / "home"), "VIVA_TEST_PW": DEMO_PASSWORD}
        command = [
            sys.executable, "-m", "viva_desktop", "sync", "--config", str(config),
            "--profile", PROFILE, "--email", ADMIN_EMAIL, "--password-env", "VIVA_TEST_PW",
            "--page-size", "50", "--json",
        ]  # fmt: skip
        runs = [
            subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(2)
        ]
        outputs = [run.communicate(timeout=120) for run in runs]
    finally:
        server.stop()
    results = []
    for run, (out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err.decode()
        results.append(json.loads(out))
    for result in results:
        assert all(e["status"] == "complete" for e in result["entities"].values()), result
    notes = [e.get("note", "") for r in results for e in r["entities"].values()]
    assert any(n.startswith("synced by ") for n in notes), results
    assert any("being synced by" in err.decode() for _, err in outputs)

"""`viva-desktop watch` against three sandboxes: JSON per deployment, exit codes, the history
in the store, alerts to a webhook given on the command line, and bad arguments."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.alert_receivers import WebhookReceiver
from tests.support.sandboxes import start_sandbox
from viva_desktop.cli import watch as watch_cli
from viva_desktop.services.local.store import open_store

ROOT = Path(__file__).resolve().parents[2]


def run_watch(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "viva_desktop.cli.watch", *args],
        cwd=ROOT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def fleet() -> Iterator[dict[str, Any]]:
    servers = {name: start_sandbox(seed=False) for name in ("alpha", "beta", "gamma")}
    try:
        yield servers
    finally:
        for server in servers.values():
            server.stop()


@pytest.fixture
def config(fleet: dict[str, Any], tmp_path: Path) -> Path:
    lines = []
    for name, server in fleet.items():
        lines += ["[[profiles]]", f'name = "{name}"', f'url = "{server.url}"', ""]
    lines += ["[fleet]", "pending_checks = 2", "keep_firing_s = 0", ""]
    path = tmp_path / "config.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_once_json_and_exit_codes(fleet: dict[str, Any], config: Path, tmp_path: Path) -> None:
    store_url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    fleet["beta"].set_faults(db_down=True)
    try:
        result = run_watch("--config", str(config), "--store-url", store_url, "--once", "--json")
    finally:
        fleet["beta"].clear_faults()
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    assert data[0]["profile"] == "beta"  # worst first
    by_name = {d["profile"]: d for d in data}
    assert set(by_name) == {"alpha", "beta", "gamma"}
    beta = by_name["beta"]
    assert beta["state"] == "unhealthy"
    assert beta["url"] == fleet["beta"].url
    assert beta["incident"]["state"] == "unhealthy"
    assert beta["incident"]["cause"] == "database_down"
    assert beta["availability"] == {"24h": 0.0, "7d": 0.0, "30d": 0.0}
    alpha = by_name["alpha"]
    assert alpha["state"] == "healthy"
    assert alpha["incident"] is None
    assert alpha["latency_ms"] > 0
    assert set(alpha) >= {"profile", "url", "state", "latency_ms", "availability", "incident"}

    again = run_watch("--config", str(config), "--store-url", store_url, "--once", "--json")
    assert again.returncode == 0, again.stderr
    with open_store(store_url) as store:
        assert len(store.health_samples("beta")) == 2  # the same history the app keeps


def test_profile_filter_and_text_output(config: Path, tmp_path: Path) -> None:
    store_url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    result = run_watch(
        "--config", str(config), "--store-url", store_url, "--profile", "gamma", "--once"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("gamma: Healthy, ")  # the state as people read it
    assert "alpha" not in result.stdout


def test_duration_sends_the_alert_to_a_command_line_webhook(
    fleet: dict[str, Any], config: Path, tmp_path: Path
) -> None:
    receiver = WebhookReceiver().start()
    fleet["alpha"].set_faults(db_down=True)
    try:
        result = run_watch(
            "--config", str(config),
            "--store-url", f"sqlite:///{tmp_path / 'store.sqlite3'}",
            "--profile", "alpha",
            "--interval", "1",
            "--duration", "3.5",
            "--webhook", receiver.url,
        )  # fmt: skip
    finally:
        fleet["alpha"].clear_faults()
        receiver.stop()
    assert result.returncode == 1, result.stderr
    assert "FIRING alpha" in result.stdout
    [body] = receiver.bodies
    assert body["profile"] == "alpha"
    assert body["state"] == "unhealthy"
    assert body["previous_state"] is None  # nothing was known before the first check
    assert body["alert"] == "firing"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--once", "--duration", "5"], "not allowed with argument"),
        (["--interval", "0"], "--interval must be between"),
        (["--duration", "-1"], "--duration must be a positive"),
        (["--webhook", "ftp://x"], "--webhook needs an http"),
        (["--profile", "nope"], "no profile named 'nope'"),
        (["--interval", "soon"], "invalid float value"),
    ],
)
def test_bad_arguments_exit_2(
    config: Path, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert watch_cli.main(["--config", str(config), *args]) == 2
    assert message in capsys.readouterr().err


def test_a_missing_config_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert watch_cli.main(["--config", str(tmp_path / "none.toml"), "--once"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_no_deployment_to_watch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "c.toml"
    path.write_text("", encoding="utf-8")  # only the built-in sandbox, which is not running
    assert watch_cli.main(["--config", str(path), "--once"]) == 2
    assert "no deployment to watch" in capsys.readouterr().err


def test_the_lines_for_people_speak_the_chosen_language(
    fleet: dict[str, Any], config: Path, tmp_path: Path
) -> None:
    """Without --json each deployment is one line for people: states, causes and words in
    the --lang language (the JSON keeps its fixed identifiers for scripts)."""
    store_url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    fleet["beta"].set_faults(db_down=True)
    try:
        spanish = run_watch(
            "--config", str(config), "--store-url", store_url, "--once", "--lang", "es"
        )
        english = run_watch("--config", str(config), "--store-url", store_url, "--once")
    finally:
        fleet["beta"].clear_faults()
    assert spanish.returncode == english.returncode == 1, spanish.stderr
    beta_es = next(line for line in spanish.stdout.splitlines() if line.startswith("beta:"))
    beta_en = next(line for line in english.stdout.splitlines() if line.startswith("beta:"))
    assert "incidencia desde" in beta_es
    assert "incident since" not in beta_es
    assert "unhealthy" not in beta_es.lower()
    assert beta_en.startswith("beta: Unhealthy (database down), ")
    assert "incident since" in beta_en
    assert "database down" in beta_en

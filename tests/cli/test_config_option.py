"""`viva-desktop --config FILE` with a file that is missing or broken: the start ends at once
with exit status 2 and a message naming the file (and the line and column of a TOML error),
instead of opening the window on the defaults (issue 17, defect 2)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.child_env import child_env
from viva_desktop.cli.config_file import explicit_config_problem

ROOT = Path(__file__).resolve().parents[2]


def start_gui(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "viva_desktop.app", *args],
        cwd=ROOT,
        env=child_env(home),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_missing_config_file_ends_the_start_with_exit_two(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "config.toml"
    done = start_gui(tmp_path, "--config", str(missing), "--offline")
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.strip() == f"viva-desktop: --config: no such file: {missing}"
    assert not (tmp_path / "nowhere").exists()  # nothing created in its place


def test_a_config_file_that_is_not_toml_names_the_line_and_column(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    text = 'active_profile = "Sandbox"\n\n[log]\nlevel = \n'
    broken.write_text(text, encoding="utf-8")
    done = start_gui(tmp_path, "--config", str(broken), "--offline")
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"{broken}:4:9" in done.stderr
    assert "line 4, column 9" in done.stderr
    assert "Traceback" not in done.stderr
    assert broken.read_text(encoding="utf-8") == text  # left exactly as it was


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "is a folder"),
        (b"\xff\xfe[log]\n", "is not UTF-8 text"),
        (b'[ui]\nlanguage = "es"\n', None),
    ],
)
def test_explicit_config_problem(tmp_path: Path, content: bytes | None, expected: str | None):
    target = tmp_path / "config.toml"
    if content is None:
        target.mkdir()
    else:
        target.write_bytes(content)
    problem = explicit_config_problem(target)
    if expected is None:
        assert problem is None
    else:
        assert problem is not None
        assert expected in problem
        assert str(target) in problem

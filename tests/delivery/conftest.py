"""Fixtures of the delivery tests: the PyInstaller bundle, built once per run by the same
script a packager uses (`scripts/bundle.sh`), and a way to run it in a private home.

Building takes about a minute; `VIVA_SKIP_BUNDLE=1` skips the bundle tests on a developer's
machine. In CI a skipped bundle is a failure, like any other missing piece.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import need

ROOT = Path(__file__).resolve().parents[2]
BUILD_TIMEOUT_S = 900
RUN_TIMEOUT_S = 120


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "bundle: builds the PyInstaller bundle (about a minute); VIVA_SKIP_BUNDLE=1 skips it "
        "outside CI",
    )


@dataclass(frozen=True)
class Bundle:
    folder: Path

    @property
    def executable(self) -> Path:
        return self.folder / "viva-desktop"

    @property
    def internal(self) -> Path:
        """Where PyInstaller 6 puts everything but the executable (`sys._MEIPASS`)."""
        return self.folder / "_internal"


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    need(
        os.environ.get("VIVA_SKIP_BUNDLE", "") in ("", "0"),
        "VIVA_SKIP_BUNDLE is set: the bundle is not built",
    )
    need(
        Path(sys.executable).with_name("pyinstaller").exists(),
        "PyInstaller is not installed (scripts/bootstrap.sh dev)",
    )
    base = tmp_path_factory.mktemp("bundle")
    result = subprocess.run(
        [
            str(ROOT / "scripts" / "bundle.sh"),
            "--dist",
            str(base / "dist"),
            "--work",
            str(base / "work"),
            "--no-check",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"scripts/bundle.sh failed ({result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-6000:]}"
        )
    built = Bundle(base / "dist" / "viva-desktop")
    assert built.executable.is_file(), result.stdout + result.stderr
    return built


@dataclass(frozen=True)
class Home:
    """A private home for one run of the bundle: config, data (the store) and logs."""

    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            HOME=str(self.root),
            XDG_CONFIG_HOME=str(self.root / "config"),
            XDG_DATA_HOME=str(self.data),
            XDG_CACHE_HOME=str(self.root / "cache"),
            XDG_STATE_HOME=str(self.root / "state"),
            QT_QPA_PLATFORM="offscreen",
        )
        env.update(extra)
        return env


@pytest.fixture
def home(tmp_path: Path) -> Home:
    return Home(tmp_path / "home")


def run_bundle(
    bundle: Bundle, home: Home, *args: str, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(bundle.executable), *args],
        env=home.env(**env),
        cwd=home.root.parent,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )

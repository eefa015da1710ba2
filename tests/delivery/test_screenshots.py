"""The README's screenshots script: the real app on its sandbox, a sync so the browsers show
data, every page saved as a PNG, and the app quits by itself. Offscreen here; the script runs
it under Xvfb (`scripts/screenshots.sh`)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from viva_desktop.ui.pages import pages

from .conftest import ROOT, Home

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]


def test_every_page_is_saved_after_a_sync_and_the_app_quits(tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    out = tmp_path / "shots"
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "take_screenshots.py"), "--out", str(out)],
        env=home.env(),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    expected = {spec.key for spec in pages()} | {"login"}
    assert {p.stem for p in out.glob("*.png")} == expected
    for path in out.glob("*.png"):
        image = QImage(str(path))
        assert not image.isNull(), path
        assert image.width() >= 300, (path, image.width())
    # The tour waited for the sync: the store holds what the browsers showed.
    log = result.stderr
    assert "sync finished before the screenshots" in log, log[-3000:]
    assert log.index("sync finished before") < log.index("saving screenshots to")
    with sqlite3.connect(home.data / "viva-desktop" / "store.sqlite3") as db:
        (posts,) = db.execute("SELECT count(*) FROM posts").fetchone()
    assert posts > 0

"""The PyInstaller bundle, built by `scripts/bundle.sh` exactly as a packager would: it starts,
passes its own self-test, finds the system keyring, upgrades a store with the migrations it
carries, runs the smoke command against a live server, and leaves out what the app never uses
(WebEngine, Quick/QML, the GTK stack)."""

from __future__ import annotations

import ast
import json
import os
import queue
import re
import sqlite3
import subprocess
import threading
from pathlib import Path

import pytest

from tests.conftest import need
from viva_desktop.services.common.resources import REQUIRED_ICONS, REQUIRED_STYLES
from viva_desktop.services.local.store.migrate import VERSION_TABLE, head_revision
from viva_desktop.ui.pages import pages

from .conftest import ROOT, RUN_TIMEOUT_S, Bundle, Home, run_bundle

pytestmark = [pytest.mark.bundle, pytest.mark.slow, pytest.mark.timeout(900)]

SOURCE_RESOURCES = ROOT / "resources"
SOURCE_MIGRATIONS = ROOT / "viva_desktop" / "services" / "local" / "store" / "migrations"
BUNDLED_MIGRATIONS = Path("viva_desktop", "services", "local", "store", "migrations")

# File names that must never be in the bundle: Qt modules the app does not use (WebEngine
# alone is ~280 MB), and the GTK 3 stack that Qt's gtk3 platform theme drags in.
FORBIDDEN = re.compile(
    r"WebEngine|QtWebView|Qt6?Quick|Qt6?Qml|/qml/|Qt6?Pdf|Qt6?Multimedia|Qt6?3D|"
    r"Qt6?Designer|libqgtk3|libgtk-3|libgdk-3|libatk-|libcairo|libpango|libgdk_pixbuf",
    re.IGNORECASE,
)


def self_test(bundle: Bundle, home: Home, **env: str) -> dict[str, str]:
    """Run `--self-test`; returns {check name: its line}, after asserting it passed."""
    result = run_bundle(bundle, home, "--self-test", **env)
    assert result.returncode == 0, result.stdout + result.stderr[-4000:]
    assert "Result: PASSED" in result.stdout, result.stdout
    checks = {}
    for line in result.stdout.splitlines():
        match = re.match(r"\s+\[\s*(OK|WARN|FAIL)\]\s+(.+?)\s{2,}(.*)", line)
        if match:
            checks[match.group(2).strip()] = f"{match.group(1)} {match.group(3)}"
    return checks


def test_self_test_passes_offscreen(bundle: Bundle, home: Home) -> None:
    checks = self_test(bundle, home)
    for name in ("main window", "resources", "translations", "store"):
        assert checks.get(name, "").startswith("OK"), checks
    assert str(bundle.internal / "resources") in checks["resources"]
    assert "'offscreen'" in checks["main window"]


def test_self_test_upgrades_a_new_store_with_the_bundled_migrations(
    bundle: Bundle, home: Home
) -> None:
    self_test(bundle, home)
    store = home.data / "viva-desktop" / "store.sqlite3"
    assert store.is_file()
    with sqlite3.connect(store) as db:
        query = f"SELECT version_num FROM {VERSION_TABLE}"  # noqa: S608 (a constant)
        (revision,) = db.execute(query).fetchone()
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    assert revision == head_revision()
    assert {"posts", "offers", "events", "communities"} <= tables


def test_self_test_finds_the_system_keyring(
    bundle: Bundle, home: Home, secret_service: str
) -> None:
    """The keyring backends are loaded by entry point, which a frozen app easily loses."""
    checks = self_test(bundle, home, PYTHON_KEYRING_BACKEND=secret_service)
    assert checks["keyring"].startswith("OK"), checks


def test_main_window_opens_on_a_real_x_display(bundle: Bundle, home: Home) -> None:
    """The xcb platform plugin and the libraries it links survive the pruning."""
    need(bool(os.environ.get("DISPLAY")), "no X display (run the tests through `make test`)")
    checks = self_test(bundle, home, QT_QPA_PLATFORM="xcb")
    assert "'xcb'" in checks["main window"], checks


def test_sandbox_demo_signs_in_and_saves_screenshots(bundle: Bundle, home: Home) -> None:
    """`--sandbox`, the README's first command: the embedded server (uvicorn, starlette) runs
    frozen, the demo account signs in, and the screenshot tour saves every page."""
    shots = home.root / "shots"
    process = subprocess.Popen(
        [str(bundle.executable), "--sandbox", "--screenshot-dir", str(shots)],
        env=home.env(),
        cwd=home.root.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    seen: list[str] = []
    try:
        while True:  # the app keeps running after the tour: read its log until the tour ends
            line = lines.get(timeout=RUN_TIMEOUT_S)
            assert line is not None, "the app exited:\n" + "".join(seen[-40:])
            seen.append(line)
            if "screenshot(s) saved" in line:
                break
    finally:
        process.terminate()
        process.wait(timeout=30)
    log = "".join(seen)
    assert "signed in to Sandbox" in log, log[-4000:]
    assert "Traceback" not in log, log[-4000:]
    saved = {p.stem for p in shots.glob("*.png")}
    assert {spec.key for spec in pages()} | {"login"} <= saved, saved  # every page built


def test_smoke_help(bundle: Bundle, home: Home) -> None:
    result = run_bundle(bundle, home, "smoke", "--help")
    assert result.returncode == 0, result.stderr
    assert "--server" in result.stdout
    assert "--read-only" in result.stdout


def test_smoke_checks_a_live_server_from_the_bundle(
    bundle: Bundle, home: Home, sandbox_fixed
) -> None:
    """httpx, pydantic and the smoke checks work frozen: a read-only run against a sandbox."""
    result = run_bundle(
        bundle, home, "smoke", "--server", sandbox_fixed.url, "--read-only", "--json"
    )
    assert result.returncode in (0, 1), result.stderr  # 1: the sandbox plays a lax server
    report = json.loads(result.stdout)
    outcomes = {r["id"]: r["outcome"] for r in report["results"]}
    assert outcomes["health.basic"] == "pass", report
    assert report["counts"]["error"] == 0, report


def test_carries_resources_translations_and_migrations(bundle: Bundle) -> None:
    resources = bundle.internal / "resources"
    for name in REQUIRED_ICONS:
        assert (resources / "icons" / f"{name}.svg").is_file(), name
    for name in REQUIRED_STYLES:
        assert (resources / "styles" / f"{name}.qss").is_file(), name
    catalogues = sorted(p.name for p in (SOURCE_RESOURCES / "translations").glob("*.qm"))
    assert catalogues, "no compiled translations in resources/translations"
    for name in catalogues:
        bundled = resources / "translations" / name
        assert bundled.read_bytes() == (SOURCE_RESOURCES / "translations" / name).read_bytes()
    assert not list((resources / "translations").glob("*.ts")), "sources do not belong here"
    # Qt's own catalogues, for the languages we ship only.
    qt_catalogues = {p.name for p in (bundle.internal / "PySide6/Qt/translations").glob("*.qm")}
    assert "qtbase_es.qm" in qt_catalogues
    assert "qtbase_de.qm" not in qt_catalogues

    migrations = bundle.internal / BUNDLED_MIGRATIONS
    source = sorted(p.name for p in (SOURCE_MIGRATIONS / "versions").glob("*.py"))
    assert sorted(p.name for p in (migrations / "versions").glob("*.py")) == source
    assert (migrations / "env.py").is_file()
    assert not list(migrations.rglob("__pycache__"))


def test_leaves_out_unused_qt_modules_and_the_gtk_stack(bundle: Bundle) -> None:
    files = [p.relative_to(bundle.folder).as_posix() for p in bundle.folder.rglob("*")]
    assert [f for f in files if FORBIDDEN.search(f)] == []
    plugins = bundle.internal / "PySide6" / "Qt" / "plugins"
    platforms = {p.name for p in (plugins / "platforms").iterdir()}
    assert {"libqxcb.so", "libqwayland.so", "libqoffscreen.so"} <= platforms
    assert not (plugins / "platformthemes" / "libqgtk3.so").exists()


def qt_modules_the_code_imports() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "viva_desktop").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            found |= {n.split(".")[1] for n in names if n.startswith("PySide6.")}
    return found


def test_carries_every_qt_module_the_code_imports(bundle: Bundle) -> None:
    """build.spec excludes Qt modules by name: one the code starts using must be let in."""
    bundled = {p.name.split(".")[0] for p in (bundle.internal / "PySide6").glob("Qt*.so")}
    used = qt_modules_the_code_imports()
    assert "QtWidgets" in used
    assert used - bundled == set()


def test_every_bundled_library_finds_what_it_links(bundle: Bundle) -> None:
    """Pruning dropped nothing a kept library needs: every soname that is missing at load
    time is missing from the build machine too, not something the spec threw away."""
    dangling = [p for p in bundle.folder.rglob("*") if p.is_symlink() and not p.exists()]
    assert dangling == []
    lib_dirs = [bundle.internal, bundle.internal / "PySide6" / "Qt" / "lib"]
    env = dict(os.environ, LD_LIBRARY_PATH=os.pathsep.join(map(str, lib_dirs)))
    site = Path(pytest.__file__).resolve().parents[1]  # the venv's site-packages
    missing: dict[str, str] = {}
    for path in bundle.internal.rglob("*.so*"):
        if path.is_symlink() or not path.is_file():
            continue
        out = subprocess.run(
            ["ldd", str(path)], env=env, capture_output=True, text=True, check=False
        ).stdout
        for name in re.findall(r"^\s*(\S+) => not found", out, re.MULTILINE):
            missing.setdefault(name, path.relative_to(bundle.folder).as_posix())
    pruned = {name: user for name, user in missing.items() if list(site.rglob(name))}
    assert pruned == {}, f"libraries available at build time but not bundled: {pruned}"

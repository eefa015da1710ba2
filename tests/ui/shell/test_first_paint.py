"""The window comes first: the main window's shell is painted before anything slow happens,
then the start-up fills it in. Driven through the real `MainWindow`, `Launcher` and, in a
subprocess, the real `viva-desktop` entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.child_env import child_env
from viva_desktop.launch import LaunchOptions
from viva_desktop.services.common.config import load_settings
from viva_desktop.ui.common import worker
from viva_desktop.ui.dialogs.errors import ErrorPresenter
from viva_desktop.ui.shell.application import GIL_SWITCH_INTERVAL_S, early_preferences
from viva_desktop.ui.shell.main_window import KEY_ROLE, MainWindow, ui_state
from viva_desktop.ui.shell.startup import Launcher

ROOT = Path(__file__).resolve().parents[3]

# What the first paint must not wait for: each of these takes tens to hundreds of milliseconds
# to import, and the settings, the store, the keyring and the network come after the paint.
HEAVY_MODULES = (
    "pydantic",
    "pydantic_settings",
    "sqlalchemy",
    "alembic",
    "httpx",
    "keyring",
    "sentry_sdk",
    "viva_desktop.services.common.config",
    "viva_desktop.services.local.store",
    "viva_desktop.ui.common.context",
    "viva_desktop.ui.shell.startup",
)

# The child: the real entry point, watched from outside through `QMainWindow.show`.
CHILD = """
import gc, json, sys
import PySide6.QtCore as QtCore
import PySide6.QtWidgets as QtWidgets
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow

HEAVY = sys.argv[1].split(",")
# PySide creates a class's Python type (and all its enums) on first touch; `Qt` and `QStyle`
# are the costly ones, and the first paint must not need them.
COSTLY_TYPES = ((QtCore, "Qt"), (QtWidgets, "QStyle"))
LAZY = not any(name in module.__dict__ for module, name in COSTLY_TYPES)
report = {}

def drawn_by(style):
    from PySide6.QtWidgets import QStyle, QStyleFactory

    metric = QStyle.PixelMetric
    keys = (metric.PM_ScrollBarExtent, metric.PM_DefaultFrameWidth, metric.PM_IndicatorWidth)
    of = lambda s: [s.pixelMetric(k) for k in keys]
    return [n for n in ("Fusion", "Windows") if of(QStyleFactory.create(n)) == of(style)]

class Watch(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and "at_first_paint" not in report:
            report["at_first_paint"] = {
                "heavy_loaded": sorted(m for m in HEAVY if m in sys.modules),
                "has_context": watched.context is not None,
                "starting_text": watched.starting_page.message.text(),
                "sidebar_rows": watched.sidebar.count(),
                "costly_types": [n for m, n in COSTLY_TYPES if n in m.__dict__] if LAZY else [],
            }
            # After the line above: asking for the style creates `QStyle`. The style sheet
            # hides the style's name; its metrics tell which one draws.
            report["at_first_paint"]["style"] = drawn_by(QApplication.style())
        return False

watch = Watch()
show = QMainWindow.show

def ready(window):
    from viva_desktop.ui.common.theme import ThemeManager

    report["at_ready"] = {
        "same_window_painted_first": "at_first_paint" in report,
        "has_context": window.context is not None,
        "page": window.current_key,
        "status": window.status.online_label.text(),
        "gc_enabled": gc.isenabled(),
        "gc_frozen": gc.get_freeze_count(),
        "switch_interval": sys.getswitchinterval(),
        "theme_style": type(QApplication.instance().findChild(ThemeManager).style).__name__,
    }
    print("REPORT " + json.dumps(report), flush=True)
    QApplication.exit(0)

def watched_show(window):
    window.installEventFilter(watch)
    window.ready.connect(lambda: ready(window))
    show(window)

QMainWindow.show = watched_show
from viva_desktop.app import main
sys.exit(main(["--offline", "--lang", "es"]))
"""


@pytest.fixture(autouse=True)
def _no_remembered_page() -> Iterator[None]:
    """Windows open on the dashboard here, and leave no other page remembered for the next
    test's window."""
    ui_state().remove("window/page")
    yield
    ui_state().remove("window/page")


@pytest.mark.slow
def test_the_window_is_painted_before_anything_heavy_is_imported(tmp_path: Path) -> None:
    result = subprocess.run(
        ["timeout", "120", sys.executable, "-c", CHILD, ",".join(HEAVY_MODULES)],
        cwd=ROOT,
        env={**child_env(tmp_path), "QT_STYLE_OVERRIDE": "Windows"},
        capture_output=True,
        text=True,
        timeout=150,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("REPORT "))
    report = json.loads(line.removeprefix("REPORT "))
    first = report["at_first_paint"]
    assert first["heavy_loaded"] == []
    assert not first["has_context"]
    assert first["starting_text"] == "Iniciando Viva Desktop…"  # --lang es, before the settings
    assert first["sidebar_rows"] > 10
    assert first["costly_types"] == []
    assert first["style"] == ["Fusion"]  # from the command line, over QT_STYLE_OVERRIDE
    ready = report["at_ready"]
    assert ready["same_window_painted_first"]
    assert ready["has_context"]
    assert ready["page"] == "dashboard"
    assert ready["status"] == "Sin conexión (datos locales)"
    # Start-up over: the collector is back, with the start-up's objects frozen out of its reach.
    assert ready["gc_enabled"]
    assert ready["gc_frozen"] > 10_000
    assert ready["switch_interval"] == pytest.approx(GIL_SWITCH_INTERVAL_S)
    assert ready["theme_style"] == "VivaStyle"  # the theme completed after the paint


def test_the_sidebar_keeps_its_keys_in_the_user_role() -> None:
    """Spelled by value in `main_window` (the shell is built before the `Qt` namespace)."""
    from PySide6.QtCore import Qt

    assert Qt.ItemDataRole.UserRole.value == KEY_ROLE


def test_the_shell_shows_the_first_page_frame_until_it_has_a_context(qtbot, context) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.first_painted, timeout=5000):
        window.show()
    starting = window.starting_page
    assert starting is not None
    assert window.stack.currentWidget() is starting
    assert starting.title.text() == "Dashboard"
    assert starting.message.text() == "Starting Viva Desktop…"
    assert not window.settings_action.isEnabled()  # nothing to configure yet
    assert not window.is_ready
    assert not hasattr(window, "specs")  # scripts wait for a ready window
    window.show_progress("Opening the local data store…")
    assert starting.message.text() == "Opening the local data store…"
    assert window.status.currentMessage() == "Opening the local data store…"
    window.sidebar.setCurrentRow(1)  # browsing the sidebar while starting: still the frame
    assert starting.title.text() == window.sidebar.item(1).text()

    with pytest.raises(RuntimeError):
        window.mark_ready()  # not without a context

    with qtbot.waitSignal(window.attached, timeout=5000):
        window.attach(context)
    assert window.status.user_label.text() == "Not signed in"  # the real status bar
    assert window.settings_action.isEnabled()
    window.show_progress("Signing in…")  # the route goes on: still the frame, with its news
    assert window.stack.currentWidget() is starting
    assert starting.message.text() == "Signing in…"
    assert window.current_page() is None

    with qtbot.waitSignal(window.ready, timeout=5000):
        window.mark_ready()
    assert window.current_key == window.sidebar.item(1).data(KEY_ROLE)  # the page chosen meanwhile
    assert window.stack.currentWidget() is window.current_page()
    assert window.current_page().active
    assert window.starting_page is None  # the page replaced the frame
    assert window.status.currentMessage() == ""
    assert [s.key for s in window.specs] == [
        window.sidebar.item(i).data(KEY_ROLE) for i in range(window.sidebar.count())
    ]
    with pytest.raises(RuntimeError):
        window.attach(context)


def test_a_window_built_with_its_context_is_ready_at_once(qtbot, context) -> None:
    window = MainWindow(context)
    qtbot.addWidget(window)
    assert window.is_ready
    assert window.specs
    with qtbot.waitSignal(window.first_shown, timeout=5000):
        window.show()
    assert window.starting_page is None  # the dashboard replaced the frame
    assert window.current_key == "dashboard"


def test_the_launcher_fills_in_the_window_already_on_screen(qtbot, config_path, tmp_path):
    window = MainWindow()
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.first_painted, timeout=5000):
        window.show()
    settings = load_settings(config_path, {"store_url": f"sqlite:///{tmp_path / 's.sqlite3'}"})
    presenter = ErrorPresenter()
    launcher = Launcher(
        LaunchOptions(offline=True, config_file=config_path),
        settings,
        presenter=presenter,
        first_run=False,
        window=window,
    )
    exits: list[int] = []
    launcher.exit_requested.connect(exits.append)
    hidden: list[bool] = []
    window.attached.connect(lambda: hidden.append(not window.isVisible()))
    try:
        with qtbot.waitSignal(launcher.window_ready, timeout=20_000) as ready:
            launcher.start()
        assert ready.args[0] is window  # the same window, never rebuilt
        assert hidden == [False]  # and never hidden on the way
        assert window.is_ready
        assert launcher.context is window.context
        assert window.status.online_label.text() == "Offline (local data)"
        assert window.status.currentMessage() == ""  # the start-up's progress is cleared
        assert window.page("dashboard").banner_box.isVisible()
        window.close()
        assert exits == [0]
    finally:
        launcher.shutdown()
        worker.shutdown(timeout_ms=10_000)


def test_early_preferences_layer_file_environment_and_command_line(tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('[ui]\nlanguage = "es"\ntheme = "Dark"\n', encoding="utf-8")
    assert early_preferences(LaunchOptions(config_file=config)) == {
        "language": "es",
        "theme": "dark",
    }
    monkeypatch.setenv("VIVA_UI__THEME", "light")
    assert early_preferences(LaunchOptions(config_file=config))["theme"] == "light"
    monkeypatch.setenv("viva_ui", '{"language": "en"}')
    assert early_preferences(LaunchOptions(config_file=config))["language"] == "en"
    options = LaunchOptions(config_file=config, language="es")
    assert early_preferences(options)["language"] == "es"  # the command line wins


def test_early_preferences_ignore_what_the_full_load_would_reject(tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('[ui]\ntheme = "purple"\nlanguage = 3\n[[broken', encoding="utf-8")
    monkeypatch.setenv("VIVA_UI", "{not json")
    assert early_preferences(LaunchOptions(config_file=config)) == {
        "language": "system",
        "theme": "system",
    }
    missing = LaunchOptions(config_file=tmp_path / "nowhere" / "config.toml")
    assert early_preferences(missing) == {"language": "system", "theme": "system"}

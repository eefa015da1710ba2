"""Icons, style sheets and themes: present, loadable from the source tree and from a
PyInstaller bundle, and following the light/dark choice."""

from __future__ import annotations

import shutil
import sys

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from viva_desktop.services.common import resources
from viva_desktop.services.common.resources import REQUIRED_ICONS, missing_resources, resource_root
from viva_desktop.ui.common.icons import app_icon, icon, renders
from viva_desktop.ui.common.style import VivaDarkStyle
from viva_desktop.ui.common.theme import Theme, ThemeManager, palette_suggests_dark, style_sheet


def test_every_required_resource_is_there() -> None:
    assert missing_resources() == []


@pytest.mark.parametrize("name", REQUIRED_ICONS)
def test_every_icon_renders(qapp, name: str) -> None:
    assert renders(name)
    assert not icon(name).isNull()


def test_app_icon_has_the_usual_sizes(qapp) -> None:
    sizes = {s.width() for s in app_icon().availableSizes()}
    assert {16, 32, 48, 256} <= sizes


def test_resources_are_found_inside_a_pyinstaller_bundle(tmp_path, monkeypatch) -> None:
    bundle = tmp_path / "bundle"
    shutil.copytree(resource_root(), bundle / "resources")
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    monkeypatch.delenv("VIVA_RESOURCES", raising=False)
    resources.resource_root.cache_clear()
    try:
        assert resource_root() == bundle / "resources"
        assert missing_resources() == []
    finally:
        resources.resource_root.cache_clear()


def test_themes_switch_palette_and_style_sheet(qapp: QApplication) -> None:
    manager = ThemeManager(qapp, Theme.DARK)
    label = QLabel("x")
    try:
        manager.apply()
        assert manager.effective == "dark"
        window = qapp.palette().color(QPalette.ColorRole.Window)
        assert window.lightness() < 100
        assert "#1f2421" in qapp.styleSheet()  # the dark sidebar colour
        label.setObjectName("StateChip")
        label.setProperty("state", "healthy")
        label.ensurePolished()  # the style sheet parses (a broken one warns, failing the test)
        manager.set_theme(Theme.LIGHT)
        assert qapp.palette().color(QPalette.ColorRole.Window).lightness() > 200
        assert style_sheet("light") in qapp.styleSheet()
    finally:
        manager.set_theme(Theme.LIGHT)
        qapp.setStyleSheet("")
        manager.deleteLater()


def test_system_theme_follows_the_colour_scheme(qapp: QApplication) -> None:
    from PySide6.QtCore import Qt

    hints = qapp.styleHints()
    manager = ThemeManager(qapp, Theme.SYSTEM)
    try:
        manager.apply()
        expected = "dark" if hints.colorScheme() == Qt.ColorScheme.Dark else "light"
        assert manager.effective == expected
    finally:
        qapp.setStyleSheet("")
        manager.deleteLater()


def test_the_platform_palette_tells_dark_from_light(qapp: QApplication) -> None:
    dark, light = QPalette(), QPalette()
    dark.setColor(QPalette.ColorRole.Window, QColor("#202020"))
    light.setColor(QPalette.ColorRole.Window, QColor("#efefef"))
    assert palette_suggests_dark(dark)
    assert not palette_suggests_dark(light)


def test_the_first_frame_gets_palette_and_sheet_and_the_style_comes_after(
    qapp: QApplication,
) -> None:
    """Before the first paint: the palette and the style sheet of the theme the platform's
    palette suggests, nothing else (see `ui.theme`); `apply` then installs the proxy style
    and only touches what differs."""
    qapp.setPalette(QPalette(QColor("#202020")))  # a platform in dark mode, as Qt reports it
    manager = ThemeManager(qapp, Theme.SYSTEM)
    changes: list[str] = []
    manager.changed.connect(changes.append)
    try:
        manager.apply_first_frame()
        assert manager.effective == "dark"
        assert manager.style is None  # no proxy style yet
        assert qapp.palette().color(QPalette.ColorRole.Window).lightness() < 100
        assert style_sheet("dark") in qapp.styleSheet()
        assert changes == ["dark"]

        manager.set_theme(Theme.DARK)  # the settings agree: nothing to redo but the style
        assert isinstance(manager.style, VivaDarkStyle)
        assert changes == ["dark"]

        sheets: list[str] = []
        qapp.installEventFilter(watcher := _StyleChangeWatcher(sheets))
        try:
            manager.apply()  # same theme again: no re-polish of every widget
        finally:
            qapp.removeEventFilter(watcher)
        assert sheets == []
    finally:
        manager.set_theme(Theme.LIGHT)
        qapp.setStyleSheet("")
        manager.deleteLater()


class _StyleChangeWatcher(QObject):
    """Counts the application-wide palette and style changes a theme call causes."""

    def __init__(self, seen: list[str]) -> None:
        super().__init__()
        self.seen = seen

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is QApplication.instance() and event.type() in (
            QEvent.Type.ApplicationPaletteChange,
            QEvent.Type.StyleChange,
        ):
            self.seen.append(event.type().name)
        return False

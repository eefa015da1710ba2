"""Icons, style sheets and themes: present, loadable from the source tree and from a
PyInstaller bundle, and following the light/dark choice."""

from __future__ import annotations

import shutil
import sys

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel

from viva_desktop.ui import resources
from viva_desktop.ui.icons import app_icon, icon, renders
from viva_desktop.ui.resources import REQUIRED_ICONS, missing_resources, resource_root
from viva_desktop.ui.theme import Theme, ThemeManager, style_sheet


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
        expected = "dark" if hints.colorScheme() == Qt.ColorScheme.Dark else "light"
        assert manager.effective == expected
    finally:
        qapp.setStyleSheet("")
        manager.deleteLater()

"""Keyboard shortcuts (issue 17, keyboard 1): every page has one, *Help → Keyboard shortcuts*
lists them all, and the list is an editor that refuses two actions on one shortcut and saves
the user's changes in the configuration file."""

from __future__ import annotations

import tomllib

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialogButtonBox

from viva_desktop.ui import pages as registry
from viva_desktop.ui.shell.main_window import MainWindow


@pytest.fixture
def window(qtbot, context) -> MainWindow:
    win = MainWindow(context)
    qtbot.addWidget(win)
    return win


def keys_of(action) -> str:
    return action.shortcut().toString(QKeySequence.SequenceFormat.PortableText)


def test_every_page_has_its_own_shortcut(window) -> None:
    bound = window.bound_actions()
    for spec in registry.pages():
        assert keys_of(bound[f"page.{spec.key}"]), f"{spec.key} has no shortcut"
    sequences = [keys_of(a) for a in bound.values() if keys_of(a)]
    assert len(sequences) == len(set(sequences)), "two actions share a shortcut"
    assert keys_of(bound["page.health"]) == "Ctrl+Shift+H"
    assert keys_of(bound["page.logs"]) == "Ctrl+Shift+L"
    assert keys_of(window.settings_action) == "Ctrl+,"  # Linux has no standard one


def test_a_page_shortcut_opens_its_page(qtbot, window) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.bound_actions()["page.configuration"].trigger()
    assert window.current_key == "configuration"


def test_help_lists_the_shortcuts_and_edits_them(qtbot, window, context, config_path) -> None:
    assert window.shortcuts_action in window.help_menu.actions()
    dialog = window.show_shortcuts()
    qtbot.addWidget(dialog)
    rows = {dialog.table.item(r, 0).text(): r for r in range(dialog.table.rowCount())}
    assert {"Health", "Database", "Configuration", "Smoke & audit", "Logs", "Settings"} <= set(rows)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)

    # a conflict is named and blocks saving
    dialog.editors["page.logs"].setKeySequence(QKeySequence("Ctrl+1"))
    assert not save.isEnabled()
    assert dialog.problem.isVisible() or not dialog.isVisible()
    assert "Dashboard" in dialog.problem.text()
    assert "Logs" in dialog.problem.text()

    # a free one saves, reaches the window at once and the configuration file
    dialog.editors["page.logs"].setKeySequence(QKeySequence("Ctrl+Alt+L"))
    assert save.isEnabled()
    save.click()
    assert keys_of(window.bound_actions()["page.logs"]) == "Ctrl+Alt+L"
    assert context.settings.ui.shortcuts == {"page.logs": "Ctrl+Alt+L"}
    qtbot.waitUntil(
        lambda: (
            config_path.exists()
            and tomllib.loads(config_path.read_text()).get("ui", {}).get("shortcuts")
            == {"page.logs": "Ctrl+Alt+L"}
        ),
        timeout=5000,
    )


def test_saved_shortcuts_are_used_at_the_next_start(qtbot, context) -> None:
    context.settings.ui.shortcuts = {"page.health": "Ctrl+Alt+H", "refresh": ""}
    win = MainWindow(context)
    qtbot.addWidget(win)
    assert keys_of(win.bound_actions()["page.health"]) == "Ctrl+Alt+H"
    assert keys_of(win.refresh_action) == ""


def test_restoring_the_defaults(qtbot, window) -> None:
    dialog = window.show_shortcuts()
    qtbot.addWidget(dialog)
    dialog.editors["find"].clear()
    dialog.reset_defaults()
    assert dialog.chosen()["find"] == "Ctrl+F"

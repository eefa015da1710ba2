"""The application's keyboard shortcuts: the defaults, the user's changes from the settings
(`ui.shortcuts`: action id -> key sequence, "" for none) and conflict detection.

Every page has one: Ctrl+1…Ctrl+9 for the first nine (Dashboard to Sync), Ctrl+Shift and a
letter for the administrators' tools. Action ids are `page.<key>` for pages and a plain name
for the rest; the window binds them (`ui.shell.main_window`), *Help → Keyboard shortcuts* lists
and edits them (`ui.dialogs.shortcuts`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QKeySequence

from viva_desktop.services.common.i18n import QT_TRANSLATE_NOOP

CONTEXT = "Shortcuts"


class ShortcutAction(NamedTuple):
    id: str
    title: str  # English source, context "Shortcuts" (pages: their own title, context "Pages")
    default: str  # portable key sequence text, "" for none

    def display_title(self) -> str:
        if self.id.startswith("page."):
            return QCoreApplication.translate("Pages", self.title)
        return QCoreApplication.translate(CONTEXT, self.title)


PAGE_DEFAULTS: dict[str, str] = {
    "dashboard": "Ctrl+1",
    "communities": "Ctrl+2",
    "members": "Ctrl+3",
    "offers": "Ctrl+4",
    "events": "Ctrl+5",
    "posts": "Ctrl+6",
    "credits": "Ctrl+7",
    "moderation": "Ctrl+8",
    "sync": "Ctrl+9",
    "reports": "Ctrl+Shift+R",
    "audit": "Ctrl+Shift+A",
    "health": "Ctrl+Shift+H",
    "database": "Ctrl+Shift+D",
    "configuration": "Ctrl+Shift+G",
    "smoke": "Ctrl+Shift+K",
    "logs": "Ctrl+Shift+L",
}

COMMANDS: tuple[ShortcutAction, ...] = (
    ShortcutAction("refresh", QT_TRANSLATE_NOOP("Shortcuts", "Refresh the page"), "F5"),
    ShortcutAction("find", QT_TRANSLATE_NOOP("Shortcuts", "Find (search box)"), "Ctrl+F"),
    ShortcutAction("settings", QT_TRANSLATE_NOOP("Shortcuts", "Settings"), "Ctrl+,"),
    ShortcutAction("connect", QT_TRANSLATE_NOOP("Shortcuts", "Connect to a server"), "Ctrl+L"),
    ShortcutAction("shortcuts", QT_TRANSLATE_NOOP("Shortcuts", "Keyboard shortcuts"), "Ctrl+/"),
    ShortcutAction("quit", QT_TRANSLATE_NOOP("Shortcuts", "Quit"), "Ctrl+Q"),
)


def page_actions(pages: list[tuple[str, str]]) -> list[ShortcutAction]:
    """The actions that show the pages `(key, English title)`, in sidebar order. A page with
    no default of its own (one added later) gets Ctrl+ its position, when that is free."""
    taken = {PAGE_DEFAULTS[key] for key, _title in pages if key in PAGE_DEFAULTS}
    actions = []
    for index, (key, title) in enumerate(pages):
        default = PAGE_DEFAULTS.get(key, "")
        positional = f"Ctrl+{index + 1}"
        if not default and index < 9 and positional not in taken:
            default = positional
            taken.add(positional)
        actions.append(ShortcutAction(f"page.{key}", title, default))
    return actions


def normalized(text: str) -> str:
    """A key sequence in Qt's portable spelling ("ctrl+shift+h" -> "Ctrl+Shift+H"); "" when
    empty or not a key sequence."""
    sequence = QKeySequence.fromString(text.strip(), QKeySequence.SequenceFormat.PortableText)
    if sequence.isEmpty():
        return ""
    return sequence.toString(QKeySequence.SequenceFormat.PortableText)


def effective(actions: list[ShortcutAction], overrides: Mapping[str, str]) -> dict[str, str]:
    """Action id -> key sequence in use: the user's choice where there is one, else the
    default. Ids the settings name that no longer exist are ignored."""
    result = {}
    for action in actions:
        chosen = overrides.get(action.id)
        result[action.id] = normalized(chosen if chosen is not None else action.default)
    return result


def overrides_of(actions: list[ShortcutAction], chosen: Mapping[str, str]) -> dict[str, str]:
    """What the settings keep: only the shortcuts that differ from the defaults."""
    result = {}
    for action in actions:
        value = normalized(chosen.get(action.id, action.default))
        if value != normalized(action.default):
            result[action.id] = value
    return result


def conflicts(chosen: Mapping[str, str]) -> dict[str, list[str]]:
    """Key sequence -> the action ids that share it, for every sequence used more than once."""
    users: dict[str, list[str]] = {}
    for action_id, sequence in chosen.items():
        key = normalized(sequence)
        if key:
            users.setdefault(key, []).append(action_id)
    return {key: ids for key, ids in users.items() if len(ids) > 1}


def native_text(sequence: str) -> str:
    """A key sequence as this platform spells it (⌘ on macOS)."""
    return QKeySequence.fromString(sequence, QKeySequence.SequenceFormat.PortableText).toString(
        QKeySequence.SequenceFormat.NativeText
    )

"""*Help → Keyboard shortcuts*: every shortcut of the window, each one editable, with
conflicts shown as they are typed; saved in the settings (`ui.shortcuts`, only what differs
from the defaults)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QKeySequenceEdit,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from viva_desktop.ui.common.context import AppContext
from viva_desktop.ui.common.retranslate import Retranslating
from viva_desktop.ui.common.shortcuts import (
    ShortcutAction,
    conflicts,
    effective,
    normalized,
    overrides_of,
)

ACTION, SHORTCUT = range(2)


class ShortcutsDialog(Retranslating, QDialog):
    """Lists the shortcuts; `saved` carries action id -> key sequence once they are saved."""

    saved = Signal(dict)

    def __init__(
        self, context: AppContext, actions: list[ShortcutAction], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ShortcutsDialog")
        self.context = context
        self.actions = actions
        current = effective(actions, context.settings.ui.shortcuts)

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table = QTableWidget(len(actions), 2)
        self.table.setObjectName("ShortcutTable")
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(ACTION, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(SHORTCUT, QHeaderView.ResizeMode.ResizeToContents)
        self.editors: dict[str, QKeySequenceEdit] = {}
        for row, action in enumerate(actions):
            self.table.setItem(row, ACTION, QTableWidgetItem())
            editor = QKeySequenceEdit(QKeySequence(current[action.id]))
            editor.setObjectName(f"shortcut-{action.id}")
            editor.setMaximumSequenceLength(1)
            editor.setClearButtonEnabled(True)
            editor.keySequenceChanged.connect(self._check)
            self.table.setCellWidget(row, SHORTCUT, editor)
            self.editors[action.id] = editor
        self.problem = QLabel()
        self.problem.setObjectName("FieldError")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.reset_button = QPushButton()
        self.reset_button.clicked.connect(self.reset_defaults)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.addButton(self.reset_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(560, 560)
        self.retranslate()
        self._check()

    # ------------------------------------------------------------------ texts

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.intro.setText(
            self.tr(
                "Click a shortcut and press the new keys to change it; the clear button "
                "removes it. Two actions cannot share a shortcut."
            )
        )
        self.table.setHorizontalHeaderLabels([self.tr("Action"), self.tr("Shortcut")])
        for row, action in enumerate(self.actions):
            title = action.display_title()
            self.table.item(row, ACTION).setText(title)
            editor = self.editors[action.id]
            editor.setAccessibleName(self.tr("Shortcut for {action}").format(action=title))
        self.reset_button.setText(self.tr("Restore the defaults"))
        self._check()

    # ------------------------------------------------------------------ editing

    def chosen(self) -> dict[str, str]:
        """Action id -> key sequence as the editors show it now."""
        return {
            action_id: normalized(
                editor.keySequence().toString(QKeySequence.SequenceFormat.PortableText)
            )
            for action_id, editor in self.editors.items()
        }

    def conflicts(self) -> dict[str, list[str]]:
        return conflicts(self.chosen())

    def _title(self, action_id: str) -> str:
        return next(a.display_title() for a in self.actions if a.id == action_id)

    def _check(self, *_args: object) -> None:
        found = self.conflicts()
        clashing = {action_id for ids in found.values() for action_id in ids}
        for action_id, editor in self.editors.items():
            editor.setProperty("invalid", action_id in clashing)
            editor.style().unpolish(editor)
            editor.style().polish(editor)
        lines = [
            self.tr("{keys} is used by: {actions}.").format(
                keys=QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText),
                actions=", ".join(self._title(i) for i in ids),
            )
            for keys, ids in found.items()
        ]
        self.problem.setText("\n".join(lines))
        self.problem.setVisible(bool(lines))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not found)

    def reset_defaults(self) -> None:
        for action in self.actions:
            self.editors[action.id].setKeySequence(QKeySequence(action.default))
        self._check()

    def accept(self) -> None:
        if self.conflicts():
            return
        chosen = self.chosen()
        self.context.settings.ui.shortcuts = overrides_of(self.actions, chosen)
        self.context.save_settings()
        self.saved.emit(chosen)
        super().accept()

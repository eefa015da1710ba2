"""Editing a create the server refused, before trying it again: its text fields as they were
queued, the server's message and what it likely means above them."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from viva_desktop.services.local.outbox import CreateFailure, OutboxEntry
from viva_desktop.ui.dialogs.conflict import entity_label

LONG_FIELDS = frozenset({"description", "content", "body"})


class FailedCreateDialog(QDialog):
    """`changes()` after `accept`: the fields whose text changed."""

    def __init__(self, entry: OutboxEntry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FailedCreateDialog")
        self.entry = entry
        self.fields: dict[str, QLineEdit | QPlainTextEdit] = {}
        self.setWindowTitle(
            self.tr("Edit the new {what} before sending it again").format(
                what=entity_label(entry.entity)
            )
        )
        failure = CreateFailure.from_result(entry.result)
        self.reason = QLabel(failure.summary if failure else (entry.last_error or ""))
        self.reason.setObjectName("FailedReason")
        self.reason.setWordWrap(True)
        form = QFormLayout()
        for key, value in entry.payload.items():
            if not isinstance(value, str):
                continue
            if key in LONG_FIELDS:
                box: QLineEdit | QPlainTextEdit = QPlainTextEdit(value)
            else:
                box = QLineEdit(value)
            box.setObjectName(f"field_{key}")
            box.setAccessibleName(key)
            self.fields[key] = box
            form.addRow(f"{key}:", box)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.reason)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

    def changes(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for key, box in self.fields.items():
            text = box.toPlainText() if isinstance(box, QPlainTextEdit) else box.text()
            if text != self.entry.payload.get(key):
                found[key] = text
        return found

"""The conflict dialog: your queued change and the server's current version side by side.

A conflict means the server changed a record after it was synced and before your offline edit
reached it. Nothing was overwritten: you decide which version wins, field by field visible,
with the version you started from alongside for reference.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from viva_desktop.services.common.i18n import QT_TRANSLATE_NOOP
from viva_desktop.services.local.outbox import Outbox, OutboxEntry
from viva_desktop.ui.common.retranslate import Retranslating
from viva_desktop.ui.common.worker import TaskHandle, run_task


def value_text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    return json.dumps(value, ensure_ascii=False)


ENTITY_LABELS = {
    "communities": QT_TRANSLATE_NOOP("Entities", "Communities"),
    "users": QT_TRANSLATE_NOOP("Entities", "Members"),
    "offers": QT_TRANSLATE_NOOP("Entities", "Offers"),
    "events": QT_TRANSLATE_NOOP("Entities", "Events"),
    "event_attendees": QT_TRANSLATE_NOOP("Entities", "Event attendees"),
    "posts": QT_TRANSLATE_NOOP("Entities", "Posts"),
    "comments": QT_TRANSLATE_NOOP("Entities", "Comments"),
    "credit_transactions": QT_TRANSLATE_NOOP("Entities", "Credit transactions"),
    "moderation_cases": QT_TRANSLATE_NOOP("Entities", "Moderation cases"),
}


FIELD_LABELS = {
    "title": QT_TRANSLATE_NOOP("Fields", "Title"),
    "name": QT_TRANSLATE_NOOP("Fields", "Name"),
    "content": QT_TRANSLATE_NOOP("Fields", "Text"),
    "description": QT_TRANSLATE_NOOP("Fields", "Description"),
    "type": QT_TRANSLATE_NOOP("Fields", "Type"),
    "category": QT_TRANSLATE_NOOP("Fields", "Category"),
    "status": QT_TRANSLATE_NOOP("Fields", "Status"),
    "visibility": QT_TRANSLATE_NOOP("Fields", "Visible to"),
    "priceEur": QT_TRANSLATE_NOOP("Fields", "Price (€)"),
    "priceCredits": QT_TRANSLATE_NOOP("Fields", "Price (credits)"),
    "stock": QT_TRANSLATE_NOOP("Fields", "Stock"),
    "address": QT_TRANSLATE_NOOP("Fields", "Address"),
    "location": QT_TRANSLATE_NOOP("Fields", "Location"),
    "lat": QT_TRANSLATE_NOOP("Fields", "Latitude"),
    "lng": QT_TRANSLATE_NOOP("Fields", "Longitude"),
    "tags": QT_TRANSLATE_NOOP("Fields", "Tags"),
    "images": QT_TRANSLATE_NOOP("Fields", "Images"),
    "image": QT_TRANSLATE_NOOP("Fields", "Image"),
    "startsAt": QT_TRANSLATE_NOOP("Fields", "Starts"),
    "endsAt": QT_TRANSLATE_NOOP("Fields", "Ends"),
    "capacity": QT_TRANSLATE_NOOP("Fields", "Capacity"),
    "creditsReward": QT_TRANSLATE_NOOP("Fields", "Credits for attending"),
    "communityId": QT_TRANSLATE_NOOP("Fields", "Community"),
    "requirements": QT_TRANSLATE_NOOP("Fields", "Requirements"),
}


def field_label(name: str) -> str:
    """A record field's name for people ("Price (€)" for `priceEur`); unknown ones as is."""
    source = FIELD_LABELS.get(name)
    return QCoreApplication.translate("Fields", source) if source else name


def entity_label(entity: str) -> str:
    source = ENTITY_LABELS.get(entity)
    return QCoreApplication.translate("Entities", source) if source else entity


def record_title(entry: OutboxEntry) -> str:
    for source in (entry.payload, entry.remote or {}, entry.base or {}):
        for key in ("title", "name", "content", "reportReason"):
            text = source.get(key)
            if isinstance(text, str) and text.strip():
                text = " ".join(text.split())
                return text[:60] + ("…" if len(text) > 60 else "")
    return entry.target_id or ""


class ConflictDialog(Retranslating, QDialog):
    resolved = Signal(object)  # the settled OutboxEntry

    def __init__(self, outbox: Outbox, entry: OutboxEntry, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("ConflictDialog")
        self.setModal(True)
        self.setMinimumSize(720, 380)
        self.outbox = outbox
        self.entry = entry
        self.task: TaskHandle | None = None
        self.choice: str | None = None
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("ConflictTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.status = QLabel()
        self.status.setObjectName("Banner")
        self.status.setProperty("kind", "error")
        self.status.setWordWrap(True)
        self.status.hide()
        self.buttons = QDialogButtonBox()
        self.mine_button = QPushButton()
        self.theirs_button = QPushButton()
        self.buttons.addButton(self.mine_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.theirs_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.later_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.mine_button.clicked.connect(lambda: self.keep("mine"))
        self.theirs_button.clicked.connect(lambda: self.keep("theirs"))
        self.later_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.retranslate()

    @property
    def deleted_upstream(self) -> bool:
        return self.entry.remote is None

    def rows(self) -> list[tuple[str, Any, Any, Any, bool]]:
        """(field, mine, theirs, as synced, in conflict) for every field the change touches."""
        conflicting = set(self.entry.conflicting_fields())
        remote = self.entry.remote or {}
        base = self.entry.base or {}
        return [
            (
                name,
                self.entry.payload.get(name),
                remote.get(name),
                base.get(name),
                name in conflicting,
            )
            for name in self.entry.fields
        ]

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Resolve a conflict"))
        what = f"{entity_label(self.entry.entity)}: {record_title(self.entry)}"
        if self.deleted_upstream:
            self.intro.setText(
                self.tr(
                    "{what}\nThis record was deleted on the server after your copy was synced, "
                    "so your change cannot be applied. Keep the server's version to drop it."
                ).format(what=what)
            )
        else:
            self.intro.setText(
                self.tr(
                    "{what}\nThe server's version changed after your copy was synced. Fields in "
                    "bold differ: keep your change (it is sent on top of the server's version) "
                    "or keep the server's (your change is dropped)."
                ).format(what=what)
            )
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Field"),
                self.tr("Mine"),
                self.tr("Theirs (server now)"),
                self.tr("As synced"),
            ]
        )
        self.mine_button.setText(self.tr("Keep mine"))
        self.theirs_button.setText(self.tr("Keep theirs"))
        self.later_button.setText(self.tr("Decide later"))
        self.mine_button.setEnabled(not self.deleted_upstream)
        self.mine_button.setToolTip(
            self.tr("The record no longer exists on the server.") if self.deleted_upstream else ""
        )
        self._fill()

    def _fill(self) -> None:
        rows = self.rows()
        self.table.setRowCount(len(rows))
        bold = QFont()
        bold.setBold(True)
        highlight = QBrush(QColor(255, 200, 0, 60))
        for number, (name, mine, theirs, base, conflict) in enumerate(rows):
            cells = [field_label(name), value_text(mine), value_text(theirs), value_text(base)]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(name if column == 0 else text)  # the server's name for it
                if column == 0:
                    item.setData(Qt.ItemDataRole.UserRole, name)
                if conflict:
                    item.setFont(bold)
                    if column in (1, 2):
                        item.setBackground(highlight)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(number, column, item)
        self.table.resizeRowsToContents()

    def keep(self, which: str) -> TaskHandle | None:
        if self.task is not None and self.task.running:
            return self.task
        if which == "mine" and self.deleted_upstream:
            return None
        self.choice = which
        self.mine_button.setEnabled(False)
        self.theirs_button.setEnabled(False)
        self.task = run_task(
            self.outbox.resolve,
            self.entry.seq,
            which,
            on_done=self._resolved,
            on_error=self._failed,
            parent=self,
            name="resolve a conflict",
        )
        return self.task

    def _resolved(self, entry: OutboxEntry) -> None:
        self.entry = entry
        self.resolved.emit(entry)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(getattr(exc, "user_message", None) or str(exc))
        self.status.show()
        self.mine_button.setEnabled(not self.deleted_upstream)
        self.theirs_button.setEnabled(True)

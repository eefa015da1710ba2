"""The detail pane: the selected record's fields, formatted, with its raw JSON folded away."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from viva_desktop.services.local.store import Row
from viva_desktop.ui.common.formatting import age_text
from viva_desktop.ui.models.columns import ColumnDef, display_value, local_datetime_text
from viva_desktop.ui.models.store_model import local_change_text

Field = tuple[str, str]
HEADING_CHARS = 80
Describer = Callable[[Row, dict[str, str]], Sequence[Field]]


def raw_json(raw: Any) -> str:
    return json.dumps(raw, indent=2, ensure_ascii=False, sort_keys=False, default=str)


class DetailPane(QWidget):
    """Shows one record; pages may add their own fields through `describe`."""

    def __init__(
        self,
        columns: Sequence[ColumnDef],
        *,
        describe: Describer | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("DetailPane")
        self.columns = list(columns)
        self.describe = describe
        self.row: Row | None = None
        self._names: dict[str, str] = {}

        self.title = QLabel()
        self.title.setObjectName("Headline")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel()
        self.status.setObjectName("Banner")
        self.status.setWordWrap(True)
        self.status.hide()
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # a narrow pane
        self.empty = QLabel()
        self.empty.setObjectName("Muted")
        self.empty.setWordWrap(True)
        self.raw_toggle = QToolButton()
        self.raw_toggle.setCheckable(True)
        self.raw_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.raw_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.raw_toggle.toggled.connect(self._toggle_raw)
        self.raw = QPlainTextEdit()
        self.raw.setObjectName("Details")
        self.raw.setReadOnly(True)
        self.raw.setMinimumHeight(160)
        self.raw.hide()

        body = QWidget()
        inner = QVBoxLayout(body)
        inner.addWidget(self.title)
        inner.addWidget(self.status)
        inner.addWidget(self.empty)
        inner.addLayout(self.form)
        self._sections = QVBoxLayout()  # what the browser adds below the fields (History)
        inner.addLayout(self._sections)
        inner.addWidget(self.raw_toggle)
        inner.addWidget(self.raw, 1)
        inner.addStretch(0)
        self.scroll = scroll = QScrollArea()  # takes focus: arrow keys scroll a long record
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.retranslate()
        self.show_row(None)

    def tab_chain(self) -> list[QWidget]:
        """The pane's Tab stops in reading order: the pane itself (to scroll it), then the
        raw JSON's toggle and text below the fields."""
        return [self.scroll, self.raw_toggle, self.raw]

    def add_section(self, widget: QWidget) -> None:
        """Show `widget` below the fields, above the raw JSON."""
        self._sections.addWidget(widget)

    def retranslate(self) -> None:
        self.empty.setText(self.tr("Select a row to see all of its fields here."))
        self.raw_toggle.setText(self.tr("Raw JSON from the server"))
        self.show_row(self.row, self._names)

    def show_row(self, row: Row | None, names: dict[str, str] | None = None) -> None:
        self.row = row
        self._names = dict(names or {})
        while self.form.rowCount():
            self.form.removeRow(0)
        self.empty.setVisible(row is None)
        self.raw_toggle.setVisible(row is not None)
        self.raw.setVisible(row is not None and self.raw_toggle.isChecked())
        if row is None:
            self.title.setText("")
            self.status.hide()
            self.raw.setPlainText("")
            return
        first = self.columns[0] if self.columns else None
        heading = display_value(first, row.values.get(first.key), self._names) if first else ""
        heading = " ".join((heading or row.id).split())
        if len(heading) > HEADING_CHARS:  # a post's text: the form below has all of it
            heading = heading[: HEADING_CHARS - 1].rstrip() + "…"
        self.title.setText(heading)
        notes = []
        if row.local_changes:
            notes.append(local_change_text(row.local_changes))
        if row.gone_at is not None:
            notes.append(
                self.tr("No longer on the server (noticed {time}).").format(
                    time=local_datetime_text(row.gone_at)
                )
            )
        self.status.setText(" ".join(notes))
        self.status.setVisible(bool(notes))
        for label, text in self.fields(row):
            value = QLabel(text)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.form.addRow(label + ":", value)
        self._fill_raw()

    def _fill_raw(self) -> None:
        # Formatted only while shown: the JSON of a large record is slow to lay out, and most
        # selections never unfold it.
        row = self.row
        if row is None or not self.raw_toggle.isChecked():
            self.raw.setPlainText("")
            return
        self.raw.setPlainText(raw_json(row.raw))

    def fields(self, row: Row) -> list[Field]:
        """The formatted fields: every column (hidden ones included), the page's extras and
        when the record was synced."""
        shown: list[Field] = []
        for column in self.columns:
            if column.key in ("synced_at", "local_changes"):
                continue  # said once: below with its age; above, in the status line
            text = display_value(column, row.values.get(column.key), self._names)
            if text:
                shown.append((column.display_title(), text))
        if self.describe is not None:
            # A page's extra (a post's full text) that a column already showed whole is not
            # repeated.
            known = {text for _label, text in shown}
            shown.extend(f for f in self.describe(row, self._names) if f[1] not in known)
        shown.append((self.tr("Id"), row.id))
        shown.append(
            (
                self.tr("Synced"),
                f"{local_datetime_text(row.synced_at)} ({age_text(row.synced_at)})",
            )
        )
        return shown

    def _toggle_raw(self, shown: bool) -> None:
        self.raw_toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self._fill_raw()
        self.raw.setVisible(shown and self.row is not None)

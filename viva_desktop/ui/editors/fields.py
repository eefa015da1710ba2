"""Form fields of the editors: a widget, and under it the field's error and warning.

Every field hands the validators raw text (or a datetime); parsing numbers and lists, cleaning
text and deciding what the server would do with it is `services.validation`'s job, so a form
never second-guesses the rules it pre-validates against.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QDateTime, QObject, Qt, QTimeZone, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from viva_desktop.services.local.store.types import parse_timestamp
from viva_desktop.ui.common.formatting import form_label


class Field(QObject):
    """One named input: `value()` for the DTO, `load()` from a server record."""

    edited = Signal()

    def __init__(self, name: str, widget: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.widget = widget
        self.widget.setObjectName(f"field_{name}")
        self.title = ""  # the field's name, without the label's colon
        self.label = QLabel()
        self.label.setBuddy(widget)
        self.error = QLabel()
        self.error.setObjectName("FieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.warning = QLabel()
        self.warning.setObjectName("FieldWarning")
        self.warning.setWordWrap(True)
        self.warning.hide()
        self.box = QWidget()
        layout = QVBoxLayout(self.box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        layout.addWidget(self.error)
        layout.addWidget(self.warning)

    def value(self) -> Any:
        raise NotImplementedError

    def load(self, value: Any) -> None:
        raise NotImplementedError

    def set_label(self, text: str) -> None:
        """Name the field; the label adds the colon the other forms of the app show."""
        self.title = text
        self.label.setText(form_label(text))

    def set_enabled(self, enabled: bool) -> None:
        self.widget.setEnabled(enabled)

    def show_error(self, text: str | None) -> None:
        self.error.setText(text or "")
        self.error.setVisible(bool(text))
        self.widget.setProperty("invalid", bool(text))
        self.widget.style().unpolish(self.widget)
        self.widget.style().polish(self.widget)

    def show_warning(self, text: str | None) -> None:
        self.warning.setText(("⚠ " + text) if text else "")
        self.warning.setVisible(bool(text))


class TextField(Field):
    def __init__(self, name: str, *, multiline: bool = False, parent: QObject | None = None):
        widget: QLineEdit | QPlainTextEdit
        if multiline:
            widget = QPlainTextEdit()
            widget.setTabChangesFocus(True)
            widget.setMinimumHeight(90)
            widget.textChanged.connect(lambda: self.edited.emit())
        else:
            widget = QLineEdit()
            widget.textEdited.connect(lambda _t: self.edited.emit())
        super().__init__(name, widget, parent)
        self.multiline = multiline

    def value(self) -> str:
        widget = self.widget
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        assert isinstance(widget, QLineEdit)
        return widget.text()

    def load(self, value: Any) -> None:
        text = "" if value is None else str(value)
        widget = self.widget
        if isinstance(widget, QPlainTextEdit):
            widget.setPlainText(text)
        elif isinstance(widget, QLineEdit):
            widget.setText(text)

    def set_text(self, text: str) -> None:
        """Type into the field (tests and pre-filling)."""
        self.load(text)
        self.edited.emit()


class NumberField(TextField):
    """Numbers are typed as text: empty means "not given", and the validator parses
    "3,5" and "3.5" alike."""

    def __init__(self, name: str, parent: QObject | None = None):
        super().__init__(name, parent=parent)
        self.widget.setAlignment(Qt.AlignmentFlag.AlignRight)  # type: ignore[attr-defined]

    def load(self, value: Any) -> None:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        super().load(value)


class ListField(TextField):
    """A list of texts typed as one comma-separated line (tags, image addresses)."""

    def load(self, value: Any) -> None:
        if isinstance(value, list | tuple):
            value = ", ".join(str(v) for v in value)
        super().load(value)


class ChoiceField(Field):
    def __init__(
        self,
        name: str,
        choices: Sequence[tuple[str, str]],
        *,
        optional: bool = False,
        parent: QObject | None = None,
    ):
        super().__init__(name, QComboBox(), parent)
        self.optional = optional
        self._choices = list(choices)
        combo = self.combo
        if optional:
            combo.addItem("—", "")
        for value, label in self._choices:
            combo.addItem(label, value)
        combo.currentIndexChanged.connect(lambda _i: self.edited.emit())

    @property
    def combo(self) -> QComboBox:
        assert isinstance(self.widget, QComboBox)
        return self.widget

    def value(self) -> str:
        return self.combo.currentData() or ""

    def load(self, value: Any) -> None:
        index = self.combo.findData(value if value is not None else "")
        if index < 0 and value:
            self.combo.addItem(str(value), value)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(max(0, index))

    def set_labels(self, choices: Sequence[tuple[str, str]]) -> None:
        """Retitle the choices (language change) without changing the selection."""
        offset = 1 if self.optional else 0
        for number, (_value, label) in enumerate(choices):
            self.combo.setItemText(number + offset, label)


def _to_qt(moment: datetime) -> QDateTime:
    return QDateTime.fromMSecsSinceEpoch(int(moment.timestamp() * 1000), QTimeZone.systemTimeZone())


class DateTimeField(Field):
    """A local date and time, sent as ISO-8601 UTC; optional ones can be left unset."""

    def __init__(self, name: str, *, optional: bool = False, parent: QObject | None = None):
        container = QWidget()
        self.edit = QDateTimeEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.edit.setTimeZone(QTimeZone.systemTimeZone())
        self.set_box = QCheckBox()
        row = QHBoxLayout(container)
        row.setContentsMargins(0, 0, 0, 0)
        if optional:
            row.addWidget(self.set_box)
            self.set_box.toggled.connect(self.edit.setEnabled)
            self.set_box.toggled.connect(lambda _c: self.edited.emit())
            self.edit.setEnabled(False)
        row.addWidget(self.edit, 1)
        super().__init__(name, container, parent)
        self.optional = optional
        self.edit.dateTimeChanged.connect(lambda _d: self.edited.emit())

    def value(self) -> datetime | None:
        if self.optional and not self.set_box.isChecked():
            return None
        return datetime.fromtimestamp(self.edit.dateTime().toMSecsSinceEpoch() / 1000, UTC)

    def load(self, value: Any) -> None:
        moment = value if isinstance(value, datetime) else parse_timestamp(value)
        if self.optional:
            self.set_box.setChecked(moment is not None)
        if moment is not None:
            self.edit.setDateTime(_to_qt(moment))

    def set_moment(self, moment: datetime | None) -> None:
        self.load(moment)
        self.edited.emit()

"""`EditorDialog`: the shared behaviour of every editor form.

The server answers a bad body with a bare "Bad Request Exception" (contract §3.3), so each
form validates and cleans its input with `services.validation` before anything is sent, and
shows each message next to its field. Warnings (text the server would cut after a `<`, a plain
http:// link...) are shown and must be seen once before "Save anyway" sends. Whatever happens,
the user's input stays in the form until it has been saved or queued: a refusal from the
server, a lost connection or a bug never throws typed text away.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viva_desktop.services.remote.api.errors import ApiError, Forbidden, InvalidInput
from viva_desktop.services.remote.validation import FORM, ValidationResult
from viva_desktop.ui.common.retranslate import Retranslating
from viva_desktop.ui.common.worker import TaskHandle
from viva_desktop.ui.editors.fields import Field
from viva_desktop.ui.editors.writer import BatchResult, Operation, WriteResult, writer_of

Validator = Callable[[Mapping[str, Any]], ValidationResult]


class FormState(Enum):
    EDITING = "editing"
    INVALID = "invalid"  # local validation found errors: nothing was sent
    CONFIRM = "confirm"  # warnings shown: the next press sends anyway
    SENDING = "sending"
    SAVED = "saved"
    QUEUED = "queued"  # in the outbox, sent when the server is back
    PARTIAL = "partial"  # a bulk action: some items done or queued, some refused
    FAILED = "failed"  # the server refused: the input is kept for another try


class EditorDialog(Retranslating, QDialog):
    """Subclasses add fields, and implement `validate()` and `operation()`."""

    saved = Signal(object)  # WriteResult, sent or queued
    state_changed = Signal(object)  # FormState

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setModal(True)
        self.setMinimumWidth(520)
        self.fields: dict[str, Field] = {}
        self.state = FormState.EDITING
        self.result: ValidationResult | None = None
        self.outcome: WriteResult | None = None
        self.error: BaseException | None = None
        self.handle: TaskHandle | None = None
        self._initial: dict[str, Any] = {}
        self._acknowledged: dict[str, str] = {}
        self._tried = False

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setObjectName("Muted")
        self.banner = QLabel()
        self.banner.setObjectName("Banner")
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.hide()
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.buttons = QDialogButtonBox()
        self.submit_button = QPushButton()
        self.submit_button.setDefault(True)
        self.buttons.addButton(self.submit_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.submit_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        self.extra = QVBoxLayout()  # content shown above the fields (a case, a request…)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.extra)
        layout.addWidget(self.banner)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)
        self._live = QTimer(self)
        self._live.setSingleShot(True)
        self._live.setInterval(300)
        self._live.timeout.connect(self._revalidate)

    # ------------------------------------------------------------------ building

    def add_field(self, field: Field) -> Field:
        field.setParent(self)
        self.fields[field.name] = field
        self.form.addRow(field.label, field.box)
        field.edited.connect(self._field_edited)
        return field

    def load(self, record: Mapping[str, Any]) -> None:
        """Fill the fields from a server record; only changed fields are sent afterwards."""
        for name, field in self.fields.items():
            field.load(record.get(name))
        self._initial = {name: field.value() for name, field in self.fields.items()}

    @property
    def partial(self) -> bool:
        return bool(self._initial)

    # ------------------------------------------------------------------ subclass hooks

    def validate(self, dto: Mapping[str, Any]) -> ValidationResult:
        raise NotImplementedError

    def operation(self, cleaned: dict[str, Any]) -> Operation | list[Operation]:
        """What to send: one operation, or several for a bulk action."""
        raise NotImplementedError

    def submit_text(self) -> str:
        return self.tr("Save")

    # ------------------------------------------------------------------ the flow

    def collect(self) -> dict[str, Any]:
        """The body to validate: every field when creating, the changed ones when editing."""
        dto: dict[str, Any] = {}
        for name, field in self.fields.items():
            value = field.value()
            if self.partial:
                if value != self._initial.get(name):
                    dto[name] = value
            elif value not in (None, ""):
                dto[name] = value
        return dto

    def submit(self) -> None:
        if self.state in (
            FormState.SENDING,
            FormState.SAVED,
            FormState.QUEUED,
            FormState.PARTIAL,
        ):
            if self.state is not FormState.SENDING:
                self.accept()
            return
        self._tried = True
        result = self.validate(self.collect())
        self.result = result
        self._show_result(result)
        if result.errors:
            self._set_state(FormState.INVALID)
            unplaced = [t for n, t in result.errors.items() if n not in self.fields]
            self._show_banner(
                "\n".join(unplaced) or self.tr("Correct the fields marked below."), "error"
            )
            return
        pending = {k: v for k, v in result.warnings.items() if self._acknowledged.get(k) != v}
        if pending:
            self._acknowledged.update(result.warnings)
            self._set_state(FormState.CONFIRM)
            self._show_banner(
                result.warnings.get(FORM)
                or self.tr("Please check the warnings below, then press “Save anyway”."),
                "warning",
            )
            self.submit_button.setText(self.tr("Save anyway"))
            return
        self._send(result.cleaned)

    def _send(self, cleaned: dict[str, Any]) -> None:
        self._set_state(FormState.SENDING)
        self._show_banner(self.tr("Sending…"), "info")
        self._set_editable(False)
        self.handle = writer_of(self.context).submit(
            self.operation(cleaned), on_done=self._done, on_error=self._failed, parent=self
        )

    def _done(self, outcome: WriteResult | BatchResult) -> None:
        self.outcome = outcome
        if isinstance(outcome, BatchResult) and outcome.failures:
            self._set_state(FormState.PARTIAL if outcome.results else FormState.FAILED)
            self._show_banner(outcome.message, "error")
            self._set_editable(not outcome.results)
            if outcome.results:
                self._finished_buttons()
                self.saved.emit(outcome)
            return
        if outcome.queued:
            self._set_state(FormState.QUEUED)
            self._show_banner(outcome.message, "warning")
            self._finished_buttons()
            self.saved.emit(outcome)
            return
        self._set_state(FormState.SAVED)
        self.saved.emit(outcome)
        self.accept()

    def _finished_buttons(self) -> None:
        self.submit_button.setText(self.tr("Close"))
        self.submit_button.setEnabled(True)
        self.cancel_button.hide()

    def _failed(self, exc: BaseException) -> None:
        self.error = exc
        self._set_state(FormState.FAILED)
        self._set_editable(True)
        if isinstance(exc, InvalidInput) and exc.field_errors:
            for name, text in exc.field_errors.items():
                if name in self.fields:
                    self.fields[name].show_error(text)
        if isinstance(exc, ApiError):
            message = exc.user_message
            if isinstance(exc, Forbidden | InvalidInput) and exc.details.server_message:
                message += "\n" + self.tr("The server said: “{message}”").format(
                    message=exc.details.server_message
                )
            self._show_banner(message, "error")
            return
        # Not a server answer: a bug. The error dialog explains; the input stays here.
        self._show_banner(self.tr("The change could not be sent. Your input is kept."), "error")
        self.context.report_error(exc, parent=self)

    # ------------------------------------------------------------------ display

    def _field_edited(self) -> None:
        if self.state in (FormState.CONFIRM, FormState.FAILED):
            self._set_state(FormState.EDITING)
            self.submit_button.setText(self.submit_text())
        self._live.start()

    def _revalidate(self) -> None:
        """Warnings as the user types; errors too once a save was attempted."""
        if self.state in (
            FormState.SENDING,
            FormState.SAVED,
            FormState.QUEUED,
            FormState.PARTIAL,
        ):
            return
        result = self.validate(self.collect())
        if not self._tried:
            result = ValidationResult(result.cleaned, {}, result.warnings)
        self._show_result(result)

    def _show_result(self, result: ValidationResult) -> None:
        for name, field in self.fields.items():
            field.show_error(result.errors.get(name))
            field.show_warning(result.warnings.get(name))
        unplaced = [
            text for name, text in result.errors.items() if name not in self.fields and name != FORM
        ]
        if unplaced:
            self._show_banner("\n".join(unplaced), "error")
        self._fit()

    def _fit(self) -> None:
        """Grow to show messages that appeared under the fields (never shrink under the user)."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        wanted = layout.totalHeightForWidth(self.width())
        if wanted < 0:
            wanted = self.sizeHint().height()
        if wanted > self.height():
            self.resize(self.width(), wanted)

    def _show_banner(self, text: str, kind: str) -> None:
        self.banner.setProperty("kind", kind)
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def _set_editable(self, editable: bool) -> None:
        for field in self.fields.values():
            field.set_enabled(editable)
        self.submit_button.setEnabled(editable)

    def _set_state(self, state: FormState) -> None:
        self.state = state
        self.state_changed.emit(state)

    def retranslate(self) -> None:
        if self.state not in (FormState.CONFIRM, FormState.QUEUED):
            self.submit_button.setText(self.submit_text())

    def reject(self) -> None:
        if self.state is FormState.SENDING and self.handle is not None:
            return  # wait for the answer: closing now would hide whether it was saved
        super().reject()

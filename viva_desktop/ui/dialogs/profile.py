"""Adding or editing a server profile: name, address, TLS, timeout.

The `ServerProfile` model validates every field; its messages appear under the field they
concern, and the dialog stays open with the input intact until everything is valid.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viva_desktop.services.common.config import ServerProfile
from viva_desktop.ui.common.retranslate import Retranslating


def field_error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("FieldError")
    label.setWordWrap(True)
    label.hide()
    return label


def show_field_error(label: QLabel, text: str | None) -> None:
    label.setText(text or "")
    label.setVisible(bool(text))


class ProfileDialog(Retranslating, QDialog):
    """Returns the new or edited profile in `profile` when accepted."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        profile: ServerProfile | None = None,
        taken_names: set[str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ProfileDialog")
        self._original = profile
        self._taken = set(taken_names or set()) - ({profile.name} if profile else set())
        self.profile: ServerProfile | None = None

        self.name = QLineEdit(profile.name if profile else "")
        self.name.setObjectName("name")
        self.url = QLineEdit(profile.url if profile else "https://")
        self.url.setObjectName("url")
        self.verify = QCheckBox()
        self.verify.setChecked(profile.verify_tls if profile else True)
        self.ca_bundle = QLineEdit(str(profile.ca_bundle) if profile and profile.ca_bundle else "")
        self.ca_bundle.setObjectName("ca_bundle")
        self.browse = QPushButton()
        self.browse.clicked.connect(self._browse)
        self.timeout = QDoubleSpinBox()
        self.timeout.setRange(1, 600)
        self.timeout.setDecimals(0)
        self.timeout.setValue(profile.timeout if profile else 30)
        self.deadline = QDoubleSpinBox()
        self.deadline.setObjectName("retry_deadline")
        self.deadline.setRange(1, 600)
        self.deadline.setDecimals(0)
        self.deadline.setValue(profile.retry_deadline if profile else 45)
        self.deadline_label = QLabel()
        self.pacing = QCheckBox()
        self.pacing.setObjectName("pacing")
        self.pacing.setChecked(profile.pacing if profile else True)
        self.pacing_note = QLabel()
        self.pacing_note.setWordWrap(True)
        self.pacing_note.setObjectName("HintLabel")
        self.errors = {
            "name": field_error_label(),
            "url": field_error_label(),
            "ca_bundle": field_error_label(),
            "timeout": field_error_label(),
        }
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_bundle, 1)
        ca_row.addWidget(self.browse)

        self._labels = [QLabel() for _ in range(4)]
        form = QFormLayout()
        form.addRow(self._labels[0], self._with_error(self.name, "name"))
        form.addRow(self._labels[1], self._with_error(self.url, "url"))
        form.addRow("", self.verify)
        form.addRow(self._labels[2], self._with_error(ca_row, "ca_bundle"))
        form.addRow(self._labels[3], self._with_error(self.timeout, "timeout"))
        form.addRow(self.deadline_label, self.deadline)
        form.addRow("", self.pacing)
        form.addRow("", self.pacing_note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self.retranslate()

    def _with_error(self, item: QWidget | QHBoxLayout, key: str) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        if isinstance(item, QWidget):
            column.addWidget(item)
        else:
            column.addLayout(item)
        column.addWidget(self.errors[key])
        return box

    def retranslate(self) -> None:
        self.setWindowTitle(
            self.tr("Edit server profile") if self._original else self.tr("Add a server profile")
        )
        for label, text in zip(
            self._labels,
            (
                self.tr("Name:"),
                self.tr("Server address:"),
                self.tr("CA bundle:"),
                self.tr("Timeout (s):"),
            ),
            strict=True,
        ):
            label.setText(text)
        self.url.setPlaceholderText("https://api.example.org")
        self.verify.setText(self.tr("Verify the server's TLS certificate"))
        self.ca_bundle.setPlaceholderText(self.tr("Optional: a PEM file of trusted authorities"))
        self.browse.setText(self.tr("Browse…"))
        self.deadline_label.setText(self.tr("Retry for at most (s):"))
        self.deadline.setToolTip(
            self.tr(
                "A request that gets no answer is repeated until this many seconds have "
                "passed in all, then reported."
            )
        )
        self.deadline.setAccessibleName(self.tr("Retry for at most (s)"))
        self.pacing.setText(self.tr("Keep to the server's rate limits"))
        self.pacing.setAccessibleName(self.tr("Keep to the server's rate limits"))
        self.pacing_note.setText(
            self.tr(
                "The server counts requests per address: everyone behind the same network or "
                "proxy shares its budget, even when it does not refuse anything. Turn this off "
                "only for a server of your own."
            )
        )

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose a CA bundle"),
            "",
            self.tr("Certificates (*.pem *.crt);;All files (*)"),
        )
        if path:
            self.ca_bundle.setText(path)

    def build(self) -> ServerProfile | None:
        """The profile the fields describe, or None (with messages shown) when invalid."""
        for label in self.errors.values():
            show_field_error(label, None)
        name = self.name.text().strip()
        ok = True
        if name in self._taken:
            show_field_error(self.errors["name"], self.tr("Another profile already has this name."))
            ok = False
        ca_text = self.ca_bundle.text().strip()
        if ca_text and not Path(ca_text).expanduser().is_file():
            show_field_error(self.errors["ca_bundle"], self.tr("This file does not exist."))
            ok = False
        try:
            profile = ServerProfile(
                name=name,
                url=self.url.text().strip(),
                verify_tls=self.verify.isChecked(),
                ca_bundle=Path(ca_text) if ca_text else None,
                timeout=self.timeout.value(),
                retry_deadline=self.deadline.value(),
                pacing=self.pacing.isChecked(),
                account=self._original.account if self._original else None,
            )
        except ValidationError as exc:
            for error in exc.errors():
                key = str(error["loc"][0]) if error["loc"] else "name"
                message = str(error["msg"]).removeprefix("Value error, ")
                if key in self.errors:
                    show_field_error(self.errors[key], message)
            return None
        if profile.url.startswith("sandbox:"):
            show_field_error(self.errors["url"], self.tr("Use an http:// or https:// address."))
            return None
        return profile if ok else None

    def accept(self) -> None:
        profile = self.build()
        if profile is None:
            return
        self.profile = profile
        super().accept()

"""The login dialog: pick a server profile, sign in (with the 2FA step when the account has
it), or choose to review the local data offline.

Signing in runs through the worker (the sandbox preset starts the embedded server first).
A wrong password or code is shown inline, next to the field, with the input kept; any other
failure opens the error dialog, which can retry the sign-in. Only the e-mail address is
remembered per profile; tokens go to the keyring through the session, and a visible note says
so when there is no keyring and the sign-in will not survive a restart.
"""

from __future__ import annotations

from enum import Enum
from itertools import pairwise

import shiboken6
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from viva_desktop.services.common.cancel import CancelledError, CancelToken
from viva_desktop.services.common.config import ServerProfile
from viva_desktop.services.remote.api.errors import (
    InvalidCredentials,
    InvalidTwoFactorCode,
    TwoFactorRequired,
)
from viva_desktop.services.remote.session import Session, SessionInfo
from viva_desktop.services.remote.validation import validate_login
from viva_desktop.ui.common.context import AppContext
from viva_desktop.ui.common.icons import app_icon, icon
from viva_desktop.ui.common.retranslate import Retranslating
from viva_desktop.ui.common.worker import TaskHandle, run_task
from viva_desktop.ui.dialogs.profile import ProfileDialog, field_error_label, show_field_error


class LoginOutcome(Enum):
    NONE = "none"
    SIGNED_IN = "signed_in"
    OFFLINE = "offline"


def sign_in(
    session: Session,
    email: str,
    password: str,
    code: str | None,
    cancel: CancelToken,
) -> SessionInfo:
    """The login call of the dialog. A sign-in that completes after the user cancelled is
    undone, so cancelling never leaves a session behind."""
    info = session.login(email, password, code)
    if cancel.cancelled:
        session.logout()
        raise CancelledError
    return info


def sandbox_demo_account() -> tuple[str, str]:
    """The demo administrator of the embedded sandbox (e-mail, password)."""
    from viva_desktop.sandbox.seed import ADMIN_EMAIL, DEMO_PASSWORD

    return ADMIN_EMAIL, DEMO_PASSWORD


class LoginDialog(Retranslating, QDialog):
    signed_in = Signal(object)  # SessionInfo
    offline_chosen = Signal(object)  # ServerProfile | None

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        message: str = "",
        profile_name: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("LoginDialog")
        self.setWindowIcon(app_icon())
        self.context = context
        self.outcome = LoginOutcome.NONE
        self._task: TaskHandle | None = None
        self._two_factor = False

        self.logo = QLabel()
        self.logo.setPixmap(app_icon().pixmap(56, 56))
        self.heading = QLabel()
        self.heading.setObjectName("PageTitle")
        self.message_banner = QLabel(message)
        self.message_banner.setObjectName("Banner")
        self.message_banner.setWordWrap(True)
        self.message_banner.setVisible(bool(message))
        self.keyring_note = QLabel()
        self.keyring_note.setObjectName("Banner")
        self.keyring_note.setProperty("kind", "warning")  # a risk, not a success
        self.keyring_note.setWordWrap(True)

        self.profile = QComboBox()
        self.profile.setObjectName("profile")
        self.add_profile_button = QToolButton()
        self.add_profile_button.setIcon(icon("add"))
        self.add_profile_button.clicked.connect(self.add_profile)
        self.edit_profile_button = QToolButton()
        self.edit_profile_button.setIcon(icon("edit"))
        self.edit_profile_button.clicked.connect(self.edit_profile)
        self.remove_profile_button = QToolButton()
        self.remove_profile_button.setIcon(icon("remove"))
        self.remove_profile_button.clicked.connect(self.remove_profile)
        self.profile_url = QLabel()
        self.profile_url.setObjectName("Muted")

        self.email = QLineEdit()
        self.email.setObjectName("email")
        self.email.setClearButtonEnabled(True)
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.code = QLineEdit()
        self.code.setObjectName("code")
        self.code.setMaxLength(12)
        self.code_hint = QLabel()
        self.code_hint.setWordWrap(True)
        self.code_hint.setObjectName("Muted")
        self.demo_hint = QLabel()
        self.demo_hint.setObjectName("Muted")
        self.demo_hint.setWordWrap(True)
        self.email_error = field_error_label()
        self.password_error = field_error_label()
        self.code_error = field_error_label()
        self.form_error = field_error_label()

        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(6)
        self.progress.hide()
        self.status = QLabel()
        self.status.setObjectName("Muted")

        self.sign_in_button = QPushButton(icon("login"), "")
        self.sign_in_button.setDefault(True)
        self.sign_in_button.clicked.connect(self.sign_in)
        self.offline_button = QPushButton(icon("offline_data"), "")
        self.offline_button.clicked.connect(self.choose_offline)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.reject)

        profile_row = QHBoxLayout()
        profile_row.addWidget(self.profile, 1)
        profile_row.addWidget(self.add_profile_button)
        profile_row.addWidget(self.edit_profile_button)
        profile_row.addWidget(self.remove_profile_button)

        self._labels = {key: QLabel() for key in ("profile", "email", "password", "code")}
        form = QFormLayout()
        form.addRow(self._labels["profile"], self._column(profile_row, self.profile_url))
        form.addRow(self._labels["email"], self._column(self.email, self.email_error))
        form.addRow(self._labels["password"], self._column(self.password, self.password_error))
        self.code_box = self._column(self.code, self.code_error, self.code_hint)
        form.addRow(self._labels["code"], self.code_box)
        self._form = form
        self._set_code_visible(False)

        header = QHBoxLayout()
        header.addWidget(self.logo)
        header.addWidget(self.heading, 1)

        buttons = QHBoxLayout()
        buttons.addWidget(self.offline_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.sign_in_button)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.message_banner)
        layout.addLayout(form)
        layout.addWidget(self.demo_hint)
        layout.addWidget(self.form_error)
        layout.addWidget(self.keyring_note)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.setMinimumWidth(480)

        # Tab follows the reading order, buttons included (they were made before the fields).
        chain = (
            self.profile,
            self.add_profile_button,
            self.edit_profile_button,
            self.remove_profile_button,
            self.email,
            self.password,
            self.code,
            self.offline_button,
            self.cancel_button,
            self.sign_in_button,
        )
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

        self._fill_profiles(profile_name)
        self.profile.currentIndexChanged.connect(self._profile_selected)
        self._profile_selected()
        self.retranslate()

    # ------------------------------------------------------------------ layout helpers

    @staticmethod
    def _column(*items: QWidget | QHBoxLayout) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        for item in items:
            if isinstance(item, QWidget):
                column.addWidget(item)
            else:
                column.addLayout(item)
        return box

    def _set_code_visible(self, visible: bool) -> None:
        self._form.setRowVisible(self.code_box, visible)

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest:
            self._grow_to_fit()
        return handled

    def _grow_to_fit(self) -> None:
        """Grow the dialog when a line appears (an error, the 2FA row, a note). A top-level
        window's minimum height ignores word-wrapped labels, so without this Qt squeezed the
        other rows (the Server combo down to a few pixels) to make room."""
        layout = self.layout()
        if layout is None or not self.isVisible():
            return
        needed = (
            layout.totalHeightForWidth(self.width())
            if layout.hasHeightForWidth()
            else layout.totalMinimumSize().height()
        )
        needed = max(needed, layout.totalMinimumSize().height())
        if self.height() < needed:
            self.resize(self.width(), needed)

    # ------------------------------------------------------------------ texts

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Sign in — Viva Desktop"))
        self.heading.setText(self.tr("Sign in to a Comunidad Viva server"))
        self._labels["profile"].setText(self.tr("Server:"))
        self._labels["email"].setText(self.tr("E-mail:"))
        self._labels["password"].setText(self.tr("Password:"))
        self._labels["code"].setText(self.tr("Code:"))
        self.email.setPlaceholderText(self.tr("name@example.org"))
        self.code.setPlaceholderText(self.tr("123456 or backup code"))
        self.code_hint.setText(
            self.tr(
                "This account uses two-factor authentication. Enter the 6-digit code from your "
                "authenticator app, or one of your 8-character backup codes."
            )
        )
        self.add_profile_button.setToolTip(self.tr("Add a server profile"))
        self.edit_profile_button.setToolTip(self.tr("Edit the selected profile"))
        self.remove_profile_button.setToolTip(self.tr("Remove the selected profile"))
        for button in (
            self.add_profile_button,
            self.edit_profile_button,
            self.remove_profile_button,
        ):
            button.setAccessibleName(button.toolTip())  # icon-only: the tooltip names it
        self.sign_in_button.setText(self.tr("Sign in"))
        self.offline_button.setText(self.tr("Review local data (offline)"))
        self.offline_button.setToolTip(
            self.tr("Open the local copy of the data without connecting to the server")
        )
        self.cancel_button.setText(self.tr("Cancel"))
        vault = self.context.vault
        self.keyring_note.setVisible(not vault.persistent)
        if not vault.persistent:
            reason = vault.reason or self.tr("No system keyring is available.")
            self.keyring_note.setText(
                reason + " " + self.tr("You will need to sign in each time you start the app.")
            )
        self._update_profile_details()

    # ------------------------------------------------------------------ profiles

    def selected_profile(self) -> ServerProfile | None:
        name = self.profile.currentData()
        return self.context.settings.profile(name) if name else None

    def _fill_profiles(self, select: str | None = None) -> None:
        settings = self.context.settings
        current = self.selected_profile()
        chosen = select or settings.active_profile or (current.name if current else None)
        self.profile.blockSignals(True)
        self.profile.clear()
        for profile in settings.profiles:
            self.profile.addItem(
                icon("sandbox" if profile.is_sandbox else "server"), profile.display_name
            )
            self.profile.setItemData(self.profile.count() - 1, profile.name)
        index = self.profile.findData(chosen)
        self.profile.setCurrentIndex(max(0, index))
        self.profile.blockSignals(False)

    def _profile_selected(self) -> None:
        profile = self.selected_profile()
        if profile is not None:
            account = self.context.last_account(profile) or ""
            if not account and profile.is_sandbox:
                account = sandbox_demo_account()[0]
            self.email.setText(account)
            self.password.clear()
        self._two_factor = False
        self._set_code_visible(False)
        self.code.clear()
        self._clear_errors()
        self._update_profile_details()
        (self.password if self.email.text() else self.email).setFocus()

    def _update_profile_details(self) -> None:
        profile = self.selected_profile()
        sandbox = profile is not None and profile.is_sandbox
        self.remove_profile_button.setEnabled(profile is not None and not sandbox)
        self.edit_profile_button.setEnabled(profile is not None and not sandbox)
        self.sign_in_button.setEnabled(profile is not None and not self.busy)
        if profile is None:
            self.profile_url.setText(self.tr("Add a server profile to sign in."))
        elif sandbox:
            self.profile_url.setText(
                self.tr("The built-in practice server, started on this computer")
            )
        else:
            self.profile_url.setText(profile.url)
        self.demo_hint.setVisible(sandbox)
        if sandbox:
            email, password = sandbox_demo_account()
            self.demo_hint.setText(
                self.tr(
                    "Sandbox demo: sign in as {email} with the password {password}. Its data "
                    "is made up and is reset every time the app starts."
                ).format(email=email, password=password)
            )

    def _taken_names(self) -> set[str]:
        return {p.name for p in self.context.settings.profiles}

    def add_profile(self) -> None:
        dialog = ProfileDialog(self, taken_names=self._taken_names())
        dialog.accepted.connect(lambda: self._store_profile(None, dialog.profile))
        dialog.open()

    def edit_profile(self) -> None:
        current = self.selected_profile()
        if current is None or current.is_sandbox:
            return
        dialog = ProfileDialog(self, profile=current, taken_names=self._taken_names())
        dialog.accepted.connect(lambda: self._store_profile(current.name, dialog.profile))
        dialog.open()

    def _store_profile(self, old_name: str | None, profile: ServerProfile | None) -> None:
        if profile is None:
            return
        settings = self.context.settings
        profiles = [p for p in settings.profiles if p.name != old_name]
        if old_name is None:
            profiles.append(profile)
        else:
            index = next(
                (i for i, p in enumerate(settings.profiles) if p.name == old_name), len(profiles)
            )
            profiles.insert(index, profile)
        settings.profiles = profiles
        if old_name is not None and settings.active_profile == old_name:
            settings.active_profile = profile.name
        self.context.save_settings()
        self._fill_profiles(profile.name)
        self._profile_selected()

    def remove_profile(self) -> None:
        current = self.selected_profile()
        if current is None or current.is_sandbox:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Remove profile"),
            self.tr(
                "Remove the server profile “{name}”? Its local data stays in the store."
            ).format(name=current.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _result: self._confirmed_removal(box, current.name))
        box.open()
        self.confirm_box = box

    def _confirmed_removal(self, box: QMessageBox, name: str) -> None:
        if box.standardButton(box.clickedButton()) == QMessageBox.StandardButton.Yes:
            self._drop_profile(name)

    def _drop_profile(self, name: str) -> None:
        settings = self.context.settings
        settings.profiles = [p for p in settings.profiles if p.name != name]
        if settings.active_profile == name:
            settings.active_profile = None
        self.context.save_settings()
        self._fill_profiles()
        self._profile_selected()

    # ------------------------------------------------------------------ signing in

    @property
    def busy(self) -> bool:
        return self._task is not None and self._task.running

    def _clear_errors(self) -> None:
        for label in (self.email_error, self.password_error, self.code_error, self.form_error):
            show_field_error(label, None)

    def validate(self) -> dict[str, str] | None:
        """The cleaned login fields, or None after showing what is wrong next to each field."""
        self._clear_errors()
        fields = {"email": self.email.text(), "password": self.password.text()}
        if self._two_factor:
            fields["twoFactorToken"] = self.code.text()
        result = validate_login(fields)
        show_field_error(
            self.email_error, result.errors.get("email") or result.warnings.get("email")
        )
        show_field_error(self.password_error, result.errors.get("password"))
        show_field_error(self.code_error, result.errors.get("twoFactorToken"))
        if self._two_factor and "twoFactorToken" not in result.cleaned and not result.errors:
            show_field_error(self.code_error, self.tr("Enter the code to continue."))
            self.code.setFocus()
            return None
        if not result.ok:
            for key, widget in (
                ("email", self.email),
                ("password", self.password),
                ("twoFactorToken", self.code),
            ):
                if key in result.errors:
                    widget.setFocus()
                    break
            return None
        return result.cleaned

    def sign_in(self) -> None:
        if self.busy:
            return
        profile = self.selected_profile()
        if profile is None:
            return
        fields = self.validate()
        if fields is None:
            return
        self._set_busy(True, self.tr("Connecting to {name}…").format(name=profile.display_name))
        self._task = self.context.connect_profile(
            profile,
            on_done=lambda session: self._login_with(session, profile, fields),
            on_error=self._failed,
            parent=self,
        )

    def _login_with(self, session: Session, profile: ServerProfile, fields: dict[str, str]) -> None:
        if not shiboken6.isValid(self) or not self.isVisible():
            return  # closed meanwhile
        self.status.setText(self.tr("Signing in as {email}…").format(email=fields["email"]))
        self._task = run_task(
            sign_in,
            session,
            fields["email"],
            fields["password"],
            fields.get("twoFactorToken"),
            on_done=lambda info: self._succeeded(profile, info),
            on_error=self._failed,
            on_cancelled=lambda: self._set_busy(False),
            parent=self,
            name="sign in",
        )

    def cancel_sign_in(self) -> None:
        if self._task is not None and self._task.running:
            self._task.cancel()

    def _set_busy(self, busy: bool, text: str = "") -> None:
        for widget in (
            self.profile,
            self.email,
            self.password,
            self.code,
            self.offline_button,
            self.add_profile_button,
        ):
            widget.setEnabled(not busy)
        self.sign_in_button.setEnabled(not busy and self.selected_profile() is not None)
        if not busy:
            self._update_profile_details()
        self.progress.setVisible(busy)
        self.status.setText(text)
        self.cancel_button.setText(self.tr("Stop") if busy else self.tr("Cancel"))

    def reject(self) -> None:
        if self.busy:
            self.cancel_sign_in()
            return
        super().reject()

    def _succeeded(self, profile: ServerProfile, info: SessionInfo) -> None:
        self._set_busy(False)
        self.context.remember_account(profile, info.account)
        self.context.session_restarted()
        self.outcome = LoginOutcome.SIGNED_IN
        self.signed_in.emit(info)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, TwoFactorRequired):
            self._two_factor = True
            self._set_code_visible(True)
            self.code.clear()
            self.code.setFocus()
            self.status.setText(self.tr("Two-factor authentication is on for this account."))
            return
        if isinstance(exc, InvalidTwoFactorCode):
            show_field_error(self.code_error, exc.user_message)
            self.code.selectAll()
            self.code.setFocus()
            return
        if isinstance(exc, InvalidCredentials):
            show_field_error(self.form_error, exc.user_message)
            self.password.selectAll()
            self.password.setFocus()
            return
        if isinstance(exc, CancelledError):
            return
        message = getattr(exc, "user_message", None)
        show_field_error(self.form_error, message or self.tr("The sign-in did not complete."))
        self.context.report_error(exc, retry=self.sign_in, parent=self)

    def choose_offline(self) -> None:
        profile = self.selected_profile()
        self.context.enter_offline_mode(profile)
        self.outcome = LoginOutcome.OFFLINE
        self.offline_chosen.emit(profile)
        self.accept()

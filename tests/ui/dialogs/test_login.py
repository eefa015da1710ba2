"""The login dialog against the real sandbox: good and bad credentials, the 2FA step,
field validation, the offline choice, server profiles and the keyring note."""

from __future__ import annotations

import pyotp
import pytest
from PySide6.QtWidgets import QDialogButtonBox

from tests.ui.conftest import TEST_PROFILE
from viva_desktop.sandbox.seed import (
    ADMIN_EMAIL,
    DEMO_PASSWORD,
    TWO_FACTOR_BACKUP_CODES,
    TWO_FACTOR_EMAIL,
    TWO_FACTOR_SECRET,
)
from viva_desktop.services.common.config import SANDBOX_PROFILE_NAME, load_settings
from viva_desktop.services.remote.vault import KeyringVault, VaultChoice
from viva_desktop.ui.dialogs.login import LoginDialog, LoginOutcome
from viva_desktop.ui.dialogs.profile import ProfileDialog


def open_login(qtbot, context, **kwargs) -> LoginDialog:
    dialog = LoginDialog(context, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def fill(dialog: LoginDialog, email: str, password: str) -> None:
    dialog.email.setText(email)
    dialog.password.setText(password)


def test_good_credentials_sign_in_and_remember_the_account(
    qtbot, context, sandbox_profile, config_path
) -> None:
    dialog = open_login(qtbot, context)
    assert dialog.selected_profile().name == TEST_PROFILE
    fill(dialog, ADMIN_EMAIL, DEMO_PASSWORD)
    with qtbot.waitSignal(dialog.signed_in, timeout=10_000) as signed:
        dialog.sign_in_button.click()
        assert dialog.progress.isVisible()  # connecting, in the background
    info = signed.args[0]
    assert info.role == "ADMIN"
    assert dialog.outcome is LoginOutcome.SIGNED_IN
    assert not dialog.isVisible()
    assert context.session_info.email == ADMIN_EMAIL
    assert context.settings.profile(TEST_PROFILE).account == ADMIN_EMAIL
    # the e-mail, and only the e-mail, reaches the config file
    qtbot.waitUntil(config_path.exists, timeout=5000)
    qtbot.waitUntil(
        lambda: load_settings(config_path).profile(TEST_PROFILE) is not None, timeout=5000
    )
    saved = config_path.read_text(encoding="utf-8")
    assert ADMIN_EMAIL in saved
    assert DEMO_PASSWORD not in saved


def test_wrong_password_is_shown_inline_and_the_input_is_kept(
    qtbot, context, sandbox_profile
) -> None:
    dialog = open_login(qtbot, context)
    fill(dialog, ADMIN_EMAIL, "not-the-password")
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: dialog.form_error.isVisible(), timeout=10_000)
    assert dialog.form_error.text() == "Wrong e-mail address or password."
    assert dialog.isVisible()
    assert dialog.email.text() == ADMIN_EMAIL
    assert dialog.password.text() == "not-the-password"
    assert dialog.sign_in_button.isEnabled()
    assert context.session_info is None
    assert context.error_presenter.open_dialogs() == []  # inline, not a dialog


def test_fields_are_checked_before_anything_is_sent(qtbot, context, sandbox_profile) -> None:
    dialog = open_login(qtbot, context)
    fill(dialog, "", "")
    dialog.sign_in_button.click()
    assert dialog.email_error.isVisible()
    assert dialog.password_error.isVisible()
    assert not dialog.busy
    assert context.services is None  # no connection was even attempted


def test_two_factor_login_asks_for_the_code_then_signs_in(qtbot, context, sandbox_profile) -> None:
    dialog = open_login(qtbot, context)
    fill(dialog, TWO_FACTOR_EMAIL, DEMO_PASSWORD)
    assert not dialog.code.isVisible()
    dialog.sign_in_button.click()
    qtbot.waitUntil(dialog.code.isVisible, timeout=10_000)
    assert dialog.code_hint.isVisible()
    assert context.session_info is None
    # a wrong code: said next to the code field, everything kept
    dialog.code.setText("000000")
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: dialog.code_error.isVisible(), timeout=10_000)
    assert dialog.code_error.text() == "The two-factor code is not valid."
    assert dialog.password.text() == DEMO_PASSWORD
    dialog.code.setText(pyotp.TOTP(TWO_FACTOR_SECRET).now())
    with qtbot.waitSignal(dialog.signed_in, timeout=10_000) as signed:
        dialog.sign_in_button.click()
    assert signed.args[0].email == TWO_FACTOR_EMAIL


def test_a_backup_code_works_as_the_second_factor(qtbot, context, sandbox_profile) -> None:
    dialog = open_login(qtbot, context)
    fill(dialog, TWO_FACTOR_EMAIL, DEMO_PASSWORD)
    dialog.sign_in_button.click()
    qtbot.waitUntil(dialog.code.isVisible, timeout=10_000)
    dialog.code.setText("12")
    dialog.sign_in_button.click()
    assert dialog.code_error.isVisible()  # neither 6 digits nor 8 characters: not sent
    dialog.code.setText(TWO_FACTOR_BACKUP_CODES[0].lower())
    with qtbot.waitSignal(dialog.signed_in, timeout=10_000):
        dialog.sign_in_button.click()


def test_unreachable_server_opens_the_error_dialog_with_retry(qtbot, context, settings) -> None:
    from tests.ui.conftest import add_profile

    add_profile(settings, "http://127.0.0.1:9")  # discard port: nothing listens
    dialog = open_login(qtbot, context)
    fill(dialog, ADMIN_EMAIL, DEMO_PASSWORD)
    with qtbot.waitSignal(context.error_presenter.dialog_opened, timeout=30_000) as opened:
        dialog.sign_in_button.click()
    error_dialog = opened.args[0]
    assert error_dialog.content.title == "No connection"
    assert error_dialog.retry_button.isVisible()
    assert dialog.password.text() == DEMO_PASSWORD
    assert dialog.form_error.isVisible()
    error_dialog.close()


def test_offline_choice_reviews_local_data_without_connecting(qtbot, context, sandbox_profile):
    dialog = open_login(qtbot, context)
    with qtbot.waitSignal(dialog.offline_chosen, timeout=5000):
        dialog.offline_button.click()
    assert dialog.outcome is LoginOutcome.OFFLINE
    assert context.offline_mode
    assert context.online is False
    assert context.profile.name == TEST_PROFILE
    assert context.services is None


def test_keyring_note_says_when_sign_in_is_not_remembered(qtbot, context, sandbox_profile):
    dialog = open_login(qtbot, context)
    assert dialog.keyring_note.isVisible()
    assert "sign in each time" in dialog.keyring_note.text()


@pytest.mark.keyring
def test_no_keyring_note_with_a_working_keyring_and_tokens_go_there(
    qtbot, context, sandbox_profile, secret_service
) -> None:
    import keyring

    context.vault = VaultChoice(KeyringVault(keyring.get_keyring()), True, None)
    dialog = open_login(qtbot, context)
    assert not dialog.keyring_note.isVisible()
    fill(dialog, ADMIN_EMAIL, DEMO_PASSWORD)
    with qtbot.waitSignal(dialog.signed_in, timeout=10_000):
        dialog.sign_in_button.click()
    stored = context.vault.vault.load(TEST_PROFILE, ADMIN_EMAIL)
    assert stored is not None
    assert context.session.persistent
    context.vault.vault.clear(TEST_PROFILE, ADMIN_EMAIL)


def test_sandbox_preset_cannot_be_removed_or_edited(qtbot, context) -> None:
    dialog = open_login(qtbot, context, profile_name=SANDBOX_PROFILE_NAME)
    assert dialog.selected_profile().is_sandbox
    assert not dialog.remove_profile_button.isEnabled()
    assert not dialog.edit_profile_button.isEnabled()
    assert dialog.email.text() == ADMIN_EMAIL  # the demo account is suggested
    assert DEMO_PASSWORD in dialog.demo_hint.text()


def test_profiles_can_be_added_edited_and_removed(qtbot, context, config_path) -> None:
    dialog = open_login(qtbot, context)
    dialog.add_profile()
    editor = dialog.findChild(ProfileDialog)
    assert editor is not None
    editor.name.setText("Pamplona")
    editor.url.setText("not a url")
    editor.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert editor.isVisible()  # invalid: stays open, says why
    assert editor.errors["url"].isVisible()
    editor.url.setText("https://api.pamplona.example")
    editor.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=3000)
    assert dialog.selected_profile().name == "Pamplona"
    assert context.settings.profile("Pamplona").url == "https://api.pamplona.example"
    assert dialog.remove_profile_button.isEnabled()

    dialog.edit_profile()
    editor = next(d for d in dialog.findChildren(ProfileDialog) if d.isVisible())
    editor.name.setText(SANDBOX_PROFILE_NAME)  # taken
    editor.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert editor.errors["name"].isVisible()
    editor.name.setText("Pamplona Centro")
    editor.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=3000)
    assert context.settings.profile("Pamplona") is None
    assert context.settings.profile("Pamplona Centro") is not None

    dialog.remove_profile()
    box = dialog.confirm_box
    box.button(box.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: context.settings.profile("Pamplona Centro") is None, timeout=3000)
    assert dialog.selected_profile().is_sandbox
    qtbot.waitUntil(
        lambda: (
            config_path.exists() and load_settings(config_path).profile("Pamplona Centro") is None
        ),
        timeout=5000,
    )


def test_stopping_a_slow_sign_in_leaves_no_session(qtbot, context, sandbox_profile, sandbox_fixed):
    sandbox_fixed.set_faults(latency_ms=1500)
    dialog = open_login(qtbot, context)
    fill(dialog, ADMIN_EMAIL, DEMO_PASSWORD)
    dialog.sign_in_button.click()
    qtbot.waitUntil(
        lambda: dialog._task is not None and dialog._task.name == "sign in", timeout=10_000
    )
    assert dialog.cancel_button.text() == "Stop"
    task = dialog._task
    with qtbot.waitSignal(task.cancelled, timeout=10_000):
        dialog.cancel_button.click()
    assert dialog.isVisible()  # stopping does not close the dialog
    assert not dialog.busy
    assert dialog.password.text() == DEMO_PASSWORD
    assert context.session_info is None
    assert context.vault.vault.load(TEST_PROFILE, ADMIN_EMAIL) is None


def test_the_server_row_keeps_its_height_when_an_error_appears(
    qtbot, context, sandbox_profile
) -> None:
    """Issue 17, defect 1: the "Wrong e-mail address or password" line used to squeeze the
    Server row (combo and its buttons) to a few pixels."""
    dialog = open_login(qtbot, context)
    qtbot.waitExposed(dialog)
    rows = (dialog.profile, dialog.add_profile_button, dialog.email, dialog.password)
    before = {widget: widget.height() for widget in rows}
    assert all(height >= widget.sizeHint().height() for widget, height in before.items())
    fill(dialog, ADMIN_EMAIL, "not-the-password")
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: dialog.form_error.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: dialog.form_error.height() > 0)
    for widget, height in before.items():
        assert widget.height() == height, widget.objectName()
    # the longer message of a server that cannot be reached wraps and still squeezes nothing
    dialog.form_error.setText("A much longer message that must wrap. " * 8)
    qtbot.waitUntil(lambda: dialog.form_error.height() > 2 * dialog.fontMetrics().height())
    for widget, height in before.items():
        assert widget.height() == height, widget.objectName()


def test_the_no_keyring_note_is_styled_as_a_warning(qtbot, context, sandbox_profile) -> None:
    """Issue 17, defect 8: the note that the sign-in will not be remembered looked like a
    success (the green "info" banner); it is a warning (the themes' amber banner)."""
    from viva_desktop.ui.common.theme import _palette, style_sheet

    dialog = open_login(qtbot, context)
    assert dialog.keyring_note.isVisible()
    assert dialog.keyring_note.property("kind") == "warning"
    dialog.setPalette(_palette(False))
    dialog.setStyleSheet(style_sheet("base") + style_sheet("light"))
    qtbot.waitExposed(dialog)
    image = dialog.keyring_note.grab().toImage()
    background = image.pixelColor(image.width() // 2, 3).name()
    assert background == "#fff4d6"  # light.qss: QLabel#Banner, the warning colours

"""The main window: sidebar and page registry, shortcuts, status bar, language switch,
window state, and the central handling of a session that can no longer be refreshed."""

from __future__ import annotations

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout

from tests.ui.conftest import TEST_PROFILE
from viva_desktop.sandbox.seed import ADMIN_EMAIL, CITIZEN_EMAIL, DEMO_PASSWORD
from viva_desktop.services.remote.api.errors import AuthExpired
from viva_desktop.ui import pages as registry
from viva_desktop.ui.common.worker import run_task
from viva_desktop.ui.dialogs.login import LoginDialog
from viva_desktop.ui.pages import PageSpec
from viva_desktop.ui.pages.base import Page
from viva_desktop.ui.shell.main_window import MainWindow


class SearchPage(Page):
    """A page with a search box and a refresh counter, standing in for an entity browser."""

    def __init__(self, context, parent=None) -> None:
        super().__init__(context, parent)
        self.box = QLineEdit()
        self.refreshed = 0
        QVBoxLayout(self).addWidget(self.box)

    def search_box(self) -> QLineEdit:
        return self.box

    def refresh(self) -> None:
        self.refreshed += 1


@pytest.fixture
def extra_pages(monkeypatch):
    # The real dashboard plus two stand-in pages under their own keys, so the shell is tested
    # independently of which real pages are registered.
    pages = [
        registry.page_spec("dashboard"),
        PageSpec("test-offers", "Offers", "offers", SearchPage),
        PageSpec("test-logs", "Logs", "logs", SearchPage, admin_only=True),
    ]
    monkeypatch.setattr(registry, "PAGES", pages)
    return pages


@pytest.fixture
def window(qtbot, context) -> MainWindow:
    win = MainWindow(context)
    qtbot.addWidget(win)
    return win


def sign_in(qtbot, context, profile, email=ADMIN_EMAIL, password=DEMO_PASSWORD):
    session = context.activate_profile(profile)
    handle = run_task(session.login, email, password)
    with qtbot.waitSignal(context.session_changed, timeout=10_000):
        pass
    assert handle.result is not None or context.session_info is not None
    return session


def sidebar_texts(window: MainWindow) -> list[str]:
    return [window.sidebar.item(i).text() for i in range(window.sidebar.count())]


def test_sidebar_lists_the_registered_pages_and_opens_the_first(qtbot, extra_pages, window):
    assert sidebar_texts(window) == ["Dashboard", "Offers", "Logs"]
    with qtbot.waitSignal(window.first_shown, timeout=5000):
        window.show()
    assert window.current_key == "dashboard"
    assert window.stack.currentWidget() is window.page("dashboard")


def test_shortcuts_switch_pages_refresh_and_focus_search(qtbot, extra_pages, window):
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key == "test-offers"
    page = window.current_page()
    assert isinstance(page, SearchPage)
    assert page.active
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert page.refreshed == 1
    window.sidebar.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.box.hasFocus()
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key == "dashboard"
    assert not page.active  # deactivated when left


def test_admin_pages_are_disabled_with_the_reason_for_other_roles(
    qtbot, extra_pages, window, context, sandbox_profile
) -> None:
    logs_item = window.sidebar.item(2)
    assert not logs_item.flags() & Qt.ItemFlag.ItemIsEnabled
    assert logs_item.toolTip() == "Needs an administrator account"
    sign_in(qtbot, context, sandbox_profile)
    qtbot.waitUntil(lambda: bool(logs_item.flags() & Qt.ItemFlag.ItemIsEnabled), timeout=5000)


def test_status_bar_shows_profile_user_role_and_allowance(
    qtbot, window, context, sandbox_profile
) -> None:
    window.show()
    status = window.status
    assert status.user_label.text() == "Not signed in"
    sign_in(qtbot, context, sandbox_profile)
    assert status.profile_label.text() == f"Server: {TEST_PROFILE}"
    qtbot.waitUntil(lambda: status.user_label.text() == f"{ADMIN_EMAIL} (ADMIN)", timeout=5000)
    assert "memory only" in status.user_label.toolTip()
    # the login's answer carried the rate-limit headers (5 logins per 15 minutes)
    qtbot.waitUntil(lambda: status.rate_limit_label.text() != "", timeout=5000)
    # issue 17, defect 8: which limit, and when it starts again, not a session quota
    text = status.rate_limit_label.text()
    assert text.startswith("Requests left: ")
    remaining, _of, limit, _per, window_text = text.split(": ")[1].split(" ", 4)
    assert int(remaining) < int(limit)
    assert window_text == "minute" or window_text.endswith("min")
    tip = status.rate_limit_label.toolTip()
    assert "/auth/login" in tip
    assert "starts again by" in tip
    qtbot.waitUntil(lambda: status.online_label.text() == "Online", timeout=5000)
    assert status.data_age_label.text() == "Data: not synced yet"
    context.set_outbox_count(3)
    assert status.outbox_label.text() == "3 changes waiting to be sent"
    assert not status.outbox_label.isHidden()
    context.enter_offline_mode(context.profile)
    assert status.online_label.text() == "Offline (local data)"
    assert window.windowTitle() == f"Viva Desktop — {TEST_PROFILE} (offline)"


def test_a_citizen_is_shown_with_its_role(qtbot, window, context, sandbox_profile) -> None:
    sign_in(qtbot, context, sandbox_profile, CITIZEN_EMAIL)
    qtbot.waitUntil(
        lambda: window.status.user_label.text() == f"{CITIZEN_EMAIL} (CITIZEN)", timeout=5000
    )


def test_language_switch_retranslates_the_open_window(qtbot, window, translations):
    window.show()
    assert sidebar_texts(window)[0] == "Dashboard"
    assert window.file_menu.title() == "&File"
    translations.set_language("es")  # Qt posts LanguageChange to every window
    qtbot.waitUntil(lambda: sidebar_texts(window)[0] == "Panel", timeout=5000)
    assert window.file_menu.title() == "&Archivo"
    assert window.page("dashboard").title.text() == "Panel"
    assert window.status.user_label.text() == "Sin sesión iniciada"
    translations.set_language("en")
    qtbot.waitUntil(lambda: sidebar_texts(window)[0] == "Dashboard", timeout=5000)


def test_settings_dialog_switches_language_and_theme(qtbot, window, context, translations):
    from viva_desktop.ui.common.theme import ThemeManager

    context.translations = translations
    context.theme = ThemeManager(QApplication.instance(), "light")
    dialog = window.open_settings()
    dialog.language.setCurrentIndex(dialog.language.findData("es"))
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.accept()
    assert translations.language == "es"
    assert context.settings.ui.language == "es"
    assert context.theme.effective == "dark"
    qtbot.waitUntil(lambda: sidebar_texts(window)[0] == "Panel", timeout=5000)
    context.theme.set_theme("light")


def test_window_geometry_and_page_are_restored(qtbot, context, extra_pages) -> None:
    first = MainWindow(context)
    qtbot.addWidget(first)
    first.show()
    first.resize(700, 500)
    first.open_page("test-offers")
    size = first.size()
    first.close()
    second = MainWindow(context)
    qtbot.addWidget(second)
    with qtbot.waitSignal(second.first_shown, timeout=5000):
        second.show()
    assert second.size() == size
    assert second.current_key == "test-offers"


def test_unrefreshable_401_clears_the_session_and_reopens_the_login(
    qtbot, window, context, sandbox_profile, sandbox_fixed
) -> None:
    window.show()
    session = sign_in(qtbot, context, sandbox_profile)
    user_id = session.user_id
    tokens = context.vault.vault.load(TEST_PROFILE, ADMIN_EMAIL)
    assert tokens is not None
    # The server revokes the refresh token and expires every access token.
    httpx.post(f"{sandbox_fixed.url}/auth/logout", json={"refresh_token": tokens.refresh_token})
    sandbox_fixed.set_faults(expire_tokens=True)
    sandbox_fixed.clear_faults()  # new tokens would work again; ours are already dead

    with qtbot.waitSignal(context.session_expired, timeout=10_000):
        run_task(context.api.users.get, user_id)  # any authenticated call, default errors
    login = window.login_dialog
    qtbot.waitUntil(lambda: login is not None and login.isVisible(), timeout=5000)
    assert isinstance(login, LoginDialog)
    assert "session has expired" in login.message_banner.text()
    assert context.session_info is None
    assert context.vault.vault.load(TEST_PROFILE, ADMIN_EMAIL) is None
    assert window.status.user_label.text() == "Not signed in"
    assert context.error_presenter.open_dialogs() == []  # the login, not an error dialog
    # signing in again brings the window back to work
    assert login.email.text() == ADMIN_EMAIL  # the expired session's account
    login.password.setText(DEMO_PASSWORD)
    with qtbot.waitSignal(login.signed_in, timeout=10_000):
        login.sign_in_button.click()
    assert context.session_info is not None


def test_auth_expired_reported_twice_opens_one_login(qtbot, window, context, sandbox_profile):
    window.show()
    sign_in(qtbot, context, sandbox_profile)
    context.report_error(AuthExpired())
    context.report_error(AuthExpired())
    dialogs = [d for d in window.findChildren(LoginDialog) if d.isVisible()]
    assert len(dialogs) == 1


def test_notifications_show_in_the_status_bar_without_a_tray(qtbot, window, context) -> None:
    window.show()
    assert not window.tray.available  # offscreen: no system tray
    context.notify("Server health: Degraded", "Test server changed from Healthy to Degraded.")
    message = window.status.message_label
    assert message.isVisible()
    assert message.full_text().startswith("Server health: Degraded")
    # issue 17, defect 8: a long message is cut to the room left, whole in the tooltip
    long = "Test server changed from Healthy to Degraded. " * 12
    context.notify("Server health: Degraded", long)
    assert message.is_elided()
    assert message.toolTip() == f"Server health: Degraded: {long}"
    assert window.status.width() <= window.width()
    message.hide()
    window.tray.mute_action.setChecked(True)  # the tray menu's mute switch
    assert context.notifications_muted
    context.notify("Muted", "not shown")
    assert not message.isVisible()

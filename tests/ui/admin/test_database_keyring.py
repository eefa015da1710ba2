"""The database panel's password, remembered in the real Secret Service keyring under
`viva-desktop:db:<profile>/<account>` (issue 13: one entry per signed-in administrator), and
nowhere else. A second administrator on the same profile never gets the first one's password;
the per-profile entry of earlier versions is deleted, never handed to whoever looks first."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
import sqlalchemy as sa
from PySide6.QtCore import QSettings
from secretstorage.exceptions import ItemNotFoundException

from tests.ui.conftest import add_profile
from viva_desktop.sandbox import storage
from viva_desktop.sandbox.seed import ADMIN_EMAIL, DEMO_PASSWORD, VERIFIED_CITIZEN_EMAIL
from viva_desktop.services.remote.vault import open_vault
from viva_desktop.ui.admin.db_credentials import credential_key, split_password
from viva_desktop.ui.pages.database import DatabasePage

from .conftest import PASSWORD, WAIT_MS

pytestmark = [pytest.mark.postgres, pytest.mark.keyring]

SECOND_ADMIN = VERIFIED_CITIZEN_EMAIL  # promoted to ADMIN on the sandbox by `two_admins`


@pytest.fixture
def memory_vault(secret_service):  # replaces the memory vault of tests/ui/conftest.py
    choice = open_vault()
    assert choice.persistent
    return choice


@pytest.fixture
def two_admins(qtbot, context, sandbox):
    """The context's active profile on the sandbox, where a second account is an ADMIN too;
    returns a function signing in as one of them (signing out whoever was signed in)."""
    with sandbox.state.db.transaction() as conn:
        conn.execute(
            sa.update(storage.users)
            .where(storage.users.c.email == SECOND_ADMIN)
            .values(role="ADMIN")
        )
    session = context.activate_profile(add_profile(context.settings, sandbox.url))

    def sign_in(email: str) -> str:
        if session.authenticated:
            session.logout()
            qtbot.waitUntil(lambda: context.scope_account is None, timeout=WAIT_MS)
        session.login(email, DEMO_PASSWORD)
        qtbot.waitUntil(lambda: context.scope_account == session.user_id, timeout=WAIT_MS)
        assert context.is_admin
        return str(session.user_id)

    return sign_in


def keyring_password(service: str, key: str) -> str | None:
    """The stored password, read while the page's worker may be deleting it: Secret Service
    can list an item and then lose it before its properties are read."""
    try:
        return keyring.get_password(service, key)
    except ItemNotFoundException:
        return "<being changed>"


def stored_text(config_path: Path) -> str:
    files = [Path(QSettings().fileName()), config_path]
    return "".join(p.read_text(encoding="utf-8") for p in files if p.exists())


def connect(qtbot, page: DatabasePage) -> None:
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
        page.connect_database()


def test_remembered_password_lives_in_the_keyring_only(
    qtbot, context, two_admins, monitoring_dsn, config_path
) -> None:
    account = two_admins(ADMIN_EMAIL)
    page = DatabasePage(context)
    qtbot.addWidget(page)
    assert page.remember_box.isEnabled()
    page.remember_box.setChecked(True)
    page.dsn_edit.setText(monitoring_dsn)
    connect(qtbot, page)
    dsn = page.dsn_edit.text()
    user = dsn.split("://", 1)[1].split("@", 1)[0]
    host = dsn.split("@", 1)[1]
    key = f"{user}@{host}"
    service = f"viva-desktop:db:{context.profile_name}/{account}"
    qtbot.waitUntil(lambda: keyring_password(service, key) == PASSWORD, timeout=WAIT_MS)
    assert keyring_password(f"viva-desktop:db:{context.profile_name}", key) is None
    QSettings().sync()
    assert PASSWORD not in stored_text(config_path)

    # the next time, the password comes back from the keyring
    page.disconnect_database()
    again = DatabasePage(context)
    qtbot.addWidget(again)
    assert again.dsn_edit.text() == dsn
    assert again.remember_box.isChecked()
    qtbot.waitUntil(lambda: again.password_edit.text() == PASSWORD, timeout=WAIT_MS)

    # unticking the box removes it from the keyring at the next connection
    again.remember_box.setChecked(False)
    connect(qtbot, again)
    qtbot.waitUntil(lambda: keyring_password(service, key) is None, timeout=WAIT_MS)
    again.disconnect_database()


def test_nobody_signed_in_keeps_the_password_in_memory_only(qtbot, context, monitoring_dsn) -> None:
    page = DatabasePage(context)
    qtbot.addWidget(page)
    assert not page.remember_box.isEnabled()
    assert "Sign in" in page.remember_box.toolTip()


def test_a_second_administrator_never_gets_the_first_ones_password(
    qtbot, context, two_admins, monitoring_dsn
) -> None:
    first = two_admins(ADMIN_EMAIL)
    page = DatabasePage(context)
    qtbot.addWidget(page)
    page.remember_box.setChecked(True)
    page.dsn_edit.setText(monitoring_dsn)
    connect(qtbot, page)
    dsn = page.dsn_edit.text()
    key = credential_key(dsn)
    profile = context.profile_name
    qtbot.waitUntil(
        lambda: keyring_password(f"viva-desktop:db:{profile}/{first}", key) == PASSWORD,
        timeout=WAIT_MS,
    )

    # the second administrator signs in on the same profile: the open page recalls nothing
    second = two_admins(SECOND_ADMIN)
    assert second != first
    assert page.monitor is None
    assert page.password_edit.text() == ""
    assert page.dsn_edit.text() == ""  # not even the first one's connection string
    assert not page.remember_box.isChecked()
    assert page.keeper.recall(profile, second, dsn) is None
    # ...nor a page built now, even given the same connection string and the box ticked
    fresh = DatabasePage(context)
    qtbot.addWidget(fresh)
    assert fresh.password_edit.text() == ""
    fresh.dsn_edit.setText(dsn)
    fresh.remember_box.setChecked(True)
    assert fresh.keeper.recall(profile, second, split_password(dsn)[0]) is None
    assert keyring_password(f"viva-desktop:db:{profile}/{second}", key) is None
    assert fresh.password_edit.text() == ""

    # the first administrator signs back in and gets the password back, on the open page
    assert two_admins(ADMIN_EMAIL) == first
    qtbot.waitUntil(lambda: page.password_edit.text() == PASSWORD, timeout=WAIT_MS)
    assert page.remember_box.isChecked()


def test_a_per_profile_password_of_an_earlier_version_is_dropped(
    qtbot, context, two_admins, monitoring_dsn
) -> None:
    """Nobody can tell which administrator saved a per-profile password, so the first
    account that opens the page does not get it: it is deleted and the page says so."""
    second = two_admins(SECOND_ADMIN)
    profile = context.profile_name
    dsn, password = split_password(monitoring_dsn)
    key = credential_key(dsn)
    legacy = f"viva-desktop:db:{profile}"
    keyring.set_password(legacy, key, password or "")
    state = QSettings()
    state.setValue(f"admin/database/{profile}/dsn", dsn)
    state.setValue(f"admin/database/{profile}/remember", True)

    page = DatabasePage(context)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: keyring_password(legacy, key) is None, timeout=WAIT_MS)
    assert "removed from the keyring" in page.note_label.text()
    assert page.dsn_edit.text() == dsn  # the address (no secret) is kept as a starting point
    assert page.password_edit.text() == ""
    assert not page.remember_box.isChecked()
    assert QSettings().value(f"admin/database/{profile}/remember") is None
    assert keyring_password(f"viva-desktop:db:{profile}/{second}", key) is None

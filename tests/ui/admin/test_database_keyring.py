"""The database panel's password, remembered in the real Secret Service keyring under
`viva-desktop:db:<profile>`, and nowhere else."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import QSettings
from secretstorage.exceptions import ItemNotFoundException

from viva_desktop.services.remote.vault import open_vault
from viva_desktop.ui.pages.database import DatabasePage

from .conftest import PASSWORD, WAIT_MS

pytestmark = [pytest.mark.postgres, pytest.mark.keyring]


@pytest.fixture
def memory_vault(secret_service):  # replaces the memory vault of tests/ui/conftest.py
    choice = open_vault()
    assert choice.persistent
    return choice


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


def test_remembered_password_lives_in_the_keyring_only(
    qtbot, context, monitoring_dsn, config_path
) -> None:
    page = DatabasePage(context)
    qtbot.addWidget(page)
    assert page.remember_box.isEnabled()
    page.remember_box.setChecked(True)
    page.dsn_edit.setText(monitoring_dsn)
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
        page.connect_database()
    dsn = page.dsn_edit.text()
    user = dsn.split("://", 1)[1].split("@", 1)[0]
    host = dsn.split("@", 1)[1]
    key = f"{user}@{host}"
    service = "viva-desktop:db:default"
    qtbot.waitUntil(lambda: keyring_password(service, key) == PASSWORD, timeout=WAIT_MS)
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
    with qtbot.waitSignal(again.refreshed, timeout=WAIT_MS):
        again.connect_database()
    qtbot.waitUntil(lambda: keyring_password(service, key) is None, timeout=WAIT_MS)
    again.disconnect_database()

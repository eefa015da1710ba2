"""Signing out leaves no database connection behind (issue 13): the Database page closes its
live connection and forgets the password typed into it, so the next person at the laptop
finds it disconnected (and, without an administrator account, disabled in the sidebar)."""

from __future__ import annotations

from tests.ui.conftest import add_profile
from viva_desktop.sandbox.seed import ADMIN_EMAIL, DEMO_PASSWORD
from viva_desktop.ui.pages.database import DatabasePage

from .conftest import PASSWORD, WAIT_MS


def test_sign_out_closes_the_database_connection(qtbot, context, sandbox, monitoring_dsn) -> None:
    session = context.activate_profile(add_profile(context.settings, sandbox.url))
    session.login(ADMIN_EMAIL, DEMO_PASSWORD)
    qtbot.waitUntil(lambda: context.scope_account == session.user_id, timeout=WAIT_MS)
    page = DatabasePage(context)
    qtbot.addWidget(page)
    page.activate()
    page.dsn_edit.setText(monitoring_dsn)
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
        page.connect_database()
    assert page.monitor is not None
    assert page.password_edit.text() == PASSWORD

    with qtbot.waitSignal(page.connected_changed, timeout=WAIT_MS) as changed:
        session.logout()
    assert changed.args == [False]
    assert page.monitor is None
    assert page.password_edit.text() == ""
    assert context.scope_account is None

"""The database panel against the real PostgreSQL of the test command, through a read-only
monitoring role: connect with retry, the statistics, a long-running query, a lock wait, and
credentials that stay out of every file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from tests.support.postgres import row_lock_wait, sleeping_session
from viva_desktop.ui.dialogs.errors import Action
from viva_desktop.ui.pages.database import DatabasePage

from .conftest import PASSWORD, WAIT_MS

pytestmark = pytest.mark.postgres


def column(table, index: int) -> list[str]:
    return [table.item(row, index).text() for row in range(table.rowCount())]


def refresh_until(qtbot, page: DatabasePage, found) -> None:
    """Refresh whenever the last refresh is done, until `found()` holds."""

    def probe() -> bool:
        if found():
            return True
        if not page.refreshing:
            page.refresh()
        return False

    qtbot.waitUntil(probe, timeout=WAIT_MS)


@pytest.fixture
def page(qtbot, context) -> DatabasePage:
    page = DatabasePage(context)
    qtbot.addWidget(page)
    page.activate()
    return page


def test_statistics_long_query_and_lock_through_a_monitoring_role(
    qtbot, page, monitoring_dsn, pg_url, admin
) -> None:
    page.dsn_edit.setText(monitoring_dsn)
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
        page.connect_database()

    # the password left the connection string, which is remembered without it
    shown = page.dsn_edit.text()
    assert PASSWORD not in shown
    assert page.password_edit.text() == PASSWORD
    assert not page.remember_box.isEnabled()  # no keyring in this test: memory only
    assert QSettings().value("admin/database/default/dsn") == shown
    assert "read-only" in page.status_label.text()
    assert page.status_label.text().startswith("Connected to viva_monitor_")

    assert page.stat_values["size"].text().endswith("MiB")
    assert page.stat_values["hit_ratio"].text().endswith("%")
    assert " of " in page.stat_values["connections"].text()
    assert "idle" in column(page.connections_table, 0)  # the admin session
    assert "public.accounts" in column(page.tables_table, 0)

    page.long_spin.setValue(0.5)
    with sleeping_session(pg_url, admin) as pid:
        refresh_until(qtbot, page, lambda: str(pid) in column(page.queries_table, 0))
        row = column(page.queries_table, 0).index(str(pid))
        assert page.queries_table.item(row, 6).text() == "SELECT pg_sleep(60)"
        assert page.queries_table.item(row, 2).text() == "active"
        assert page.tabs.tabText(1).startswith("Long-running queries (")

    with row_lock_wait(pg_url) as (holder, waiter):
        blocked = str(waiter.info.backend_pid)
        refresh_until(qtbot, page, lambda: blocked in column(page.locks_table, 0))
        row = column(page.locks_table, 0).index(blocked)
        assert page.locks_table.item(row, 2).text() == str(holder.info.backend_pid)
        assert page.locks_table.item(row, 5).text() == "accounts"
        assert page.tabs.tabText(2) == "Locks (1)"
    refresh_until(qtbot, page, lambda: page.locks_table.rowCount() == 0)

    # nothing was written by the monitor: its role owns nothing and changed nothing
    assert admin.execute("SELECT note FROM accounts WHERE id = 2").fetchone() == ("x",)
    page.disconnect_database()
    assert page.monitor is None
    assert page.status_label.text() == "Not connected."


def test_an_unreachable_server_is_reported_in_the_error_dialog(qtbot, page, context) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    page.dsn_edit.setText(f"postgresql://monitor@127.0.0.1:{port}/viva?connect_timeout=1")
    with qtbot.waitSignal(context.error_presenter.dialog_opened, timeout=30_000) as blocker:
        page.retry_delay = 30.0  # a long pause between attempts...
        page.connect_database()
        qtbot.waitUntil(lambda: page.connecting, timeout=WAIT_MS)
        page.cancel_connect()  # ...that cancelling cuts short
        qtbot.waitUntil(lambda: not page.connecting, timeout=WAIT_MS)
        assert page.status_label.text() == "Connecting was cancelled."
        page.retry_delay = 0.05
        page.connect_database()  # a full round of attempts ends in the dialog
    dialog = blocker.args[0]
    assert dialog.content.title == "Database monitor"
    assert f"127.0.0.1:{port}/viva" in dialog.content.message
    assert dialog.content.action is Action.RETRY
    dialog.close()


def test_no_credentials_no_connection(qtbot, page) -> None:
    page.dsn_edit.clear()
    page.connect_database()
    assert page.status_label.text() == "Enter a connection string first."
    assert page.monitor is None


def settings_files_text(config_path: Path) -> str:
    files = [Path(QSettings().fileName()), config_path]
    return "".join(p.read_text(encoding="utf-8") for p in files if p.exists())

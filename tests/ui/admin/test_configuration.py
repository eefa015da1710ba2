"""The configuration page: the app's own settings validated (credentials masked, reload
applied), and a server `.env` audited with the server's rules and its secrets masked."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from viva_desktop.services.common.config import save_settings
from viva_desktop.ui.pages.configuration import ConfigurationPage

from .conftest import WAIT_MS

FIXTURE = Path(__file__).parent / "fixtures" / "server.env"
SECRETS = ("db-pass-SECRET1", "short-SECRET2", "smtp-SECRET3", "aws-SECRET4", "abc123publickey")


@pytest.fixture
def page(qtbot, context) -> ConfigurationPage:
    page = ConfigurationPage(context)
    qtbot.addWidget(page)
    return page


def all_visible_text(widget: QWidget) -> str:
    """Every text the page shows: labels, buttons and table cells."""
    from PySide6.QtWidgets import QAbstractButton, QLabel, QTableWidget

    parts = [w.text() for w in widget.findChildren(QLabel)]
    parts += [w.text() for w in widget.findChildren(QAbstractButton)]
    for table in widget.findChildren(QTableWidget):
        for row in range(table.rowCount()):
            for column in range(table.columnCount()):
                item = table.item(row, column)
                if item is not None:
                    parts += [item.text(), item.toolTip()]
    return "\n".join(parts)


def test_a_server_env_file_is_audited_with_secrets_masked(qtbot, page) -> None:
    page.show()
    with qtbot.waitSignal(page.env_audited, timeout=WAIT_MS):
        page.audit_env_file(FIXTURE)
    view = page.env_report
    rows = view.rows()
    errors = {key for severity, key, _m, _a in rows if severity == "error"}
    warnings = {key for severity, key, _m, _a in rows if severity == "warning"}
    assert errors == {"DATABASE_URL", "JWT_SECRET"}
    assert {"NODE_ENV", "SMTP", "S3", "AWS_S3_BUCKET", "AWS_SECRET_ACCESS_KEY"} <= warnings
    assert rows[0][0] == "error"  # errors first
    jwt = next(r for r in rows if r[1] == "JWT_SECRET")
    assert "fewer than 32" in jwt[2]
    assert jwt[3]  # with advice
    assert view.headline.text() == "2 errors · 8 warnings"
    assert view.findings.item(0, 0).text() == "Error"
    assert not view.findings.item(0, 0).icon().isNull()

    assert view.summary_text("would_start") == "The server would start: no"
    assert view.summary_text("production") == "Production mode: no"
    # issue 17, defect 9: a variable that is set is "configured" (the server may still not
    # reach the service), and a JWT secret with an error is not "yes" beside that error
    assert view.summary_text("database") == "Database (DATABASE_URL): configured"
    assert view.summary_text("smtp") == "E-mail (SMTP): configured"
    assert view.summary_text("s3") == "File storage (S3): not configured"
    assert view.summary_text("sentry") == "Error reporting (Sentry): configured"
    assert view.summary_text("redis") == "Redis: not configured"
    assert view.summary_text("jwt") == "JWT secret: missing or unusable"

    variables = page.variables()
    assert variables["NODE_ENV"] == "development"
    assert variables["JWT_SECRET"] == "••••••••"
    assert variables["DATABASE_URL"] == ("postgres://viva:••••••••@db.internal:5432/comunidad_viva")
    assert variables["SENTRY_DSN"] == "https://••••••••@o1.ingest.sentry.io/42"
    shown = all_visible_text(page)
    for secret in SECRETS:
        assert secret not in shown
    assert "13 variables" in page.env_path_label.text()

    # telling the page the server is not reachable from outside softens the NODE_ENV finding
    with qtbot.waitSignal(page.env_audited, timeout=WAIT_MS):
        page.deployed_box.setCurrentIndex(page.deployed_box.findData(False))
    node_env = next(r for r in page.env_report.rows() if r[1] == "NODE_ENV")
    assert node_env[0] == "info"


def test_an_unreadable_env_file_opens_the_error_dialog(qtbot, page, context, tmp_path) -> None:
    with qtbot.waitSignal(context.error_presenter.dialog_opened, timeout=WAIT_MS) as blocker:
        page.audit_env_file(tmp_path / "missing.env")
    dialog = blocker.args[0]
    assert dialog.content.title == "File problem"
    assert page.env_path_label.text() == "The file could not be read."
    dialog.close()


def test_the_apps_settings_are_validated_and_reloaded(
    qtbot, page, context, settings, config_path
) -> None:
    settings.sentry.dsn = "https://publickey123@o1.ingest.sentry.io/42"
    settings.store_url = "postgresql+psycopg://viva:store-SECRET@db.example.org/viva"
    with qtbot.waitSignal(page.settings_checked, timeout=WAIT_MS):
        page.activate()
    view = page.app_report
    keys = {key for _s, key, _m, _a in view.rows()}
    assert "store_url" in keys  # a password in the store URL is a warning
    assert view.summary_text("postgresql") == "Shared PostgreSQL store: yes"
    assert view.summary_text("telemetry") == "Error reporting on: yes"
    shown = all_visible_text(page)
    assert "store-SECRET" not in shown
    assert "publickey123" not in shown
    values = {
        page.values_table.item(r, 0).text(): page.values_table.item(r, 1).text()
        for r in range(page.values_table.rowCount())
    }
    assert values["store_url"] == "postgresql+psycopg://***@db.example.org/viva"
    assert values["health.poll_interval_s"] == "15.0"
    assert str(config_path) in page.path_label.text()

    # the file changes behind the app's back; Reload reads and applies it
    edited = settings.model_copy(deep=True)
    edited.health.poll_interval_s = 2
    edited.log.level = "DEBUG"
    save_settings(edited, config_path)
    with qtbot.waitSignal(context.settings_changed, timeout=WAIT_MS):
        page.reload()
    assert context.settings.health.poll_interval_s == 2
    assert "Reloaded" in page.app_status.text()
    warned = [r for r in page.app_report.rows() if r[1] == "health.poll_interval_s"]
    assert warned
    assert warned[0][0] == "warning"  # faster than the server's rate limit allows

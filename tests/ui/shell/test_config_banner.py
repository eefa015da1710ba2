"""The default configuration file, when it is not valid TOML (issue 17, defect 2): the app
starts on the defaults, leaves the file as it is, and a banner and the Configuration page say
what is wrong and where (file, line and column)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.helpers import open_page
from viva_desktop.ui.shell.main_window import MainWindow

BROKEN = 'active_profile = "Sandbox"\n\n[log]\nlevel = \n'


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    path = tmp_path / "config" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text(BROKEN, encoding="utf-8")
    return path


def test_a_banner_says_what_is_wrong_and_where(qtbot, context, config_path) -> None:
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    banner = window.config_banner
    assert banner.isVisible()
    text = banner.text.text()
    assert f"{config_path}:4:9" in text
    assert "line 4, column 9" in text
    assert "default settings" in text
    banner.show_button.click()
    assert window.current_key == "configuration" or not window.is_ready
    banner.dismiss_button.click()
    assert not banner.isVisible()


def test_the_configuration_page_says_it_too(qtbot, context, config_path) -> None:
    page = open_page(qtbot, context, "configuration")
    page.activate()
    qtbot.waitUntil(lambda: page.check is not None, timeout=10_000)
    assert page.check.report.summary["config_file"] is False
    [row] = [r for r in page.app_report.rows() if r[1] == f"{config_path}:4:9"]
    assert row[0] == "error"
    assert "line 4, column 9" in row[2]
    assert "leaves the file as it is" in row[3]
    assert page.app_report.headline.text() != "No problems found."


def test_no_banner_when_the_file_is_fine(qtbot, context, config_path) -> None:
    config_path.write_text("", encoding="utf-8")
    context.settings._file_problem = None
    window = MainWindow(context)
    qtbot.addWidget(window)
    assert getattr(window, "config_banner", None) is None


def test_sign_in_remembering_the_account_leaves_the_file_alone(qtbot, context, config_path) -> None:
    from viva_desktop.services.common.config import save_settings

    context.settings.first_run_done = True
    save_settings(context.settings, config_path)  # what `context.save_settings` runs
    assert config_path.read_text(encoding="utf-8") == BROKEN

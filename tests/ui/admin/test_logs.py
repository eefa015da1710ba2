"""The log viewer: records appear live from the logging buffer, filter by level, module and
text, request ids lead to every record of their request, and the error dialog of a failed
request offers "Show in logs"."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QPushButton

from viva_desktop.services.common.config import LogSettings
from viva_desktop.services.common.logs import setup_logging
from viva_desktop.ui.admin.log_model import REQUEST
from viva_desktop.ui.common.worker import run_task
from viva_desktop.ui.pages.logs import LogsPage
from viva_desktop.ui.shell.main_window import MainWindow

from .conftest import WAIT_MS


@pytest.fixture
def logging_handle(tmp_path) -> Iterator:
    """The application's logging, at DEBUG so that the API client's request records are kept."""
    handle = setup_logging(
        LogSettings(level="DEBUG", console=False, json_file=False), log_dir=tmp_path
    )
    try:
        yield handle
    finally:
        handle.close()


@pytest.fixture
def logged_context(context, logging_handle):
    context.log_buffer = logging_handle.buffer
    return context


@pytest.fixture
def page(qtbot, logged_context) -> LogsPage:
    page = LogsPage(logged_context)
    qtbot.addWidget(page)
    page.show()
    return page


def messages(page: LogsPage) -> list[str]:
    return [entry["message"] for entry in page.visible_entries()]


def test_records_appear_live_and_filter_by_level_module_and_text(qtbot, page) -> None:
    alpha = logging.getLogger("viva.test.alpha")
    beta = logging.getLogger("viva.test.beta")
    alpha.info("alpha says hello")
    # from another thread, as the worker threads log
    thread = threading.Thread(target=beta.warning, args=("beta warns %s", "loudly"))
    thread.start()
    thread.join()
    alpha.debug("alpha whispers")
    alpha.error("alpha fails")
    qtbot.waitUntil(lambda: "alpha fails" in messages(page), timeout=WAIT_MS)
    shown = messages(page)
    assert "alpha says hello" in shown
    assert "beta warns loudly" in shown
    assert "alpha whispers" not in shown  # information and above by default

    page.set_min_level(logging.DEBUG)
    assert "alpha whispers" in messages(page)
    page.set_min_level(logging.WARNING)
    assert {"beta warns loudly", "alpha fails"} <= set(messages(page))
    assert "alpha says hello" not in messages(page)

    page.set_min_level(logging.DEBUG)
    assert page.module_box.findText("viva.test.alpha") >= 0  # offered once seen
    page.set_module("viva.test")  # a prefix covers its children
    assert set(messages(page)) == {
        "alpha says hello", "beta warns loudly", "alpha whispers", "alpha fails",
    }  # fmt: skip
    page.set_module("viva.test.beta")
    assert messages(page) == ["beta warns loudly"]
    page.set_module("")
    page.search.setText("WHISPERS")
    assert messages(page) == ["alpha whispers"]
    page.search.clear()

    # paused: new records are collected but the view stays where it is
    page.pause_button.setChecked(True)
    assert not page.following
    alpha.info("while paused")
    qtbot.waitUntil(lambda: "while paused" in messages(page), timeout=WAIT_MS)
    page.pause_button.setChecked(False)
    assert page.following


def test_a_request_id_shows_every_record_of_its_request(qtbot, page, connected, sandbox) -> None:
    api = connected.api
    done = run_task(api.client.request, "GET", "/health", authenticated=False)
    qtbot.waitUntil(lambda: not done.running, timeout=WAIT_MS)
    logging.getLogger("viva.test").info("unrelated")
    qtbot.waitUntil(lambda: "unrelated" in messages(page), timeout=WAIT_MS)
    page.set_min_level(logging.DEBUG)
    rows = [
        row
        for row in range(page.proxy.rowCount())
        if page.proxy.index(row, REQUEST).data(Qt.ItemDataRole.UserRole + 1)
    ]
    assert rows, "the API client logs its requests with their ids"
    index = page.proxy.index(rows[-1], REQUEST)
    request_id = index.data(Qt.ItemDataRole.UserRole + 1)
    assert index.data().startswith(request_id[:12])

    with qtbot.waitSignal(page.request_shown, timeout=WAIT_MS):
        page.view.clicked.emit(index)  # a click on the request id
    entries = page.visible_entries()
    assert entries
    assert {e["request_id"] for e in entries} == {request_id}
    assert len(entries) >= 1
    assert any("GET /health -> 200" in e["message"] for e in entries)
    assert page.banner_box.isVisibleTo(page)
    assert request_id in page.request_banner.text()

    # the details pane links the id too
    html = page.details.toHtml()
    assert f"request:{request_id}" in html
    page.show_request(None)
    assert "unrelated" in messages(page)
    with qtbot.waitSignal(page.request_shown, timeout=WAIT_MS):
        page.details.anchorClicked.emit(QUrl(f"request:{request_id}"))
    assert {e["request_id"] for e in page.visible_entries()} == {request_id}


def test_the_error_dialog_offers_show_in_logs(
    qtbot, logged_context, connected, sandbox, monkeypatch
) -> None:
    context = logged_context
    window = MainWindow(context)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.first_shown, timeout=WAIT_MS):
        window.show()
    window.page("logs")  # the page installs the link (the window builds pages on demand)
    sandbox.set_faults(error_rate=1.0, error_status=500, paths=["/offers"])
    with qtbot.waitSignal(context.error_presenter.dialog_opened, timeout=WAIT_MS) as blocker:
        run_task(context.api.client.request, "GET", "/offers", authenticated=False, retry=False)
    dialog = blocker.args[0]
    button = dialog.findChild(QPushButton, "ShowInLogs")
    assert button is not None
    assert button.text() == "Show in logs"
    request_id = dialog.exception.details.request_id
    button.click()
    assert window.current_key == "logs"
    logs = window.page("logs")
    assert logs.proxy.request_id == request_id
    assert all(e["request_id"] == request_id for e in logs.visible_entries())
    assert logs.visible_entries()

"""A server that enforces its rate limits (as a fixed Comunidad Viva server would): the 429
reaches the user as a wait message with a live countdown, in the one error dialog."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.ui.conftest import add_profile
from viva_desktop.sandbox import SandboxConfig, SandboxServer
from viva_desktop.sandbox.seed import ADMIN_EMAIL, DEMO_PASSWORD
from viva_desktop.services.remote.api.errors import RateLimited
from viva_desktop.ui.dialogs.errors import Action
from viva_desktop.ui.dialogs.login import LoginDialog


@pytest.fixture
def enforcing_sandbox() -> Iterator[SandboxServer]:
    server = SandboxServer(SandboxConfig(defects=False, enforce_rate_limits=True))
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_too_many_sign_ins_show_how_long_to_wait(qtbot, context, settings, enforcing_sandbox):
    add_profile(settings, enforcing_sandbox.url)
    # Use up the login budget (5 per 15 minutes per client address), as a busy office would.
    with httpx.Client(base_url=enforcing_sandbox.url) as raw:
        for _ in range(5):
            raw.post("/auth/login", json={"email": ADMIN_EMAIL, "password": "wrong-one"})
    dialog = LoginDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.email.setText(ADMIN_EMAIL)
    dialog.password.setText(DEMO_PASSWORD)
    dialog.sign_in_button.click()
    presenter = context.error_presenter
    qtbot.waitUntil(lambda: len(presenter.open_dialogs()) == 1, timeout=10_000)
    error_dialog = presenter.open_dialogs()[0]
    assert isinstance(error_dialog.exception, RateLimited)
    assert error_dialog.content.action is Action.WAIT
    wait = error_dialog.content.wait_seconds
    assert 60 <= wait <= 900  # the login window is 15 minutes; Retry-After says what is left
    assert error_dialog.countdown_label.isVisible()
    assert error_dialog.countdown_label.text().startswith("Wait ")
    assert not error_dialog.retry_button.isEnabled()  # no retry before the wait is over
    # nothing typed is lost, and no session was opened
    assert dialog.email.text() == ADMIN_EMAIL
    assert dialog.password.text() == DEMO_PASSWORD
    assert context.session_info is None
    error_dialog.close()

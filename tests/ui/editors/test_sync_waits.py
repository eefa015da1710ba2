"""The Sync page's notice about a silent server, through a loopback proxy that stops
answering: said while a request waits, with until when it is retried, and gone after."""

from __future__ import annotations

import threading

import pytest

from tests.support.sandboxes import start_sandbox
from tests.support.silent_proxy import SilentProxy
from viva_desktop.services.remote.api import ApiClient, RetryPolicy
from viva_desktop.services.remote.api.errors import RequestTimeout
from viva_desktop.ui.editors.sync_waits import SyncWaits


def test_a_silent_server_is_said_while_it_lasts(qtbot) -> None:
    server = start_sandbox()
    try:
        with SilentProxy("127.0.0.1", server.port) as proxy:
            client = ApiClient(
                proxy.url,
                timeout=1.0,
                retry=RetryPolicy(max_attempts=3, initial_wait=0.05, jitter=0.0, deadline=2.5),
            )
            proxy.silent.set()
            waits = SyncWaits(lambda: client)
            waits.stall_after = 0.3
            failures: list[BaseException] = []

            def read() -> None:
                with pytest.raises(RequestTimeout) as caught:
                    client.get("/health", authenticated=False)
                failures.append(caught.value)

            reading = threading.Thread(target=read)
            reading.start()
            waits.watch(True)
            qtbot.waitUntil(lambda: waits.stall_text.startswith("No answer for"), timeout=5000)
            assert "retrying until" in waits.stall_text
            reading.join(timeout=10)
            assert failures
            qtbot.waitUntil(lambda: waits.stall_text == "", timeout=3000)
            waits.watch(False)
            client.close()
    finally:
        server.stop()

"""The embedded sandbox server of the demo: started on demand on a free loopback port, stopped
cleanly at quit.

The sandbox package is imported lazily, here only, so a normal start does not pay for
Starlette and uvicorn; it is a stand-in server and shares no code with the client.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

log = logging.getLogger("viva.ui.sandbox")


class SandboxHost:
    """Owns at most one in-process sandbox. `start()` blocks (run it through the worker)."""

    def __init__(self, *, defects: bool = False, **config: Any) -> None:
        # The demo keeps the contract's outright defects off so that creating things works.
        self._config = {"defects": defects, **config}
        self._lock = threading.Lock()
        self._server: Any = None

    @property
    def running(self) -> bool:
        with self._lock:
            return self._server is not None and self._server.running

    @property
    def url(self) -> str | None:
        with self._lock:
            return self._server.url if self._server is not None else None

    @property
    def server(self) -> Any:
        """The `SandboxServer`, for tests and the fault switches; None before `start()`."""
        with self._lock:
            return self._server

    def start(self) -> str:
        """Start the sandbox unless it runs already; returns its base URL."""
        with self._lock:
            if self._server is not None and self._server.running:
                return str(self._server.url)
            from viva_desktop.sandbox import SandboxConfig, SandboxServer

            server = SandboxServer(SandboxConfig(host="127.0.0.1", port=0, **self._config))
            server.start()
            self._server = server
            log.info("embedded sandbox listening on %s", server.url)
            return str(server.url)

    def stop(self) -> None:
        with self._lock:
            server, self._server = self._server, None
        if server is not None:
            server.stop()
            log.info("embedded sandbox stopped")

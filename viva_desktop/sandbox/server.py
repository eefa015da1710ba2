"""`SandboxServer`: the sandbox on a loopback port, served by uvicorn in a background thread."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import uvicorn

from viva_desktop.sandbox import control
from viva_desktop.sandbox.app import SandboxApp
from viva_desktop.sandbox.config import Faults, SandboxConfig
from viva_desktop.sandbox.database import Database
from viva_desktop.sandbox.faults import FaultState
from viva_desktop.sandbox.ratelimit import RateLimiter
from viva_desktop.sandbox.routes import build_router
from viva_desktop.sandbox.security import TokenService
from viva_desktop.sandbox.seed import prepare_database
from viva_desktop.sandbox.state import AppState
from viva_desktop.sandbox.uvicorn_server import PromptServer

START_TIMEOUT = 15.0


class SandboxServer:
    """A seeded stand-in for the Comunidad Viva backend, usable as a context manager."""

    def __init__(self, config: SandboxConfig | None = None) -> None:
        self.config = config or SandboxConfig()
        self._state: AppState | None = None
        self._server: PromptServer | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self._port: int | None = None

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> SandboxServer:
        """Build the database, seed it, and return once the server answers."""
        if self._thread is not None:
            return self
        config = self.config
        database = Database(config.database_url)
        try:
            prepare_database(database, seed=config.seed, scale=config.scale)
            state = AppState(
                config=config,
                db=database,
                tokens=TokenService(config.jwt_secret, config.access_token_ttl),
                limiter=RateLimiter(
                    enforce=config.enforce_rate_limits, window_ms=config.rate_window_ms
                ),
                faults=FaultState(config.faults),
                router=build_router(),
            )
            control.apply_faults(state, config.faults, expire_now=False)
            sock = self._bind(config.host, config.port)
        except BaseException:
            database.dispose()
            raise
        server = PromptServer(
            uvicorn.Config(
                SandboxApp(state),
                log_config=None,
                log_level="warning",
                access_log=False,
                lifespan="off",
                server_header=False,
                timeout_keep_alive=5,
                timeout_graceful_shutdown=3,
            )
        )
        thread = threading.Thread(
            target=server.run,
            kwargs={"sockets": [sock]},
            name=f"viva-sandbox-{sock.getsockname()[1]}",
            daemon=True,
        )
        self._state, self._server, self._thread, self._socket = state, server, thread, sock
        self._port = sock.getsockname()[1]
        thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(
                    f"the sandbox server did not start on {config.host}:{self._port}"
                )
            time.sleep(0.002)
        return self

    @staticmethod
    def _bind(host: str, port: int) -> socket.socket:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        # proto must say TCP explicitly: asyncio only sets TCP_NODELAY on accepted sockets whose
        # proto is IPPROTO_TCP, and without it every response waits ~40 ms for a delayed ACK.
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            sock.close()
            raise
        sock.set_inheritable(True)
        return sock

    def stop(self) -> None:
        """Shut down, release the port and the database. Safe to call twice."""
        server, thread = self._server, self._thread
        if server is not None:
            server.request_exit()
        if thread is not None and thread.is_alive():
            thread.join(timeout=10)
        if self._socket is not None:
            self._socket.close()
        if self._state is not None:
            self._state.db.dispose()
        self._server = self._thread = self._socket = None

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ information

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the sandbox server has not been started")
        return self._port

    @property
    def url(self) -> str:
        host = self.config.host
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.port}"

    @property
    def state(self) -> AppState:
        """Internal state, for tests that need to look behind the API (e.g. the database)."""
        if self._state is None:
            raise RuntimeError("the sandbox server has not been started")
        return self._state

    # ------------------------------------------------------------------ faults

    @property
    def faults(self) -> Faults:
        return self._state.faults.current if self._state is not None else self.config.faults

    def set_faults(self, **changes: Any) -> Faults:
        """Change some fault switches; takes effect for the next request. Thread-safe."""
        if self._state is None:
            self.config = _with_faults(self.config, self.config.faults.with_changes(**changes))
            return self.config.faults
        return control.set_faults(self._state, **changes)

    def clear_faults(self) -> Faults:
        if self._state is None:
            self.config = _with_faults(self.config, Faults(seed=self.config.faults.seed))
            return self.config.faults
        return control.clear_faults(self._state)

    def __repr__(self) -> str:
        where = self.url if self._port is not None else "not started"
        return (
            f"<SandboxServer {where} defects={self.config.defects} env={self.config.environment}>"
        )


def _with_faults(config: SandboxConfig, faults: Faults) -> SandboxConfig:
    from dataclasses import replace

    return replace(config, faults=faults)

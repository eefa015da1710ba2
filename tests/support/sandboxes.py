"""Sandboxes and ports for tests that start their own servers."""

from __future__ import annotations

from typing import Any


def start_sandbox(**options: Any):  # -> SandboxServer
    from viva_desktop.sandbox import SandboxConfig, SandboxServer

    return SandboxServer(SandboxConfig(**options)).start()


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]

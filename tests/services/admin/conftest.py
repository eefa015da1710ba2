"""Fixtures of the administrators' services: sandboxes in the configurations the checks need."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest


def start_sandbox(**options: Any):  # -> SandboxServer
    from viva_desktop.sandbox import SandboxConfig, SandboxServer

    return SandboxServer(SandboxConfig(**options)).start()


@pytest.fixture
def production_sandbox() -> Iterator:
    """A sandbox run the way a deployment should be: production mode, rate limits enforced."""
    server = start_sandbox(defects=True, environment="production", enforce_rate_limits=True)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client() as client:
        yield client


@pytest.fixture
def status_sample_body(samples_dir: Path) -> dict[str, Any]:
    """The captured `/health/status` body of the real server."""
    return json.loads((samples_dir / "health-status.json").read_text(encoding="utf-8"))["body"]


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]

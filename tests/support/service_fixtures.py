"""Fixtures of the service and command tests: a production-like sandbox, HTTP, health body."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.sandboxes import start_sandbox


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

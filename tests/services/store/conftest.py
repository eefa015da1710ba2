"""Fixtures of the store tests: a freshly opened store on each backend, and real records
taken from the contract's captured responses."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from viva_desktop.services.store import Store, open_store


def sample_body(samples_dir: Path, name: str) -> Any:
    return json.loads((samples_dir / f"{name}.json").read_text(encoding="utf-8"))["body"]


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url, attempts=1)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def offers_sample(samples_dir: Path) -> list[dict[str, Any]]:
    return copy.deepcopy(sample_body(samples_dir, "offers-list"))


@pytest.fixture
def events_sample(samples_dir: Path) -> list[dict[str, Any]]:
    return copy.deepcopy(sample_body(samples_dir, "events-list")["events"])


@pytest.fixture
def posts_sample(samples_dir: Path) -> list[dict[str, Any]]:
    return copy.deepcopy(sample_body(samples_dir, "posts-list"))


@pytest.fixture
def communities_sample(samples_dir: Path) -> list[dict[str, Any]]:
    return copy.deepcopy(sample_body(samples_dir, "communities-list"))

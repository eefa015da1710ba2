"""Fixtures of the store tests: a freshly opened store on each backend, and real records
taken from the contract's captured responses."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.postgres import scratch_database
from viva_desktop.services.local.store import Store, open_store


def sample_body(samples_dir: Path, name: str) -> Any:
    return json.loads((samples_dir / f"{name}.json").read_text(encoding="utf-8"))["body"]


@pytest.fixture(scope="session")
def migrated_pg_template(pg_server_url: str) -> Iterator[str]:
    """A PostgreSQL database migrated once per run, copied for each test (much faster than
    migrating a fresh database every time); yields its name."""
    with scratch_database(pg_server_url, prefix="viva_tpl") as url:
        open_store(url, attempts=1).close()
        yield url.rsplit("/", 1)[1]


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The store's URL on SQLite and on PostgreSQL, already at the newest schema revision
    (tests of the migrations themselves use `empty_store_url`)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite3'}"
        return
    server: str = request.getfixturevalue("pg_server_url")
    template: str = request.getfixturevalue("migrated_pg_template")
    with scratch_database(server, template=template) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each backend, for the tests of migrations from nothing."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    return request.getfixturevalue("pg_url")


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

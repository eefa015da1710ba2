"""Fixtures of the store tests: a freshly opened store on each backend, and real records
taken from the contract's captured responses."""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from viva_desktop.services.store import Store, open_store


def sample_body(samples_dir: Path, name: str) -> Any:
    return json.loads((samples_dir / f"{name}.json").read_text(encoding="utf-8"))["body"]


@pytest.fixture(scope="session")
def migrated_pg_template(pg_server_url: str) -> Iterator[str]:
    """A PostgreSQL database migrated once per run, copied for each test (much faster than
    migrating a fresh database every time)."""
    name = f"viva_tpl_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(pg_server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    open_store(_sibling(pg_server_url, name), attempts=1).close()
    try:
        yield name
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _sibling(server_url: str, database: str) -> str:
    return server_url.rsplit("/", 1)[0] + "/" + database


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The store's URL on SQLite and on PostgreSQL, already at the newest schema revision
    (tests of the migrations themselves use `empty_store_url`)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite3'}"
        return
    server: str = request.getfixturevalue("pg_server_url")
    template: str = request.getfixturevalue("migrated_pg_template")
    name = f"viva_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    try:
        yield _sibling(server, name)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


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

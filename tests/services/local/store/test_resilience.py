"""Resilience of the store: connect with retry, a clear error when unreachable, health checks,
and a damaged SQLite file detected, moved aside and replaced — never used silently."""

from __future__ import annotations

import contextlib
import os
import socket
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.services.common.i18n import install_translator
from viva_desktop.services.local.store import Store, StoreUnavailable, open_store
from viva_desktop.services.local.store.sqlite_file import CORRUPT_INFIX
from viva_desktop.services.remote.api.errors import ApiError, NextStep


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_postgresql_is_retried_then_reported() -> None:
    url = f"postgresql+psycopg://viva:s3cret@127.0.0.1:{closed_port()}/viva"
    retries: list[tuple[int, float]] = []
    with pytest.raises(StoreUnavailable) as caught:
        open_store(
            url,
            attempts=4,
            delay=0.001,
            backoff=3.0,
            on_retry=lambda attempt, _exc, wait: retries.append((attempt, wait)),
        )
    error = caught.value
    assert error.attempts == 4
    assert [a for a, _ in retries] == [1, 2, 3]
    assert [round(w, 6) for _, w in retries] == [0.001, 0.003, 0.009]
    assert isinstance(error, ApiError)
    assert error.next_step is NextStep.CHECK_CONNECTION
    assert "s3cret" not in str(error)
    assert "s3cret" not in error.technical
    assert "127.0.0.1" in error.technical


def test_the_unavailable_message_is_translated() -> None:
    install_translator(lambda context, text: f"[{context}] {text}")
    try:
        with pytest.raises(StoreUnavailable) as caught:
            open_store(f"postgresql://x@127.0.0.1:{closed_port()}/x", attempts=1)
    finally:
        install_translator(None)
    assert caught.value.user_message.startswith("[Store] ")


def test_cancelling_stops_the_retries() -> None:
    cancel = CancelToken()
    attempts: list[int] = []

    def on_retry(attempt: int, _exc: Exception, _wait: float) -> None:
        attempts.append(attempt)
        cancel.cancel()

    with pytest.raises(StoreUnavailable):
        open_store(
            f"postgresql://x@127.0.0.1:{closed_port()}/x",
            attempts=5,
            delay=30.0,  # would take minutes if the cancel were not honoured
            cancel=cancel,
            on_retry=on_retry,
        )
    assert attempts == [1]


class TcpForwarder:
    """A loopback port that forwards to another: 'the database server comes up' on demand."""

    def __init__(self, port: int, target: tuple[str, int]) -> None:
        self.port = port
        self.target = target
        self.listener: socket.socket | None = None
        self.sockets: list[socket.socket] = []

    def start(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        assert self.listener is not None
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                sink.shutdown(socket.SHUT_WR)

    def stop(self) -> None:
        for sock in [self.listener, *self.sockets]:
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.close()


def test_retry_succeeds_when_the_server_comes_up(pg_url: str) -> None:
    real = sa.engine.make_url(pg_url)
    port = closed_port()
    forwarder = TcpForwarder(port, (real.host or "127.0.0.1", real.port or 5432))
    attempts: list[int] = []

    def on_retry(attempt: int, _exc: Exception, _wait: float) -> None:
        attempts.append(attempt)
        if attempt == 2:
            forwarder.start()  # the database becomes reachable before the third attempt

    try:
        store = open_store(
            real.set(port=port).render_as_string(hide_password=False),
            attempts=5,
            delay=0.001,
            on_retry=on_retry,
        )
        try:
            assert store.health_check().ok
            assert store.count("offers", profile="demo") == 0
        finally:
            store.close()
    finally:
        forwarder.stop()
    assert attempts == [1, 2]


def test_health_check_reports_status_and_latency(store: Store) -> None:
    health = store.health_check()
    assert health.ok
    assert health.backend == store.backend
    assert health.latency_ms is not None
    assert health.latency_ms >= 0
    assert health.message


def test_health_check_reports_a_lost_postgresql_database(pg_url: str, pg_server_url: str) -> None:
    store = open_store(pg_url, attempts=1)
    try:
        assert store.health_check().ok
        name = sa.engine.make_url(pg_url).database
        admin = sa.create_engine(pg_server_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()
        health = store.health_check()
        assert not health.ok
        assert health.latency_ms is None
        assert health.backend == "postgresql"
        assert health.message
    finally:
        store.close()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.sqlite3'}"
    with open_store(url, attempts=1) as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_default_store_lives_in_the_user_data_directory() -> None:
    from viva_desktop.services.common.paths import default_store_path

    with open_store(None, attempts=1) as store:
        assert store.path == default_store_path()
        assert store.path.exists()


def test_a_garbage_file_is_moved_aside_and_replaced(tmp_path: Path, offers_sample: list) -> None:
    path = tmp_path / "store.sqlite3"
    path.write_bytes(os.urandom(8192))
    garbage = path.read_bytes()
    with open_store(f"sqlite:///{path}", attempts=1) as store:
        recovery = store.recovered_from_corruption
        assert recovery is not None
        assert recovery.moved_to.name.startswith(f"store.sqlite3{CORRUPT_INFIX}")
        assert recovery.moved_to.read_bytes() == garbage  # kept for a later rescue
        assert "header" in recovery.reason
        # The fresh store is fully usable (and empty: the app resyncs from the server).
        assert store.count("offers", profile="demo") == 0
        store.upsert("offers", "demo", offers_sample)
        assert store.count("offers", profile="demo") == len(offers_sample)
    with open_store(f"sqlite:///{path}", attempts=1) as again:
        assert again.recovered_from_corruption is None


def test_damaged_pages_inside_a_real_database_are_detected(
    tmp_path: Path, posts_sample: list
) -> None:
    path = tmp_path / "store.sqlite3"
    with open_store(f"sqlite:///{path}", attempts=1) as store:
        many = [dict(p, id=f"{p['id']}-{i}") for i in range(300) for p in posts_sample]
        store.upsert("posts", "demo", many)
        with store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 20 * page
    for offset in range(10 * page, len(data) - page, 3 * page):  # keep the header page intact
        data[offset + 100 : offset + 400] = os.urandom(300)
    path.write_bytes(bytes(data))
    with open_store(f"sqlite:///{path}", attempts=1) as store:
        assert store.recovered_from_corruption is not None
        assert store.recovered_from_corruption.moved_to.exists()
        assert store.count("posts", profile="demo") == 0


def test_readers_keep_working_while_a_writer_commits(tmp_path: Path, offers_sample: list) -> None:
    """WAL: the UI reads while the sync writes, without 'database is locked'."""
    with open_store(f"sqlite:///{tmp_path / 's.sqlite3'}", attempts=1) as store:
        errors: list[BaseException] = []
        done = threading.Event()

        def writer() -> None:
            try:
                for batch in range(40):
                    rows = [dict(o, id=f"{o['id']}-{batch}") for o in offers_sample]
                    store.upsert("offers", "demo", rows)
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)
            finally:
                done.set()

        def reader() -> None:
            try:
                while not done.is_set():
                    store.count("offers", profile="demo")
                    store.query("offers", profile="demo", limit=50)
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=writer)] + [
            threading.Thread(target=reader) for _ in range(3)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert errors == []
        assert store.count("offers", profile="demo") == 40 * len(offers_sample)


def test_exclusive_jobs_are_exclusive_across_clients_of_one_store(store_url: str) -> None:
    """Two apps on one (shared) store: only one may run a given job at a time."""
    first = open_store(store_url, attempts=1)
    second = open_store(store_url, attempts=1)
    try:
        with first.exclusive("sync:demo:posts") as mine:
            assert mine
            with second.exclusive("sync:demo:posts") as theirs:
                assert not theirs
            with second.exclusive("sync:demo:offers") as other_job:
                assert other_job
        with second.exclusive("sync:demo:posts") as after:
            assert after
    finally:
        first.close()
        second.close()

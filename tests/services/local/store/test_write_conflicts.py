"""Two writers of a shared PostgreSQL store: a page transaction the database rolls back as a
deadlock victim is run again (never reported as a failure), and upserts lock rows in key
order so overlapping writers wait for each other instead of deadlocking."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from viva_desktop.services.local.store import Store, open_store
from viva_desktop.services.local.store.models import User

PROFILE = "Team"
USERS = User.__table__


@pytest.fixture
def shared(pg_url: str) -> Iterator[tuple[Store, Store]]:
    ours, theirs = open_store(pg_url, attempts=1), open_store(pg_url, attempts=1)
    try:
        yield ours, theirs
    finally:
        ours.close()
        theirs.close()


def rename(conn: sa.Connection, user: str, name: str) -> None:
    conn.execute(
        sa.update(USERS).where(USERS.c.profile == PROFILE, USERS.c.id == user).values(name=name)
    )


def test_a_deadlock_victim_is_written_again(shared: tuple[Store, Store]) -> None:
    ours, theirs = shared
    ours.upsert("users", PROFILE, [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}])
    ours_holds_b, theirs_holds_a = threading.Event(), threading.Event()

    def teammate() -> None:
        with theirs.write() as conn:
            # Their deadlock check fires late: ours finds the cycle first and is the victim.
            conn.execute(sa.text("SET LOCAL deadlock_timeout = '10s'"))
            rename(conn, "a", "A by them")
            theirs_holds_a.set()
            assert ours_holds_b.wait(10)
            rename(conn, "b", "B by them")

    other = threading.Thread(target=teammate)
    attempts: list[int] = []

    def work(conn: sa.Connection) -> str:
        attempts.append(len(attempts) + 1)
        rename(conn, "b", "B by us")
        if len(attempts) == 1:
            other.start()
            assert theirs_holds_a.wait(10)
            ours_holds_b.set()
        rename(conn, "a", "A by us")
        return "written"

    assert ours.write_retrying(work) == "written"
    other.join(timeout=20)
    assert attempts == [1, 2]  # rolled back once as the deadlock's victim, then written
    names = {row.id: row.values["name"] for row in ours.query("users", profile=PROFILE)}
    assert names == {"a": "A by us", "b": "B by us"}  # ours ran last, whole


def test_other_errors_are_not_repeated(shared: tuple[Store, Store]) -> None:
    ours, _theirs = shared
    attempts: list[int] = []

    def work(conn: sa.Connection) -> None:
        attempts.append(1)
        conn.execute(sa.text("SELECT * FROM no_such_table"))

    with pytest.raises(sa.exc.ProgrammingError):
        ours.write_retrying(work)
    assert attempts == [1]


def test_upserts_of_overlapping_users_in_opposite_orders_both_land(
    shared: tuple[Store, Store],
) -> None:
    ours, theirs = shared
    ids = [f"u{i:03d}" for i in range(300)]
    errors: list[BaseException] = []

    def write(store: Store, order: list[str], name: str) -> None:
        try:
            for _ in range(5):
                store.upsert("users", PROFILE, [{"id": i, "name": name} for i in order])
        except BaseException as exc:
            errors.append(exc)

    threads = [
        threading.Thread(target=write, args=(ours, ids, "ours")),
        threading.Thread(target=write, args=(theirs, ids[::-1], "theirs")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(ours.query("users", profile=PROFILE, limit=1000)) == 300

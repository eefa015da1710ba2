"""The write paths: upserts, secrets kept off the disk, partial users merged, offline edits
protected from the sync, records gone upstream, and health samples."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from viva_desktop.services.local.store import NOT_NULL, LocalChange, Store, writes
from viva_desktop.services.monitoring.health import HealthSample, HealthState


def test_upsert_refreshes_in_place(store: Store, offers_sample: list) -> None:
    store.upsert("offers", "demo", offers_sample)
    table = store.engine.dialect.identifier_preparer.quote("offers")
    with store.engine.connect() as conn:
        before = dict(conn.execute(sa.text(f"SELECT id, pk FROM {table}")).all())  # noqa: S608
    changed = dict(offers_sample[0], title="Nuevo título", status="CANCELLED")
    assert store.upsert("offers", "demo", [changed, changed]) == 1  # duplicates collapse
    with store.engine.connect() as conn:
        after = dict(conn.execute(sa.text(f"SELECT id, pk FROM {table}")).all())  # noqa: S608
    assert after == before  # same rows, same keys
    row = store.get("offers", "demo", changed["id"])
    assert row is not None
    assert row["title"] == "Nuevo título"
    assert row["status"] == "CANCELLED"
    assert store.count("offers", profile="demo") == len(offers_sample)


def test_secrets_never_reach_the_disk(tmp_path: Path, samples_dir: Path) -> None:
    from viva_desktop.services.local.store import open_store

    login = json.loads((samples_dir / "auth-login-201.json").read_text())["body"]
    user = dict(login["user"], password="$2b$10$hash", twoFactorSecret="JBSWY3DPEHPK3PXP")
    user["backupCodes"] = ["111-222"]
    event = {
        "id": "ev-1",
        "title": "Taller",
        "qrCode": "Taller-0123456789abcdef0123456789abcdef",
        "User": {"id": "u-1", "name": "Ana", "phone": "+34600000000", "password": "x"},
    }
    path = tmp_path / "store.sqlite3"
    with open_store(f"sqlite:///{path}", attempts=1) as store:
        store.upsert("users", "demo", [user])
        store.upsert("events", "demo", [event])
        stored = store.get("users", "demo", user["id"])
        assert stored is not None
        assert stored["email"] == user["email"]
        assert "twoFactorSecret" not in stored.raw
        assert "password" not in stored.raw
        ev = store.get("events", "demo", "ev-1")
        assert ev is not None
        assert "qrCode" not in ev.raw
        assert ev.raw["User"] == {"id": "u-1", "name": "Ana"}
        with store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    blob = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    for secret in (
        b"JBSWY3DPEHPK3PXP",
        b"$2b$10$hash",
        b"111-222",
        b"+34600000000",
        b"0123456789abcdef",
    ):
        assert secret not in blob


def test_partial_user_cards_do_not_erase_known_fields(store: Store) -> None:
    full = {"id": "u-1", "name": "María", "email": "maria@x", "role": "CITIZEN", "credits": 250}
    store.upsert("users", "demo", [full])
    store.upsert("users", "demo", [{"id": "u-1", "name": "María G.", "avatar": "a.png"}])
    row = store.get("users", "demo", "u-1")
    assert row is not None
    assert (row["name"], row["email"], row["credits"], row["avatar"]) == (
        "María G.",
        "maria@x",
        250,
        "a.png",
    )


def test_offline_edits_survive_a_sync_until_settled(store: Store, offers_sample: list) -> None:
    store.upsert("offers", "demo", offers_sample)
    mine = dict(offers_sample[0], title="Editado sin conexión")
    with store.write() as conn:
        writes.write_local(conn, "offers", "demo", mine, change=LocalChange.UPDATED)
    store.upsert("offers", "demo", offers_sample)  # a sync pulls the old server version
    row = store.get("offers", "demo", mine["id"])
    assert row is not None
    assert row["title"] == "Editado sin conexión"
    assert row.local_changes == "updated"
    assert store.count("offers", profile="demo", filters={"local_changes": NOT_NULL}) == 1
    with store.write() as conn:  # the outbox settles it with the server's answer
        writes.write_local(conn, "offers", "demo", offers_sample[0], change=None)
    row = store.get("offers", "demo", mine["id"])
    assert row is not None
    assert row.local_changes is None
    assert row["title"] == offers_sample[0]["title"]


def test_full_pass_marks_what_the_server_no_longer_has(store: Store, offers_sample: list) -> None:
    store.upsert("offers", "demo", offers_sample, run_id="run-1")
    local = {"id": "local-1", "title": "Creada sin conexión"}
    with store.write() as conn:
        writes.write_local(conn, "offers", "demo", local, change=LocalChange.CREATED)
    kept = offers_sample[2:]
    store.upsert("offers", "demo", kept, run_id="run-2")
    with store.write() as conn:
        assert writes.mark_gone(conn, "offers", "demo", "run-2") == 2
    gone = store.query("offers", profile="demo", filters={"gone_at": NOT_NULL})
    assert {r.id for r in gone} == {o["id"] for o in offers_sample[:2]}
    assert store.get("offers", "demo", "local-1").gone_at is None
    store.upsert("offers", "demo", offers_sample[:1], run_id="run-3")  # it came back
    assert store.get("offers", "demo", offers_sample[0]["id"]).gone_at is None


def test_health_samples_round_trip(store: Store) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    samples = [
        HealthSample(
            profile="demo",
            taken_at=now - timedelta(minutes=10 - i),
            state=HealthState.HEALTHY if i % 3 else HealthState.DOWN,
            http_latency_ms=12.5 + i,
            db_status="up",
            db_latency_ms=3,
            version="1.0.0",
            environment="development",
            uptime_s=100 + i,
            error=None if i % 3 else "connection refused",
        )
        for i in range(10)
    ]
    assert store.add_health_samples(samples) == 10
    assert store.add_health_samples([]) == 0
    rows = store.health_samples("demo")
    assert [r["taken_at"] for r in rows] == [s.taken_at for s in samples]
    assert rows[0]["state"] == "down"
    assert rows[0]["error"] == "connection refused"
    assert HealthSample(**{**rows[1], "state": HealthState(rows[1]["state"])}) == samples[1]
    assert [r["taken_at"] for r in store.health_samples("demo", limit=3)] == [
        s.taken_at for s in samples[-3:]
    ]
    since = store.health_samples("demo", since=samples[5].taken_at)
    assert len(since) == 5
    assert store.prune_health_samples("demo", older_than=samples[5].taken_at) == 5
    assert len(store.health_samples("demo")) == 5
    assert store.health_samples("other") == []


def test_health_sample_columns_are_the_health_service_fields() -> None:
    from viva_desktop.services.local.store import health_samples
    from viva_desktop.services.monitoring.health import SAMPLE_FIELDS

    assert health_samples.FIELDS == SAMPLE_FIELDS

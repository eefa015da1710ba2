"""Revision 0009 (flow-economics snapshots, issue 16): up from 0008 and down again on SQLite
and PostgreSQL, keeping what the store held, and the snapshots read per account only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from viva_desktop.services.local.store import flow_metrics, migrate, open_store

SAMPLE = {
    "giniIndex": 0.42,
    "medianBalance": 80,
    "meanBalance": 95,
    "wealthConcentration": 31.5,
    "transactionsCount": 0,
    "averageFlowMultiplier": 1,
    "totalValueGenerated": 0,
    "pools": [{"type": "EMERGENCY", "balance": 500, "totalReceived": 500, "totalDistributed": 0}],
    "totalPoolBalance": 500,
    "activeUsers": 12,
    "generousUsers": 4,
}


def tables(engine: sa.Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


def test_0009_goes_up_from_0008_and_down_again_keeping_data(empty_store_url: str) -> None:
    with open_store(empty_store_url, attempts=1) as store:
        store.upsert("offers", "demo", [{"id": "o1", "title": "Huerto", "type": "PRODUCT"}])
        migrate.downgrade(store.engine, "0008")
        assert "flow_metrics" not in tables(store.engine)
        assert store.count("offers", profile="demo") == 1

        migrate.upgrade(store.engine, "0009")
        with store.engine.connect() as conn:
            assert migrate.current_revision(conn) == "0009"
        assert "flow_metrics" in tables(store.engine)
        now = datetime.now(UTC)
        with store.write() as conn:
            flow_metrics.add(conn, "demo", "admin-id", now, SAMPLE)
        with store.read() as conn:
            got = flow_metrics.latest(conn, "demo", "admin-id", now - timedelta(1), now)
            assert got is not None
            assert got.values["giniIndex"] == 0.42
            assert got.values["totalPoolBalance"] == 500
            assert flow_metrics.latest(conn, "demo", "citizen-id", now - timedelta(1), now) is None

        migrate.downgrade(store.engine, "0008")
        assert "flow_metrics" not in tables(store.engine)
        assert store.count("offers", profile="demo") == 1
        migrate.upgrade(store.engine)
        assert store.count("offers", profile="demo") == 1

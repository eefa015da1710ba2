"""Upgrading a store written at revision 0004 (before accounts) keeps its data and its
queued edits, and gives per-caller rows their owner where the data tells it."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from viva_desktop.services.local.store import migrate, open_store, scopes

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def _old_store(url: str) -> None:
    """A store at revision 0004 holding synced rows, a queued vote and a queued edit."""
    engine = sa.create_engine(url)
    try:
        migrate.upgrade(engine, "0004")
        meta = sa.MetaData()
        meta.reflect(engine)
        t = meta.tables
        with engine.begin() as conn:
            base = {"profile": "demo", "synced_at": NOW, "local_changes": None}
            conn.execute(
                t["credit_transactions"].insert(),
                [
                    {**base, "id": "t1", "user_id": "u-admin", "raw": {"id": "t1"}},
                    {**base, "id": "t2", "user_id": "u-admin", "raw": {"id": "t2"}},
                ],
            )
            conn.execute(
                t["moderation_cases"].insert(),
                [
                    {**base, "id": "dao-1", "raw": {"id": "dao-1"}, "local_changes": "updated"},
                    {**base, "id": "dao-2", "raw": {"id": "dao-2"}},
                ],
            )
            conn.execute(
                t["offers"].insert(),
                [
                    {
                        **base,
                        "id": "o1",
                        "raw": {"id": "o1", "title": "Mio"},
                        "search_text": "mio",
                        "local_changes": "updated",
                        "title": "Mio",
                    }
                ],
            )
            outbox = {
                "profile": "demo",
                "state": "pending",
                "attempts": 0,
                "created_at": NOW,
                "updated_at": NOW,
            }
            conn.execute(
                t["outbox"].insert(),
                [
                    {
                        **outbox,
                        "account": "u-admin",
                        "entity": "moderation_cases",
                        "op": "vote",
                        "target_id": "dao-1",
                        "payload": {"decision": "KEEP"},
                        "client_ref": "r1",
                    },
                    {
                        **outbox,
                        "account": "u-admin",
                        "entity": "offers",
                        "op": "update",
                        "target_id": "o1",
                        "payload": {"title": "Mio"},
                        "client_ref": "r2",
                    },
                ],
            )
            conn.execute(
                t["sync_state"].insert(),
                [
                    {
                        "profile": "demo",
                        "entity": "credit_transactions",
                        "status": "complete",
                        "full_pass": True,
                        "pages": 1,
                        "items": 2,
                    },
                    {
                        "profile": "demo",
                        "entity": "offers",
                        "status": "complete",
                        "full_pass": True,
                        "pages": 1,
                        "items": 1,
                    },
                ],
            )
    finally:
        engine.dispose()


def test_upgrade_from_0004_keeps_data_and_queued_edits(empty_store_url: str) -> None:
    _old_store(empty_store_url)
    with open_store(empty_store_url, attempts=1) as store:
        assert store.upgraded_from == "0004"
        # Credit transactions carry their reader's id: attributed exactly.
        assert scopes.count_visible(store, "demo", "u-admin", "credit_transactions") == 2
        assert scopes.count_visible(store, "demo", "u-maria", "credit_transactions") == 0
        # A case with a queued vote belongs to the voter; the other one is of unknown owner
        # (shown to nobody) until the next sync re-reads it.
        assert [
            r.id for r in store.query("moderation_cases", profile="demo", account="u-admin")
        ] == ["dao-1"]
        with store.read() as conn:
            owners = dict(conn.execute(sa.text("SELECT id, account FROM moderation_cases")).all())
        assert owners == {"dao-1": "u-admin", "dao-2": scopes.UNKNOWN_ACCOUNT}
        # Public data and the queued edits are untouched, and keep their account.
        assert store.get("offers", "demo", "o1").local_changes == "updated"
        with store.read() as conn:
            queued = conn.execute(
                sa.text("SELECT client_ref, account, state FROM outbox ORDER BY seq")
            ).all()
        assert [tuple(r) for r in queued] == [
            ("r1", "u-admin", "pending"),
            ("r2", "u-admin", "pending"),
        ]
        # Whose run the per-caller sync state was is unknown: it starts afresh.
        assert store.sync_state("demo", "credit_transactions", account="u-admin") is None
        assert store.sync_state("demo", "offers") is not None
        with store.write() as conn:
            assert scopes.forget_unknown_owner(conn, "moderation_cases", "demo") == 1


def test_downgrade_to_0004_and_up_again(empty_store_url: str) -> None:
    with open_store(empty_store_url, attempts=1) as store:
        store.upsert("credit_transactions", "demo", [{"id": "t1", "userId": "u"}], account="u")
        migrate.downgrade(store.engine, "0004")
        migrate.upgrade(store.engine)
        assert scopes.count_visible(store, "demo", "u", "credit_transactions") == 0

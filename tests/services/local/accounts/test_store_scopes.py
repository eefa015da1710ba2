"""Per-caller records are stored and read per account; public data is shared — on SQLite
and PostgreSQL, with two and three accounts on one profile in one store."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

import pytest

from viva_desktop.services.local.store import Store, accounts, audit, scopes, writes
from viva_desktop.services.local.store.audit import Action, Outcome

ADMIN, MARIA, JUAN = "u-admin", "u-maria", "u-juan"


def tx(tx_id: str, user: str, amount: int) -> dict:
    return {
        "id": tx_id,
        "userId": user,
        "amount": amount,
        "balance": amount,
        "reason": "ADMIN_GRANT",
        "createdAt": "2026-11-01T10:00:00.000Z",
    }


def case(case_id: str) -> dict:
    return {"id": case_id, "contentType": "POST", "status": "VOTING", "contentId": "p1"}


@pytest.fixture
def three(store: Store) -> Store:
    store.upsert(
        "credit_transactions", "demo", [tx("t1", ADMIN, 5), tx("t2", ADMIN, 7)], account=ADMIN
    )
    store.upsert("credit_transactions", "demo", [tx("t3", MARIA, 2)], account=MARIA)
    # The same juror case read by two accounts is stored once for each.
    store.upsert("moderation_cases", "demo", [case("dao-1")], account=ADMIN)
    store.upsert("moderation_cases", "demo", [case("dao-1"), case("dao-2")], account=JUAN)
    store.upsert("offers", "demo", [{"id": "o1", "title": "Huerto"}])
    return store


def test_each_account_sees_only_its_own_per_caller_records(three: Store) -> None:
    ids = lambda account: sorted(  # noqa: E731
        r.id for r in three.query("credit_transactions", profile="demo", account=account)
    )
    assert ids(ADMIN) == ["t1", "t2"]
    assert ids(MARIA) == ["t3"]
    assert ids(JUAN) == []
    assert scopes.count_visible(three, "demo", MARIA, "credit_transactions") == 1
    assert scopes.count_visible(three, "demo", JUAN, "moderation_cases") == 2
    assert scopes.count_visible(three, "demo", ADMIN, "moderation_cases") == 1
    assert three.facets("credit_transactions", "reason", profile="demo", account=MARIA) == [
        ("ADMIN_GRANT", 1)
    ]
    assert three.data_age("credit_transactions", "demo", account=ADMIN).count == 2
    assert three.get("credit_transactions", "demo", "t1", account=MARIA) is None
    assert three.get("credit_transactions", "demo", "t1", account=ADMIN) is not None


def test_without_an_account_per_caller_data_is_empty_and_public_data_shared(three: Store) -> None:
    assert three.query("credit_transactions", profile="demo") == []
    assert three.count("moderation_cases", profile="demo") == 0
    for account in (None, ADMIN, MARIA, JUAN):
        assert scopes.count_visible(three, "demo", account, "offers") == 1


def test_exports_hold_only_the_accounts_rows(three: Store) -> None:
    out = io.StringIO()
    assert (
        three.export("credit_transactions", out, format="json", profile="demo", account=MARIA) == 1
    )
    assert [r["id"] for r in json.loads(out.getvalue())] == ["t3"]


def test_storing_per_caller_records_needs_the_account(store: Store) -> None:
    with pytest.raises(ValueError, match="account is required"):
        store.upsert("credit_transactions", "demo", [tx("t1", ADMIN, 5)])


def test_a_full_pass_marks_gone_only_in_its_own_scope(three: Store) -> None:
    with three.write() as conn:
        writes.mark_gone(conn, "moderation_cases", "demo", "run-x", account=JUAN)
    juan = three.query("moderation_cases", profile="demo", account=JUAN)
    admin = three.query("moderation_cases", profile="demo", account=ADMIN)
    assert all(r.gone_at is not None for r in juan)
    assert all(r.gone_at is None for r in admin)


def test_sync_state_is_kept_per_account_for_per_caller_entities(store: Store) -> None:
    from viva_desktop.services.local.store import syncstate

    with store.write() as conn:
        syncstate.write(conn, "demo", "credit_transactions", ADMIN, status="complete")
        syncstate.write(conn, "demo", "offers", status="complete")
    assert store.sync_state("demo", "credit_transactions", account=MARIA) is None
    assert store.sync_state("demo", "credit_transactions", account=ADMIN) is not None
    assert {s.entity for s in store.sync_states("demo", account=MARIA)} == {"offers"}
    assert {s.entity for s in store.sync_states("demo", account=ADMIN)} == {
        "offers",
        "credit_transactions",
    }


def test_accounts_remember_emails_and_the_last_one_used(store: Store) -> None:
    early = datetime(2026, 1, 1, tzinfo=UTC)
    accounts.remember(store, "demo", ADMIN, email="admin@x", role="ADMIN", when=early)
    accounts.remember(store, "demo", MARIA, email="maria@x", when=early + timedelta(hours=1))
    assert accounts.last_used(store, "demo").user_id == MARIA
    # A later call that knows less keeps what was known.
    accounts.remember(store, "demo", ADMIN, when=early + timedelta(hours=2))
    admin = accounts.last_used(store, "demo")
    assert (admin.user_id, admin.email, admin.role) == (ADMIN, "admin@x", "ADMIN")
    assert accounts.by_email(store, "demo", "MARIA@x").user_id == MARIA
    assert accounts.by_email(store, "other", "maria@x") is None


def test_the_audit_trail_filters_searches_and_prunes(store: Store) -> None:
    t0 = datetime(2026, 3, 1, tzinfo=UTC)
    audit.record_write(
        store,
        profile="demo",
        account=ADMIN,
        entity="offers",
        record_id="o1",
        action=Action.UPDATE,
        outcome=Outcome.SENT,
        before={"title": "Huerto"},
        after={"title": "Huerto urbano", "password": "x"},
        request_id="req-1",
        at=t0,
    )
    audit.record_write(
        store,
        profile="demo",
        account=MARIA,
        entity="credit_transactions",
        record_id=MARIA,
        action=Action.GRANT,
        outcome=Outcome.FAILED,
        message="only administrators can grant credits",
        at=t0 + timedelta(days=2),
    )
    first, *_ = audit.entries(store, "demo", account=ADMIN)
    assert first.fields == ["title"]  # the secret never reached the trail
    assert first.request_id == "req-1"
    assert [e.account for e in audit.entries(store, "demo", search="URBANO")] == [ADMIN]
    assert [e.action for e in audit.entries(store, "demo", outcomes=["failed"])] == ["grant"]
    assert len(audit.entries(store, "demo", since=t0 + timedelta(days=1))) == 1
    assert audit.prune(store, "demo", older_than=t0 + timedelta(days=1)) == 1
    assert [e.account for e in audit.entries(store, "demo")] == [MARIA]

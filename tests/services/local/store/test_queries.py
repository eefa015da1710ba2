"""The view queries: filters, sort, paging, counts, facets, date ranges, single records and
data age, identical on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from viva_desktop.services.local.store import NOT_NULL, Range, Store

BASE = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
TYPES = ("SERVICE", "PRODUCT", "TIME_BANK")
STATUSES = ("ACTIVE", "ACTIVE", "CANCELLED")
COMMUNITIES = ("c-pamplona", "c-gracia", None)


def make_offer(i: int) -> dict[str, Any]:
    return {
        "id": f"offer-{i:04d}",
        "userId": f"user-{i % 7}",
        "communityId": COMMUNITIES[i % 3],
        "type": TYPES[i % 3] if i % 11 else "GROUP_BUY",
        "category": ("Hogar", "Educación", "Alimentación", "Transporte")[i % 4],
        "title": f"Oferta número {i}",
        "description": "Descripción de prueba",
        "priceEur": None if i % 5 == 0 else round(i * 1.5, 2),
        "priceCredits": i % 20,
        "tags": [],
        "status": STATUSES[(i // 3) % 3],
        "createdAt": (BASE + timedelta(hours=i)).isoformat().replace("+00:00", "Z"),
        "updatedAt": (BASE + timedelta(hours=i)).isoformat().replace("+00:00", "Z"),
        "User": {"id": f"user-{i % 7}", "name": f"Persona {i % 7}", "avatar": None},
    }


OFFERS = [make_offer(i) for i in range(240)]


@pytest.fixture
def filled(store: Store) -> Store:
    store.upsert("offers", "demo", OFFERS)
    store.upsert("offers", "other", OFFERS[:10])  # a second deployment in the same store
    return store


def ids(rows: list) -> list[str]:
    return [row.id for row in rows]


def expected(predicate, key=lambda o: o["createdAt"], reverse=True) -> list[str]:
    chosen = [o for o in OFFERS if predicate(o)]
    return [o["id"] for o in sorted(chosen, key=key, reverse=reverse)]


def test_default_sort_is_newest_first_and_profiles_are_separate(filled: Store) -> None:
    rows = filled.query("offers", profile="demo", limit=1000)
    assert ids(rows) == expected(lambda o: True)
    assert filled.count("offers", profile="demo") == 240
    assert filled.count("offers", profile="other") == 10
    assert filled.count("offers", profile="nobody") == 0
    assert filled.profiles() == ["demo", "other"]


def test_rows_carry_columns_raw_json_and_bookkeeping(filled: Store) -> None:
    row = filled.get("offers", "demo", "offer-0007")
    assert row is not None
    assert row["title"] == "Oferta número 7"
    assert row["user_name"] == "Persona 0"
    assert row["created_at"] == BASE + timedelta(hours=7)
    assert row["created_at"].tzinfo is not None
    assert row.raw["description"] == "Descripción de prueba"
    assert row.local_changes is None
    assert row.gone_at is None
    assert row.synced_at.tzinfo is not None
    assert filled.get("offers", "demo", "missing") is None


def test_equality_in_null_and_not_null_filters(filled: Store) -> None:
    def run(filters: dict) -> list[str]:
        return ids(filled.query("offers", profile="demo", filters=filters, limit=1000))

    assert run({"type": "PRODUCT"}) == expected(lambda o: o["type"] == "PRODUCT")
    assert run({"type": ["PRODUCT", "GROUP_BUY"], "status": "ACTIVE"}) == expected(
        lambda o: o["type"] in ("PRODUCT", "GROUP_BUY") and o["status"] == "ACTIVE"
    )
    assert run({"community_id": None}) == expected(lambda o: o["communityId"] is None)
    assert run({"community_id": ["c-gracia", None]}) == expected(
        lambda o: o["communityId"] in ("c-gracia", None)
    )
    assert run({"price_eur": NOT_NULL}) == expected(lambda o: o["priceEur"] is not None)
    assert run({"type": []}) == []
    for filters in ({"type": "PRODUCT"}, {"community_id": None}, {"status": ["CANCELLED"]}):
        assert filled.count("offers", profile="demo", filters=filters) == len(run(filters))


def test_range_filters_are_inclusive_and_may_be_open(filled: Store) -> None:
    start, end = BASE + timedelta(hours=10), BASE + timedelta(hours=20)
    rows = filled.query(
        "offers", profile="demo", filters={"created_at": Range(start, end)}, limit=1000
    )
    assert ids(rows) == [f"offer-{i:04d}" for i in range(20, 9, -1)]
    assert filled.count("offers", profile="demo", filters={"created_at": Range(start=end)}) == 220
    assert filled.count("offers", profile="demo", filters={"price_credits": Range(end=3)}) == 48


def test_multi_column_sort_with_stable_paging(filled: Store) -> None:
    sort = [("category", True), ("price_credits", False)]
    pages = [
        filled.query("offers", profile="demo", sort=sort, offset=offset, limit=50)
        for offset in range(0, 240, 50)
    ]
    paged = [row.id for page in pages for row in page]
    assert len(paged) == len(set(paged)) == 240
    whole = filled.query("offers", profile="demo", sort=sort, limit=1000)
    assert paged == ids(whole)
    keys = [(r["category"], -r["price_credits"]) for r in whole]
    assert keys == sorted(keys)


def test_unknown_columns_are_refused(filled: Store) -> None:
    with pytest.raises(ValueError, match="no column"):
        filled.query("offers", profile="demo", filters={"raw": "x"})
    with pytest.raises(ValueError, match="no column"):
        filled.query("offers", profile="demo", sort=[("1; DROP TABLE offers", True)])
    with pytest.raises(ValueError, match="unknown store entity"):
        filled.count("nonsense", profile="demo")


def test_facets_count_distinct_values_within_the_selection(filled: Store) -> None:
    facets = dict(filled.facets("offers", "type", profile="demo"))
    assert sum(facets.values()) == 240
    assert facets["GROUP_BUY"] == sum(1 for o in OFFERS if o["type"] == "GROUP_BUY")
    communities = filled.facets("offers", "community_id", profile="demo")
    assert {value for value, _ in communities} == {"c-pamplona", "c-gracia", None}
    active = dict(filled.facets("offers", "status", profile="demo", filters={"type": "SERVICE"}))
    assert active == {
        s: sum(1 for o in OFFERS if o["type"] == "SERVICE" and o["status"] == s)
        for s in ("ACTIVE", "CANCELLED")
    }
    counts = [n for _, n in filled.facets("offers", "category", profile="demo")]
    assert counts == sorted(counts, reverse=True)


def test_date_range_and_data_age(filled: Store) -> None:
    low, high = filled.date_range("offers", "created_at", profile="demo")
    assert low == BASE
    assert high == BASE + timedelta(hours=239)
    low, high = filled.date_range(
        "offers", "created_at", profile="demo", filters={"type": "GROUP_BUY"}
    )
    assert (low, high) == (BASE, BASE + timedelta(hours=231))  # ids that are multiples of 11
    assert filled.date_range("offers", "created_at", profile="nobody") == (None, None)
    age = filled.data_age("offers", "demo")
    assert age.count == 240
    assert age.oldest is not None
    assert age.newest is not None
    assert age.oldest <= age.newest <= datetime.now(UTC)
    assert filled.data_age("events", "demo").count == 0


def test_synced_at_is_kept_per_record(store: Store) -> None:
    first = datetime(2025, 1, 1, tzinfo=UTC)
    later = datetime(2025, 2, 1, tzinfo=UTC)
    store.upsert("offers", "demo", OFFERS[:5], synced_at=first)
    store.upsert("offers", "demo", OFFERS[3:8], synced_at=later)
    by_id = {r.id: r.synced_at for r in store.query("offers", profile="demo")}
    assert [by_id[o["id"]] for o in OFFERS[:8]] == [first] * 3 + [later] * 5
    age = store.data_age("offers", "demo")
    assert (age.oldest, age.newest) == (first, later)


def test_sorting_on_a_column_without_an_index_pages_correctly(filled: Store) -> None:
    from viva_desktop.services.local.store import spec_for

    # Every column a browser shows has a sort index (migration 0004); `user_id` does not.
    assert "user_id" not in spec_for("offers").indexed
    assert "created_at" in spec_for("offers").indexed
    sort = [("user_id", True)]
    paged = [
        row.id
        for offset in range(0, 240, 70)
        for row in filled.query("offers", profile="demo", sort=sort, offset=offset, limit=70)
    ]
    assert paged == ids(filled.query("offers", profile="demo", sort=sort, limit=1000))
    owners = [o["userId"] for o in sorted(OFFERS, key=lambda o: o["userId"])]
    by_id = {o["id"]: o["userId"] for o in OFFERS}
    assert [by_id[i] for i in paged] == owners

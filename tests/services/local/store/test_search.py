"""Local full-text search (SQLite FTS5, PostgreSQL tsvector): the same answers on both."""

from __future__ import annotations

import pytest

from viva_desktop.services.local.store import Store
from viva_desktop.services.local.store.text import (
    fold,
    fts5_query,
    query_terms,
    search_text,
    tsquery,
)


def test_text_is_folded_the_same_way_for_both_engines() -> None:
    assert fold("Jardinería ÚNICA Ñandú Gràcia") == "jardineria unica nandu gracia"
    assert search_text("¡Hola, mundo!", ["tag-uno", "dos"], None, 12) == "hola mundo tag uno dos 12"
    assert query_terms('  "Jardín" OR huerto* -x jardín ') == ["jardin", "or", "huerto", "x"]
    assert fts5_query(["a", "b"]) == '"a"* AND "b"*'
    assert tsquery(["a", "b"]) == "a:* & b:*"


@pytest.fixture
def searchable(
    store: Store,
    offers_sample: list,
    events_sample: list,
    posts_sample: list,
    communities_sample: list,
) -> Store:
    store.upsert("offers", "demo", offers_sample)
    store.upsert("events", "demo", events_sample)
    store.upsert("posts", "demo", posts_sample)
    store.upsert("communities", "demo", communities_sample)
    return store


def found(store: Store, entity: str, search: str, **kwargs) -> set[str]:
    return {
        row.id for row in store.query(entity, profile="demo", search=search, limit=500, **kwargs)
    }


def titles(store: Store, entity: str, search: str) -> set[str]:
    field = "name" if entity == "communities" else "title"
    return {row[field] for row in store.query(entity, profile="demo", search=search)}


def test_accents_case_and_prefixes(searchable: Store, offers_sample: list) -> None:
    expected = {
        o["id"]
        for o in offers_sample
        if "jardin" in fold(o["title"] + " " + o["description"] + " " + " ".join(o["tags"]))
    }
    assert expected
    assert found(searchable, "offers", "JARDINERÍA") == expected
    assert found(searchable, "offers", "jardineria") == expected
    assert found(searchable, "offers", "jardín") == expected  # prefix of jardinería
    assert searchable.count("offers", profile="demo", search="jardin") == len(expected)


def test_every_term_must_match(searchable: Store) -> None:
    assert titles(searchable, "offers", "clases jardinería") == {"Clases de jardinería urbana"}
    assert titles(searchable, "offers", "clases carpintería") == set()


def test_each_searchable_entity(searchable: Store, events_sample: list) -> None:
    assert "Taller de compostaje comunitario" in titles(searchable, "events", "compost")
    assert len(found(searchable, "posts", "tomates")) == 1
    assert found(searchable, "posts", "carlos ruiz")  # the author's name is searchable too
    name = next(iter(titles(searchable, "communities", "pamplona")))
    assert "Pamplona" in name
    with pytest.raises(ValueError, match="no full-text search"):
        searchable.query("credit_transactions", profile="demo", search="x")


def test_search_combines_with_filters_sort_and_paging(searchable: Store) -> None:
    everything = searchable.query("offers", profile="demo", search="a", limit=500)
    services = searchable.query(
        "offers", profile="demo", search="a", filters={"type": "SERVICE"}, limit=500
    )
    assert {r.id for r in services} == {r.id for r in everything if r["type"] == "SERVICE"}
    ordered = searchable.query("offers", profile="demo", search="a", sort=[("title", True)])
    assert [r["title"] for r in ordered] == sorted(r["title"] for r in ordered)
    facets = dict(searchable.facets("offers", "type", profile="demo", search="jardinería"))
    assert sum(facets.values()) == searchable.count("offers", profile="demo", search="jardinería")


def test_queries_without_words_and_other_profiles(searchable: Store) -> None:
    assert found(searchable, "offers", "   ") == found(searchable, "offers", "")  # no filter
    assert found(searchable, "offers", "?!*()") == set()
    assert found(searchable, "offers", 'jard" OR 1=1 --') == set()
    assert searchable.count("offers", profile="other", search="jardinería") == 0


def test_the_index_follows_updates_and_deletes(searchable: Store, offers_sample: list) -> None:
    offer = dict(offers_sample[0])
    assert offer["id"] in found(searchable, "offers", "jardinería")
    offer.update(title="Bicicletas reparadas", description="Taller de bicis", tags=[])
    searchable.upsert("offers", "demo", [offer])
    assert offer["id"] not in found(searchable, "offers", "jardinería")
    assert found(searchable, "offers", "bicicleta") == {offer["id"]}
    from viva_desktop.services.local.store import writes

    with searchable.write() as conn:
        writes.delete_row(conn, "offers", "demo", offer["id"])
    assert found(searchable, "offers", "bicicleta") == set()

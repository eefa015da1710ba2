"""The table models hold their rows compactly (a tuple of values and the unparsed server JSON
per row) and still hand out full `Row`s, identical to the store's, whenever one is asked for."""

from __future__ import annotations

import gc
import tracemalloc
from datetime import UTC, datetime

from PySide6.QtCore import Qt

from tests.ui.helpers import wait_loaded
from viva_desktop.services.local.store import LocalChange, Store
from viva_desktop.services.local.store.writes import write_local
from viva_desktop.ui.models import STORE_MODELS, OffersModel, PostsModel, Roles
from viva_desktop.ui.models.rowstore import POOL_LIMIT, ValuePool

from .data import ACCOUNT, PROFILE, offer, post


def test_rows_built_on_demand_are_the_stores_rows(qtbot, filled_store: Store) -> None:
    for key, model_class in STORE_MODELS.items():
        model = model_class(filled_store, PROFILE, page_size=4, account=ACCOUNT)
        wait_loaded(qtbot, model)
        while model.canFetchMore():
            model.fetchMore()
            wait_loaded(qtbot, model)
        assert model.rowCount() == model.total > 0, key
        expected = filled_store.query(
            model.ENTITY,
            profile=PROFILE,
            limit=1000,
            account=ACCOUNT,
            **model.effective_query.store_kwargs(),
        )
        assert model.rows() == expected, key
        assert model.record_ids() == [row.id for row in expected]
        for number, row in enumerate(expected):
            assert model.row_at(number) == row
            index = model.index(number, 0)
            assert index.data(Roles.RAW) == row.raw
            assert index.data(Roles.ROW) == row
            assert index.data(Roles.RECORD_ID) == row.id
            assert model.row_of(row.id) == number
            for position, column in enumerate(model.COLUMNS):
                cell = model.index(number, position)
                assert cell.data(Roles.VALUE) == row.values.get(column.key)


def test_the_server_json_survives_any_text(qtbot, store: Store) -> None:
    odd = offer(1) | {
        "title": "Bici 🚲 por 20 € — «casi nueva»",
        "description": 'Línea 1\nLínea 2 \u2028 fin \\ "comillas"',
        "tags": ["ñ", "🌱", "日本"],
    }
    store.upsert("offers", PROFILE, [odd, offer(2)])
    model = OffersModel(store, PROFILE)
    wait_loaded(qtbot, model)
    row = model.row_at(model.row_of(odd["id"]))
    assert row is not None
    assert row.raw["title"] == odd["title"]
    assert row.raw["description"] == odd["description"]
    assert row.raw["tags"] == odd["tags"]
    index = model.index(model.row_of(odd["id"]), model.column_index("title"))
    assert index.data() == odd["title"]


def test_a_reload_never_serves_the_rows_it_replaced(qtbot, filled_store: Store) -> None:
    model = OffersModel(filled_store, PROFILE)
    wait_loaded(qtbot, model)
    number = model.row_of("offer-00003")
    before = model.row_at(number)
    assert before is not None
    assert model.row_at(number) is before  # kept while selected
    with filled_store.write() as conn:
        write_local(
            conn, "offers", PROFILE, offer(3) | {"title": "Cambiada"}, change=LocalChange.UPDATED
        )
    model.reload()
    wait_loaded(qtbot, model)
    after = model.row_at(model.row_of("offer-00003"))
    assert after is not None
    assert after.raw["title"] == "Cambiada"
    assert after.local_changes == LocalChange.UPDATED
    assert model.index(model.row_of("offer-00003"), 0).data(Qt.ItemDataRole.FontRole).italic()


def test_equal_values_are_shared_and_unique_ones_stop_being_pooled() -> None:
    pool = ValuePool(3)
    stamp = datetime(2025, 3, 1, tzinfo=UTC)
    rows = [
        pool.share((f"id-{i}", "".join(["PUB", "LIC"]), stamp.replace(microsecond=0)))
        for i in range(POOL_LIMIT + 50)
    ]
    assert all(row[1] is rows[0][1] for row in rows)
    assert all(row[2] is rows[0][2] for row in rows)
    again = "".join(["id-", "7"])
    assert pool.share((again, "PUBLIC", stamp))[0] is again  # ids: no longer pooled
    assert rows[7] == ("id-7", "PUBLIC", stamp)  # sharing never changes a value
    assert pool.share((None, 3, None)) == (None, 3, None)


def test_the_rows_take_far_less_memory_than_full_rows(qtbot, store: Store) -> None:
    store.upsert("posts", PROFILE, [post(i) for i in range(1500)])
    model = PostsModel(store, PROFILE, page_size=2000, autoload=False)
    gc.collect()
    tracemalloc.start()
    try:
        model.reload()
        wait_loaded(qtbot, model)
        gc.collect()
        held = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        full_rows = store.query("posts", profile=PROFILE, limit=2000)
        gc.collect()
        as_rows = tracemalloc.get_traced_memory()[0] - held
    finally:
        tracemalloc.stop()
    assert model.rowCount() == len(full_rows) == 1500
    assert held < as_rows / 2, (held, as_rows)

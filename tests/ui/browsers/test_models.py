"""The table models over the real store: Qt's model tester, lazy loading, sorting, filtering,
roles and the offline-edit markers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester

from tests.ui.helpers import wait_loaded
from viva_desktop.services.local.store import LocalChange, Range, Store
from viva_desktop.services.local.store.writes import write_local
from viva_desktop.ui.models import (
    STORE_MODELS,
    MembershipRequestsModel,
    OffersModel,
    OutboxModel,
    PoolRequestsModel,
    Roles,
    StoreTableModel,
    SyncStatesModel,
)

from .data import ACCOUNT, PROFILE, offer

FATAL = QAbstractItemModelTester.FailureReportingMode.Fatal


@pytest.mark.parametrize("key", sorted(STORE_MODELS))
def test_every_store_model_passes_the_model_tester(qtbot, filled_store: Store, key: str) -> None:
    model: StoreTableModel = STORE_MODELS[key](filled_store, PROFILE, page_size=5, account=ACCOUNT)
    tester = QAbstractItemModelTester(model, FATAL)
    wait_loaded(qtbot, model)
    assert model.rowCount() > 0
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
        wait_loaded(qtbot, model)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    wait_loaded(qtbot, model)
    assert model.rowCount() > 0
    del tester


def test_list_models_pass_the_model_tester(qtbot) -> None:
    requests = MembershipRequestsModel(
        [
            {
                "id": "req_1",
                "userId": "user-1",
                "message": "Hola",
                "createdAt": "2025-03-01T10:00:00.000Z",
            },
            {
                "id": "req_2",
                "userId": "user-2",
                "message": None,
                "createdAt": "2025-03-02T10:00:00.000Z",
            },
        ],
        names={"user-1": "Persona 001"},
    )
    QAbstractItemModelTester(requests, FATAL)
    requests.sort(2, Qt.SortOrder.DescendingOrder)
    assert requests.record_id(0) == "req_2"
    assert requests.index(1, 0).data() == "Persona 001"
    requests.remove_ids(["req_2"])
    assert requests.rowCount() == 1
    pools = PoolRequestsModel(
        [{"id": "p1", "amount": 100, "status": "PENDING", "User": {"id": "u", "name": "Lucía"}}]
    )
    QAbstractItemModelTester(pools, FATAL)
    assert pools.index(0, 0).data() == "Lucía"
    assert pools.index(0, 3).data() == "Pending"
    outbox = OutboxModel(
        [
            {
                "seq": 3,
                "summary": "Edit · Offers: Bici",
                "state_label": "Conflict",
                "attempts": 1,
                "last_error": "changed on the server",
                "created_at": datetime(2025, 3, 1, tzinfo=UTC),
            },
            {
                "seq": 4,
                "summary": "New · Posts: Hola",
                "state_label": "Waiting",
                "attempts": 0,
                "last_error": "",
                "created_at": datetime(2025, 3, 2, tzinfo=UTC),
            },
        ]
    )
    QAbstractItemModelTester(outbox, FATAL)
    outbox.sort(4, Qt.SortOrder.DescendingOrder)
    assert outbox.record_id(0) == "4"
    states = SyncStatesModel(
        [
            {
                "entity": "offers",
                "entity_label": "Offers",
                "status_label": "Complete",
                "items": 15,
                "pages": 1,
                "last_complete_at": datetime(2025, 3, 1, tzinfo=UTC),
                "age": "just now",
            }
        ]
    )
    QAbstractItemModelTester(states, FATAL)
    assert states.index(0, 2).data() == "15"


def test_lazy_loading_counts_everything_and_fetches_page_by_page(qtbot, store: Store) -> None:
    store.upsert("offers", PROFILE, [offer(i) for i in range(450)])
    model = OffersModel(store, PROFILE, page_size=200)
    wait_loaded(qtbot, model)
    assert model.total == 450
    assert model.rowCount() == 200
    assert model.canFetchMore(QModelIndex())
    with qtbot.waitSignal(model.rowsInserted, timeout=10_000):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 400
    model.fetchMore(QModelIndex())
    wait_loaded(qtbot, model)
    assert model.rowCount() == 450
    assert not model.canFetchMore(QModelIndex())
    assert len(set(model.record_ids())) == 450


def test_sorting_and_filters_follow_the_store(qtbot, filled_store: Store) -> None:
    model = OffersModel(filled_store, PROFILE, page_size=500)
    wait_loaded(qtbot, model)
    title = model.column_index("title")
    model.sort(title, Qt.SortOrder.AscendingOrder)
    wait_loaded(qtbot, model)
    expected = [
        r.id
        for r in filled_store.query("offers", profile=PROFILE, sort=[("title", True)], limit=500)
    ]
    assert model.record_ids() == expected

    model.set_search("bicicleta")
    wait_loaded(qtbot, model)
    assert model.total == filled_store.count("offers", profile=PROFILE, search="bicicleta") == 6
    assert all("bicicleta" in model.index(r, title).data() for r in range(model.rowCount()))

    model.set_filter("type", "SERVICE")
    wait_loaded(qtbot, model)
    found = filled_store.query(
        "offers", profile=PROFILE, search="bicicleta", filters={"type": "SERVICE"}, limit=500
    )
    assert sorted(model.record_ids()) == sorted(r.id for r in found)

    model.set_search("")
    model.clear_filter("type")
    model.set_filter("community_id", ["c-gracia"])
    wait_loaded(qtbot, model)
    assert model.total == 20
    community = model.column_index("community_id")
    assert {model.index(r, community).data() for r in range(model.rowCount())} == {
        "Barcelona Gràcia"
    }

    start, end = (
        filled_store.query("offers", profile=PROFILE, sort=[("created_at", True)], limit=60)[
            10
        ].values["created_at"],
        None,
    )
    model.clear_filter("community_id")
    model.set_filter("created_at", Range(start, end))
    wait_loaded(qtbot, model)
    assert model.total == 50


def test_roles_and_offline_edit_markers(qtbot, filled_store: Store) -> None:
    record = offer(3) | {"title": "Editada sin conexión"}
    with filled_store.write() as conn:
        write_local(conn, "offers", PROFILE, record, change=LocalChange.UPDATED)
    model = OffersModel(filled_store, PROFILE)
    wait_loaded(qtbot, model)
    row = model.row_of("offer-00003")
    index = model.index(row, 0)
    assert index.data(Roles.RECORD_ID) == "offer-00003"
    assert index.data(Roles.RAW)["title"] == "Editada sin conexión"
    assert index.data(Roles.LOCAL_CHANGE) == LocalChange.UPDATED
    assert index.data(Qt.ItemDataRole.FontRole).italic()
    assert not index.data(Qt.ItemDataRole.DecorationRole).isNull()
    assert "waiting to be sent" in index.data(Qt.ItemDataRole.ToolTipRole)
    price = model.index(row, model.column_index("price_eur"))
    assert price.data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    other = model.index(model.row_of("offer-00004"), 0)
    assert other.data(Qt.ItemDataRole.FontRole) is None
    assert other.data(Qt.ItemDataRole.DisplayRole) == "Oferta número 4"

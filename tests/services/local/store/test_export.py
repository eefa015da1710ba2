"""Export of the current selection to CSV and JSON: same rows and order as the view,
streamed, atomic, and safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from viva_desktop.services.common.cancel import CancelledError, CancelToken
from viva_desktop.services.local.store import Store
from viva_desktop.services.local.store.entities import spec_for

from .test_queries import OFFERS


@pytest.fixture
def filled(store: Store) -> Store:
    store.upsert("offers", "demo", OFFERS)
    return store


SELECTION = {
    "profile": "demo",
    "filters": {"status": "ACTIVE", "type": ["SERVICE", "PRODUCT"]},
    "sort": [("price_credits", False), ("created_at", True)],
}


def test_csv_has_the_view_columns_in_view_order(filled: Store, tmp_path: Path) -> None:
    target = tmp_path / "out" / "offers.csv"
    count = filled.export("offers", target, format="csv", **SELECTION)
    view = filled.query("offers", limit=1000, **SELECTION)
    assert count == len(view) > 0
    text = target.read_text(encoding="utf-8-sig")  # with a BOM, so spreadsheets see UTF-8
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(spec_for("offers").export_columns)
    assert [r["id"] for r in rows] == [r.id for r in view]
    assert rows[0]["title"] == view[0]["title"]
    assert rows[0]["created_at"] == view[0]["created_at"].isoformat()
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")


def test_json_has_the_full_records_and_their_age(filled: Store, tmp_path: Path) -> None:
    target = tmp_path / "offers.json"
    count = filled.export("offers", target, format="json", search="oferta", **SELECTION)
    data = json.loads(target.read_text(encoding="utf-8"))
    view = filled.query("offers", search="oferta", limit=1000, **SELECTION)
    assert count == len(data) == len(view)
    assert [d["id"] for d in data] == [r.id for r in view]
    by_id = {o["id"]: o for o in OFFERS}
    first = data[0]
    assert first["description"] == by_id[first["id"]]["description"]
    assert first["User"]["name"] == by_id[first["id"]]["User"]["name"]
    assert first["_sync"]["profile"] == "demo"
    assert first["_sync"]["syncedAt"].startswith(str(view[0].synced_at.year))


def test_empty_selection_exports_valid_files(filled: Store, tmp_path: Path) -> None:
    assert filled.export("offers", tmp_path / "e.json", format="json", profile="none") == 0
    assert json.loads((tmp_path / "e.json").read_text()) == []
    assert filled.export("offers", tmp_path / "e.csv", profile="none", columns=["id"]) == 0
    assert (tmp_path / "e.csv").read_text(encoding="utf-8-sig").strip() == "id"


def test_export_to_a_stream_with_chosen_columns(filled: Store) -> None:
    stream = io.StringIO()
    filled.export("offers", stream, profile="demo", columns=["id", "title"], sort=[("id", True)])
    lines = stream.getvalue().splitlines()
    assert lines[0] == "id,title"
    assert lines[1] == "offer-0000,Oferta número 0"
    assert len(lines) == 241
    with pytest.raises(ValueError, match="no column"):
        filled.export("offers", io.StringIO(), profile="demo", columns=["raw"])


def test_spreadsheet_formulas_are_neutralised(store: Store) -> None:
    evil = dict(OFFERS[0], title='=HYPERLINK("http://x","click")', category="+cmd")
    store.upsert("offers", "demo", [evil])
    stream = io.StringIO()
    store.export("offers", stream, profile="demo", columns=["title", "category"])
    row = next(csv.DictReader(io.StringIO(stream.getvalue())))
    assert row["title"].startswith("'=")
    assert row["category"] == "'+cmd"


def test_large_exports_stream_report_progress_and_cancel_cleanly(
    store: Store, tmp_path: Path
) -> None:
    many = [dict(OFFERS[i % len(OFFERS)], id=f"bulk-{i:05d}") for i in range(5_000)]
    store.upsert("offers", "demo", many)
    seen: list[int] = []
    out = tmp_path / "exports"
    target = out / "all.csv"
    assert store.export("offers", target, profile="demo", progress=seen.append) == 5_000
    assert seen[-1] == 5_000
    assert len(seen) > 3  # reported while streaming, not once at the end
    before = target.read_bytes()

    cancel = CancelToken()

    def stop_early(done: int) -> None:
        if done >= 2_000:
            cancel.cancel()

    with pytest.raises(CancelledError):
        store.export(
            "offers", target, format="json", profile="demo", progress=stop_early, cancel=cancel
        )
    assert target.read_bytes() == before  # the old file is untouched
    assert sorted(p.name for p in out.iterdir()) == ["all.csv"]  # no partial leftovers

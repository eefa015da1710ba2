"""Opening, sorting and filtering a 100 000-row view through the real table model
(`PostsModel`, lazy pages read on the worker pool) and the real store (SQLite), shown in a
`QTableView` offscreen. Each operation is timed from the call to the rows painted in the
view: `loaded`, then a synchronous repaint of the viewport.

Baseline: the same store query done directly on the calling thread (`Store.count` and
`Store.query` for the first page, with the same search, filters and sort).

Sorting is measured on every visible column (a user can click any header) and the slowest
column is the figure; filtering covers the search box (full text), a facet and a date range,
slowest again. Target: each under 100 ms.

    python -m benchmarks.bench_browser_model [--rows 100000] [--store FILE] [--quick] [--json FILE]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shiboken6
from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QTableView

from benchmarks._common import Figure, below_target, finish, median, parser
from benchmarks._data import PROFILE, SEARCH_TERM, large_store
from viva_desktop.services.local.store import Range, Store
from viva_desktop.ui.common import worker
from viva_desktop.ui.models import PostsModel, ViewQuery

TARGET_MS = 100.0
PAGE = 200  # the models' default page
FILTERS: dict[str, ViewQuery] = {
    "search": ViewQuery().with_search(SEARCH_TERM),
    "facet": ViewQuery().with_filter("type", ("NEED",)),
    "date range": ViewQuery().with_filter(
        "created_at", Range(datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 3, 31, tzinfo=UTC))
    ),
}


def wait_loaded(model: PostsModel, action: Callable[[], None], timeout_s: float = 60) -> None:
    """Run `action` and spin the event loop until the model has loaded its answer."""
    loop = QEventLoop()
    model.loaded.connect(loop.quit)
    model.failed.connect(loop.quit)
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(loop.quit)
    guard.start(int(timeout_s * 1000))
    try:
        action()
        if model.loading:
            loop.exec()
    finally:
        model.loaded.disconnect(loop.quit)
        model.failed.disconnect(loop.quit)
        guard.stop()
    if model.last_error is not None:
        raise model.last_error
    if model.loading:
        raise TimeoutError(f"the model did not load within {timeout_s} s")


def timed(view: QTableView, model: PostsModel, action: Callable[[], None]) -> float:
    started = time.perf_counter()
    wait_loaded(model, action)
    view.viewport().repaint()
    return (time.perf_counter() - started) * 1000.0


def direct(store: Store, query: ViewQuery) -> float:
    """The baseline: the model's first read, done directly."""
    kwargs = query.store_kwargs()
    started = time.perf_counter()
    store.count("posts", profile=PROFILE, search=kwargs["search"], filters=kwargs["filters"])
    store.query("posts", profile=PROFILE, offset=0, limit=PAGE, **kwargs)
    return (time.perf_counter() - started) * 1000.0


def release(*objects: QObject) -> None:
    """Delete Qt objects now, while the application exists: left to the interpreter's final
    garbage collection, they would be destroyed after it, which crashes."""
    worker.shutdown(timeout_ms=10_000)
    for obj in objects:
        if shiboken6.isValid(obj):
            shiboken6.delete(obj)


def measure(store: Store, repeats: int, rows: int) -> list[Figure]:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    worker.configure_pool()
    view = QTableView()
    view.resize(1200, 700)
    view.show()

    # Opening: a new model on the view, to the first page painted.
    opened: list[float] = []
    models: list[PostsModel] = []

    def open_view() -> PostsModel:
        model = PostsModel(store, PROFILE, autoload=False)
        models.append(model)
        opened.append(timed(view, model, lambda: (view.setModel(model), model.reload())))
        return model

    for _ in range(repeats):
        model = open_view()
    assert model.total == rows, (model.total, rows)
    open_base = [direct(store, ViewQuery()) for _ in range(repeats)]

    # Sorting: every visible column, ascending, from the default order each time.
    sorts: dict[str, dict[str, float]] = {}
    for number, column in enumerate(model.COLUMNS):
        if not column.visible:
            continue
        ours, theirs = [], []
        for _ in range(repeats):
            ours.append(
                timed(view, model, lambda n=number: model.sort(n, Qt.SortOrder.AscendingOrder))
            )
            wait_loaded(model, lambda: model.sort(-1))
            theirs.append(direct(store, ViewQuery().with_sort(((column.key, True),))))
        sorts[column.key] = {"model_ms": median(ours), "direct_ms": median(theirs)}

    # Filtering: search box, a facet, a date range; back to everything in between.
    filters: dict[str, dict[str, Any]] = {}
    for name, query in FILTERS.items():
        ours, theirs = [], []
        for _ in range(repeats):
            ours.append(timed(view, model, lambda q=query: model.set_query(q)))
            matched = model.total
            wait_loaded(model, lambda: model.set_query(ViewQuery()))
            theirs.append(direct(store, query))
        filters[name] = {"model_ms": median(ours), "direct_ms": median(theirs), "rows": matched}

    view.close()
    release(view, *models)
    slowest_sort = max(sorts, key=lambda k: sorts[k]["model_ms"])
    slowest_filter = max(filters, key=lambda k: filters[k]["model_ms"])
    figures = [
        Figure(
            name=f"Open a {rows:,}-row view (first page shown)",
            value=median(opened),
            baseline=median(open_base),
            unit="ms",
            baseline_label="same store query, direct",
            details={"runs_ms": opened},
        ),
        Figure(
            name=f"Sort it, slowest column ({slowest_sort})",
            value=sorts[slowest_sort]["model_ms"],
            baseline=sorts[slowest_sort]["direct_ms"],
            unit="ms",
            baseline_label="same store query, direct",
            details={"columns": sorts},
        ),
        Figure(
            name=f"Filter it, slowest filter ({slowest_filter})",
            value=filters[slowest_filter]["model_ms"],
            baseline=filters[slowest_filter]["direct_ms"],
            unit="ms",
            baseline_label="same store query, direct",
            details={"filters": filters},
        ),
    ]
    return [below_target(f, TARGET_MS) for f in figures]


def main(argv: list[str] | None = None) -> int:
    cli = parser(__doc__.splitlines()[0])
    cli.add_argument("--rows", type=int, default=100_000, help="rows in the view (default 100000)")
    cli.add_argument("--repeats", type=int, default=5, help="runs of each operation (default 5)")
    cli.add_argument(
        "--store", type=Path, help="SQLite store to use (created when missing; shared by runs)"
    )
    args = cli.parse_args(argv)
    rows, repeats = (2_000, 1) if args.quick else (args.rows, max(1, args.repeats))
    with tempfile.TemporaryDirectory(prefix="viva-bench-view-") as tmp:
        path = args.store or Path(tmp) / f"posts-{rows}.sqlite3"
        store = large_store(path, rows)
        try:
            figures = measure(store, repeats, rows)
        finally:
            store.close()
    return finish("bench_browser_model", figures, args)


if __name__ == "__main__":
    sys.exit(main())

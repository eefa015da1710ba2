"""Memory used by 100 000 rows held by the real table model (`PostsModel`, every page fetched)
shown in a `QTableView`, against a bare list of 100 000 tuples of the same visible columns
read straight from the same store.

Each side runs in a fresh process (RSS never shrinks back, so one process could not measure
both), twice: once under tracemalloc for the Python heap, once without it for the resident
set size, whose delta also counts Qt's and SQLite's native memory.

    python -m benchmarks.bench_memory [--rows 100000] [--store FILE] [--quick] [--json FILE]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import tracemalloc
from pathlib import Path
from typing import Any

from benchmarks._common import PYTHON, ROOT, Figure, finish, parser

MB = 1024 * 1024


def rss() -> int:
    import psutil

    gc.collect()
    return psutil.Process().memory_info().rss


def load_model(store_path: Path) -> Any:
    """Everything needed to show the rows, already created when the measurement starts."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication, QTableView

    from benchmarks._data import PROFILE
    from viva_desktop.services.local.store import open_store
    from viva_desktop.ui.common import worker
    from viva_desktop.ui.models import PostsModel

    app = QApplication(sys.argv[:1])
    store = open_store(f"sqlite:///{store_path}", attempts=1, check="none")
    view = QTableView()
    view.resize(1200, 700)
    view.show()

    def spin_until(done: Any) -> None:
        loop = QEventLoop()
        poll = QTimer()
        poll.timeout.connect(lambda: loop.quit() if done() else None)
        poll.start(5)
        if not done():
            loop.exec()
        poll.stop()

    def measured() -> Any:
        model = PostsModel(store, PROFILE, page_size=5_000)
        view.setModel(model)
        spin_until(lambda: model.loaded_once)
        while model.rowCount() < model.total:
            if model.canFetchMore():
                model.fetchMore()
            spin_until(lambda: not model.fetching)
            if model.last_error is not None:
                raise model.last_error
        return model

    def cleanup(model: Any) -> None:
        import shiboken6

        worker.shutdown(timeout_ms=10_000)
        for obj in (view, model):
            shiboken6.delete(obj)
        store.close()
        app.processEvents()  # keeps the application alive until the widgets are gone

    return measured, cleanup


def load_tuples(store_path: Path) -> Any:
    import sqlalchemy as sa

    from benchmarks._data import PROFILE
    from viva_desktop.services.local.store import open_store, spec_for
    from viva_desktop.ui.models.columns import POST_COLUMNS

    store = open_store(f"sqlite:///{store_path}", attempts=1, check="none")
    table = spec_for("posts").table
    stmt = sa.select(*[table.c[c.key] for c in POST_COLUMNS]).where(table.c.profile == PROFILE)

    def measured() -> Any:
        with store.read() as conn:
            return [tuple(row) for row in conn.execute(stmt)]

    def cleanup(_data: Any) -> None:
        store.close()

    return measured, cleanup


def child(kind: str, store_path: Path, traced: bool) -> dict[str, Any]:
    measured, cleanup = (load_model if kind == "model" else load_tuples)(store_path)
    before = rss()
    if traced:
        tracemalloc.start()
    data = measured()
    gc.collect()
    result: dict[str, Any] = {"rows": len(data) if isinstance(data, list) else data.rowCount()}
    if traced:
        result["traced_bytes"] = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
    result["rss_bytes"] = rss() - before  # inflated by tracemalloc's own records when traced
    cleanup(data)
    return result


def run_child(kind: str, store_path: Path, traced: bool) -> dict[str, Any]:
    command = [PYTHON, "-m", "benchmarks.bench_memory", "--child", kind, "--store", str(store_path)]
    if traced:
        command.append("--traced")
    out = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode != 0 or not lines:
        raise RuntimeError(f"{kind} child failed ({out.returncode}):\n{out.stderr[-3000:]}")
    return json.loads(lines[-1])


def measure(store_path: Path, rows: int, *, quick: bool = False) -> list[Figure]:
    model_heap = run_child("model", store_path, True)
    tuples_heap = run_child("tuples", store_path, True)
    # Quick runs only check that the code works: one process per side, both numbers from it.
    model_rss = model_heap if quick else run_child("model", store_path, False)
    tuples_rss = tuples_heap if quick else run_child("tuples", store_path, False)
    assert model_heap["rows"] == tuples_heap["rows"] == rows, (model_heap, tuples_heap)
    return [
        Figure(
            name=f"Memory of {rows:,} rows in the model + view (Python heap)",
            value=model_heap["traced_bytes"] / MB,
            baseline=tuples_heap["traced_bytes"] / MB,
            unit="MB",
            baseline_label="bare list of tuples",
            details={"bytes_per_row": model_heap["traced_bytes"] / rows},
        ),
        Figure(
            name=f"Memory of {rows:,} rows in the model + view (RSS delta)",
            value=model_rss["rss_bytes"] / MB,
            baseline=tuples_rss["rss_bytes"] / MB,
            unit="MB",
            baseline_label="bare list of tuples",
            details={"bytes_per_row": model_rss["rss_bytes"] / rows},
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    cli = parser(__doc__.splitlines()[0])
    cli.add_argument("--rows", type=int, default=100_000, help="rows to hold (default 100000)")
    cli.add_argument(
        "--store", type=Path, help="SQLite store to use (created when missing; shared by runs)"
    )
    cli.add_argument("--child", choices=["model", "tuples"], help=argparse.SUPPRESS)
    cli.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = cli.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.store, args.traced)), flush=True)
        return 0
    rows = 2_000 if args.quick else args.rows
    with tempfile.TemporaryDirectory(prefix="viva-bench-memory-") as tmp:
        path = args.store or Path(tmp) / f"posts-{rows}.sqlite3"
        from benchmarks._data import large_store

        large_store(path, rows).close()
        figures = measure(path, rows, quick=args.quick)
    return finish("bench_memory", figures, args)


if __name__ == "__main__":
    sys.exit(main())

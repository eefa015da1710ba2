"""An activity report over a store of 100 000 posts: every figure of this period and of the
previous one, for all communities and for one (its members' posts), counted by the real
report service (`build_report`) on a real SQLite store. Drawing the PDF of the report (charts
included, offscreen) is timed too, for information.

Baseline: counting the posts of the two periods directly (`Store.count` with the date range),
the least any report over those posts has to do. Target: the report under 2 s.

    python -m benchmarks.bench_report [--rows 100000] [--store FILE] [--quick] [--json FILE]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks._common import Figure, below_target, finish, median, parser
from benchmarks._data import PROFILE, large_store
from viva_desktop.services.local.store import Range, Store
from viva_desktop.services.reports import Period, build_report, find_community

TARGET_S = 2.0
COMMUNITIES = 5
PERIOD = Period(date(2025, 1, 1), date(2025, 12, 31))  # the data spans 2024 and 2025


def add_communities(store: Store) -> None:
    """Five communities, and the posts' authors as their members (the report of one
    community counts its members' posts)."""
    authors = [value for value, _n in store.facets("posts", "author_id", profile=PROFILE)]
    communities = [
        {"id": f"bench-c{n}", "name": f"Comunidad {n}", "slug": f"comunidad-{n}"}
        for n in range(COMMUNITIES)
    ]
    store.upsert("communities", PROFILE, communities)
    users = [
        {"id": author, "name": f"Persona {i}", "communityId": f"bench-c{i % COMMUNITIES}"}
        for i, author in enumerate(authors)
        if author
    ]
    store.upsert("users", PROFILE, users)


def seconds(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def measure(store: Store, repeats: int, rows: int) -> list[Figure]:
    one = find_community(store, PROFILE, "Comunidad 0")
    previous = PERIOD.previous()

    def baseline() -> None:
        for period in (PERIOD, previous):
            start, end = period.bounds()
            store.count("posts", profile=PROFILE, filters={"created_at": Range(start, end)})

    base = median(seconds(baseline) for _ in range(repeats))
    every = median(
        seconds(lambda: build_report(store, PROFILE, None, None, PERIOD)) for _ in range(repeats)
    )
    single = median(
        seconds(lambda: build_report(store, PROFILE, None, one, PERIOD)) for _ in range(repeats)
    )
    report = build_report(store, PROFILE, None, None, PERIOD)
    # The report counts what the direct count counts (a shared store may hold a few more
    # posts than `rows`, or posts outside the two periods).
    direct = sum(
        store.count("posts", profile=PROFILE, filters={"created_at": Range(*period.bounds())})
        for period in (PERIOD, previous)
    )
    assert report.figure("posts").current + report.figure("posts").previous == direct

    from PySide6.QtWidgets import QApplication

    from viva_desktop.rendering.files import pdf_bytes

    app = QApplication.instance() or QApplication(sys.argv[:1])
    pdf = median(seconds(lambda: pdf_bytes(report)) for _ in range(repeats))
    del app
    label = f"{rows:,} posts"
    return [
        below_target(
            Figure(
                f"Activity report over {label}, all communities (two periods)",
                every,
                base,
                "s",
                "count of the two periods' posts, direct",
            ),
            TARGET_S,
        ),
        below_target(
            Figure(
                f"Activity report over {label}, one community (its members' posts)",
                single,
                base,
                "s",
                "count of the two periods' posts, direct",
            ),
            TARGET_S,
        ),
        Figure("Report PDF drawn (charts, A4 pages)", pdf, None, "s", "—"),
    ]


def main(argv: list[str] | None = None) -> int:
    cli = parser(__doc__.splitlines()[0])
    cli.add_argument("--rows", type=int, default=100_000, help="posts in the store")
    cli.add_argument("--repeats", type=int, default=5, help="runs of each measure (default 5)")
    cli.add_argument("--store", type=Path, help="SQLite store to use (created when missing)")
    args = cli.parse_args(argv)
    rows, repeats = (2_000, 1) if args.quick else (args.rows, max(1, args.repeats))
    with tempfile.TemporaryDirectory(prefix="viva-bench-report-") as tmp:
        path = args.store or Path(tmp) / f"posts-{rows}.sqlite3"
        store = large_store(path, rows)
        try:
            add_communities(store)
            figures = measure(store, repeats, rows)
        finally:
            store.close()
    return finish("bench_report", figures, args)


if __name__ == "__main__":
    sys.exit(main())

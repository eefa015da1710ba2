"""Sync throughput against a raw baseline measured in the same run, and local search latency.

    .venv/bin/python benchmarks/bench_sync.py [--posts N] [--page-size N] [--store-url URL] [--json]

A sandbox with about N posts runs in its own process, as a real server would. Then, on the
same server and the same kind of database:

- baseline: plain httpx page requests plus SQLAlchemy Core bulk inserts into a table with the
  store's schema (same columns, indexes and full-text index), sequentially, the naive way;
- sync: `SyncEngine` pulling posts into a fresh store (typed models, secret scrubbing, column
  extraction, upserts, one transaction per page with its resume marker, page prefetch).

It prints records per second for both and their ratio (target: sync time within 1.25x of the
baseline), then the median time of full-text queries over the synced posts (target < 20 ms),
and the median count time for the same searches. Timings, not assertions: nothing here fails.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._common import SandboxProcess  # noqa: E402
from viva_desktop.services.local.store import open_store  # noqa: E402
from viva_desktop.services.local.store.models import Post  # noqa: E402
from viva_desktop.services.local.sync import SyncEngine  # noqa: E402
from viva_desktop.services.remote.api import Api, ApiClient  # noqa: E402

SEARCHES = ("huerto", "bici", "taller comunitario", "vecinos", "xyzzy")
REPEATS = 9


CREATED_DATABASES: list[str] = []


def store_url_for(base: str | None, workdir: Path, name: str) -> str:
    if base is None:
        return f"sqlite:///{workdir / (name + '.sqlite3')}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    database = f"viva_bench_{name}_{int(time.time())}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{database}"'))
    admin.dispose()
    CREATED_DATABASES.append(database)
    return base.rsplit("/", 1)[0] + "/" + database


def drop_databases(base: str | None) -> None:
    if base is None or not CREATED_DATABASES:
        return
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for database in CREATED_DATABASES:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
    admin.dispose()


def baseline(url: str, store_url: str, page_size: int) -> tuple[int, float]:
    """httpx pages plus Core bulk inserts into a table with the store's schema."""
    store = open_store(store_url)  # same DDL as the real store: columns, indexes, FTS
    table = Post.__table__
    engine = store.engine
    count = 0
    started = time.perf_counter()
    # Same wire format as the client's on loopback: plain JSON, no gzip (`wants_compression`).
    plain = {"Accept-Encoding": "identity"}
    with httpx.Client(base_url=url, timeout=60, headers=plain) as http:
        offset = 0
        while True:
            page = http.get("/posts", params={"limit": page_size, "offset": offset}).json()
            now = datetime.now(UTC)
            rows = [
                {
                    "profile": "bench",
                    "id": p["id"],
                    "author_id": p.get("authorId"),
                    "author_name": (p.get("User") or {}).get("name"),
                    "type": p.get("type"),
                    "visibility": p.get("visibility"),
                    "excerpt": (p.get("content") or "")[:300],
                    "comments_count": p.get("commentsCount"),
                    "created_at": datetime.fromisoformat(p["createdAt"].replace("Z", "+00:00")),
                    "updated_at": datetime.fromisoformat(p["updatedAt"].replace("Z", "+00:00")),
                    "edited_at": None,
                    "search_text": (p.get("content") or "").lower(),
                    "raw": p,
                    "synced_at": now,
                }
                for p in page
            ]
            if rows:
                with engine.begin() as conn:
                    conn.execute(sa.insert(table), rows)
            count += len(rows)
            offset += len(page)
            if len(page) < page_size:
                break
    elapsed = time.perf_counter() - started
    store.close()
    return count, elapsed


def engine_sync(url: str, store_url: str, page_size: int) -> tuple[int, float, Any]:
    store = open_store(store_url)
    api = Api(ApiClient(url, timeout=60))
    started = time.perf_counter()
    report = SyncEngine(api, store, "bench", page_size=page_size).run(["posts"])
    elapsed = time.perf_counter() - started
    api.close()
    return report.results["posts"].items, elapsed, store


def search_timings(store: Any) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for term in SEARCHES:
        query_ms: list[float] = []
        count_ms: list[float] = []
        hits = 0
        for _ in range(REPEATS):
            t = time.perf_counter()
            store.query("posts", profile="bench", search=term, limit=100)
            query_ms.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            hits = store.count("posts", profile="bench", search=term)
            count_ms.append((time.perf_counter() - t) * 1000)
        out[term] = {
            "hits": hits,
            "query_ms": statistics.median(query_ms),
            "count_ms": statistics.median(count_ms),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=100_000, help="posts in the sandbox")
    parser.add_argument("--page-size", type=int, default=500)
    parser.add_argument(
        "--store-url", help="a PostgreSQL server URL to bench on instead of SQLite files"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="alternate baseline and sync this many times and compare the medians "
        "(steadier on a busy machine)",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON too")
    args = parser.parse_args(argv)

    base_times: list[float] = []
    sync_times: list[float] = []
    with tempfile.TemporaryDirectory(prefix="viva-bench-") as tmp:
        workdir = Path(tmp)
        started = time.perf_counter()
        sandbox = SandboxProcess(
            "--scale", str(args.posts), "--db", str(workdir / "server.sqlite3")
        )
        with sandbox as server:
            url = server.url
            seeding = time.perf_counter() - started
            try:
                store = None
                for round_ in range(max(1, args.rounds)):
                    if store is not None:
                        store.close()
                    raw_url = store_url_for(args.store_url, workdir, f"raw{round_}")
                    base_n, base_s = baseline(url, raw_url, args.page_size)
                    base_times.append(base_s)
                    sync_url = store_url_for(args.store_url, workdir, f"sync{round_}")
                    sync_n, sync_s, store = engine_sync(url, sync_url, args.page_size)
                    sync_times.append(sync_s)
                assert store is not None
                try:
                    searches = search_timings(store)
                    backend = store.backend
                finally:
                    store.close()
            finally:
                drop_databases(args.store_url)

    base_s = statistics.median(base_times)
    sync_s = statistics.median(sync_times)
    ratio = sync_s / base_s if base_s else float("inf")
    query_median = statistics.median(s["query_ms"] for s in searches.values())
    result = {
        "benchmark": "sync",
        "backend": backend,
        "posts": sync_n,
        "page_size": args.page_size,
        "sandbox_start_s": round(seeding, 2),
        "baseline": {
            "records": base_n,
            "seconds": round(base_s, 3),
            "per_s": round(base_n / base_s),
        },
        "sync": {"records": sync_n, "seconds": round(sync_s, 3), "per_s": round(sync_n / sync_s)},
        "ratio": round(ratio, 3),
        "rounds": [round(sy / ba, 3) for ba, sy in zip(base_times, sync_times, strict=True)],
        "ratio_target": 1.25,
        "search": {k: {m: round(v, 2) for m, v in s.items()} for k, s in searches.items()},
        "search_query_median_ms": round(query_median, 2),
        "search_target_ms": 20,
    }
    print(f"sync benchmark on {backend}, {sync_n} posts, pages of {args.page_size}")
    print(f"  {'':24}{'records':>10}{'seconds':>10}{'records/s':>12}")
    print(f"  {'raw baseline':24}{base_n:>10}{base_s:>10.2f}{base_n / base_s:>12.0f}")
    print(f"  {'SyncEngine':24}{sync_n:>10}{sync_s:>10.2f}{sync_n / sync_s:>12.0f}")
    rounds = ", ".join(f"{sy / ba:.2f}" for ba, sy in zip(base_times, sync_times, strict=True))
    print(f"  ratio sync/baseline: {ratio:.2f}x (target <= 1.25x); per round: {rounds}")
    print(f"  {'search':24}{'hits':>10}{'query ms':>10}{'count ms':>12}")
    for term, s in searches.items():
        print(f"  {term!r:24}{s['hits']:>10.0f}{s['query_ms']:>10.2f}{s['count_ms']:>12.2f}")
    print(f"  median full-text query: {query_median:.2f} ms (target < 20 ms)")
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""A sync that keeps to the server's rate limits: how close it comes to the least time the
budget allows, what pacing costs on a server that never refuses, and how many requests a full
sync makes against the fewest its page sizes allow.

- **Enforced limits**: a full sync (pages of `--page-size`) against a sandbox that enforces
  its limits with windows of `--window-ms`, with enough data to need several windows on one
  route. Baseline: the least time the budget allows for the requests it made — per route,
  one window for every full budget after the first (the routes' budgets are separate, so the
  slowest route sets it), and never less than the same sync's work against a server that
  does not limit. Target: within 1.1×.
- **Pacing on a never-refusing server**: the same sync with pacing on, against pacing off.
- **Requests per entity**: list requests of a full sync, against the fewest the page sizes
  allow (one per page; one per list for the unpaged ones).

    python -m benchmarks.bench_rate_limits [--scale 400] [--page-size 20] [--window-ms 10000]
                                           [--quick] [--json FILE]

The sandbox runs in its own process, as a real server would.
"""

from __future__ import annotations

import math
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks._common import Figure, SandboxProcess, finish, parser, ratio_target
from viva_desktop.sandbox.seed import ADMIN_EMAIL, DEMO_PASSWORD
from viva_desktop.services.local.store import open_store
from viva_desktop.services.local.sync import SOURCES, SyncEngine
from viva_desktop.services.remote.api import Api, ApiClient, Pacer, RequestEvent
from viva_desktop.services.remote.api.pacing import route_key
from viva_desktop.services.remote.session import Session
from viva_desktop.services.remote.vault import MemoryVault

STRICT_LIMIT = 10  # the `strict` throttler: 10 per window on every route (contract §3.7)
PAGED = {"events": "/events", "posts": "/posts", "credit_transactions": "/credits/transactions"}


def timed_sync(url: str, page_size: int, *, pacing: bool) -> dict[str, Any]:
    """One full sync into a fresh store: seconds, requests by route, records by entity."""
    events: list[RequestEvent] = []
    client = ApiClient(url, timeout=30.0, pacer=Pacer(enabled=pacing))
    api = Api(client)
    Session("bench", api, MemoryVault()).login(ADMIN_EMAIL, DEMO_PASSWORD)
    client.add_listener(events.append)
    with tempfile.TemporaryDirectory(prefix="viva-bench-rate-") as tmp:
        store = open_store(f"sqlite:///{Path(tmp) / 'store.sqlite3'}", attempts=1)
        engine = SyncEngine(
            api, store, "bench", page_size=page_size, hold_waits_up_to=math.inf,
            pace_inline_up_to=0.05,
        )  # fmt: skip
        started = time.perf_counter()
        report = engine.run(full=True)
        seconds = time.perf_counter() - started
        records = {e: store.data_age(e, "bench").count for e in SOURCES}
        store.close()
    client.close()
    sent = [e for e in events if e.status is not None]
    return {
        "seconds": seconds,
        "ok": report.ok,
        "routes": Counter(route_key(e.method, e.path) for e in sent),
        "refused": sum(1 for e in sent if e.status == 429),
        "records": records,
        "requests": len(sent),
    }


def least_time(routes: Counter[str], window_s: float) -> float:
    """The least time the budgets allow: per route, a window for every full budget after the
    first; the slowest route sets it."""
    worst = 0.0
    for count in routes.values():
        worst = max(worst, (math.ceil(count / STRICT_LIMIT) - 1) * window_s)
    return worst


def fewest_requests(records: dict[str, int], page_size: int) -> dict[str, int]:
    fewest = {}
    for entity in SOURCES:
        if entity in PAGED:
            fewest[entity] = max(1, math.ceil(records[entity] / page_size))
        else:
            fewest[entity] = 2 if entity == "communities" else 1  # public, then private
    return fewest


def list_requests(routes: Counter[str]) -> dict[str, int]:
    paths = {
        "communities": "GET /communities",
        "offers": "GET /offers",
        "events": "GET /events",
        "posts": "GET /posts",
        "credit_transactions": "GET /credits/transactions",
        "moderation_cases": "GET /consensus/moderation/pending",
    }
    return {entity: routes.get(route, 0) for entity, route in paths.items()}


def main(argv: list[str] | None = None) -> int:
    cli = parser(__doc__.split("\n\n")[0])
    cli.add_argument("--scale", type=int, default=400)
    cli.add_argument("--page-size", type=int, default=20)
    cli.add_argument("--window-ms", type=int, default=10_000)
    args = cli.parse_args(argv)
    if args.quick:
        args.scale, args.page_size, args.window_ms = 15, 5, 400
    window_s = args.window_ms / 1000
    scale = ["--scale", str(args.scale), "--rate-window-ms", str(args.window_ms)]
    with SandboxProcess(*scale) as free:
        work = timed_sync(free.url, args.page_size, pacing=False)
    with SandboxProcess("--enforce-rate-limits", *scale) as enforcing:
        enforced = timed_sync(enforcing.url, args.page_size, pacing=True)
    with SandboxProcess(*scale) as free:
        paced = timed_sync(free.url, args.page_size, pacing=True)
    least = max(least_time(enforced["routes"], window_s), work["seconds"])
    figures = [
        ratio_target(
            Figure(
                name=f"Full sync through enforced limits ({args.window_ms} ms windows, "
                f"pages of {args.page_size})",
                value=enforced["seconds"],
                baseline=least,
                unit="s",
                baseline_label="least time the budget allows",
                details={
                    "complete": enforced["ok"],
                    "requests": enforced["requests"],
                    "refused_429": enforced["refused"],
                    "busiest_route": enforced["routes"].most_common(1),
                    "unlimited_work_s": work["seconds"],
                },
            ),
            1.1,
        ),
        Figure(
            name="Same sync, never-refusing server: pacing on",
            value=paced["seconds"],
            baseline=work["seconds"],
            unit="s",
            baseline_label="pacing off",
            details={"requests_on": paced["requests"], "requests_off": work["requests"]},
        ),
    ]
    made = list_requests(enforced["routes"])
    fewest = fewest_requests(enforced["records"], args.page_size)
    figures.append(
        Figure(
            name=f"List requests of a full sync (pages of {args.page_size})",
            value=float(sum(made.values())),
            baseline=float(sum(fewest.values())),
            unit="requests",
            baseline_label="fewest for the page sizes",
            details={"made": made, "fewest": fewest, "all_requests": enforced["requests"]},
        )
    )
    return finish("bench_rate_limits", figures, args)


if __name__ == "__main__":
    sys.exit(main())

"""API client overhead per request: `ApiClient.get` against a raw `httpx.Client.get` (plus
`.json()`, which any caller needs to use the answer) to the same URL of the same sandbox on
loopback, in interleaved batches; median time per request.

The sandbox runs in its own process. The figure uses `/health`, the cheapest route, so the
server's share is as small as it gets and the client's overhead (request id, retry policy,
cancellation, rate-limit headers, typed errors, listeners) shows most; `/communities` (a real
list) is reported in the details.

    python -m benchmarks.bench_api_client [--rounds 40] [--batch 25] [--quick] [--json FILE]
"""

from __future__ import annotations

import sys
import time

import httpx

from benchmarks._common import Figure, SandboxProcess, finish, median, parser, ratio_target
from viva_desktop.services.remote.api import ApiClient
from viva_desktop.services.remote.api.client import DEFAULT_USER_AGENT

TARGET_RATIO = 1.1


def timed_batch(call, path: str, size: int, samples: list[float]) -> None:
    for _ in range(size):
        started = time.perf_counter_ns()
        call(path)
        samples.append((time.perf_counter_ns() - started) / 1e3)


def compare(url: str, path: str, rounds: int, batch: int) -> tuple[list[float], list[float]]:
    """(client µs samples, raw µs samples), measured in alternating batches."""
    # The same request headers as the client sends to a loopback server (no gzip asked).
    headers = {
        "User-Agent": DEFAULT_USER_AGENT,
        "Accept": "application/json",
        "Accept-Encoding": "identity",
    }
    with ApiClient(url) as client, httpx.Client(base_url=url, headers=headers) as raw:

        def via_client(target: str) -> object:
            return client.get(target, authenticated=False).data

        def via_httpx(target: str) -> object:
            response = raw.get(target)
            response.raise_for_status()
            return response.json()

        for warm in (via_client, via_httpx):  # connections, imports, server caches
            timed_batch(warm, path, 20, [])
        ours: list[float] = []
        theirs: list[float] = []
        for index in range(rounds):
            pair = ((via_client, ours), (via_httpx, theirs))
            for call, samples in pair if index % 2 == 0 else reversed(pair):
                timed_batch(call, path, batch, samples)
    return ours, theirs


def main(argv: list[str] | None = None) -> int:
    cli = parser(__doc__.splitlines()[0])
    cli.add_argument("--rounds", type=int, default=40, help="alternating batches (default 40)")
    cli.add_argument("--batch", type=int, default=25, help="requests per batch (default 25)")
    args = cli.parse_args(argv)
    rounds, batch = (2, 5) if args.quick else (max(2, args.rounds), max(1, args.batch))
    with SandboxProcess() as server:
        health = compare(server.url, "/health", rounds, batch)
        listing = compare(server.url, "/communities", max(2, rounds // 2), batch)
    ours, theirs = health
    figure = Figure(
        name="API client overhead per request (GET /health, loopback)",
        value=median(ours),
        baseline=median(theirs),
        unit="µs",
        baseline_label="raw httpx.Client.get + .json()",
        details={
            "requests_each": len(ours),
            "communities_client_us": median(listing[0]),
            "communities_httpx_us": median(listing[1]),
            "communities_ratio": median(listing[0]) / median(listing[1]),
        },
    )
    return finish("bench_api_client", [ratio_target(figure, TARGET_RATIO)], args)


if __name__ == "__main__":
    sys.exit(main())

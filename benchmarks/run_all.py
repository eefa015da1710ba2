"""Run every benchmark, each in its own process, and print one table; write
`benchmarks/results.md` (the README copies its table) and `benchmarks/results.json`.

    python -m benchmarks.run_all              # the full run (`scripts/bench.sh`, `make bench`)
    python -m benchmarks.run_all --quick      # tiny sizes, results in a temporary folder
    python -m benchmarks.run_all --only startup,api_client

A benchmark that fails to run is reported as such and the others still run; the exit status
is 1 then. Missed targets are reported in the table, not turned into a failure.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks._common import (
    PYTHON,
    ROOT,
    Figure,
    below_target,
    environment,
    format_table,
    markdown_table,
    ratio_target,
)

RESULTS_DIR = ROOT / "benchmarks"


@dataclass(frozen=True)
class Benchmark:
    key: str
    command: Callable[[argparse.Namespace, Path], list[str]]
    timeout_s: int
    reader: Callable[[subprocess.CompletedProcess[str], Path], list[Figure]] | None = None


def module(name: str, *extra: str) -> Callable[[argparse.Namespace, Path], list[str]]:
    """A benchmark of ours: `python -m benchmarks.<name> [--quick] --json <file> ...`."""

    def command(args: argparse.Namespace, out: Path) -> list[str]:
        line = [PYTHON, "-m", f"benchmarks.{name}", "--json", str(out / f"{name}.json")]
        if args.quick:
            line.append("--quick")
        return line + [part.format(work=out) for part in extra]

    return command


def own_figures(_result: subprocess.CompletedProcess[str], json_file: Path) -> list[Figure]:
    payload = json.loads(json_file.read_text(encoding="utf-8"))
    return [Figure.from_dict(item) for item in payload["figures"]]


def sync_command(args: argparse.Namespace, _out: Path) -> list[str]:
    posts = "300" if args.quick else str(args.sync_posts)
    line = [PYTHON, str(ROOT / "benchmarks" / "bench_sync.py"), "--posts", posts, "--json"]
    return [*line, "--rounds", "1" if args.quick else str(args.sync_rounds)]


def sync_figures(result: subprocess.CompletedProcess[str], _json: Path) -> list[Figure]:
    """`bench_sync.py --json` (the store's benchmark) prints its JSON as the last line."""
    data: dict[str, Any] = json.loads(
        next(line for line in reversed(result.stdout.splitlines()) if line.startswith("{"))
    )
    posts = data["posts"]
    throughput = Figure(
        name=f"Sync of {posts:,} posts into the store ({data['backend']})",
        value=data["sync"]["seconds"],
        baseline=data["baseline"]["seconds"],
        unit="s",
        baseline_label="raw httpx pages + Core bulk insert",
        details={
            "sync_records_per_s": data["sync"]["per_s"],
            "baseline_records_per_s": data["baseline"]["per_s"],
            "rounds": data.get("rounds"),
        },
    )
    search = Figure(
        name=f"Full-text query over {posts:,} posts (median)",
        value=data["search_query_median_ms"],
        baseline=None,
        unit="ms",
        baseline_label="",
        details={"searches": data.get("search")},
    )
    return [
        ratio_target(throughput, float(data.get("ratio_target", 1.25))),
        below_target(search, float(data.get("search_target_ms", 20))),
    ]


BENCHMARKS = [
    Benchmark("startup", module("bench_startup"), 600, own_figures),
    Benchmark("api_client", module("bench_api_client"), 600, own_figures),
    Benchmark("sync", sync_command, 1800, sync_figures),
    Benchmark("gui_lag", module("bench_gui_lag"), 1200, own_figures),
    Benchmark("fleet", module("bench_fleet"), 1200, own_figures),
    Benchmark("rate_limits", module("bench_rate_limits"), 1800, own_figures),
    Benchmark(
        "browser_model",
        module("bench_browser_model", "--store", "{work}/posts.sqlite3"),
        1200,
        own_figures,
    ),
    Benchmark(
        "memory", module("bench_memory", "--store", "{work}/posts.sqlite3"), 1200, own_figures
    ),
    Benchmark(
        "report", module("bench_report", "--store", "{work}/posts.sqlite3"), 1200, own_figures
    ),
    Benchmark("bundle", module("bench_bundle"), 1800, own_figures),
]


def run(bench: Benchmark, args: argparse.Namespace, out: Path) -> tuple[list[Figure], str | None]:
    command = bench.command(args, out)
    if bench.key == "bundle" and args.build_bundle:
        command.append("--build")
    if bench.key == "bundle" and args.bundle is not None:
        command += ["--bundle", str(args.bundle)]
    print(f"==> {bench.key}: {' '.join(command[1:])}", flush=True)
    started = time.perf_counter()
    try:
        result = subprocess.run(
            command,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=bench.timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return [], f"timed out after {bench.timeout_s} s"
    print(result.stdout.rstrip(), flush=True)
    print(f"    ({time.perf_counter() - started:.0f} s)", flush=True)
    crash = None
    if result.returncode != 0:
        lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
        first = next((ln for ln in lines if "error" in ln.lower()), lines[-1] if lines else "")
        crash = f"exit {result.returncode}: {first.strip()}"
    try:
        assert bench.reader is not None
        figures = bench.reader(result, out / f"bench_{bench.key}.json")
    except (ValueError, KeyError, StopIteration, OSError) as exc:
        return [], crash or f"unreadable results: {type(exc).__name__}: {exc}"
    # Figures written before a crash (at exit, say) are kept, and the crash is reported too.
    return figures, (f"{crash} (after writing its figures)" if crash else None)


def write_results(
    folder: Path, figures: list[Figure], errors: dict[str, str], env: dict[str, Any]
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    payload = {
        "environment": env,
        "figures": [f.to_dict() for f in figures],
        "errors": errors,
    }
    (folder / "results.json").write_text(
        json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8"
    )
    lines = [
        "# Benchmark results",
        "",
        "Produced by `scripts/bench.sh` (`make bench`); every baseline was measured in the same "
        "run on the same machine. Targets are from issue 7; a missed target is reported, not "
        "hidden.",
        "",
        f"Measured {env['when']} on {env['cpu']} ({env['cpus']} CPUs), {env['platform']}, "
        f"Python {env['python']}, PySide6 {env.get('pyside6', '?')}; load average "
        f"{' / '.join(map(str, env['load_average']))} when the run started.",
        "",
        markdown_table(figures),
        "",
    ]
    if errors:
        lines += ["Benchmarks that failed or crashed:", ""]
        lines += [f"- `{key}`: {message}" for key, message in errors.items()]
        lines.append("")
    (folder / "results.md").write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("--quick", action="store_true", help="tiny sizes (results not kept)")
    cli.add_argument("--only", help="comma-separated keys: " + ", ".join(b.key for b in BENCHMARKS))
    cli.add_argument("--out", type=Path, help="where results.md/json go (default benchmarks/)")
    cli.add_argument("--sync-posts", type=int, default=100_000, help="posts for bench_sync")
    cli.add_argument("--sync-rounds", type=int, default=1, help="rounds of bench_sync")
    cli.add_argument("--bundle", type=Path, help="bundle folder (default dist/viva-desktop)")
    cli.add_argument(
        "--build-bundle", action="store_true", help="build the bundle first and time the build"
    )
    args = cli.parse_args(argv)
    chosen = set(args.only.split(",")) if args.only else {b.key for b in BENCHMARKS}
    unknown = chosen - {b.key for b in BENCHMARKS}
    if unknown:
        cli.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    figures: list[Figure] = []
    errors: dict[str, str] = {}
    env = environment()
    with tempfile.TemporaryDirectory(prefix="viva-bench-run-") as tmp:
        work = Path(tmp)
        for bench in BENCHMARKS:
            if bench.key not in chosen:
                continue
            produced, error = run(bench, args, work)
            figures += produced
            if error is not None:
                errors[bench.key] = error
                print(f"    {bench.key} FAILED: {error}", file=sys.stderr, flush=True)
    print()
    print(format_table(figures))
    for key, message in errors.items():
        print(f"{key}: {message}")
    out = args.out or (None if args.quick else RESULTS_DIR)
    if out is not None:
        write_results(out, figures, errors, env)
        print(f"\nwrote {out / 'results.md'} and {out / 'results.json'}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

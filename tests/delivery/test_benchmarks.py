"""Every benchmark still runs: each script with tiny sizes (`--quick`) produces its figures as
JSON, and the runner turns them into the results table. No timing is asserted here: the
figures themselves belong to `scripts/bench.sh`, not to the test suite."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT, Bundle

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

OWN = [
    "bench_startup",
    "bench_api_client",
    "bench_gui_lag",
    "bench_browser_model",
    "bench_memory",
    "bench_report",
]


def run(*command: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    return result


def check_figures(payload: dict[str, Any], script: str) -> list[dict[str, Any]]:
    assert payload["script"] == script
    assert payload["quick"] is True
    assert payload["environment"]["python"]
    figures = payload["figures"]
    assert figures
    for figure in figures:
        assert figure["name"]
        assert figure["unit"]
        assert math.isfinite(figure["value"])
        assert figure["value"] >= 0
        if figure["baseline"] is not None:
            assert figure["baseline"] > 0, figure
            assert figure["ratio"] == pytest.approx(figure["value"] / figure["baseline"])
        assert figure["passed"] in (True, False, None)
    return figures


@pytest.mark.parametrize("script", OWN)
def test_benchmark_runs_quick_and_writes_its_figures(script: str, tmp_path: Path) -> None:
    out = tmp_path / f"{script}.json"
    result = run("-m", f"benchmarks.{script}", "--quick", "--json", str(out))
    figures = check_figures(json.loads(out.read_text(encoding="utf-8")), script)
    for figure in figures:
        assert figure["name"] in result.stdout  # the table printed on the terminal


def test_sync_benchmark_runs_small_and_prints_its_json() -> None:
    """`bench_sync.py` belongs to the store; the runner reads its last JSON line."""
    result = run(str(ROOT / "benchmarks" / "bench_sync.py"), "--posts", "300", "--json")
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert data["sync"]["records"] > 0
    assert data["baseline"]["records"] > 0
    assert data["search_query_median_ms"] >= 0


@pytest.mark.bundle
def test_bundle_benchmark_measures_the_bundle(bundle: Bundle, tmp_path: Path) -> None:
    out = tmp_path / "bench_bundle.json"
    run(
        "-m",
        "benchmarks.bench_bundle",
        "--quick",
        "--bundle",
        str(bundle.folder),
        "--json",
        str(out),
    )
    figures = check_figures(json.loads(out.read_text(encoding="utf-8")), "bench_bundle")
    names = [f["name"] for f in figures]
    assert any("size" in n for n in names)
    assert any("start" in n for n in names)


def test_runner_writes_the_results_table(tmp_path: Path) -> None:
    result = run(
        "-m", "benchmarks.run_all", "--quick", "--only", "api_client", "--out", str(tmp_path)
    )
    table = (tmp_path / "results.md").read_text(encoding="utf-8")
    assert "| Benchmark | Value | Baseline (same run) | Ratio | Target | Result |" in table
    assert "| API client overhead per request" in table
    data = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert data["errors"] == {}
    assert [f["name"] for f in data["figures"]] == [
        "API client overhead per request (GET /health, loopback)"
    ]
    assert "API client overhead per request" in result.stdout

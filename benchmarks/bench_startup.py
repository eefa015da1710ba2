"""Cold start to a shown main window: Viva Desktop (`--offline`, an existing store) against a
bare PySide6 `QMainWindow`, each in a new process, offscreen, interleaved, median of N.

"Shown" is the first completed paint of the main window, reported by the child (see
`startup_probe`) on the system-wide monotonic clock, so the figure includes interpreter start
and imports. Both children compile their modules to bytecode once, in the warm-up, into a cache
in the benchmark's private home (an installed application ships compiled bytecode; a
`PYTHONDONTWRITEBYTECODE` inherited from a test environment would otherwise make the app, and
only the app, recompile its own modules at every start).

    python -m benchmarks.bench_startup [--runs 9] [--quick] [--json FILE]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks._common import (
    PYTHON,
    ROOT,
    Figure,
    finish,
    isolated_env,
    median,
    parser,
    ratio_target,
)

TARGET_RATIO = 1.5
TIMEOUT_S = 60


def probe_env(home: Path) -> dict[str, str]:
    """The children's environment: private home, and bytecode cached there."""
    env = isolated_env(home, PYTHONPYCACHEPREFIX=str(home / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def start_once(kind: str, home: Path) -> float:
    """Milliseconds from spawning the process to the first paint of its main window."""
    started = time.monotonic_ns()
    result = subprocess.run(
        [PYTHON, "-m", "benchmarks.startup_probe", kind],
        cwd=ROOT,
        env=probe_env(home),
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    for line in result.stdout.splitlines():
        if line.startswith("PAINTED "):
            return (int(line.split()[1]) - started) / 1e6
    raise RuntimeError(
        f"the {kind} window never painted (exit {result.returncode}):\n{result.stderr[-3000:]}"
    )


def measure(runs: int) -> Figure:
    with tempfile.TemporaryDirectory(prefix="viva-bench-start-") as tmp:
        home = Path(tmp)
        # Warm-up: the first run creates the configuration and migrates a new store, which a
        # user pays once, not at every start; it also warms the page cache and compiles the
        # bytecode of both.
        start_once("bare", home)
        start_once("app", home)
        app: list[float] = []
        bare: list[float] = []
        for index in range(runs):
            order = ("app", "bare") if index % 2 == 0 else ("bare", "app")
            for kind in order:
                (app if kind == "app" else bare).append(start_once(kind, home))
    figure = Figure(
        name="Cold start to a shown main window",
        value=median(app),
        baseline=median(bare),
        unit="ms",
        baseline_label="bare PySide6 QMainWindow",
        details={"runs": runs, "app_ms": app, "bare_ms": bare},
    )
    return ratio_target(figure, TARGET_RATIO)


def main(argv: list[str] | None = None) -> int:
    cli = parser(__doc__.splitlines()[0])
    cli.add_argument("--runs", type=int, default=9, help="measured starts of each (default 9)")
    args = cli.parse_args(argv)
    runs = 1 if args.quick else max(1, args.runs)
    return finish("bench_startup", [measure(runs)], args)


if __name__ == "__main__":
    sys.exit(main())

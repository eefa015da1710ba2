"""The PyInstaller bundle: its size on disk and as a download, how long it takes to build, and
its start time (`--self-test` wall time, offscreen, median of N).

Baselines from the same run: for the size, the installed runtime packages it replaces (what
`pip install viva-desktop` puts on disk); for the start, the same self-test run from the
source tree with the virtual environment's Python.

    python -m benchmarks.bench_bundle [--bundle DIR] [--build] [--runs 5] [--quick] [--json FILE]
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from importlib import metadata
from pathlib import Path

from benchmarks._common import PYTHON, ROOT, Figure, finish, isolated_env, median, parser

MB = 1024 * 1024
TIMEOUT_S = 120


def disk_usage(folder: Path) -> int:
    """Bytes of disk blocks, as `du` counts them (symbolic links counted once, small)."""
    total = 0
    for path in folder.rglob("*"):
        info = path.lstat()
        total += info.st_blocks * 512
    return total


def gzip_size(folder: Path) -> int:
    """Size of a `tar.gz` of the folder (gzip level 6, like `tar czf`)."""
    with tempfile.TemporaryDirectory(prefix="viva-bench-tar-") as tmp:
        archive = Path(tmp) / "bundle.tar.gz"
        with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
            tar.add(folder, arcname=folder.name)
        return archive.stat().st_size


def runtime_install_size() -> int:
    """Disk use of viva-desktop's runtime dependencies, transitively (the pip install)."""
    seen: set[str] = set()
    pending = ["viva-desktop"]
    total = 0
    while pending:
        name = re.split(r"[\s\[<>=!~;]", pending.pop(), maxsplit=1)[0].lower().replace("_", "-")
        if name in seen:
            continue
        seen.add(name)
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        if name != "viva-desktop":
            for file in dist.files or []:
                path = Path(str(dist.locate_file(file)))
                if path.is_file():
                    total += path.stat().st_blocks * 512
        for requirement in dist.requires or []:
            if "extra ==" not in requirement:
                pending.append(requirement)
    return total


def build(dist: Path, work: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [
            str(ROOT / "scripts" / "bundle.sh"),
            "--dist",
            str(dist),
            "--work",
            str(work),
            "--no-check",
        ],
        cwd=ROOT,
        check=True,
        timeout=1800,
    )
    return time.perf_counter() - started


def self_test_s(command: list[str], home: Path) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        command,
        cwd=ROOT,
        env=isolated_env(home),
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"self-test failed ({result.returncode}):\n{result.stdout}")
    return elapsed


def start_times(bundle: Path, runs: int) -> tuple[list[float], list[float]]:
    frozen = [str(bundle / "viva-desktop"), "--self-test"]
    source = [PYTHON, "-m", "viva_desktop", "--self-test"]
    with tempfile.TemporaryDirectory(prefix="viva-bench-bundle-") as tmp:
        homes = {"frozen": Path(tmp) / "frozen", "source": Path(tmp) / "source"}
        self_test_s(frozen, homes["frozen"])  # warm-up: creates and migrates each store
        self_test_s(source, homes["source"])
        ours: list[float] = []
        theirs: list[float] = []
        for index in range(runs):
            pair = ((frozen, ours, homes["frozen"]), (source, theirs, homes["source"]))
            for command, samples, home in pair if index % 2 == 0 else reversed(pair):
                samples.append(self_test_s(command, home))
    return ours, theirs


def main(argv: list[str] | None = None) -> int:
    cli = parser(__doc__.splitlines()[0])
    cli.add_argument(
        "--bundle", type=Path, default=ROOT / "dist" / "viva-desktop", help="the bundle folder"
    )
    cli.add_argument("--build", action="store_true", help="build it first (timed) with bundle.sh")
    cli.add_argument("--runs", type=int, default=5, help="measured starts of each (default 5)")
    args = cli.parse_args(argv)
    bundle: Path = args.bundle.resolve()
    figures: list[Figure] = []
    if args.build:
        seconds = build(bundle.parent, ROOT / "build")
        figures.append(
            Figure(
                name="Bundle build time (scripts/bundle.sh)",
                value=seconds,
                baseline=None,
                unit="s",
                baseline_label="",
                details={"cpus": os.cpu_count()},
            )
        )
    if not (bundle / "viva-desktop").is_file():
        raise SystemExit(f"no bundle in {bundle}: run scripts/bundle.sh or pass --build")
    on_disk = disk_usage(bundle) / MB
    figures.append(
        Figure(
            name="Bundle size on disk (du)",
            value=on_disk,
            baseline=runtime_install_size() / MB,
            unit="MB",
            baseline_label="pip-installed runtime packages",
        )
    )
    if not args.quick:
        figures.append(
            Figure(
                name="Bundle download (tar.gz)",
                value=gzip_size(bundle) / MB,
                baseline=on_disk,
                unit="MB",
                baseline_label="bundle on disk",
            )
        )
    ours, theirs = start_times(bundle, 1 if args.quick else max(1, args.runs))
    figures.append(
        Figure(
            name="Bundle start: --self-test wall time",
            value=median(ours) * 1000.0,
            baseline=median(theirs) * 1000.0,
            unit="ms",
            baseline_label="same self-test from source",
            details={"bundle_s": ours, "source_s": theirs},
        )
    )
    return finish("bench_bundle", figures, args)


if __name__ == "__main__":
    sys.exit(main())

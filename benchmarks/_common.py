"""What every benchmark shares: the figure it reports, its command line, its JSON and table.

A figure is a value next to a baseline measured in the same run on the same machine, so the
ratio means something on any hardware. Targets are either a ratio ("≤ 1.5×") or an absolute
bound ("< 100 ms"); a figure without a target is informational.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import threading
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


@dataclass
class Figure:
    """One row of the results table."""

    name: str
    value: float
    baseline: float | None  # None: no meaningful baseline (the row is informational)
    unit: str
    baseline_label: str
    target: str = ""  # e.g. "≤ 1.5×", "< 50 ms"; empty: informational
    passed: bool | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if not self.baseline:
            return None
        return self.value / self.baseline

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ratio"] = self.ratio
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Figure:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)


def ratio_target(figure: Figure, limit: float) -> Figure:
    """Mark `figure` against a "ratio ≤ limit" target."""
    figure.target = f"≤ {limit:g}×"
    ratio = figure.ratio
    figure.passed = ratio is not None and ratio <= limit
    return figure


def below_target(figure: Figure, limit: float) -> Figure:
    """Mark `figure` against an absolute "value < limit" target (same unit)."""
    figure.target = f"< {limit:g} {figure.unit}"
    figure.passed = figure.value < limit
    return figure


# --------------------------------------------------------------------------- statistics


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (no interpolation: a reported p99 lag really happened)."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(0, min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1))
    return ordered[rank]


# --------------------------------------------------------------------------- command line


def parser(description: str) -> argparse.ArgumentParser:
    result = argparse.ArgumentParser(description=description)
    result.add_argument(
        "--quick", action="store_true", help="tiny sizes: checks that the benchmark still runs"
    )
    result.add_argument("--json", type=Path, metavar="FILE", help="also write the figures here")
    return result


def environment() -> dict[str, Any]:
    """Where the figures were measured."""
    info: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "cpu": _cpu_model(),
        # Other work on the machine skews timings: the figures say how busy it was.
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    try:
        import PySide6

        info["pyside6"] = PySide6.__version__
    except ImportError:
        pass
    return info


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def finish(script: str, figures: list[Figure], args: argparse.Namespace) -> int:
    """Print the table, write the JSON if asked; exit status 0 (targets are reported, not
    enforced: a benchmark that ran is a success)."""
    print(format_table(figures))
    if args.json is not None:
        payload = {
            "script": script,
            "quick": bool(args.quick),
            "environment": environment(),
            "figures": [f.to_dict() for f in figures],
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8")
    return 0


# --------------------------------------------------------------------------- output


def number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    if abs(value) >= 1000:
        text = f"{value:,.0f}"
    elif abs(value) >= 100:
        text = f"{value:.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}"
    return f"{text} {unit}".strip()


def verdict(passed: bool | None) -> str:
    return {True: "pass", False: "FAIL", None: "—"}[passed]


def rows(figures: Iterable[Figure]) -> list[list[str]]:
    return [
        [
            f.name,
            number(f.value, f.unit),
            f"{number(f.baseline, f.unit)} ({f.baseline_label})" if f.baseline is not None else "—",
            number(f.ratio, "×") if f.ratio is not None else "—",
            f.target or "—",
            verdict(f.passed),
        ]
        for f in figures
    ]


HEADER = ["Benchmark", "Value", "Baseline (same run)", "Ratio", "Target", "Result"]


def format_table(figures: Iterable[Figure]) -> str:
    """A plain-text table for the terminal."""
    body = rows(figures)
    widths = [max(len(r[i]) for r in [HEADER, *body]) for i in range(len(HEADER))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(HEADER, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in body]
    return "\n".join(lines)


def markdown_table(figures: Iterable[Figure]) -> str:
    body = rows(figures)
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in body]
    return "\n".join(lines)


# --------------------------------------------------------------------------- processes


def isolated_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment for a run of the app that must not touch the user's files."""
    env = dict(os.environ)
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_STATE_HOME=str(home / "state"),
        QT_QPA_PLATFORM=env.get("QT_QPA_PLATFORM") or "offscreen",
    )
    for name in [n for n in env if n.startswith("VIVA_")]:
        del env[name]
    env.pop("SENTRY_DSN", None)
    env.update(extra)
    return env


class SandboxProcess:
    """The sandbox server in a process of its own, so it does not compete with the measured
    code for the GIL (a real server is on another machine)."""

    def __init__(self, *args: str) -> None:
        self.args = ["--port", "0", "--no-defects", *args]
        self.process: subprocess.Popen[str] | None = None
        self.url = ""

    def __enter__(self) -> SandboxProcess:
        self.process = subprocess.Popen(
            [PYTHON, "-m", "viva_desktop.sandbox", *self.args],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if "listening on" in line:
                self.url = line.rsplit(" ", 1)[1].strip()
                break
        if not self.url:
            self.process.kill()
            raise RuntimeError(f"the sandbox did not start: {' '.join(self.args)}")
        # Keep reading its output, so a chatty server never blocks on a full pipe.
        threading.Thread(target=self._drain, daemon=True).start()
        return self

    def _drain(self) -> None:
        assert self.process is not None
        assert self.process.stdout is not None
        for _line in self.process.stdout:
            pass

    def __exit__(self, *_exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

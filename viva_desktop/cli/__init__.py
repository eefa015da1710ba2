"""The headless sub-commands of `viva-desktop`: one registry, one argument vocabulary
(`common.py`) and one exit-code rule (0 done, 1 a problem found or not finished, 2 bad
arguments or configuration).

The registry stays a plain mapping so that `viva-desktop --help` can list the sub-commands
without importing them: each one is imported only when it runs.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence

# name -> (module, one-line summary for `viva-desktop --help`)
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "smoke": (
        "viva_desktop.cli.smoke",
        "smoke checks and a hardening audit of a server, for a terminal or a CI job",
    ),
    "watch": (
        "viva_desktop.cli.watch",
        "watch the health of every configured deployment, with history and alerts",
    ),
    "report": (
        "viva_desktop.cli.report",
        "an activity report of a community from the local store, as HTML or PDF (no network)",
    ),
    "export": (
        "viva_desktop.cli.export",
        "the records one account sees for an entity, from the local store as CSV or JSON",
    ),
    "sync": (
        "viva_desktop.cli.sync",
        "pull a profile's data into the local or team store, waiting through rate limits",
    ),
    "history": (
        "viva_desktop.cli.history",
        "the audit trail of the local store: who changed what, when, and what came of it",
    ),
}


def is_subcommand(name: str) -> bool:
    return name in SUBCOMMANDS


def dispatch(name: str, argv: Sequence[str]) -> int:
    """Run sub-command `name` with its own arguments; returns its exit status."""
    module = importlib.import_module(SUBCOMMANDS[name][0])
    return int(module.main(list(argv)))


def summary_lines() -> str:
    width = max(len(name) for name in SUBCOMMANDS)
    return "\n".join(
        f"  {name.ljust(width)}  {summary}" for name, (_, summary) in SUBCOMMANDS.items()
    )

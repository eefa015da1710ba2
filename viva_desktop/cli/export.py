"""`viva-desktop export`: the rows one account's browser shows for an entity, from the local
store only (no network), as CSV or JSON.

Exit status: 0 written, 1 the file could not be written, 2 bad arguments or configuration.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from viva_desktop.cli.common import (
    EXIT_OK,
    EXIT_PROBLEM,
    add_config_options,
    command_parser,
    run_command,
)
from viva_desktop.cli.local_store import account_by_email, local_store

FORMATS = ("csv", "json")


def build_parser() -> argparse.ArgumentParser:
    from viva_desktop.services.local.sync.sources import ENTITIES

    parser = command_parser(
        "export",
        "Write the records one account sees for an entity, exactly as its browser lists them "
        "(its own credit history and juror cases; the server's shared data), from the local "
        "store only: no network.",
        "Example: viva-desktop export --profile sandbox --email maria@comunidad.local "
        "--entity credit_transactions --format json --out maria.json",
    )
    add_config_options(parser, profile_required=True)
    parser.add_argument(
        "--email", required=True, metavar="EMAIL", help="the account whose view to export"
    )
    parser.add_argument("--entity", required=True, choices=ENTITIES, help="what to export")
    parser.add_argument(
        "--format", choices=FORMATS, default="csv", help="csv (default) or json (an array)"
    )
    parser.add_argument(
        "--out", type=Path, metavar="FILE", help="write to this file (default: standard output)"
    )
    return parser


def _run(args: argparse.Namespace) -> int:
    from viva_desktop.services.local.store.views import export_visible

    with local_store(args) as (store, profile):
        account = account_by_email(store, profile, args.email)
        if args.out is None:
            export_visible(
                store, args.entity, profile, account.user_id, sys.stdout, format=args.format
            )
            sys.stdout.write("\n")
            return EXIT_OK
        try:
            count = export_visible(
                store, args.entity, profile, account.user_id, args.out, format=args.format
            )
        except OSError as exc:
            sys.stderr.write(f"viva-desktop export: cannot write {args.out}: {exc}\n")
            return EXIT_PROBLEM
    sys.stderr.write(f"{count} {args.entity} written to {args.out}\n")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    return run_command(build_parser(), argv, _run)


if __name__ == "__main__":
    sys.exit(main())

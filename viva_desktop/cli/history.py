"""`viva-desktop history`: the audit trail of the local store — every write this app made
(queued, sent, refused, conflicts and how they were settled), newest first.

Exit status: 0 listed, 2 bad arguments or configuration.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any

from viva_desktop.cli.common import (
    EXIT_OK,
    UsageError,
    add_config_options,
    command_parser,
    run_command,
)
from viva_desktop.cli.local_store import account_by_email, local_store

if TYPE_CHECKING:
    from viva_desktop.services.local.store.audit import AuditEntry


def build_parser() -> argparse.ArgumentParser:
    parser = command_parser(
        "history",
        "List the audit trail kept in the local store: who changed what, when, on which "
        "server, the fields before and after, and what came of it.",
        "Example: viva-desktop history --profile sandbox --email admin@comunidad.local "
        "--entity offers --since 2026-12-01 --json",
    )
    add_config_options(parser, profile_required=True)
    parser.add_argument("--email", metavar="EMAIL", help="only this account's writes")
    parser.add_argument("--entity", metavar="NAME", help="only writes to this entity")
    parser.add_argument("--id", metavar="ID", help="only writes to this record (with --entity)")
    parser.add_argument(
        "--since",
        metavar="DATE",
        help="only writes from this day or moment on (ISO 8601: 2026-12-01 or "
        "2026-12-01T10:00:00+00:00)",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON array on stdout")
    return parser


def parse_since(text: str) -> datetime:
    """An ISO day (from its start, UTC) or moment (UTC when no offset is given)."""
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(), tzinfo=UTC)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--since: {text!r} is not a date (2026-12-01) or an ISO moment") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def format_entry(entry: AuditEntry) -> str:
    """One event on one line, then one line per changed field."""
    who = entry.account_email or entry.account or "-"
    head = (
        f"{entry.at.astimezone(UTC):%Y-%m-%d %H:%M:%S}Z  {who}  {entry.action} "
        f"{entry.entity} {entry.record_id or '-'}  {entry.outcome}"
    )
    if entry.message:
        head += f": {entry.message}"
    if entry.request_id:
        head += f"  [request {entry.request_id}]"
    before, after = entry.before or {}, entry.after or {}
    lines = [head]
    for name in entry.fields:
        lines.append(f"    {name}: {_value(before.get(name))} -> {_value(after.get(name))}")
    return "\n".join(lines)


def _run(args: argparse.Namespace) -> int:
    from viva_desktop.services.local.store import audit

    if args.id and not args.entity:
        raise UsageError("--id needs --entity")
    since = parse_since(args.since) if args.since else None
    with local_store(args) as (store, profile):
        account = account_by_email(store, profile, args.email).user_id if args.email else None
        found = audit.entries(
            store, profile, account=account, entity=args.entity, record_id=args.id, since=since
        )
    if args.json:
        sys.stdout.write(json.dumps([audit.as_dict(e) for e in found], ensure_ascii=False))
        sys.stdout.write("\n")
        return EXIT_OK
    if not found:
        sys.stdout.write("No writes recorded.\n")
    for entry in found:
        sys.stdout.write(format_entry(entry) + "\n")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    return run_command(build_parser(), argv, _run)


if __name__ == "__main__":
    sys.exit(main())

"""`viva-desktop sync`: the app's sync engine without its window, for cron or a systemd timer
that keeps a (team) store fresh.

It signs in as `--email` (the password from the environment variable `--password-env` names),
pulls the profile's data into the configuration's store (or `--store-url`), paces itself to
the server's rate limits and waits through them however long they last; progress goes to
standard error, the result (with `--json`, as JSON) to standard output.

Exit status: 0 every entity complete, 1 an entity failed, the sign-in failed or the run was
interrupted, 2 bad arguments or configuration.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from viva_desktop.cli.common import (
    EXIT_OK,
    EXIT_PROBLEM,
    UsageError,
    add_account_options,
    add_config_options,
    add_output_options,
    command_parser,
    install_language,
    interruptible,
    load_config,
    password_from_env,
    profile_of,
    run_command,
)


def build_parser() -> argparse.ArgumentParser:
    parser = command_parser(
        "sync",
        "Pull a server profile's data into the local (or team) store, as the app's Sync "
        "page does: resumable, paced to the server's rate limits, waiting through them.",
        "Example: VIVA_PW=... viva-desktop sync --profile team --email sync@example.org "
        "--password-env VIVA_PW --store-url postgresql+psycopg://viva@db/viva --json",
    )
    add_config_options(parser, profile_required=True)
    add_account_options(parser, email_required=True)
    parser.add_argument(
        "--entities",
        metavar="LIST",
        help="comma-separated entities to sync (default: all of them, in the app's order)",
    )
    parser.add_argument(
        "--page-size", type=int, default=200, metavar="N", help="records per page (default 200)"
    )
    parser.add_argument(
        "--full", action="store_true", help="a full pass: also find records deleted upstream"
    )
    add_output_options(parser, json_help="print the result per entity as JSON on stdout")
    return parser


def entities_of(text: str | None) -> list[str]:
    from viva_desktop.services.local.sync import ENTITIES

    if not text:
        return list(ENTITIES)
    chosen = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [e for e in chosen if e not in ENTITIES]
    if unknown or not chosen:
        raise UsageError(
            f"--entities: unknown {', '.join(unknown) or 'empty list'} "
            f"(known: {', '.join(ENTITIES)})"
        )
    return [e for e in ENTITIES if e in chosen]


def _run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    entities = entities_of(args.entities)
    if args.page_size < 1:
        raise UsageError("--page-size must be at least 1")
    settings = load_config(args.config, store_url=args.store_url)
    profile = profile_of(settings, args.profile)
    if profile.is_sandbox:
        raise UsageError(f"--profile {profile.name!r} is the app's built-in sandbox")
    password = password_from_env(args.email, args.password_env)
    install_language(args.lang, settings)

    from viva_desktop.cli.sync_progress import ProgressPrinter
    from viva_desktop.services.local.store import StoreError, open_store
    from viva_desktop.services.local.sync import SyncEngine, SyncProgress
    from viva_desktop.services.remote.api import Api, ApiClient, Pacer, RetryPolicy
    from viva_desktop.services.remote.api.errors import ApiError, Cancelled
    from viva_desktop.services.remote.session import Session
    from viva_desktop.services.remote.vault import MemoryVault

    try:
        store = open_store(settings.store_url, attempts=1)
    except StoreError as exc:
        raise UsageError(f"the store cannot be opened: {exc.user_message}") from exc
    verify: bool | str = profile.verify_tls
    if profile.verify_tls and profile.ca_bundle is not None:
        verify = str(profile.ca_bundle)
    client = ApiClient(
        profile.url,
        timeout=profile.timeout,
        verify=verify,
        retry=RetryPolicy(deadline=profile.retry_deadline),
        pacer=Pacer(enabled=profile.pacing),
    )
    printer = ProgressPrinter(err)
    last: dict[str, SyncProgress] = {}

    def progress(value: SyncProgress) -> None:
        last[value.entity] = value
        printer(value)

    result: dict[str, Any] = {"profile": profile.name, "account": args.email, "entities": {}}
    try:
        with interruptible() as cancel:
            try:
                Session(profile.name, Api(client), MemoryVault()).login(args.email, password or "")
            except ApiError as exc:
                err.write(f"viva-desktop sync: cannot sign in as {args.email}: {exc}\n")
                result["error"] = str(exc)
                _print(result, out, args.json)
                return EXIT_PROBLEM
            engine = SyncEngine(
                Api(client),
                store,
                profile.name,
                page_size=args.page_size,
                hold_waits_up_to=math.inf,  # headless: wait through every rate limit
            )
            try:
                report = engine.run(entities, full=args.full, progress=progress, cancel=cancel)
            except Cancelled:
                printer.close()
                result["entities"] = _cancelled(entities, last)
                _print(result, out, args.json)
                err.write("viva-desktop sync: interrupted, not finished (resumes next time)\n")
                return EXIT_PROBLEM
    finally:
        client.close()
        store.close()
    printer.close()
    result["entities"] = {name: _entity(r) for name, r in report.results.items()}
    for name in entities:
        result["entities"].setdefault(name, {"status": "not run", "records": 0})
    _print(result, out, args.json)
    complete = all(e["status"] == "complete" for e in result["entities"].values())
    return EXIT_OK if complete else EXIT_PROBLEM


def _entity(result: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "status": result.status,
        "records": result.items,
        "pages": result.pages,
        "full_pass": result.full_pass,
        "resumed": result.resumed,
    }
    if result.gone:
        data["gone"] = result.gone
    if result.error is not None:
        data["error"] = str(result.error)
    if result.note:
        data["note"] = result.note
    if result.resume_at is not None:
        data["resume_at"] = result.resume_at.isoformat()
    return data


def _cancelled(entities: list[str], last: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out = {}
    for name in entities:
        seen = last.get(name)
        done = seen is not None and seen.done
        out[name] = {
            "status": "complete" if done else "cancelled",
            "records": seen.items if seen is not None else 0,
        }
    return out


def _print(result: dict[str, Any], out: TextIO, as_json: bool) -> None:
    if as_json:
        out.write(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
        return
    for name, data in result["entities"].items():
        line = f"{name}: {data['status']}, {data.get('records', 0)} records"
        if "error" in data:
            line += f" ({data['error']})"
        if "note" in data:
            line += f" ({data['note']})"
        out.write(line + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    return run_command(build_parser(), argv, lambda args: _run(args, sys.stdout, sys.stderr))


if __name__ == "__main__":
    sys.exit(main())

"""`viva-desktop watch`: the fleet watcher without a window, for a server or a CI job.

It runs the same service as the app (same checks, same history in the same store, same alert
lifecycle and channels). `--once` checks each deployment once; `--duration S` stops after S
seconds; otherwise it runs until SIGINT/SIGTERM (a systemd `stop`).

Exit status: 0 when no deployment is unhealthy or down at the end, 1 when one is, 2 for bad
arguments or configuration.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from viva_desktop.cli.common import (
    EXIT_OK,
    EXIT_PROBLEM,
    UsageError,
    add_output_options,
    command_parser,
    install_language,
    interruptible,
    load_config,
    run_command,
)


def build_parser() -> argparse.ArgumentParser:
    parser = command_parser(
        "watch",
        "Watch the health of every configured deployment (or the named ones): record the "
        "history, follow the alert lifecycle and send alerts to the configured channels.",
        "Example: viva-desktop watch --profile prod --profile staging --webhook "
        "https://hooks.example.org/viva --duration 3600 --json\n\n"
        "A problem found means: a deployment is unhealthy or down at the end.",
    )
    parser.add_argument(
        "--config", type=Path, metavar="FILE", help="configuration file (default: the app's own)"
    )
    parser.add_argument(
        "--store-url", metavar="URL", help="store database URL (default: the configuration's)"
    )
    parser.add_argument(
        "--profile",
        action="append",
        metavar="NAME",
        help="watch this profile (repeat for several; default: every enabled profile)",
    )
    parser.add_argument(
        "--interval",
        type=float,
        metavar="S",
        help="seconds between checks of each deployment (default: the configuration's)",
    )
    run = parser.add_mutually_exclusive_group()
    run.add_argument("--once", action="store_true", help="check each deployment once and exit")
    run.add_argument("--duration", type=float, metavar="S", help="stop after S seconds")
    parser.add_argument(
        "--webhook",
        action="append",
        default=[],
        metavar="URL",
        help="also send alerts to this webhook for this run (repeatable)",
    )
    add_output_options(parser, json_help="print one JSON array, an object per deployment, at exit")
    return parser


def _checked_webhook(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"--webhook needs an http:// or https:// URL with a host (got {url!r})")
    try:
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise UsageError(f"--webhook has an invalid port (got {url!r})") from None
    return url.strip()


def _checked(args: argparse.Namespace) -> None:
    if args.interval is not None and not 1.0 <= args.interval <= 3600.0:
        raise UsageError("--interval must be between 1 and 3600 seconds")
    if args.duration is not None and args.duration <= 0:
        raise UsageError("--duration must be a positive number of seconds")
    args.webhook = [_checked_webhook(url) for url in args.webhook]


def _run(args: argparse.Namespace) -> int:
    _checked(args)
    settings = load_config(args.config, store_url=args.store_url)
    install_language(args.lang, settings)
    from dataclasses import replace

    from viva_desktop.services.monitoring.fleet_setup import build_watcher, deployments_of

    names = args.profile
    if names:
        known = {p.name for p in settings.profiles}
        unknown = [n for n in names if n not in known]
        if unknown:
            raise UsageError(
                f"--profile: no profile named {unknown[0]!r} (known: {', '.join(sorted(known))})"
            )
    deployments = deployments_of(settings, names)
    if not deployments:
        raise UsageError(
            "no deployment to watch: the configuration has no enabled profile with an "
            "http:// or https:// address"
        )
    if args.interval is not None:
        deployments = [replace(d, interval_s=args.interval) for d in deployments]
    store = _open_store(settings.store_url)
    watcher = build_watcher(settings, deployments, store=store, extra_webhooks=args.webhook)
    if not args.json:
        watcher.add_listener(_print_alert)
    try:
        if args.once:
            statuses = watcher.check_all()
        else:
            with interruptible() as cancel:
                watcher.start()
                if args.duration is not None:
                    cancel.wait(args.duration)
                else:
                    while not cancel.wait(3600):
                        pass
            watcher.stop()
            watcher.wait_for_notifications()
            statuses = watcher.statuses()
    finally:
        watcher.close()
        if store is not None:
            store.close()
    if args.json:
        sys.stdout.write(json.dumps([s.as_json() for s in statuses], indent=2) + "\n")
    else:
        for status in statuses:
            sys.stdout.write(_summary_line(status) + "\n")
    return EXIT_PROBLEM if any(s.trouble for s in statuses) else EXIT_OK


_print_lock = threading.Lock()


def _print_alert(update) -> None:  # FleetUpdate
    event = update.alert
    if event is not None and event.notify:
        flag = " (silenced)" if event.silenced else ""
        with _print_lock:
            sys.stdout.write(
                f"{event.at.isoformat()} {event.kind.upper()}{flag} {event.profile}: "
                f"{event.message}\n"
            )
            sys.stdout.flush()
    for delivery in update.deliveries:
        if not delivery.ok:
            with _print_lock:
                sys.stderr.write(
                    f"alert not delivered via {delivery.channel} to {delivery.target}: "
                    f"{delivery.detail}\n"
                )


def _summary_line(status) -> str:  # DeploymentStatus
    """One line per deployment for people, in the `--lang` language (`--json` is for scripts:
    its states and causes are the fixed identifiers)."""
    from viva_desktop.services.common.i18n import translate
    from viva_desktop.services.monitoring.causes import cause_label
    from viva_desktop.services.monitoring.health import state_label

    data = status.as_json()
    shown = f"{status.availability['24h'].text()} (24 h)"
    latency = "—" if data["latency_ms"] is None else f"{data['latency_ms']:.0f} ms"
    incident = ""
    if status.incident is not None:
        cause = status.incident.cause
        incident = "  " + translate("Watch", "incident since {time} ({cause})").format(
            time=status.incident.since.isoformat(),
            cause=cause_label(cause) if cause else state_label(status.incident.state),
        )
    return f"{status.profile}: {state_label(status.state)}, {latency}, {shown}{incident}"


def _open_store(url: str):  # -> Store | None
    """The history store; without one the watch still runs and alerts, and says so."""
    from viva_desktop.services.local.store import StoreError, open_store

    try:
        return open_store(url)
    except StoreError as exc:
        sys.stderr.write(f"viva-desktop watch: no history will be kept: {exc}\n")
        return None


def main(argv: Sequence[str] | None = None) -> int:
    return run_command(build_parser(), argv, _run)


if __name__ == "__main__":
    sys.exit(main())

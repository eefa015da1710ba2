"""`python -m viva_desktop.sandbox` / `viva-sandbox`: run the sandbox server in the foreground."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from viva_desktop.sandbox.config import Faults, SandboxConfig
from viva_desktop.sandbox.seed import (
    ADMIN_EMAIL,
    CITIZEN_EMAIL,
    COORDINATOR_EMAIL,
    DEMO_PASSWORD,
    TWO_FACTOR_EMAIL,
    TWO_FACTOR_SECRET,
    VERIFIED_CITIZEN_EMAIL,
)
from viva_desktop.sandbox.server import SandboxServer


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="viva-sandbox",
        description="A local stand-in for the Comunidad Viva backend, faithful to its contract "
        "(quirks and defects included), with switchable faults.",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="interface to listen on (default %(default)s)"
    )
    parser.add_argument(
        "--port", type=int, default=4000, help="port; 0 picks a free one (default %(default)s)"
    )
    parser.add_argument("--db", help="SQLite file to keep the data in (default: in memory)")
    parser.add_argument(
        "--scale", type=int, default=0, help="add about N posts and proportional data"
    )
    parser.add_argument(
        "--no-seed", dest="seed", action="store_false", help="start with empty tables"
    )
    parser.add_argument(
        "--defects",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="reproduce the real server's outright defects (default); --no-defects: fixed",
    )
    parser.add_argument(
        "--environment", choices=["development", "production"], default="development"
    )
    parser.add_argument(
        "--enforce-rate-limits", action="store_true", help="answer 429 when a limit is used up"
    )
    parser.add_argument(
        "--rate-window-ms",
        type=int,
        metavar="MS",
        help="length of a one-minute rate-limit window in milliseconds (other windows scale "
        "with it; default: the real 60000)",
    )
    parser.add_argument(
        "--token-ttl", type=int, default=900, help="access token lifetime in seconds"
    )
    faults = parser.add_argument_group("faults")
    faults.add_argument("--latency-ms", type=int, default=0)
    faults.add_argument("--error-rate", type=float, default=0.0)
    faults.add_argument("--error-status", type=int, default=503)
    faults.add_argument("--error-after-write-rate", type=float, default=0.0)
    faults.add_argument("--drop-rate", type=float, default=0.0)
    faults.add_argument("--db-down", action="store_true")
    faults.add_argument("--db-latency-ms", type=int, default=0)
    faults.add_argument("--heap-pressure", action="store_true")
    faults.add_argument(
        "--fault-path",
        dest="fault_paths",
        action="append",
        help="limit faults to a path prefix (repeatable)",
    )
    faults.add_argument(
        "--fault-seed", type=int, help="seed of the fault dice, for reproducible runs"
    )
    return parser


def config_from(args: argparse.Namespace) -> SandboxConfig:
    faults = Faults(
        latency_ms=args.latency_ms,
        error_rate=args.error_rate,
        error_status=args.error_status,
        error_after_write_rate=args.error_after_write_rate,
        drop_rate=args.drop_rate,
        db_down=args.db_down,
        db_latency_ms=args.db_latency_ms,
        heap_pressure=args.heap_pressure,
        paths=tuple(args.fault_paths) if args.fault_paths else None,
        seed=args.fault_seed,
    )
    return SandboxConfig(
        host=args.host,
        port=args.port,
        database_url=args.db,
        seed=args.seed,
        scale=args.scale,
        defects=args.defects,
        environment=args.environment,
        enforce_rate_limits=args.enforce_rate_limits,
        rate_window_ms=args.rate_window_ms,
        access_token_ttl=args.token_ttl,
        faults=faults,
    )


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        config = config_from(args)
    except ValueError as exc:
        parser.error(str(exc))
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    try:
        server = SandboxServer(config).start()
    except OSError as exc:
        print(f"viva-sandbox: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    print(f"Comunidad Viva sandbox listening on {server.url}", flush=True)
    print(
        f"  accounts (password {DEMO_PASSWORD}): {ADMIN_EMAIL} (ADMIN), {CITIZEN_EMAIL}, "
        f"{VERIFIED_CITIZEN_EMAIL}, {COORDINATOR_EMAIL}, "
        f"{TWO_FACTOR_EMAIL} (2FA secret {TWO_FACTOR_SECRET})",
        flush=True,
    )
    print(
        f"  defects {'on' if config.defects else 'off'}, environment {config.environment}; "
        f"faults at {server.url}/__sandbox__/faults; Ctrl+C to stop",
        flush=True,
    )
    try:
        stop.wait()
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

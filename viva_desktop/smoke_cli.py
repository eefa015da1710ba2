"""`viva-desktop smoke`: the smoke checks and hardening audit from a terminal or a CI job.

Exit codes: 0 when no check failed, 1 when a check failed or errored, 2 for a usage error,
130 when interrupted. The password comes from an environment variable named on the command
line, never from the command line itself, where other users and shell histories can read it.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import TextIO

from viva_desktop.services.cancel import CancelToken
from viva_desktop.services.smoke import (
    CheckResult,
    SmokeOptions,
    SmokeReport,
    format_result_line,
    run_smoke,
)

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="viva-desktop smoke",
        description="Smoke checks and a hardening audit of a Comunidad Viva server. Never calls "
        "a destructive route (/health/seed-demo, /installer/*).",
        epilog="Exit status: 0 all checks passed or were skipped, 1 a check failed or could not "
        "run, 2 bad arguments. Example: VIVA_PW=... viva-desktop smoke --server "
        "https://api.example.org --email admin@example.org --password-env VIVA_PW --read-only "
        "--junit smoke.xml",
    )
    parser.add_argument(
        "--server", required=True, help="base URL of the API, e.g. http://127.0.0.1:4000"
    )
    parser.add_argument(
        "--email", help="log in with this existing account instead of registering one"
    )
    parser.add_argument(
        "--password-env",
        metavar="VAR",
        help="name of the environment variable holding the account's password",
    )
    parser.add_argument(
        "--read-only",
        action="store_true",
        help="make no writes at all (no registration, no post): for production servers",
    )
    parser.add_argument("--junit", type=Path, metavar="FILE", help="also write a JUnit XML report")
    parser.add_argument("--json", action="store_true", help="print the report as JSON on stdout")
    parser.add_argument(
        "--timeout", type=float, default=10.0, metavar="S", help="seconds per request (default 10)"
    )
    tls = parser.add_mutually_exclusive_group()
    tls.add_argument(
        "--insecure",
        action="store_true",
        help="do not verify the server's TLS certificate for the checks (the TLS check still "
        "reports it)",
    )
    tls.add_argument(
        "--ca-bundle", type=Path, metavar="PATH", help="trust the CA certificates in this PEM file"
    )
    return parser


def options_from_args(args: argparse.Namespace, environ: dict[str, str]) -> SmokeOptions:
    """Turn parsed arguments into run options; raises ValueError with a message for the user."""
    server = args.server.strip()
    if not server.startswith(("http://", "https://")):
        raise ValueError(f"--server must start with http:// or https:// (got {server!r})")
    if args.timeout <= 0:
        raise ValueError("--timeout must be a positive number of seconds")
    password = None
    if args.password_env and not args.email:
        raise ValueError("--password-env needs --email")
    if args.email:
        if not args.password_env:
            raise ValueError("--email needs --password-env VAR (the password is read from $VAR)")
        password = environ.get(args.password_env)
        if not password:
            raise ValueError(f"the environment variable {args.password_env} is not set or empty")
    if args.ca_bundle is not None and not args.ca_bundle.is_file():
        raise ValueError(f"--ca-bundle: no such file: {args.ca_bundle}")
    return SmokeOptions(
        server=server,
        email=args.email,
        password=password,
        read_only=args.read_only,
        timeout=args.timeout,
        verify_tls=not args.insecure,
        ca_bundle=str(args.ca_bundle) if args.ca_bundle else None,
    )


def _printer(stream: TextIO):  # -> Callable[[CheckResult], None]
    def show(result: CheckResult) -> None:
        stream.write(format_result_line(result) + "\n")
        if result.outcome.value != "pass":
            stream.write("        " + result.evidence + "\n")
        stream.flush()

    return show


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exc:  # argparse exits 2 on errors and 0 for --help
        return int(exc.code or 0)
    try:
        options = options_from_args(args, dict(os.environ))
    except ValueError as exc:
        parser.print_usage(sys.stderr)
        sys.stderr.write(f"viva-desktop smoke: error: {exc}\n")
        return EXIT_USAGE

    cancel = CancelToken()
    previous = None

    def interrupt(signum: int, frame: FrameType | None) -> None:
        cancel.cancel()

    try:
        previous = signal.signal(signal.SIGINT, interrupt)
    except ValueError:  # not in the main thread: Ctrl-C handling stays as it was
        previous = None
    try:
        progress = None if args.json else _printer(sys.stdout)
        if progress is not None:
            sys.stdout.write(f"Smoke checks against {options.base_url}\n")
        report = run_smoke(options, progress=progress, cancel=cancel)
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)

    _write_outputs(report, args)
    if report.cancelled:
        return EXIT_INTERRUPTED
    return report.exit_code


def _write_outputs(report: SmokeReport, args: argparse.Namespace) -> None:
    if args.json:
        sys.stdout.write(report.to_json())
    else:
        sys.stdout.write("\n" + report.summary_line() + "\n")
        for result in report.failed:
            sys.stdout.write(f"  {result.outcome.value.upper()} {result.id}: {result.evidence}\n")
            if result.advice:
                sys.stdout.write(f"      → {result.advice}\n")
    if args.junit is not None:
        args.junit.parent.mkdir(parents=True, exist_ok=True)
        args.junit.write_text(report.to_junit_xml(), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())

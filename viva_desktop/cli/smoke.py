"""`viva-desktop smoke`: the smoke checks and hardening audit from a terminal or a CI job.

Exit status: 0 when no check failed, 1 when a check failed, errored or the run was
interrupted, 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TextIO

from viva_desktop.cli.common import (
    EXIT_PROBLEM,
    UsageError,
    add_account_options,
    add_output_options,
    command_parser,
    install_language,
    interruptible,
    load_config,
    password_from_env,
    profile_of,
    run_command,
)
from viva_desktop.cli.urls import checked_server_url
from viva_desktop.services.admin.smoke import (
    CheckResult,
    SmokeOptions,
    SmokeReport,
    format_result_line,
    run_smoke,
)

EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = command_parser(
        "smoke",
        "Smoke checks and a hardening audit of a Comunidad Viva server. Never calls a "
        "destructive route (/health/seed-demo, /installer/*).",
        "Example: VIVA_PW=... viva-desktop smoke --server https://api.example.org --email "
        "admin@example.org --password-env VIVA_PW --read-only --junit smoke.xml",
    )
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--server", help="base URL of the API, e.g. http://127.0.0.1:4000")
    target.add_argument(
        "--profile", metavar="NAME", help="check the server of this profile of the configuration"
    )
    parser.add_argument(
        "--config", type=Path, metavar="FILE", help="configuration file (with --profile)"
    )
    add_account_options(parser)
    parser.add_argument(
        "--read-only",
        action="store_true",
        help="make no writes at all (no registration, no post): for production servers",
    )
    parser.add_argument("--junit", type=Path, metavar="FILE", help="also write a JUnit XML report")
    add_output_options(parser, json_help="print the report as JSON on stdout")
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


def options_from_args(args: argparse.Namespace, environ: Mapping[str, str]) -> SmokeOptions:
    """Turn parsed arguments into run options; raises UsageError with a message for the user."""
    if args.profile is not None:
        settings = load_config(args.config)
        profile = profile_of(settings, args.profile)
        server = profile.url
    else:
        if args.config is not None:
            raise UsageError("--config is only read with --profile")
        server = checked_server_url(args.server, option="--server")
    if args.timeout <= 0:
        raise UsageError("--timeout must be a positive number of seconds")
    password = password_from_env(args.email, args.password_env, environ)
    if args.ca_bundle is not None and not args.ca_bundle.is_file():
        raise UsageError(f"--ca-bundle: no such file: {args.ca_bundle}")
    return SmokeOptions(
        server=server,
        email=args.email,
        password=password,
        read_only=args.read_only,
        timeout=args.timeout,
        verify_tls=not args.insecure,
        ca_bundle=str(args.ca_bundle) if args.ca_bundle else None,
    )


def _printer(stream: TextIO) -> Callable[[CheckResult], None]:
    def show(result: CheckResult) -> None:
        stream.write(format_result_line(result) + "\n")
        if result.outcome.value != "pass":
            stream.write("        " + result.evidence + "\n")
        stream.flush()

    return show


def _run(args: argparse.Namespace) -> int:
    install_language(args.lang)
    options = options_from_args(args, dict(os.environ))
    with interruptible() as cancel:
        progress = None if args.json else _printer(sys.stdout)
        if progress is not None:
            sys.stdout.write(f"Smoke checks against {options.base_url}\n")
        report = run_smoke(options, progress=progress, cancel=cancel)
    _write_outputs(report, args)
    if report.cancelled:
        sys.stderr.write("viva-desktop smoke: interrupted, not finished\n")
        return EXIT_PROBLEM
    return report.exit_code


def main(argv: Sequence[str] | None = None) -> int:
    return run_command(build_parser(), argv, _run)


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

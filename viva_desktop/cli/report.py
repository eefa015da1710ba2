"""`viva-desktop report`: an activity report from the local store, written as HTML or PDF.

No network: the report is built from what the last sync left in the store, for the profile and
the account named. Exit status: 0 when the file was written, 1 when the store holds no data for
that profile and account (run `viva-desktop sync` first) or cannot be opened, 2 for bad
arguments.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from viva_desktop.cli.common import (
    EXIT_OK,
    EXIT_PROBLEM,
    UsageError,
    add_config_options,
    command_parser,
    install_language,
    load_config,
    profile_of,
    run_command,
)

LANGUAGES = ("en", "es")
SUFFIXES = (".html", ".htm", ".pdf")


def build_parser() -> argparse.ArgumentParser:
    parser = command_parser(
        "report",
        "An activity report of one community (or all) over a period, compared with the "
        "previous period of the same length, from the local store only (no network).",
        "Example: viva-desktop report --profile Sandbox --email coordinadora@comunidad.local "
        '--community "Rochapea Solidaria" --from 2026-01-01 --to 2026-12-31 --out informe.pdf '
        "--lang es",
    )
    add_config_options(parser, profile_required=True)
    parser.add_argument(
        "--email", required=True, metavar="EMAIL", help="the account whose data is reported"
    )
    parser.add_argument(
        "--community",
        metavar="NAME_OR_ID",
        help="one community, by name, slug or id (default: all)",
    )
    parser.add_argument("--from", dest="first", required=True, metavar="DATE", help="YYYY-MM-DD")
    parser.add_argument("--to", dest="last", required=True, metavar="DATE", help="YYYY-MM-DD")
    parser.add_argument(
        "--out", required=True, type=Path, metavar="FILE", help="FILE.html or FILE.pdf"
    )
    parser.add_argument(
        "--lang", choices=LANGUAGES, help="language of the report (default: the configuration's)"
    )
    return parser


def _run(args: argparse.Namespace) -> int:
    from viva_desktop.services.local.store import StoreError, accounts, open_store
    from viva_desktop.services.reports import Period, ReportScopeError, find_community, has_data

    try:
        period = Period.parse(args.first, args.last)
    except ValueError as exc:
        raise UsageError(f"--from/--to: {exc}") from None
    out: Path = args.out
    if out.suffix.lower() not in SUFFIXES:
        raise UsageError(f"--out {out}: the report is written as FILE.html or FILE.pdf")
    settings = load_config(args.config, store_url=args.store_url)
    profile = profile_of(settings, args.profile)
    language = install_language(args.lang, settings)
    try:
        store = open_store(settings.store_url, attempts=1)
    except StoreError as exc:
        sys.stderr.write(f"viva-desktop report: the store cannot be opened: {exc}\n")
        return EXIT_PROBLEM
    try:
        account = accounts.by_email(store, profile.name, args.email)
        if not has_data(store, profile.name) or account is None:
            whose = f"profile {profile.name!r} and account {args.email}"
            sys.stderr.write(
                f"viva-desktop report: the local store holds no data for {whose}. "
                f"Run `viva-desktop sync --profile {profile.name!r} --email {args.email}` "
                "(or synchronise in the app) first.\n"
            )
            return EXIT_PROBLEM
        community = None
        if args.community:
            try:
                community = find_community(store, profile.name, args.community)
            except ReportScopeError as exc:
                raise UsageError(f"--community: {exc}") from None
        written = _write(store, profile.name, account, community, period, out, language)
    finally:
        store.close()
    sys.stdout.write(f"{written}\n")
    return EXIT_OK


def _write(store, profile: str, account, community, period, out: Path, language: str) -> Path:
    from viva_desktop.rendering.application import ensure_application, install_qt_language
    from viva_desktop.rendering.document import date_text, locale_for
    from viva_desktop.rendering.files import write_report
    from viva_desktop.services.reports import build_report

    ensure_application()
    install_qt_language(language)
    locale = locale_for(language)
    report = build_report(
        store,
        profile,
        account.user_id,
        community,
        period,
        account_label=account.label,
        language=language,
        date_text=lambda day: date_text(locale, day),
    )
    write_report(report, out)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    return run_command(build_parser(), argv, _run)


if __name__ == "__main__":
    sys.exit(main())

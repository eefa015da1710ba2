"""Entry point of the `viva-desktop` command: the GUI, or one of the sub-commands of `cli/`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from viva_desktop import __version__
from viva_desktop.cli import dispatch, is_subcommand, summary_lines
from viva_desktop.launch import LaunchOptions


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="viva-desktop",
        description="Desktop companion for Comunidad Viva deployments. Without a sub-command "
        "it opens the window.",
        epilog="sub-commands (each has --help; none opens a window):\n" + summary_lines(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"viva-desktop {__version__}")
    parser.add_argument(
        "--sandbox",
        action="store_true",
        help="start the built-in sandbox server in-process and log in to it as the demo admin",
    )
    parser.add_argument("--profile", help="server profile to open (by name)")
    parser.add_argument(
        "--offline", action="store_true", help="review local data without connecting"
    )
    parser.add_argument("--lang", dest="language", choices=["en", "es"], help="UI language")
    parser.add_argument("--store-url", help="store database URL (overrides the configuration)")
    parser.add_argument("--config", dest="config_file", type=Path, help="configuration file")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="open the main window offscreen, check resources, translations, keyring and "
        "store, then exit (0 = all good)",
    )
    parser.add_argument(
        "--screenshot-dir",
        type=Path,
        help="save a screenshot of every page into this folder once the window is shown",
    )
    return parser


def parse_options(argv: list[str]) -> LaunchOptions:
    args = build_parser().parse_args(argv)
    return LaunchOptions(
        sandbox=args.sandbox,
        profile=args.profile,
        offline=args.offline,
        language=args.language,
        self_test=args.self_test,
        screenshot_dir=args.screenshot_dir,
        store_url=args.store_url,
        config_file=args.config_file,
    )


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and is_subcommand(argv[0]):
        return dispatch(argv[0], argv[1:])
    options = parse_options(argv)
    if options.config_file is not None:
        # A file named explicitly must be there and readable: starting on the defaults instead
        # would hide the mistake (the default file, when broken, is reported inside the app).
        from viva_desktop.cli.config_file import explicit_config_problem

        problem = explicit_config_problem(options.config_file)
        if problem is not None:
            print(f"viva-desktop: {problem}", file=sys.stderr)
            return 2
    from viva_desktop.ui.shell.application import run

    return run(options)


if __name__ == "__main__":
    sys.exit(main())

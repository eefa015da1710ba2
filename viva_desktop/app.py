"""Entry point of the `viva-desktop` command: the GUI, or a sub-command such as `smoke`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NamedTuple

from viva_desktop import __version__


class LaunchOptions(NamedTuple):
    """What the command line asked for; the GUI reads it at start-up. (A NamedTuple: this
    module is imported before the first paint, and `dataclasses` is an import of its own.)"""

    sandbox: bool = False
    profile: str | None = None
    offline: bool = False
    language: str | None = None
    self_test: bool = False
    screenshot_dir: Path | None = None
    store_url: str | None = None
    config_file: Path | None = None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="viva-desktop",
        description="Desktop companion for Comunidad Viva deployments.",
        epilog="Sub-commands: `viva-desktop smoke --help` runs smoke checks and a hardening "
        "audit against a server without opening a window.",
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
    if argv and argv[0] == "smoke":
        from viva_desktop.smoke_cli import main as smoke_main

        return smoke_main(argv[1:])
    options = parse_options(argv)
    from viva_desktop.ui.application import run

    return run(options)


if __name__ == "__main__":
    sys.exit(main())

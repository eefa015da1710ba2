"""The argument vocabulary and exit-code rule every sub-command shares.

Sub-commands build their parser with `command_parser`, add the shared options they take with
the `add_*` helpers, and run their body through `run_command`, which turns a `UsageError`
(or an argparse error) into exit status 2 with a message naming what is wrong, and Ctrl-C into
exit status 1 ("not finished"). Passwords come from an environment variable named on the
command line (`--password-env VAR`), never from the command line itself, where other users and
shell histories can read it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, TextIO

from viva_desktop.services.common.cancel import CancelToken

if TYPE_CHECKING:
    from viva_desktop.services.common.config import ServerProfile, Settings

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_USAGE = 2

LANGUAGES = ("en", "es")


class UsageError(ValueError):
    """Bad arguments or configuration: the message names what is wrong (exit status 2)."""


class CommandParser(argparse.ArgumentParser):
    """An argparse parser that raises `UsageError` instead of exiting, so the one exit-code
    rule (and the one message format) applies to argparse's own errors too."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def command_parser(name: str, description: str, epilog: str = "") -> CommandParser:
    epilog = (
        epilog + "\n\n" if epilog else ""
    ) + "Exit status: 0 done, 1 a problem found or not finished, 2 bad arguments or configuration."
    return CommandParser(
        prog=f"viva-desktop {name}",
        description=description,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


# --------------------------------------------------------------------------- shared options


def add_config_options(parser: argparse.ArgumentParser, *, profile_required: bool = False) -> None:
    """`--config FILE`, `--profile NAME` and `--store-url URL`."""
    parser.add_argument(
        "--config", type=Path, metavar="FILE", help="configuration file (default: the app's own)"
    )
    parser.add_argument(
        "--profile",
        metavar="NAME",
        required=profile_required,
        help="server profile of the configuration, by name",
    )
    parser.add_argument(
        "--store-url", metavar="URL", help="store database URL (default: the configuration's)"
    )


def add_account_options(parser: argparse.ArgumentParser, *, email_required: bool = False) -> None:
    """`--email EMAIL` and `--password-env VAR`."""
    parser.add_argument(
        "--email", required=email_required, metavar="EMAIL", help="the account to act as"
    )
    parser.add_argument(
        "--password-env",
        metavar="VAR",
        help="name of the environment variable holding the account's password",
    )


def add_output_options(parser: argparse.ArgumentParser, *, json_help: str | None = None) -> None:
    """`--json` and `--lang`."""
    parser.add_argument(
        "--json", action="store_true", help=json_help or "print the result as JSON on stdout"
    )
    parser.add_argument(
        "--lang", choices=LANGUAGES, help="language of the messages (default: the configuration's)"
    )


# --------------------------------------------------------------------------- shared readings


def password_from_env(
    email: str | None, variable: str | None, environ: Mapping[str, str] | None = None
) -> str | None:
    """The password named by `--password-env`, checked against `--email`."""
    environ = os.environ if environ is None else environ
    if variable and not email:
        raise UsageError("--password-env needs --email")
    if not email:
        return None
    if not variable:
        raise UsageError("--email needs --password-env VAR (the password is read from $VAR)")
    password = environ.get(variable)
    if not password:
        raise UsageError(f"the environment variable {variable} is not set or empty")
    return password


def load_config(path: Path | None, *, store_url: str | None = None) -> Settings:
    """The settings a sub-command runs with. A file named with `--config` must exist and be
    valid; the default file may be missing (then the defaults apply), but not broken."""
    from viva_desktop.services.common.config import load_settings
    from viva_desktop.services.common.report import Severity

    if path is not None:
        from viva_desktop.cli.config_file import explicit_config_problem

        problem = explicit_config_problem(path)
        if problem is not None:
            raise UsageError(problem)
    settings = load_settings(path, {"store_url": store_url} if store_url else None)
    errors = [f for f in settings.load_findings if f.severity is Severity.ERROR]
    if errors:
        first = errors[0]
        raise UsageError(f"configuration {first.key}: {first.message}")
    return settings


def profile_of(settings: Settings, name: str | None) -> ServerProfile:
    """The profile named `name`, or the configuration's active one when no name is given."""
    if name is None:
        profile = settings.active()
        if profile is None:
            raise UsageError("--profile is needed: the configuration has no active profile")
        return profile
    profile = settings.profile(name)
    if profile is None:
        known = ", ".join(p.name for p in settings.profiles) or "none"
        raise UsageError(f"--profile: no profile named {name!r} (known: {known})")
    return profile


def install_language(lang: str | None, settings: Settings | None = None) -> str:
    """Route the services' messages through our catalogue for the chosen language (`--lang`,
    else the configuration's, else English), without a GUI."""
    configured = settings.ui.language if settings is not None else None
    chosen = next((c for c in (lang, configured) if c in LANGUAGES), "en")
    from viva_desktop.services.common import i18n

    if chosen == "en":
        i18n.install_translator(None)
        return chosen
    from PySide6.QtCore import QTranslator

    from viva_desktop.services.common.resources import catalogue_path

    translator = QTranslator()
    if not translator.load(str(catalogue_path(chosen))):
        raise UsageError(f"--lang {chosen}: the catalogue {catalogue_path(chosen)} is missing")

    def translate(context: str, text: str) -> str:
        return translator.translate(context, text) or text

    i18n.install_translator(translate)
    return chosen


# --------------------------------------------------------------------------- running


@contextmanager
def interruptible() -> Iterator[CancelToken]:
    """A cancel token that Ctrl-C (SIGINT) and SIGTERM set, so a command stops cleanly."""
    cancel = CancelToken()
    previous: dict[int, object] = {}

    def stop(signum: int, frame: FrameType | None) -> None:
        cancel.cancel()

    for sig in (signal.SIGINT, signal.SIGTERM):
        # Not in the main thread: signal handling stays as it was.
        with contextlib.suppress(ValueError):
            previous[sig] = signal.signal(sig, stop)
    try:
        yield cancel
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)  # type: ignore[arg-type]


def run_command(
    parser: argparse.ArgumentParser,
    argv: Sequence[str] | None,
    body: Callable[[argparse.Namespace], int],
    *,
    stderr: TextIO | None = None,
) -> int:
    """Parse `argv` and run `body`; usage errors exit 2 with `prog: error: message`."""
    err = stderr or sys.stderr
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
        return body(args)
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)
    except UsageError as exc:
        parser.print_usage(err)
        err.write(f"{parser.prog}: error: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        err.write(f"{parser.prog}: interrupted, not finished\n")
        return EXIT_PROBLEM
    except BrokenPipeError:
        # The reader went away (`… | head`): nothing more can be written, and Python would
        # complain again when it flushes stdout at exit unless it points somewhere harmless.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_PROBLEM

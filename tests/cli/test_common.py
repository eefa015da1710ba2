"""The sub-commands' shared vocabulary and exit-code rule (`viva_desktop/cli/common.py`)."""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.child_env import child_env
from viva_desktop.cli import SUBCOMMANDS, dispatch
from viva_desktop.cli.common import (
    EXIT_OK,
    EXIT_PROBLEM,
    EXIT_USAGE,
    UsageError,
    add_account_options,
    add_config_options,
    add_output_options,
    command_parser,
    install_language,
    load_config,
    password_from_env,
    profile_of,
    run_command,
)
from viva_desktop.services.common import i18n

ROOT = Path(__file__).resolve().parents[2]


def test_the_top_level_help_lists_every_sub_command(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "viva_desktop", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=child_env(tmp_path),
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    for name in SUBCOMMANDS:
        assert f"  {name}" in result.stdout


def test_every_sub_command_has_help_and_rejects_unknown_options(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in SUBCOMMANDS:
        assert dispatch(name, ["--help"]) == EXIT_OK
        assert f"viva-desktop {name}" in capsys.readouterr().out
        assert dispatch(name, ["--no-such-option"]) == EXIT_USAGE
        assert f"viva-desktop {name}: error:" in capsys.readouterr().err


def parser_with_everything() -> argparse.ArgumentParser:
    parser = command_parser("demo", "A demo command.")
    add_config_options(parser)
    add_account_options(parser)
    add_output_options(parser)
    return parser


def test_the_shared_vocabulary_is_the_same_everywhere() -> None:
    args = parser_with_everything().parse_args(
        [
            *("--config", "c.toml", "--profile", "p", "--store-url", "sqlite:///x.db"),
            *("--email", "a@b.c", "--password-env", "PW", "--json", "--lang", "es"),
        ]
    )
    assert (args.config, args.profile, args.store_url) == (Path("c.toml"), "p", "sqlite:///x.db")
    assert (args.email, args.password_env, args.json, args.lang) == ("a@b.c", "PW", True, "es")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--lang", "fr"], "invalid choice: 'fr'"),
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["--config"], "expected one argument"),
    ],
)
def test_argument_errors_exit_two_and_name_the_problem(argv: list[str], message: str) -> None:
    err = io.StringIO()
    status = run_command(parser_with_everything(), argv, lambda args: EXIT_OK, stderr=err)
    assert status == EXIT_USAGE
    assert message in err.getvalue()
    assert "viva-desktop demo: error:" in err.getvalue()


def test_a_usage_error_in_the_body_exits_two_and_ctrl_c_exits_one() -> None:
    def bad(args: argparse.Namespace) -> int:
        raise UsageError("--profile: no profile named 'x'")

    def interrupted(args: argparse.Namespace) -> int:
        raise KeyboardInterrupt

    err = io.StringIO()
    assert run_command(parser_with_everything(), [], bad, stderr=err) == EXIT_USAGE
    assert "no profile named 'x'" in err.getvalue()
    assert run_command(parser_with_everything(), [], interrupted, stderr=err) == EXIT_PROBLEM
    assert "not finished" in err.getvalue()


def test_passwords_come_from_a_named_variable_only() -> None:
    assert password_from_env(None, None, {}) is None
    assert password_from_env("a@b.c", "PW", {"PW": "s3cret"}) == "s3cret"
    with pytest.raises(UsageError, match="needs --email"):
        password_from_env(None, "PW", {"PW": "x"})
    with pytest.raises(UsageError, match="needs --password-env"):
        password_from_env("a@b.c", None, {})
    with pytest.raises(UsageError, match="PW is not set"):
        password_from_env("a@b.c", "PW", {})


def test_a_named_configuration_must_exist_and_be_valid(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        load_config(tmp_path / "missing.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[ui\nlanguage = 'es'\n", encoding="utf-8")
    with pytest.raises(UsageError, match="line 1"):
        load_config(broken)


def test_profiles_are_found_by_name_or_named_in_the_error(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[[profiles]]\nname = "north"\nurl = "https://north.example.org"\n', encoding="utf-8"
    )
    settings = load_config(config)
    assert profile_of(settings, "north").url.startswith("https://north.example.org")
    with pytest.raises(UsageError, match=r"no profile named 'south' \(known: north\)"):
        profile_of(settings, "south")


def test_the_language_routes_the_services_messages() -> None:
    try:
        assert install_language("es") == "es"
        assert i18n.translate("Health", "Healthy") != "Healthy"
        assert install_language(None) == "en"
        assert i18n.translate("Health", "Healthy") == "Healthy"
    finally:
        i18n.install_translator(None)


def test_a_reader_that_goes_away_ends_the_command_quietly(tmp_path: Path) -> None:
    """`viva-desktop … | head -c 10`: no traceback, exit status 1 (not finished)."""
    script = (
        "import sys\n"
        "from viva_desktop.cli.common import command_parser, run_command\n"
        "def body(args):\n"
        "    for _ in range(100_000):\n"
        "        sys.stdout.write('x' * 100 + '\\n')\n"
        "    return 0\n"
        "sys.exit(run_command(command_parser('demo', 'A demo.'), [], body))\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=child_env(tmp_path),
    )
    assert child.stdout is not None
    assert child.stderr is not None
    assert child.stdout.read(10) == b"x" * 10
    child.stdout.close()  # the reader goes away, as `head -c 10` does
    assert child.wait(timeout=60) == 1
    errors = child.stderr.read().decode()
    assert "Traceback" not in errors
    assert "BrokenPipe" not in errors

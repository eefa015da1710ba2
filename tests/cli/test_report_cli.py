"""`viva-desktop report`: HTML and PDF written from the local store with no network, and its
exit codes (0 written, 1 no data for that profile and account, 2 bad arguments)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.synced_sandbox import COORDINATOR, PROFILE, SyncedSandbox, sync_sandbox
from viva_desktop.cli import SUBCOMMANDS
from viva_desktop.cli.report import main
from viva_desktop.rendering.application import install_qt_language
from viva_desktop.services.common import i18n


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> SyncedSandbox:
    return sync_sandbox(tmp_path_factory.mktemp("report-cli"))


@pytest.fixture
def config(synced: SyncedSandbox, tmp_path: Path, qapp) -> Iterator[Path]:
    url = synced.copy_to(tmp_path)
    path = tmp_path / "config.toml"
    path.write_text(
        f'store_url = "{url}"\n\n[[profiles]]\nname = "{PROFILE}"\nurl = "http://127.0.0.1:9"\n'
        '\n[[profiles]]\nname = "empty"\nurl = "http://127.0.0.1:9"\n',
        encoding="utf-8",
    )
    yield path
    i18n.install_translator(None)
    install_qt_language("en")


def run(config: Path, *extra: str) -> int:
    return main(
        [
            "--config",
            str(config),
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            *extra,
        ]
    )


def test_the_sub_command_is_listed() -> None:
    assert "report" in SUBCOMMANDS


@pytest.mark.parametrize("suffix", ["html", "pdf"])
def test_a_report_is_written_and_exits_0(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    out = tmp_path / f"informe.{suffix}"
    code = run(
        config,
        *("--profile", PROFILE, "--email", COORDINATOR),
        *("--community", "Rochapea Solidaria", "--out", str(out), "--lang", "es"),
    )
    assert code == 0, capsys.readouterr().err
    assert out.stat().st_size > 1000
    assert capsys.readouterr().out.strip() == str(out)
    head = out.read_bytes()[:200]
    assert head.startswith(b"%PDF") if suffix == "pdf" else b'<html lang="es">' in head


@pytest.mark.parametrize(
    ("profile", "email"),
    [("empty", COORDINATOR), (PROFILE, "nadie@comunidad.local")],
)
def test_no_data_for_the_profile_and_account_exits_1_with_the_hint(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], profile: str, email: str
) -> None:
    out = tmp_path / "r.html"
    assert run(config, "--profile", profile, "--email", email, "--out", str(out)) == 1
    err = capsys.readouterr().err
    assert "viva-desktop sync" in err
    assert profile in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--out", "r.docx"), "FILE.html or FILE.pdf"),
        (("--out", "r.html", "--community", "Atlántida"), "no community 'Atlántida'"),
        (("--out", "r.html", "--lang", "fr"), "invalid choice"),
        (("--out", "r.html", "--profile", "nowhere"), "no profile named 'nowhere'"),
    ],
)
def test_bad_arguments_exit_2(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], extra, message: str
) -> None:
    args = ["--profile", PROFILE, "--email", COORDINATOR, *extra]
    if "--out" in extra:
        position = args.index("--out") + 1
        args[position] = str(tmp_path / args[position])
    assert run(config, *args) == 2
    assert message in capsys.readouterr().err


def test_bad_dates_and_missing_arguments_exit_2(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--config", str(config), "--profile", PROFILE, "--email", COORDINATOR]
    assert main([*base, "--from", "2026-13-01", "--to", "2026-12-31", "--out", "r.pdf"]) == 2
    assert "2026-01-31" in capsys.readouterr().err
    assert main([*base, "--from", "2026-02-01", "--to", "2026-01-01", "--out", "r.pdf"]) == 2
    assert "before it starts" in capsys.readouterr().err
    assert main([*base, "--from", "2026-01-01", "--out", "r.pdf"]) == 2
    assert "--to" in capsys.readouterr().err

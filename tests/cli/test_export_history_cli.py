"""`viva-desktop export` and `viva-desktop history`: read only the local store (no network),
show exactly one account's view, and exit 0 done, 1 not written, 2 bad arguments — on SQLite
and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from viva_desktop.cli import SUBCOMMANDS
from viva_desktop.cli import export as export_cli
from viva_desktop.cli import history as history_cli
from viva_desktop.services.local.store import accounts, audit, open_store
from viva_desktop.services.local.store.views import BROWSER_COLUMNS

ADMIN, MARIA = "u-admin", "u-maria"
PROFILE = "sandbox"


def tx(tx_id: str, user: str, amount: int) -> dict:
    return {
        "id": tx_id,
        "userId": user,
        "amount": amount,
        "balance": amount,
        "reason": "ADMIN_GRANT",
        "description": "=HYPERLINK()",
        "createdAt": "2026-11-01T10:00:00.000Z",
    }


@pytest.fixture
def config(store_url: str, tmp_path: Path) -> Path:
    with open_store(store_url, attempts=1) as store:
        accounts.remember(store, PROFILE, ADMIN, email="admin@comunidad.local", role="ADMIN")
        accounts.remember(store, PROFILE, MARIA, email="maria@comunidad.local")
        store.upsert(
            "credit_transactions", PROFILE, [tx("t1", ADMIN, 5), tx("t2", ADMIN, 7)], account=ADMIN
        )
        store.upsert("credit_transactions", PROFILE, [tx("t3", MARIA, 2)], account=MARIA)
        store.upsert("offers", PROFILE, [{"id": "o1", "title": "Huerto", "status": "ACTIVE"}])
        for account, record_id, outcome, at in (
            (ADMIN, "o1", "sent", datetime(2026, 12, 1, 10, 2, tzinfo=UTC)),
            (MARIA, "o1", "failed", datetime(2026, 12, 3, 9, 0, tzinfo=UTC)),
        ):
            audit.record_write(
                store,
                profile=PROFILE,
                account=account,
                entity="offers",
                record_id=record_id,
                action="update",
                outcome=outcome,
                before={"title": "Huerto"},
                after={"title": f"Huerto de {account}"},
                request_id=f"req-{account}",
                at=at,
            )
    path = tmp_path / "config.toml"
    path.write_text(
        f'store_url = "{store_url}"\n\n[[profiles]]\nname = "{PROFILE}"\n'
        'url = "http://127.0.0.1:9"\n',
        encoding="utf-8",
    )
    return path


def test_both_sub_commands_are_listed() -> None:
    assert {"export", "history"} <= set(SUBCOMMANDS)


def test_export_json_holds_exactly_the_accounts_rows(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--config", str(config), "--profile", PROFILE, "--entity", "credit_transactions"]
    assert export_cli.main([*args, "--email", "maria@comunidad.local", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == ["t3"]
    assert set(rows[0]) == {"id", *BROWSER_COLUMNS["credit_transactions"]}
    assert rows[0]["amount"] == 2
    assert export_cli.main([*args, "--email", "ADMIN@comunidad.local", "--format", "json"]) == 0
    assert sorted(r["id"] for r in json.loads(capsys.readouterr().out)) == ["t1", "t2"]


def test_export_csv_to_a_file(config: Path, tmp_path: Path) -> None:
    out = tmp_path / "offers.csv"
    code = export_cli.main(
        [
            "--config",
            str(config),
            "--profile",
            PROFILE,
            "--email",
            "maria@comunidad.local",
            "--entity",
            "offers",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["id", *BROWSER_COLUMNS["offers"]]
    assert [r[0] for r in rows[1:]] == ["o1"]  # public data: the same for every account


def test_export_neutralises_formulas(config: Path, tmp_path: Path) -> None:
    out = tmp_path / "t.csv"
    export_cli.main(
        [
            "--config",
            str(config),
            "--profile",
            PROFILE,
            "--email",
            "maria@comunidad.local",
            "--entity",
            "credit_transactions",
            "--out",
            str(out),
        ]
    )
    assert "'=HYPERLINK()" in out.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--entity", "credit_transactions"], "--email"),
        (["--email", "maria@comunidad.local", "--entity", "nope"], "--entity"),
        (["--email", "nadie@comunidad.local", "--entity", "offers"], "never signed in"),
        (["--email", "maria@comunidad.local", "--entity", "offers", "--format", "xml"], "--format"),
    ],
)
def test_export_bad_arguments_exit_2(
    config: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    assert export_cli.main(["--config", str(config), "--profile", PROFILE, *extra]) == 2
    assert message in capsys.readouterr().err


def test_export_needs_a_known_profile_and_config(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--email", "maria@comunidad.local", "--entity", "offers"]
    assert export_cli.main(["--config", str(config), "--profile", "otro", *base]) == 2
    assert "no profile named 'otro'" in capsys.readouterr().err
    missing = tmp_path / "missing.toml"
    assert export_cli.main(["--config", str(missing), "--profile", PROFILE, *base]) == 2


def test_export_that_cannot_be_written_exits_1(config: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    code = export_cli.main(
        [
            "--config",
            str(config),
            "--profile",
            PROFILE,
            "--email",
            "maria@comunidad.local",
            "--entity",
            "offers",
            "--out",
            str(blocker / "out.csv"),
        ]
    )
    assert code == 1


def test_history_lists_the_trail_with_filters(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--config", str(config), "--profile", PROFILE]
    assert history_cli.main([*base, "--json"]) == 0
    events = json.loads(capsys.readouterr().out)
    assert [(e["accountEmail"], e["outcome"]) for e in events] == [
        ("maria@comunidad.local", "failed"),
        ("admin@comunidad.local", "sent"),
    ]
    assert events[1]["fields"] == ["title"]
    assert events[1]["requestId"] == "req-u-admin"
    assert history_cli.main([*base, "--email", "admin@comunidad.local", "--json"]) == 0
    assert [e["account"] for e in json.loads(capsys.readouterr().out)] == [ADMIN]
    assert history_cli.main([*base, "--since", "2026-12-02", "--json"]) == 0
    assert [e["account"] for e in json.loads(capsys.readouterr().out)] == [MARIA]
    assert history_cli.main([*base, "--entity", "offers", "--id", "o1"]) == 0
    text = capsys.readouterr().out
    assert "admin@comunidad.local  update offers o1  sent  [request req-u-admin]" in text
    assert 'title: "Huerto" -> "Huerto de u-admin"' in text
    assert history_cli.main([*base, "--entity", "events"]) == 0
    assert "No writes recorded." in capsys.readouterr().out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--since", "ayer"], "--since"),
        (["--id", "o1"], "--id needs --entity"),
        (["--email", "nadie@x"], "never signed in"),
        (["--bogus"], "unrecognized arguments"),
    ],
)
def test_history_bad_arguments_exit_2(
    config: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    assert history_cli.main(["--config", str(config), "--profile", PROFILE, *extra]) == 2
    assert message in capsys.readouterr().err

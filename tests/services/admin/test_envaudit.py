"""The `.env` audit: dotenv-style parsing, the server's start-up rules, the traps, masking."""

from __future__ import annotations

from pathlib import Path

import pytest

from viva_desktop.services.admin.envaudit import (
    MASK,
    audit_env,
    audit_env_file,
    audit_env_text,
    masked_items,
    parse_env,
    secret_strength_bits,
)
from viva_desktop.services.common.i18n import install_translator
from viva_desktop.services.common.report import AuditReport, Severity

GOOD_SECRET = "q8V2rX9mZt4LwK7pB3nYc6HsJ1dF5gA0eUoRiTvN"  # 40 random-looking characters

# A complete production file: the baseline every rule test changes one thing in.
BASE: dict[str, str] = {
    "NODE_ENV": "production",
    "DATABASE_URL": "postgresql://viva:s3cret@db.internal:5432/viva",
    "JWT_SECRET": GOOD_SECRET,
    "FRONTEND_URL": "https://viva.example.org",
    "SMTP_HOST": "smtp.example.org",
    "SMTP_PORT": "587",
    "SMTP_USER": "mailer",
    "SMTP_PASS": "mail-pass",
    "S3_BUCKET": "viva-uploads",
    "S3_ACCESS_KEY": "AKIAEXAMPLE",
    "S3_SECRET_KEY": "s3-secret-key",
    "S3_REGION": "eu-west-1",
    "SENTRY_DSN": "https://abc123@o1.ingest.sentry.io/42",
    "REDIS_URL": "redis://redis.internal:6379",
}


def with_(**changes: str | None) -> dict[str, str]:
    env = dict(BASE)
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def keys_at(report: AuditReport, severity: Severity) -> set[str]:
    return {f.key for f in report.findings if f.severity is severity}


def test_the_baseline_is_clean() -> None:
    report = audit_env(BASE)
    assert report.findings == []
    assert report.summary == {
        "database": True,
        "jwt": True,
        "smtp": True,
        "s3": True,
        "sentry": True,
        "redis": True,
        "production": True,
        "would_start": True,
    }


# (case id, changes to the baseline, expected severity, expected finding key, would_start)
RULES = [
    ("missing DATABASE_URL", {"DATABASE_URL": None}, Severity.ERROR, "DATABASE_URL", False),
    ("empty DATABASE_URL", {"DATABASE_URL": ""}, Severity.ERROR, "DATABASE_URL", False),
    ("missing JWT_SECRET", {"JWT_SECRET": None}, Severity.ERROR, "JWT_SECRET", False),
    ("missing NODE_ENV", {"NODE_ENV": None}, Severity.ERROR, "NODE_ENV", True),
    (
        "postgres:// scheme",
        {"DATABASE_URL": "postgres://u:p@h/db"},
        Severity.ERROR,
        "DATABASE_URL",
        False,
    ),
    ("mysql scheme", {"DATABASE_URL": "mysql://u:p@h/db"}, Severity.ERROR, "DATABASE_URL", False),
    ("short JWT secret", {"JWT_SECRET": "x" * 31}, Severity.ERROR, "JWT_SECRET", False),
    ("weak JWT secret", {"JWT_SECRET": "a" * 40}, Severity.WARNING, "JWT_SECRET", True),
    (
        "placeholder JWT secret",
        {"JWT_SECRET": "your-super-secret-jwt-key-change-in-production"},
        Severity.WARNING,
        "JWT_SECRET",
        True,
    ),
    ("missing FRONTEND_URL", {"FRONTEND_URL": None}, Severity.WARNING, "FRONTEND_URL", True),
    ("missing SENTRY_DSN", {"SENTRY_DSN": None}, Severity.WARNING, "SENTRY_DSN", True),
    (
        "no SMTP at all",
        {"SMTP_HOST": None, "SMTP_PORT": None, "SMTP_USER": None, "SMTP_PASS": None},
        Severity.WARNING,
        "SMTP",
        True,
    ),
    ("SMTP partly set", {"SMTP_PASS": None}, Severity.WARNING, "SMTP", True),
    (
        "no S3 at all",
        {"S3_BUCKET": None, "S3_ACCESS_KEY": None, "S3_SECRET_KEY": None, "S3_REGION": None},
        Severity.WARNING,
        "S3",
        True,
    ),
    ("S3 partly set", {"S3_REGION": None}, Severity.WARNING, "S3", True),
    (
        "AWS names instead of S3",
        {"S3_BUCKET": None, "AWS_S3_BUCKET": "viva"},
        Severity.WARNING,
        "AWS_S3_BUCKET",
        True,
    ),
    ("AWS name next to S3 name", {"AWS_REGION": "eu-west-1"}, Severity.INFO, "AWS_REGION", True),
    (
        "development on a deployed server",
        {"NODE_ENV": "development"},
        Severity.WARNING,
        "NODE_ENV",
        True,
    ),
    (
        "development on a laptop",
        {"NODE_ENV": "development", "FRONTEND_URL": "http://localhost:3000"},
        Severity.INFO,
        "NODE_ENV",
        True,
    ),
    ("Production in capitals", {"NODE_ENV": "Production"}, Severity.WARNING, "NODE_ENV", True),
    ("CORS wildcard", {"CORS_ORIGIN": "*"}, Severity.WARNING, "CORS_ORIGIN", True),
    (
        "plain http front end",
        {"FRONTEND_URL": "http://viva.example.org"},
        Severity.WARNING,
        "FRONTEND_URL",
        True,
    ),
    ("not an origin", {"CORS_ORIGIN": "viva.example.org"}, Severity.WARNING, "CORS_ORIGIN", True),
    ("no Redis", {"REDIS_URL": None}, Severity.WARNING, "REDIS_URL", True),
    (
        "refresh tokens born expired",
        {"JWT_REFRESH_TOKEN_EXPIRATION": "12h"},
        Severity.ERROR,
        "JWT_REFRESH_TOKEN_EXPIRATION",
        True,
    ),
    (
        "unreadable refresh lifetime",
        {"JWT_REFRESH_TOKEN_EXPIRATION": "one week"},
        Severity.WARNING,
        "JWT_REFRESH_TOKEN_EXPIRATION",
        True,
    ),
    ("bad port", {"PORT": "http"}, Severity.WARNING, "PORT", True),
]


@pytest.mark.parametrize(
    ("changes", "severity", "key", "would_start"),
    [pytest.param(c, s, k, w, id=i) for i, c, s, k, w in RULES],
)
def test_rule(
    changes: dict[str, str | None], severity: Severity, key: str, would_start: bool
) -> None:
    report = audit_env(with_(**changes))
    assert key in keys_at(report, severity), [(f.severity, f.key) for f in report.findings]
    assert report.summary["would_start"] is would_start
    finding = next(f for f in report.findings if f.key == key and f.severity is severity)
    assert finding.message


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"JWT_REFRESH_TOKEN_EXPIRATION": "1d"}, id="one day is enough"),
        pytest.param({"JWT_REFRESH_TOKEN_EXPIRATION": "48h"}, id="hours adding up to days"),
        pytest.param({"CORS_ORIGIN": "https://a.example,https://b.example"}, id="origin list"),
        pytest.param({"FRONTEND_URL": "http://127.0.0.1:3000"}, id="http on loopback"),
        pytest.param({"JWT_SECRET": "x" * 31 + "Z"}, id="exactly 32 is long enough to start"),
    ],
)
def test_acceptable_values_raise_no_error(changes: dict[str, str]) -> None:
    report = audit_env(with_(**changes))
    touched = set(changes)
    assert not [f for f in report.errors if f.key in touched]
    assert report.summary["would_start"]


def test_errors_outside_production_do_not_stop_the_server_but_a_short_jwt_does() -> None:
    development = with_(NODE_ENV="development", DATABASE_URL="postgres://u:p@h/db")
    assert audit_env(development).summary["would_start"] is True
    assert (
        audit_env(with_(NODE_ENV="production", DATABASE_URL="postgres://u:p@h/db")).summary[
            "would_start"
        ]
        is False
    )
    short = with_(NODE_ENV="development", JWT_SECRET="short")
    assert audit_env(short).summary["would_start"] is False
    no_env = with_(NODE_ENV=None)
    report = audit_env(no_env)
    assert report.summary["production"] is False
    assert report.summary["would_start"] is True  # missing NODE_ENV is not production: not fatal


def test_summary_mirrors_the_servers_own_booleans() -> None:
    report = audit_env({"SMTP_HOST": "h", "S3_BUCKET": "b", "REDIS_URL": "redis://r"})
    assert report.summary == {
        "database": False,
        "jwt": False,
        "smtp": False,  # needs SMTP_HOST and SMTP_USER
        "s3": False,  # needs S3_BUCKET and S3_ACCESS_KEY
        "sentry": False,
        "redis": True,
        "production": False,
        "would_start": False,  # no JWT secret
    }


def test_deployed_can_be_forced_either_way() -> None:
    laptop = with_(NODE_ENV="development", FRONTEND_URL="http://localhost:3000")
    assert "NODE_ENV" in keys_at(audit_env(laptop, deployed=True), Severity.WARNING)
    public = with_(NODE_ENV="development")
    assert "NODE_ENV" in keys_at(audit_env(public, deployed=False), Severity.INFO)


# --------------------------------------------------------------------------- parsing


def test_parser_reads_like_dotenv() -> None:
    text = "\n".join(
        [
            "\ufeff# a comment",
            "",
            "export NODE_ENV=production",
            "PLAIN = spaced value   ",
            "SINGLE='it''s literal \\n'",
            'DOUBLE="line one\\nline two"',
            "EQUALS=a=b=c",
            "EMPTY=",
            "COMMENTED=value # trailing comment",
            'QUOTED_HASH="pa#ss"',
            "COLON: yes",
            'MULTI="first',
            'second"',
            "AFTER=1",
        ]
    )
    parsed = parse_env(text)
    assert parsed.values == {
        "NODE_ENV": "production",
        "PLAIN": "spaced value",
        "SINGLE": "it",
        "DOUBLE": "line one\nline two",
        "EQUALS": "a=b=c",
        "EMPTY": "",
        "COMMENTED": "value",
        "QUOTED_HASH": "pa#ss",
        "COLON": "yes",
        "MULTI": "first\nsecond",
        "AFTER": "1",
    }
    assert parsed.lines["AFTER"] == 14
    # The stray text after 'it' is reported; nothing else is.
    assert [p.key for p in parsed.problems] == ["SINGLE"]


def test_parser_reports_duplicates_invalid_lines_and_truncating_hashes() -> None:
    text = "A=1\nthis is not an assignment\nB=pass#word\nA=2\n9=bad\nC='never closed\nD=4\n"
    parsed = parse_env(text)
    assert parsed.values["A"] == "2"  # the last one wins, as in dotenv
    assert parsed.values["B"] == "pass"  # what the server really gets
    assert parsed.values["D"] == "4"  # parsing resumes after the unclosed quote
    by_line = {p.line: p for p in parsed.problems}
    assert by_line[2].key is None
    assert "Line 2" in by_line[2].message
    assert by_line[3].key == "B"
    assert "#" in by_line[3].message
    assert by_line[4].key == "A"
    assert "lines 1, 4" in by_line[4].message
    assert by_line[6].key == "C"
    report = audit_env(parsed)
    assert {"A", "B", "C"} <= keys_at(report, Severity.WARNING)
    assert any(f.key.startswith("line 2") for f in report.warnings)


def test_a_hash_in_an_unquoted_secret_can_make_it_too_short(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text(
        "NODE_ENV=production\nDATABASE_URL=postgresql://u:p@h/db\n"
        "JWT_SECRET=abcdefghijklmnop#qrstuvwxyz0123456789\n",
        encoding="utf-8",
    )
    report = audit_env_file(path)
    messages = [f.message for f in report.findings if f.key == "JWT_SECRET"]
    assert any("#" in m for m in messages)
    assert any("16 characters" in m for m in messages)
    assert report.summary["would_start"] is False


def test_crlf_files_and_the_text_entry_point() -> None:
    report = audit_env_text(
        "NODE_ENV=production\r\nDATABASE_URL=postgresql://u:p@h/db\r\nJWT_SECRET=" + GOOD_SECRET
    )
    assert report.ok
    assert report.summary["would_start"] is True


def test_entropy_estimate_orders_secrets_sensibly() -> None:
    assert secret_strength_bits("") == 0
    assert secret_strength_bits("a" * 64) == 0
    assert secret_strength_bits(GOOD_SECRET) > 150
    assert secret_strength_bits("abab" * 10) < secret_strength_bits(GOOD_SECRET)


def test_messages_go_through_the_translator() -> None:
    seen: list[tuple[str, str]] = []

    def spanish(context: str, text: str) -> str:
        seen.append((context, text))
        return "ES:" + text

    install_translator(spanish)
    try:
        report = audit_env(with_(JWT_SECRET=None))
    finally:
        install_translator(None)
    assert all(f.message.startswith("ES:") for f in report.findings)
    assert {context for context, _ in seen} == {"EnvAudit"}


# --------------------------------------------------------------------------- masking


@pytest.mark.parametrize(
    ("key", "value", "shown", "secret"),
    [
        ("JWT_SECRET", GOOD_SECRET, MASK, True),
        ("SMTP_PASS", "mail-pass", MASK, True),
        ("S3_ACCESS_KEY", "AKIAEXAMPLE", MASK, True),
        ("POLYGON_PRIVATE_KEY", "0xabc", MASK, True),
        ("GITHUB_TOKEN", "ghp_x", MASK, True),
        ("SMTP_PASS", "", "", True),
        (
            "DATABASE_URL",
            "postgresql://viva:s3cret@db:5432/viva",
            f"postgresql://viva:{MASK}@db:5432/viva",
            True,
        ),
        ("REDIS_URL", "redis://:pw@r:6379/0", f"redis://:{MASK}@r:6379/0", True),
        ("REDIS_URL", "redis://localhost:6379", "redis://localhost:6379", False),
        (
            "SENTRY_DSN",
            "https://abc123@o1.ingest.sentry.io/42",
            f"https://{MASK}@o1.ingest.sentry.io/42",
            True,
        ),
        ("API_URL", "https://h/x?token=abc&a=1", f"https://h/x?token={MASK}&a=1", True),
        # A password cut short by an unquoted '#': what is left must not show either.
        ("DATABASE_URL", "postgres://viva:pa", f"postgres://viva:{MASK}", True),
        ("API_URL", "http://[::1]:4000", "http://[::1]:4000", False),
        ("JWT_ACCESS_TOKEN_EXPIRATION", "15m", "15m", False),
        ("NODE_ENV", "production", "production", False),
    ],
)
def test_masking(key: str, value: str, shown: str, secret: bool) -> None:
    (item,) = masked_items({key: value})
    assert (item.key, item.display_value, item.secret) == (key, shown, secret)


def test_masked_items_keep_file_order_and_never_show_secrets() -> None:
    parsed = parse_env("\n".join(f"{k}={v}" for k, v in BASE.items()))
    items = masked_items(parsed)
    assert [i.key for i in items] == list(BASE)
    shown = " ".join(i.display_value for i in items)
    for secret in (GOOD_SECRET, "s3cret", "mail-pass", "s3-secret-key", "abc123", "AKIAEXAMPLE"):
        assert secret not in shown

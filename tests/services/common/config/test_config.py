"""Settings: layers and precedence, robustness to bad input, safe saving, and the audit."""

from __future__ import annotations

import re
import stat
import tomllib
from pathlib import Path

import pytest

from viva_desktop.services.common import paths
from viva_desktop.services.common.config import (
    SANDBOX_PROFILE_NAME,
    SANDBOX_URL,
    SentrySettings,
    ServerProfile,
    Settings,
    is_loopback_host,
    load_settings,
    redact_url,
    sandbox_profile,
    save_settings,
    validate_settings,
)
from viva_desktop.services.common.report import Severity


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    return tmp_path / "config" / "config.toml"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def keys(findings: list) -> set[str]:
    return {f.key for f in findings}


# --------------------------------------------------------------------------- loading


def test_defaults_without_a_file(config_path: Path) -> None:
    settings = load_settings(config_path)
    assert settings.load_findings == []
    assert [p.name for p in settings.profiles] == [SANDBOX_PROFILE_NAME]
    assert settings.profiles[0].url == SANDBOX_URL
    assert settings.profiles[0].is_sandbox
    assert settings.active() == sandbox_profile()
    assert settings.store_url == f"sqlite:///{paths.default_store_path()}"
    assert (settings.store_connect_attempts, settings.log.level) == (5, "INFO")
    assert settings.sentry.dsn is None
    assert settings.health.poll_interval_s == 15
    assert settings.ui.language == "system"
    assert not settings.first_run_done
    assert validate_settings(settings).ok


def test_default_location_is_the_per_user_config_dir() -> None:
    settings = load_settings()
    assert settings.source_path == paths.config_file()


def test_precedence_defaults_file_env_overrides(
    config_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        config_path,
        """
        store_connect_attempts = 7
        [log]
        level = "WARNING"
        console = false
        [health]
        poll_interval_s = 30
        """,
    )
    monkeypatch.setenv("VIVA_LOG__LEVEL", "debug")
    monkeypatch.setenv("VIVA_STORE_URL", "postgresql+psycopg://viva@db.example.org/viva")
    monkeypatch.setenv("VIVA_HEALTH__POLL_INTERVAL_S", "20")
    settings = load_settings(config_path, overrides={"log.level": "ERROR", "ui": {"lang": None}})
    assert settings.store_connect_attempts == 7  # file over default
    assert settings.log.console is False  # file, untouched by the other layers
    assert settings.health.poll_interval_s == 20  # environment over file
    assert settings.store_url == "postgresql+psycopg://viva@db.example.org/viva"
    assert settings.log.level == "ERROR"  # override over environment
    assert settings.load_findings == []


def test_overrides_accept_nested_dicts_and_skip_none(config_path: Path) -> None:
    settings = load_settings(
        config_path,
        overrides={"store_url": None, "log": {"json_file": False}, "active_profile": None},
    )
    assert settings.log.json_file is False
    assert settings.store_url.startswith("sqlite:///")


def test_settings_class_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIVA_SENTRY__SAMPLE_RATE", "0.25")
    assert Settings().sentry.sample_rate == 0.25


def test_profiles_from_the_file(config_path: Path) -> None:
    write(
        config_path,
        """
        active_profile = "Producción"
        [[profiles]]
        name = "Producción"
        url = "https://api.comunidad.example/"
        account = " admin@comunidad.example "
        timeout = 45
        [[profiles]]
        name = "Local"
        url = "http://127.0.0.1:4000"
        """,
    )
    settings = load_settings(config_path)
    production = settings.active()
    assert production is not None
    assert production.url == "https://api.comunidad.example"
    assert production.account == "admin@comunidad.example"
    assert production.timeout == 45
    assert settings.profile("Local") is not None
    report = validate_settings(settings)
    assert report.errors == []
    assert report.warnings == []


def test_broken_toml_names_the_line_and_starts_on_defaults(
    config_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(config_path, 'first_run_done = true\n[log]\nlevel = "DEBUG\n')
    monkeypatch.setenv("VIVA_UI__THEME", "dark")
    settings = load_settings(config_path)
    assert settings.first_run_done is False  # nothing from the broken file
    assert settings.ui.theme == "dark"  # the other layers still apply
    [finding] = settings.load_findings
    assert finding.severity is Severity.ERROR
    assert "line 3, column " in finding.message
    assert re.search(r"config\.toml:3:\d+$", finding.key)
    assert settings.file_problem == finding
    report = validate_settings(settings)
    assert not report.ok
    assert report.summary["config_file"] is False


def test_unreadable_file_is_reported(config_path: Path) -> None:
    config_path.mkdir(parents=True)  # a directory where the file should be
    settings = load_settings(config_path)
    assert [f.severity for f in settings.load_findings] == [Severity.ERROR]


def test_bad_values_fall_back_one_by_one(config_path: Path) -> None:
    write(
        config_path,
        """
        store_url = "mysql://viva@db/viva"
        store_connect_attempts = 0
        colour = "blue"
        [log]
        level = "LOUD"
        console = false
        [sentry]
        sample_rate = 1.5
        [[profiles]]
        name = "Good"
        url = "https://good.example"
        [[profiles]]
        name = "Bad"
        url = "ftp://files.example"
        [[profiles]]
        url = "https://nameless.example"
        """,
    )
    settings = load_settings(config_path)
    assert [p.name for p in settings.profiles] == ["Good"]  # the broken ones are left out
    assert settings.store_url.startswith("sqlite:///")
    assert settings.store_connect_attempts == 5
    assert settings.log.level == "INFO"
    assert settings.log.console is False  # the valid sibling value survives
    assert settings.sentry.sample_rate == 1.0
    found = {f.key: f for f in settings.load_findings}
    assert {
        "config.toml: store_url",
        "config.toml: store_connect_attempts",
        "config.toml: colour",
        "config.toml: log.level",
        "config.toml: sentry.sample_rate",
        "config.toml: profiles[1].url",
        "config.toml: profiles[2].name",
    } == set(found)
    assert found["config.toml: colour"].severity is Severity.WARNING
    assert "PostgreSQL" in found["config.toml: store_url"].message


def test_bad_environment_values_are_reported_by_variable(
    config_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        config_path,
        '[log]\nlevel = "WARNING"\n[[profiles]]\nname = "A"\nurl = "https://a.example"\n',
    )
    monkeypatch.setenv("VIVA_LOG__LEVEL", "chatty")
    monkeypatch.setenv("VIVA_PROFILES", '[{"name": "B",')
    monkeypatch.setenv("VIVA_HEALTH__NOTIFY", "maybe")
    settings = load_settings(config_path)
    assert settings.log.level == "WARNING"  # the file's value, not the default
    assert [p.name for p in settings.profiles] == ["A"]
    assert keys(settings.load_findings) == {
        "VIVA_LOG__LEVEL",
        "VIVA_PROFILES",
        "VIVA_HEALTH__NOTIFY",
    }


def test_profiles_from_the_environment_as_json(
    config_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VIVA_PROFILES", '[{"name": "CI", "url": "http://127.0.0.1:4100"}]')
    settings = load_settings(config_path)
    assert [(p.name, p.url) for p in settings.profiles] == [("CI", "http://127.0.0.1:4100")]


@pytest.mark.parametrize(
    ("url", "stored"),
    [
        ("sqlite:///tmp/x.sqlite3", "sqlite:///tmp/x.sqlite3"),
        ("SQLITE:///tmp/x.sqlite3", "sqlite:///tmp/x.sqlite3"),
        ("postgresql+psycopg://viva@db/viva", "postgresql+psycopg://viva@db/viva"),
        ("postgresql://viva@db/viva", "postgresql+psycopg://viva@db/viva"),
        ("postgres://viva@db/viva", "postgresql+psycopg://viva@db/viva"),
    ],
)
def test_store_url_schemes(url: str, stored: str) -> None:
    assert load_settings(overrides={"store_url": url}).store_url == stored


@pytest.mark.parametrize(
    "url", ["mysql://viva@db/viva", "postgresql+psycopg2://viva@db/viva", "store.sqlite3"]
)
def test_other_store_schemes_are_refused(url: str) -> None:
    settings = load_settings(overrides={"store_url": url})
    assert settings.store_url.startswith("sqlite:///")
    assert keys(settings.load_findings) == {"store_url"}


# --------------------------------------------------------------------------- saving


def test_save_round_trip_private_and_atomic(config_path: Path) -> None:
    settings = load_settings(config_path)
    settings.profiles.append(
        ServerProfile(name="Prod", url="https://api.example.org", account="admin@example.org")
    )
    settings.active_profile = "Prod"
    settings.log.level = "DEBUG"
    settings.sentry = SentrySettings(dsn="https://public@o1.ingest.example/42", sample_rate=0.5)
    settings.first_run_done = True
    written = save_settings(settings)
    assert written == config_path
    assert stat.S_IMODE(config_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(config_path.parent.stat().st_mode) == 0o700
    assert [p.name for p in config_path.parent.iterdir()] == ["config.toml"]  # no temp left
    again = load_settings(config_path)
    assert again.model_dump() == settings.model_dump()
    assert again.load_findings == []
    assert "store_url" not in tomllib.loads(config_path.read_text())  # defaults stay implicit


def test_save_never_writes_a_database_password(config_path: Path) -> None:
    settings = load_settings(config_path)
    settings.store_url = "postgresql+psycopg://viva:s3cret@db.example.org:5432/viva"
    settings.sentry.dsn = "https://public:oldsecret@sentry.example.org/7"
    save_settings(settings)
    text = config_path.read_text()
    assert "s3cret" not in text
    assert "oldsecret" not in text
    data = tomllib.loads(text)
    assert data["store_url"] == "postgresql+psycopg://viva@db.example.org:5432/viva"
    assert data["sentry"]["dsn"] == "https://public@sentry.example.org/7"


def test_environment_and_command_line_values_are_not_persisted(
    config_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(config_path, '[log]\nlevel = "WARNING"\n')
    monkeypatch.setenv("VIVA_LOG__LEVEL", "DEBUG")
    monkeypatch.setenv("VIVA_HEALTH__MUTED", "true")
    settings = load_settings(config_path, overrides={"store_url": "sqlite:////tmp/once.sqlite3"})
    settings.ui.theme = "dark"  # a real change made in the settings page
    settings.health.muted = False  # changed back by the user: that is a change too
    save_settings(settings)
    data = tomllib.loads(config_path.read_text())
    assert data["log"]["level"] == "WARNING"  # the file's own value is kept
    assert "store_url" not in data
    assert data["ui"]["theme"] == "dark"
    assert "muted" not in data.get("health", {})  # False is the default


def test_saving_leaves_a_broken_file_untouched(config_path: Path) -> None:
    """Issue 17, defect 2: the user's broken file is theirs to fix; an automatic save (the
    e-mail remembered at sign-in) must not replace it with the defaults."""
    write(config_path, "this is = = not toml")
    settings = load_settings(config_path)
    settings.first_run_done = True
    save_settings(settings)
    assert config_path.read_text() == "this is = = not toml"
    assert list(config_path.parent.glob("config.toml.broken-*")) == []


def test_saving_over_a_broken_file_on_request_keeps_a_backup(config_path: Path) -> None:
    write(config_path, "this is = = not toml")
    settings = load_settings(config_path)
    save_settings(settings, replace_broken=True)
    backups = list(config_path.parent.glob("config.toml.broken-*"))
    assert len(backups) == 1
    assert backups[0].read_text() == "this is = = not toml"
    assert load_settings(config_path).load_findings == []


def test_reprs_redact_credentials() -> None:
    settings = Settings(
        store_url="postgresql+psycopg://viva:s3cret@db/viva",
        sentry=SentrySettings(dsn="https://publickey@o1.ingest.example/42"),
    )
    text = repr(settings)
    assert "s3cret" not in text
    assert "publickey" not in text
    assert redact_url("https://k@h/1") == "https://***@h/1"
    assert redact_url("http://h/x") == "http://h/x"


# --------------------------------------------------------------------------- audit


def audit(**fields: object):  # -> AuditReport
    return validate_settings(Settings(**fields))


def finding(report, key: str):  # -> Finding
    return next(f for f in report.findings if f.key == key)


def test_loopback_detection() -> None:
    for host in ("localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]", "api.localhost"):
        assert is_loopback_host(host), host
    for host in ("10.0.0.1", "example.org", "", None, "localhost.example.org"):
        assert not is_loopback_host(host), host


def test_audit_profiles(tmp_path: Path) -> None:
    bundle = tmp_path / "ca.pem"
    report = audit(
        profiles=[
            ServerProfile(name="Plain", url="http://api.example.org"),
            ServerProfile(name="Local", url="http://localhost:4000"),
            ServerProfile(name="NoCheck", url="https://api.example.org", verify_tls=False),
            ServerProfile(name="Bundle", url="https://api.example.org", ca_bundle=bundle),
            ServerProfile(name="Plain", url="https://other.example.org", timeout=5),
            ServerProfile(name="Fake", url="sandbox://embedded"),
        ],
        active_profile="Missing",
    )
    assert finding(report, "profiles[0].url").severity is Severity.WARNING
    assert not any(f.key == "profiles[1].url" for f in report.findings)  # loopback http is fine
    assert finding(report, "profiles[2].verify_tls").severity is Severity.WARNING
    assert finding(report, "profiles[3].ca_bundle").severity is Severity.ERROR
    assert finding(report, "profiles[4].name").severity is Severity.ERROR
    assert finding(report, "profiles[4].timeout").severity is Severity.WARNING
    assert finding(report, "profiles[5].url").severity is Severity.ERROR
    assert finding(report, "active_profile").severity is Severity.ERROR
    assert report.summary["profiles"] is False
    assert report.summary["tls"] is False
    assert report.summary["active_profile"] is False
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    fixed = audit(
        profiles=[ServerProfile(name="B", url="https://api.example.org", ca_bundle=bundle)]
    )
    assert fixed.ok
    assert fixed.summary["tls"] is True


def test_audit_requires_a_profile() -> None:
    report = audit(profiles=[])
    assert finding(report, "profiles").severity is Severity.ERROR
    assert not report.ok


def test_audit_store() -> None:
    report = audit(store_url="postgresql+psycopg://viva:s3cret@db.example.org/viva")
    warning = finding(report, "store_url")
    assert warning.severity is Severity.WARNING
    assert "s3cret" not in warning.message
    assert "PGPASSFILE" in warning.advice
    assert report.summary["postgresql"] is True
    assert not audit(store_url="postgresql+psycopg://viva@db.example.org/").ok  # no database
    assert audit(store_url="postgresql+psycopg://viva@db.example.org/viva").findings == [
        f for f in audit().findings if f.key != "store_url"
    ]


def test_audit_sentry() -> None:
    off = audit()
    assert finding(off, "sentry.dsn").severity is Severity.INFO
    assert off.summary["telemetry"] is False
    bad = audit(sentry=SentrySettings(dsn="not a dsn"))
    assert finding(bad, "sentry.dsn").severity is Severity.ERROR
    good = audit(sentry=SentrySettings(dsn="https://key@o1.ingest.sentry.io/42", send_email=True))
    assert good.ok
    assert good.summary["telemetry"] is True
    assert finding(good, "sentry.send_email").severity is Severity.INFO
    plain = audit(sentry=SentrySettings(dsn="http://key@sentry.example.org/42", sample_rate=0))
    assert finding(plain, "sentry.dsn").severity is Severity.WARNING
    assert finding(plain, "sentry.sample_rate").severity is Severity.WARNING
    assert audit(sentry=SentrySettings(dsn="http://key@127.0.0.1:9000/42")).findings == []


def test_audit_health_interval_against_the_rate_limit() -> None:
    report = audit(health={"poll_interval_s": 2})
    assert finding(report, "health.poll_interval_s").severity is Severity.WARNING
    assert not any(
        f.key.startswith("health") for f in audit(health={"poll_interval_s": 6}).findings
    )

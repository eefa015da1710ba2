"""Start-up paths of the application, driven in-process through the real `Launcher`: the
sandbox demo (the issue-2 first window), first run, resuming a session, offline review,
store problems, screenshots; and `--self-test` in a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import shiboken6

from tests.support.child_env import child_env
from tests.ui.conftest import TEST_PROFILE
from viva_desktop.launch import LaunchOptions
from viva_desktop.sandbox.seed import ADMIN_EMAIL, DEMO_PASSWORD
from viva_desktop.services.common.config import ServerProfile, Settings, load_settings
from viva_desktop.ui.common import worker
from viva_desktop.ui.dialogs.errors import ErrorPresenter
from viva_desktop.ui.dialogs.login import LoginOutcome
from viva_desktop.ui.dialogs.profile import ProfileDialog
from viva_desktop.ui.shell.application import settings_for
from viva_desktop.ui.shell.startup import Launcher

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def launch(qtbot, config_path, tmp_path):
    started: list[tuple[Launcher, ErrorPresenter]] = []

    def start(
        options: LaunchOptions | None = None,
        settings: Settings | None = None,
        *,
        first_run: bool = False,
    ) -> Launcher:
        options = options or LaunchOptions(config_file=config_path)
        if settings is None:
            settings = load_settings(
                config_path, {"store_url": f"sqlite:///{tmp_path / 'store.sqlite3'}"}
            )
        presenter = ErrorPresenter()
        worker.set_default_error_handler(presenter.handle_task_error)
        launcher = Launcher(options, settings, presenter=presenter, first_run=first_run)
        launcher.exits = []  # type: ignore[attr-defined]
        launcher.exit_requested.connect(launcher.exits.append)  # type: ignore[attr-defined]
        started.append((launcher, presenter))
        launcher.start()
        return launcher

    yield start
    for launcher, presenter in started:
        for dialog in presenter.open_dialogs():
            dialog.close()
        for name in ("login", "welcome", "store_dialog", "corruption_notice"):
            widget = getattr(launcher, name, None)
            if widget is not None and shiboken6.isValid(widget):
                widget.close()
        if launcher.window is not None and shiboken6.isValid(launcher.window):
            launcher.window.close()
        launcher.shutdown()
    worker.shutdown(timeout_ms=10_000)
    worker.set_default_error_handler(None)


def visible(widget) -> bool:
    return widget is not None and shiboken6.isValid(widget) and widget.isVisible()


def test_sandbox_mode_shows_the_main_window_with_the_health_status(qtbot, launch, config_path):
    launcher = launch(LaunchOptions(sandbox=True, config_file=config_path))
    with qtbot.waitSignal(launcher.window_ready, timeout=20_000) as ready:
        pass
    window = ready.args[0]
    assert window.current_key == "dashboard"
    dashboard = window.page("dashboard")
    qtbot.waitUntil(lambda: dashboard.sample is not None, timeout=10_000)
    assert dashboard.state_chip.text() == "Healthy"
    assert dashboard.url_label.text().startswith("http://127.0.0.1:")
    context = launcher.context
    assert context.session_info.email == ADMIN_EMAIL
    assert context.session_info.role == "ADMIN"
    assert window.status.user_label.text() == f"{ADMIN_EMAIL} (ADMIN)"
    qtbot.waitUntil(lambda: window.status.online_label.text() == "Online", timeout=5000)
    host = launcher.sandbox
    assert host.running
    assert not config_path.exists()  # the demo leaves the configuration alone
    window.close()
    assert launcher.exits == [0]
    launcher.shutdown()
    assert not host.running  # stopped cleanly on quit


def test_first_run_welcome_starts_the_sandbox(qtbot, launch, config_path) -> None:
    launcher = launch(first_run=True)
    qtbot.waitUntil(lambda: visible(getattr(launcher, "welcome", None)), timeout=10_000)
    welcome = launcher.welcome
    assert "Welcome to Viva Desktop" in welcome.heading.text()
    assert "coordinators and administrators" in welcome.intro.text()
    with qtbot.waitSignal(launcher.window_ready, timeout=20_000):
        welcome.sandbox_button.click()
    assert launcher.settings.first_run_done
    qtbot.waitUntil(
        lambda: config_path.exists() and load_settings(config_path).first_run_done, timeout=5000
    )


def test_first_run_connect_opens_the_login_and_the_profile_editor(qtbot, launch) -> None:
    launcher = launch(first_run=True)
    qtbot.waitUntil(lambda: visible(getattr(launcher, "welcome", None)), timeout=10_000)
    launcher.welcome.connect_button.click()
    qtbot.waitUntil(lambda: visible(launcher.login), timeout=5000)
    editor = launcher.login.findChild(ProfileDialog)
    assert visible(editor)


def test_closing_the_welcome_quits(qtbot, launch) -> None:
    launcher = launch(first_run=True)
    qtbot.waitUntil(lambda: visible(getattr(launcher, "welcome", None)), timeout=10_000)
    launcher.welcome.quit_button.click()
    assert launcher.exits == [0]
    assert not launcher.settings.first_run_done


def test_without_a_remembered_session_the_login_opens(qtbot, launch, config_path, tmp_path):
    settings = load_settings(config_path, {"store_url": f"sqlite:///{tmp_path / 's.sqlite3'}"})
    launcher = launch(settings=settings)
    qtbot.waitUntil(lambda: visible(launcher.login), timeout=10_000)
    assert launcher.window is not None
    assert not launcher.window.isVisible()
    launcher.login.cancel_button.click()
    assert launcher.exits == [0]


def test_login_then_main_window(qtbot, launch, config_path, tmp_path, sandbox_fixed) -> None:
    settings = load_settings(config_path, {"store_url": f"sqlite:///{tmp_path / 's.sqlite3'}"})
    settings.profiles = [
        *settings.profiles,
        ServerProfile(name=TEST_PROFILE, url=sandbox_fixed.url),
    ]
    settings.active_profile = TEST_PROFILE
    launcher = launch(settings=settings)
    qtbot.waitUntil(lambda: visible(launcher.login), timeout=10_000)
    login = launcher.login
    login.email.setText(ADMIN_EMAIL)
    login.password.setText(DEMO_PASSWORD)
    with qtbot.waitSignal(launcher.window_ready, timeout=20_000):
        login.sign_in_button.click()
    assert login.outcome is LoginOutcome.SIGNED_IN


def test_offline_flag_reviews_local_data_without_connecting(qtbot, launch, config_path) -> None:
    launcher = launch(LaunchOptions(offline=True, config_file=config_path))
    with qtbot.waitSignal(launcher.window_ready, timeout=10_000) as ready:
        pass
    window = ready.args[0]
    assert launcher.context.offline_mode
    assert launcher.context.services is None
    assert window.status.online_label.text() == "Offline (local data)"
    assert window.page("dashboard").banner_box.isVisible()


@pytest.mark.keyring
def test_a_remembered_session_skips_the_login(
    qtbot, launch, config_path, tmp_path, sandbox_fixed, secret_service
) -> None:
    import keyring

    from viva_desktop.services.remote.api import Api, ApiClient
    from viva_desktop.services.remote.session import Session
    from viva_desktop.services.remote.vault import KeyringVault

    vault = KeyringVault(keyring.get_keyring())
    with ApiClient(sandbox_fixed.url) as client:
        Session(TEST_PROFILE, Api(client), vault).login(ADMIN_EMAIL, DEMO_PASSWORD)
    try:
        settings = load_settings(config_path, {"store_url": f"sqlite:///{tmp_path / 's.sqlite3'}"})
        settings.profiles = [
            *settings.profiles,
            ServerProfile(name=TEST_PROFILE, url=sandbox_fixed.url, account=ADMIN_EMAIL),
        ]
        settings.active_profile = TEST_PROFILE
        launcher = launch(settings=settings)
        with qtbot.waitSignal(launcher.window_ready, timeout=20_000):
            pass
        assert launcher.login is None  # never asked
        assert launcher.context.session_info.email == ADMIN_EMAIL
        assert launcher.context.vault.persistent
    finally:
        vault.clear(TEST_PROFILE, ADMIN_EMAIL)


def unreachable_store_settings(config_path: Path) -> Settings:
    """A PostgreSQL store where nothing listens, tried once without delay."""
    return load_settings(
        config_path,
        {
            "store_url": "postgresql+psycopg://viva@127.0.0.1:9/nowhere",
            "store_connect_attempts": 1,
            "store_connect_delay": 0,
        },
    )


def test_unreachable_store_offers_a_local_sqlite_store(qtbot, launch, config_path) -> None:
    launcher = launch(settings=unreachable_store_settings(config_path))
    qtbot.waitUntil(lambda: visible(getattr(launcher, "store_dialog", None)), timeout=20_000)
    dialog = launcher.store_dialog
    assert "127.0.0.1:9" in dialog.details.toPlainText()
    assert dialog.sqlite_button.isVisible()
    dialog.sqlite_button.click()
    qtbot.waitUntil(lambda: visible(launcher.login), timeout=20_000)
    assert launcher.context.store.backend == "sqlite"
    assert launcher.settings.store_url.startswith("postgresql")  # for this run only


def test_unreachable_store_quit(qtbot, launch, config_path) -> None:
    launcher = launch(settings=unreachable_store_settings(config_path))
    qtbot.waitUntil(lambda: visible(getattr(launcher, "store_dialog", None)), timeout=20_000)
    launcher.store_dialog.quit_button.click()
    assert launcher.exits == [1]


def test_damaged_store_is_set_aside_and_a_resync_offered(qtbot, launch, config_path, tmp_path):
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\xde\xad" * 4096)
    settings = load_settings(config_path, {"store_url": f"sqlite:///{damaged}"})
    launcher = launch(settings=settings)
    qtbot.waitUntil(lambda: visible(getattr(launcher, "corruption_notice", None)), timeout=20_000)
    notice = launcher.corruption_notice
    moved = notice.recovery.moved_to
    assert str(moved) in notice.message.text()
    assert Path(moved).exists()
    notice.resync_button.click()
    qtbot.waitUntil(lambda: visible(launcher.login), timeout=10_000)


def test_screenshots_of_every_page_and_the_login(qtbot, launch, config_path, tmp_path) -> None:
    shots = tmp_path / "shots"
    launcher = launch(LaunchOptions(sandbox=True, screenshot_dir=shots, config_file=config_path))
    with qtbot.waitSignal(launcher.window_ready, timeout=20_000):
        pass
    qtbot.waitUntil(lambda: hasattr(launcher, "tour"), timeout=5000)
    with qtbot.waitSignal(launcher.tour.finished, timeout=30_000) as done:
        pass
    names = sorted(p.name for p in done.args[0])
    window = launcher.window
    assert names == sorted([f"{spec.key}.png" for spec in window.specs] + ["login.png"])
    assert all((shots / name).stat().st_size > 1000 for name in names)
    assert launcher.exits == []  # keeps running


def test_settings_for_layers_the_command_line_on_top(config_path, tmp_path) -> None:
    options = LaunchOptions(
        config_file=config_path, language="es", store_url=f"sqlite:///{tmp_path / 'x.db'}"
    )
    settings, first_run = settings_for(options)
    assert first_run
    assert settings.ui.language == "es"
    assert settings.store_url.endswith("x.db")


@pytest.mark.slow
def test_self_test_passes_and_exits_zero(tmp_path) -> None:
    result = subprocess.run(
        ["timeout", "120", sys.executable, "-m", "viva_desktop", "--self-test"],
        cwd=ROOT,
        env=child_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=150,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "Result: PASSED" in out
    for check in ("main window", "resources", "translations", "keyring", "store"):
        assert check in out
    assert "'Dashboard' -> 'Panel'" in out


@pytest.mark.slow
def test_self_test_fails_when_the_store_is_unreachable(tmp_path) -> None:
    env = child_env(tmp_path)
    env["VIVA_STORE_CONNECT_ATTEMPTS"] = "1"
    result = subprocess.run(
        [
            "timeout",
            "120",
            sys.executable,
            "-m",
            "viva_desktop",
            "--self-test",
            "--store-url",
            "postgresql+psycopg://viva@127.0.0.1:9/nowhere",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=150,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "[FAIL] store" in result.stdout

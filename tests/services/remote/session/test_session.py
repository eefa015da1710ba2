"""Signing in, keeping the session alive and signing out, against the sandbox over HTTP."""

from __future__ import annotations

import threading

import jwt
import pyotp
import pytest

from tests.services.remote.session.conftest import Rig, RigFactory
from viva_desktop.sandbox import SandboxConfig, SandboxServer
from viva_desktop.sandbox.seed import (
    ADMIN_EMAIL,
    CITIZEN_EMAIL,
    DEMO_PASSWORD,
    TWO_FACTOR_EMAIL,
    TWO_FACTOR_SECRET,
)
from viva_desktop.services.remote.api.errors import (
    AuthExpired,
    InvalidCredentials,
    InvalidTwoFactorCode,
    NetworkUnreachable,
    SessionUnavailable,
    TwoFactorRequired,
)
from viva_desktop.services.remote.session import Session, SessionEvent
from viva_desktop.services.remote.vault import MemoryVault

PROBE = "/auth/email-verification-status"  # the cheapest route that needs a token


def test_login_reads_identity_from_the_token(sandbox: SandboxServer, make_rig: RigFactory) -> None:
    rig = make_rig(sandbox.url)
    info = rig.session.login(ADMIN_EMAIL, DEMO_PASSWORD)
    stored = rig.vault.load("test", ADMIN_EMAIL)
    assert stored is not None
    claims = jwt.decode(stored.access_token, options={"verify_signature": False})
    assert info.user_id == claims["sub"] == rig.session.user_id
    assert info.role == "ADMIN"
    assert info.is_admin
    assert rig.session.is_admin
    assert info.email == ADMIN_EMAIL
    assert info.account == ADMIN_EMAIL
    assert info.name
    # by this machine's clock: receipt time plus the token's lifetime
    assert abs(info.expires_at.timestamp() - claims["exp"]) < 5
    assert rig.session.authenticated
    assert not info.persistent  # a memory vault
    assert rig.session_events == [SessionEvent.LOGGED_IN]
    assert rig.api.auth.email_verification_status().email_verified  # the token is used


def test_citizen_is_not_admin(sandbox: SandboxServer, make_rig: RigFactory) -> None:
    rig = make_rig(sandbox.url)
    info = rig.session.login(CITIZEN_EMAIL, DEMO_PASSWORD)
    assert info.role == "CITIZEN"
    assert not info.is_admin


def test_wrong_password(sandbox: SandboxServer, make_rig: RigFactory) -> None:
    rig = make_rig(sandbox.url)
    with pytest.raises(InvalidCredentials) as caught:
        rig.session.login(ADMIN_EMAIL, "not the password")
    assert caught.value.user_message == "Wrong e-mail address or password."
    assert not rig.session.authenticated
    assert rig.session.info is None
    assert rig.session_events == []


def test_two_factor_login_takes_two_steps(sandbox: SandboxServer, make_rig: RigFactory) -> None:
    rig = make_rig(sandbox.url)
    with pytest.raises(TwoFactorRequired) as step_one:
        rig.session.login(TWO_FACTOR_EMAIL, DEMO_PASSWORD)
    assert step_one.value.temporary_token
    assert not rig.session.authenticated
    with pytest.raises(InvalidTwoFactorCode):
        rig.session.login(TWO_FACTOR_EMAIL, DEMO_PASSWORD, "000000")
    code = pyotp.TOTP(TWO_FACTOR_SECRET).now()
    info = rig.session.login(TWO_FACTOR_EMAIL, DEMO_PASSWORD, code)
    assert info.email == TWO_FACTOR_EMAIL
    assert rig.session.authenticated


def test_requests_without_a_session_are_refused_locally(
    sandbox: SandboxServer, make_rig: RigFactory
) -> None:
    rig = make_rig(sandbox.url)
    with pytest.raises(SessionUnavailable):
        rig.api.auth.email_verification_status()
    assert rig.recorder.events == []  # nothing was sent
    assert rig.api.health.ping().status == "ok"  # public routes still work


def test_refresh_happens_about_a_minute_before_expiry(
    sandbox: SandboxServer, make_rig: RigFactory
) -> None:
    rig = make_rig(sandbox.url)
    rig.session.login(ADMIN_EMAIL, DEMO_PASSWORD)
    first = rig.vault.load("test", ADMIN_EMAIL)
    rig.api.auth.email_verification_status()
    assert rig.calls_to("/auth/refresh") == []
    rig.advance(900 - 50)  # 50 s left of a 15-minute token
    rig.api.auth.email_verification_status()
    assert rig.calls_to("/auth/refresh") == [201]
    assert rig.calls_to(PROBE) == [200, 200]  # no 401 on the way
    assert rig.session_events == [SessionEvent.LOGGED_IN, SessionEvent.REFRESHED]
    second = rig.vault.load("test", ADMIN_EMAIL)
    assert second is not None
    assert first is not None
    assert second.refresh_token != first.refresh_token
    rig.api.auth.email_verification_status()  # the new token is not due yet
    assert rig.calls_to("/auth/refresh") == [201]


def test_short_lived_tokens_use_half_their_lifetime_as_margin(make_rig: RigFactory) -> None:
    with SandboxServer(SandboxConfig(access_token_ttl=70)) as server:
        rig = make_rig(server.url)
        rig.session.login(ADMIN_EMAIL, DEMO_PASSWORD)
        rig.api.auth.email_verification_status()
        assert rig.calls_to("/auth/refresh") == []  # 70 s left > 35 s margin
        rig.advance(40)
        rig.api.auth.email_verification_status()
        assert rig.calls_to("/auth/refresh") == [201]


def test_refused_token_is_refreshed_once_and_the_request_repeated(
    sandbox: SandboxServer, make_rig: RigFactory
) -> None:
    rig = make_rig(sandbox.url)
    rig.session.login(ADMIN_EMAIL, DEMO_PASSWORD)
    sandbox.set_faults(expire_tokens=True)
    status = rig.api.auth.email_verification_status()
    assert status.email_verified is True
    assert rig.calls_to(PROBE) == [401, 200]
    assert rig.calls_to("/auth/refresh") == [201]
    assert rig.session_events == [SessionEvent.LOGGED_IN, SessionEvent.REFRESHED]
    assert rig.recorder.waits == []  # not a back-off retry


def test_refresh_rotates_the_refresh_token(sandbox: SandboxServer, make_rig: RigFactory) -> None:
    rig = make_rig(sandbox.url)
    rig.session.login(ADMIN_EMAIL, DEMO_PASSWORD)
    old = rig.vault.load("test", ADMIN_EMAIL)
    assert old is not None
    rig.session.refresh()
    new = rig.vault.load("test", ADMIN_EMAIL)
    assert new is not None
    assert new.refresh_token != old.refresh_token
    with pytest.raises(AuthExpired):  # the server revoked the one we presented
        rig.api.auth.refresh(old.refresh_token)
    assert rig.api.auth.email_verification_status() is not None  # the session is unaffected


def test_token_refused_even_after_a_refresh_ends_the_session(
    sandbox: SandboxServer, make_rig: RigFactory
) -> None:
    rig = make_rig(sandbox.url)
    rig.session.login(ADMIN_EMAIL, DEMO_PASSWORD)

    def expire_again(event: SessionEvent, info: object) -> None:
        if event is SessionEvent.REFRESHED:
            sandbox.set_faults(expire_tokens=True)  # the fresh token is refused too

    rig.session.add_listener(expire_again)
    sandbox.set_faults(expire_tokens=True)
    with pytest.raises(AuthExpired) as caught:
        rig.api.auth.email_verification_status()
    assert caught.value.user_message == "Session expired. Please login again."
    assert caught.value.next_step == "login"
    assert rig.calls_to(PROBE) == [401, 401]
    assert rig.calls_to("/auth/refresh") == [201]
    assert not rig.session.authenticated
    assert rig.vault.load("test", ADMIN_EMAIL) is None
    assert rig.session_events[-1] is SessionEvent.EXPIRED


def test_revoked_refresh_token_ends_the_session(
    sandbox: SandboxServer, make_rig: RigFactory
) -> None:
    rig = make_rig(sandbox.url)
    rig.session.login(ADMIN_EMAIL, DEMO_PASSWORD)
    stored = rig.vault.load("test", ADMIN_EMAIL)
    assert stored is not None
    rig.api.auth.logout(stored.refresh_token)  # revoked behind the session's back
    sandbox.set_faults(expire_tokens=True)
    with pytest.raises(AuthExpired):
        rig.api.auth.email_verification_status()
    assert rig.calls_to(PROBE) == [401]
    assert rig.calls_to("/auth/refresh") == [401]
    assert rig.session_events == [SessionEvent.LOGGED_IN, SessionEvent.EXPIRED]
    assert rig.vault.load("test", ADMIN_EMAIL) is None


def test_concurrent_requests_share_one_refresh(
    sandbox: SandboxServer, make_rig: RigFactory
) -> None:
    rig = make_rig(sandbox.url)
    rig.session.login(ADMIN_EMAIL, DEMO_PASSWORD)
    sandbox.set_faults(expire_tokens=True)
    start = threading.Barrier(8)
    failures: list[BaseException] = []

    def work() -> None:
        start.wait()
        try:
            rig.api.auth.email_verification_status()
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert rig.calls_to("/auth/refresh") == [201]
    assert rig.session_events.count(SessionEvent.REFRESHED) == 1
    assert rig.calls_to(PROBE).count(200) == 8


def test_concurrent_proactive_refresh_is_single_flight(
    sandbox: SandboxServer, make_rig: RigFactory
) -> None:
    rig = make_rig(sandbox.url)
    rig.session.login(ADMIN_EMAIL, DEMO_PASSWORD)
    rig.advance(880)
    start = threading.Barrier(6)

    def work() -> None:
        start.wait()
        rig.api.auth.email_verification_status()

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert rig.calls_to("/auth/refresh") == [201]
    assert rig.calls_to(PROBE) == [200] * 6


def test_logout_revokes_the_refresh_token(sandbox: SandboxServer, make_rig: RigFactory) -> None:
    rig = make_rig(sandbox.url)
    rig.session.login(ADMIN_EMAIL, DEMO_PASSWORD)
    stored = rig.vault.load("test", ADMIN_EMAIL)
    assert stored is not None
    rig.session.logout()
    assert rig.calls_to("/auth/logout") == [201]
    assert not rig.session.authenticated
    assert rig.vault.load("test", ADMIN_EMAIL) is None
    assert rig.session_events == [SessionEvent.LOGGED_IN, SessionEvent.LOGGED_OUT]
    with pytest.raises(AuthExpired):
        rig.api.auth.refresh(stored.refresh_token)
    rig.session.logout()  # a second logout is a no-op
    assert rig.session_events.count(SessionEvent.LOGGED_OUT) == 1


def test_logout_clears_local_tokens_when_the_server_is_gone(make_rig: RigFactory) -> None:
    server = SandboxServer(SandboxConfig()).start()
    vault = MemoryVault()
    rig = make_rig(server.url, vault)
    rig.session.login(ADMIN_EMAIL, DEMO_PASSWORD)
    server.stop()
    rig.session.logout()
    assert not rig.session.authenticated
    assert vault.load("test", ADMIN_EMAIL) is None
    assert rig.session_events[-1] is SessionEvent.LOGGED_OUT


def test_restore_resumes_a_remembered_session(sandbox: SandboxServer, make_rig: RigFactory) -> None:
    vault = MemoryVault()
    first = make_rig(sandbox.url, vault)
    user_id = first.session.login(ADMIN_EMAIL, DEMO_PASSWORD).user_id
    second = make_rig(sandbox.url, vault)
    assert not second.session.restore("nobody@example.org")
    assert second.session.restore(ADMIN_EMAIL)
    assert second.session.user_id == user_id
    assert second.session_events == [SessionEvent.LOGGED_IN]
    assert second.api.auth.email_verification_status() is not None
    assert second.calls_to("/auth/refresh") == []  # the stored access token was still good


def test_restore_refreshes_an_expired_token(sandbox: SandboxServer, make_rig: RigFactory) -> None:
    vault = MemoryVault()
    make_rig(sandbox.url, vault).session.login(ADMIN_EMAIL, DEMO_PASSWORD)
    later = make_rig(sandbox.url, vault)
    later.advance(3600)  # an hour later, the stored access token has expired
    assert later.session.restore(ADMIN_EMAIL)
    assert later.calls_to("/auth/refresh") == [201]


def test_restore_of_a_revoked_session_fails_and_forgets_it(
    sandbox: SandboxServer, make_rig: RigFactory
) -> None:
    vault = MemoryVault()
    first = make_rig(sandbox.url, vault)
    first.session.login(ADMIN_EMAIL, DEMO_PASSWORD)
    stored = vault.load("test", ADMIN_EMAIL)
    assert stored is not None
    first.api.auth.logout(stored.refresh_token)
    later = make_rig(sandbox.url, vault)
    later.advance(3600)
    assert not later.session.restore(ADMIN_EMAIL)
    assert not later.session.authenticated
    assert vault.load("test", ADMIN_EMAIL) is None


def test_restore_offline_keeps_the_session_for_later(make_rig: RigFactory) -> None:
    server = SandboxServer(SandboxConfig()).start()
    vault = MemoryVault()
    make_rig(server.url, vault).session.login(ADMIN_EMAIL, DEMO_PASSWORD)
    server.stop()
    later = make_rig(server.url, vault)
    later.advance(3600)
    assert later.session.restore(ADMIN_EMAIL)  # cannot check now; will refresh when online
    assert vault.load("test", ADMIN_EMAIL) is not None


def test_a_new_login_replaces_and_revokes_the_previous_one(
    sandbox: SandboxServer, make_rig: RigFactory
) -> None:
    vault = MemoryVault()
    rig = make_rig(sandbox.url, vault)
    rig.session.login(ADMIN_EMAIL, DEMO_PASSWORD)
    old = vault.load("test", ADMIN_EMAIL)
    assert old is not None
    rig.session.login(CITIZEN_EMAIL, DEMO_PASSWORD)
    assert rig.session.email == CITIZEN_EMAIL
    assert vault.load("test", ADMIN_EMAIL) is None
    with pytest.raises(AuthExpired):
        rig.api.auth.refresh(old.refresh_token)


def test_session_becomes_the_clients_auth_provider(sandbox: SandboxServer) -> None:
    from viva_desktop.services.remote.api import Api, ApiClient

    with ApiClient(sandbox.url) as client:
        session = Session("p", Api(client), MemoryVault())
        assert client.auth is session


def test_a_skewed_local_clock_does_not_cause_constant_refreshes(
    sandbox: SandboxServer, make_rig: RigFactory
) -> None:
    rig = make_rig(sandbox.url)
    rig.advance(2 * 3600)  # this machine's clock is two hours ahead of the server's
    info = rig.session.login(ADMIN_EMAIL, DEMO_PASSWORD)
    for _ in range(3):
        rig.api.auth.email_verification_status()
    assert rig.calls_to("/auth/refresh") == []
    assert info.expires_at.timestamp() > rig.session._clock()  # judged by our own clock


def test_two_factor_challenge_carries_request_details(
    sandbox: SandboxServer, make_rig: RigFactory
) -> None:
    rig = make_rig(sandbox.url)
    with pytest.raises(TwoFactorRequired) as caught:
        rig.session.login(TWO_FACTOR_EMAIL, DEMO_PASSWORD)
    assert caught.value.details.request_id == rig.recorder.events[-1].request_id
    assert caught.value.details.path == "/auth/login"


def test_a_refresh_inside_a_request_does_not_nest_retries(make_rig: RigFactory) -> None:
    server = SandboxServer(SandboxConfig()).start()
    rig = make_rig(server.url)
    rig.session.login(ADMIN_EMAIL, DEMO_PASSWORD)
    server.stop()
    rig.advance(3600)  # due, and the server is gone
    with pytest.raises(NetworkUnreachable):
        rig.api.auth.email_verification_status()
    refreshes = rig.calls_to("/auth/refresh")
    assert refreshes == [None] * rig.client.retry_policy.max_attempts  # one per request attempt
    assert rig.session.authenticated  # kept for when the server is back


def _slow_refresh_in_background(
    sandbox: SandboxServer, rig: Rig
) -> tuple[threading.Thread, list[BaseException]]:
    from tests.services.remote.api.conftest import wait_until

    sandbox.set_faults(latency_ms=1500, paths=["/auth/refresh"])
    outcome: list[BaseException] = []

    def refresh() -> None:
        try:
            rig.session.refresh()
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=refresh)
    worker.start()
    wait_until(lambda: rig.session._refreshing.locked())
    return worker, outcome


def test_logout_during_a_refresh_neither_waits_nor_is_undone(
    sandbox: SandboxServer, make_rig: RigFactory
) -> None:
    rig = make_rig(sandbox.url)
    rig.session.login(ADMIN_EMAIL, DEMO_PASSWORD)
    worker, outcome = _slow_refresh_in_background(sandbox, rig)
    rig.session.logout()  # must not wait for the slow refresh
    assert not rig.session.authenticated
    assert rig.calls_to("/auth/refresh") == []  # still in flight
    worker.join(timeout=30)
    # The server revoked the refresh token before the slow refresh presented it.
    assert rig.calls_to("/auth/refresh") == [401]
    assert len(outcome) == 1
    assert isinstance(outcome[0], SessionUnavailable)  # signed out, not "expired"
    assert not rig.session.authenticated
    assert rig.vault.load("test", ADMIN_EMAIL) is None
    assert rig.session_events == [SessionEvent.LOGGED_IN, SessionEvent.LOGGED_OUT]


def test_expiry_during_a_refresh_discards_and_revokes_the_late_tokens(
    sandbox: SandboxServer, make_rig: RigFactory
) -> None:
    rig = make_rig(sandbox.url)
    rig.session.login(ADMIN_EMAIL, DEMO_PASSWORD)
    worker, outcome = _slow_refresh_in_background(sandbox, rig)
    rig.session.mark_expired(AuthExpired())  # e.g. from the GUI thread: must not block
    assert not rig.session.authenticated
    worker.join(timeout=30)
    assert rig.calls_to("/auth/refresh") == [201]
    assert len(outcome) == 1
    assert isinstance(outcome[0], SessionUnavailable)
    assert not rig.session.authenticated  # the late refresh did not bring it back
    assert rig.vault.load("test", ADMIN_EMAIL) is None
    assert rig.calls_to("/auth/logout") == [201]  # the discarded tokens were revoked
    assert SessionEvent.REFRESHED not in rig.session_events

"""The transport against the sandbox over real loopback HTTP: retries, back-off, cancellation,
request ids, logging and rate-limit headers."""

from __future__ import annotations

import logging
import threading

import psutil
import pytest

from tests.services.remote.api.conftest import ClientFactory, Recorder, login, wait_until
from viva_desktop.sandbox import SandboxConfig, SandboxServer
from viva_desktop.sandbox.seed import ADMIN_EMAIL, DEMO_PASSWORD
from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.services.remote.api import Api, ApiClient, RateLimitState, current_request_id
from viva_desktop.services.remote.api.errors import (
    Cancelled,
    InvalidCredentials,
    NetworkUnreachable,
    NotFound,
    RateLimited,
    RequestTimeout,
    ServerError,
    UnknownOutcome,
)
from viva_desktop.services.remote.api.transport import KEEPALIVE_EXPIRY, wants_compression


def post_count(sandbox: SandboxServer, make_client: ClientFactory) -> int:
    reader = make_client(sandbox.url)
    return len(Api(reader).posts.list(limit=1000, offset=0))


@pytest.mark.parametrize("status", [502, 503, 504])
def test_get_is_retried_after_a_gateway_error(
    sandbox: SandboxServer, make_client: ClientFactory, recorder: Recorder, status: int
) -> None:
    client = make_client(sandbox.url)
    sandbox.set_faults(error_rate=1.0, error_status=status, paths=["/health"])
    # The first failure heals the server, so the retry must succeed.
    client.add_listener(lambda event: event.status == status and sandbox.clear_faults())
    response = client.get("/health", authenticated=False)
    assert response.status == 200
    assert [e.status for e in recorder.events] == [status, 200]
    assert [e.error for e in recorder.events] == ["ServerError", None]
    assert len({e.request_id for e in recorder.events}) == 1  # one logical request
    assert [e.attempt for e in recorder.events] == [1, 2]
    assert recorder.waits == [0.5]


def test_persistent_503_gives_up_after_max_attempts_with_exponential_backoff(
    sandbox: SandboxServer, make_client: ClientFactory, recorder: Recorder
) -> None:
    client = make_client(sandbox.url, max_attempts=4, initial_wait=0.5)
    sandbox.set_faults(error_rate=1.0, error_status=503, paths=["/events"])
    with pytest.raises(ServerError) as caught:
        client.get("/events", authenticated=False)
    assert caught.value.details.status == 503
    assert len(recorder.events) == 4
    assert recorder.waits == [0.5, 1.0, 2.0]


def test_seeded_random_errors_are_ridden_out(
    sandbox: SandboxServer, make_client: ClientFactory, recorder: Recorder
) -> None:
    client = make_client(sandbox.url, max_attempts=10)
    sandbox.set_faults(error_rate=0.5, error_status=503, seed=1234, paths=["/health"])
    for _ in range(5):
        assert client.get("/health", authenticated=False).status == 200
    statuses = [e.status for e in recorder.events]
    assert statuses.count(200) == 5
    assert 503 in statuses  # with this seed some attempts did fail and were retried


def test_dropped_connection_on_a_get_is_retried(
    sandbox: SandboxServer, make_client: ClientFactory, recorder: Recorder
) -> None:
    client = make_client(sandbox.url)
    sandbox.set_faults(drop_rate=1.0, paths=["/health"])
    client.add_listener(lambda event: event.status is None and sandbox.clear_faults())
    assert client.get("/health", authenticated=False).status == 200
    assert [e.error for e in recorder.events] == ["NetworkUnreachable", None]


def test_post_is_never_retried_blindly(
    sandbox: SandboxServer, make_client: ClientFactory, recorder: Recorder
) -> None:
    api, _ = login(make_client(sandbox.url), ADMIN_EMAIL, DEMO_PASSWORD)
    before = post_count(sandbox, make_client)
    recorder.events.clear()
    sandbox.set_faults(error_after_write_rate=1.0, paths=["/social/posts"])
    with pytest.raises(UnknownOutcome) as caught:
        api.social.create_post({"content": "written once, answered 500"})
    sandbox.clear_faults()
    assert caught.value.next_step == "reread"
    assert [e.status for e in recorder.events if e.path == "/social/posts"] == [500]
    assert recorder.waits == []
    assert post_count(sandbox, make_client) == before + 1  # it happened, exactly once


def test_post_answered_503_is_an_unknown_outcome_without_retry(
    sandbox: SandboxServer, make_client: ClientFactory, recorder: Recorder
) -> None:
    api, _ = login(make_client(sandbox.url), ADMIN_EMAIL, DEMO_PASSWORD)
    recorder.events.clear()
    sandbox.set_faults(error_rate=1.0, error_status=503, paths=["/social/posts"])
    with pytest.raises(UnknownOutcome):
        api.social.create_post({"content": "never written"})
    assert len(recorder.events) == 1
    assert recorder.waits == []


def test_post_dropped_after_sending_is_an_unknown_outcome(
    sandbox: SandboxServer, make_client: ClientFactory, recorder: Recorder
) -> None:
    api, _ = login(make_client(sandbox.url), ADMIN_EMAIL, DEMO_PASSWORD)
    recorder.events.clear()
    sandbox.set_faults(drop_rate=1.0, paths=["/social/posts"])
    with pytest.raises(UnknownOutcome):
        api.social.create_post({"content": "lost connection"})
    assert len(recorder.events) == 1


def test_connection_refused_is_network_unreachable_for_reads_and_writes(
    make_client: ClientFactory, recorder: Recorder
) -> None:
    server = SandboxServer(SandboxConfig()).start()
    url = server.url
    server.stop()
    client = make_client(url, max_attempts=3)
    with pytest.raises(NetworkUnreachable) as read:
        client.get("/health", authenticated=False)
    assert read.value.next_step == "check_connection"
    assert len(recorder.events) == 3  # refused before sending: safe to retry
    recorder.events.clear()
    with pytest.raises(NetworkUnreachable):  # not UnknownOutcome: nothing was sent
        client.post("/auth/register", json={"name": "x"}, authenticated=False)


def test_slow_answer_is_a_timeout(
    sandbox: SandboxServer, make_client: ClientFactory, recorder: Recorder
) -> None:
    client = make_client(sandbox.url, timeout=0.3, max_attempts=2)
    sandbox.set_faults(latency_ms=1000, paths=["/health"])
    with pytest.raises(RequestTimeout):
        client.get("/health", authenticated=False)
    assert [e.error for e in recorder.events] == ["RequestTimeout", "RequestTimeout"]


def test_slow_write_is_an_unknown_outcome(
    sandbox: SandboxServer, make_client: ClientFactory
) -> None:
    api, _ = login(make_client(sandbox.url), ADMIN_EMAIL, DEMO_PASSWORD)
    sandbox.set_faults(latency_ms=1000, paths=["/social/posts"])
    with pytest.raises(UnknownOutcome):
        api.client.post("/social/posts", json={"content": "slow"}, timeout=0.3)


def test_timeout_override_per_request(sandbox: SandboxServer, make_client: ClientFactory) -> None:
    client = make_client(sandbox.url, timeout=0.2)
    sandbox.set_faults(latency_ms=400, paths=["/health"])
    assert client.get("/health", authenticated=False, timeout=10.0).status == 200


def _open_connections_to(port: int) -> int:
    return sum(
        1
        for c in psutil.Process().net_connections(kind="tcp")
        if c.raddr and c.raddr.port == port and c.status == psutil.CONN_ESTABLISHED
    )


def test_cancelling_aborts_a_request_in_flight(
    sandbox: SandboxServer, make_client: ClientFactory, recorder: Recorder
) -> None:
    client = make_client(sandbox.url, timeout=60.0)
    # Were the read not aborted, the answer would arrive after 5 s and carry a status.
    sandbox.set_faults(latency_ms=5000, paths=["/events"])
    token = CancelToken()
    outcome: list[BaseException] = []

    def worker() -> None:
        try:
            client.get("/events", authenticated=False, cancel=token)
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=worker)
    thread.start()
    wait_until(lambda: _open_connections_to(sandbox.port) > 0)
    token.cancel()
    thread.join(timeout=10)
    assert not thread.is_alive(), "the blocked read was not aborted"
    assert len(outcome) == 1
    assert isinstance(outcome[0], Cancelled)
    assert recorder.events[-1].status is None  # no answer was received
    assert recorder.events[-1].error == "Cancelled"
    assert recorder.waits == []  # a cancelled request is not retried


def test_cancel_interrupts_the_backoff_wait(sandbox: SandboxServer) -> None:
    from viva_desktop.services.remote.api import ApiClient, RetryPolicy

    token = CancelToken()
    # No injected sleep: the real wait runs on the cancel token, cancelled by the listener.
    client = ApiClient(sandbox.url, retry=RetryPolicy(initial_wait=30.0, jitter=0.0))
    client.add_listener(lambda event: token.cancel())
    sandbox.set_faults(error_rate=1.0, error_status=503, paths=["/health"])
    try:
        with pytest.raises(Cancelled):
            client.get("/health", authenticated=False, cancel=token)
    finally:
        client.close()


def test_429_with_retry_after_beyond_max_wait_is_returned_at_once(
    make_client: ClientFactory, recorder: Recorder
) -> None:
    with SandboxServer(SandboxConfig(enforce_rate_limits=True)) as server:
        client = make_client(server.url, max_wait=1.0)
        for _ in range(10):  # the strict throttler allows 10 per minute on every route
            client.get("/health/status", authenticated=False)
        recorder.events.clear()
        with pytest.raises(RateLimited) as caught:
            client.get("/health/status", authenticated=False)
    error = caught.value
    assert 1 < error.retry_after <= 60
    assert error.details.status == 429
    assert f"{round(error.retry_after)} seconds" in error.user_message
    assert len(recorder.events) == 1
    assert recorder.waits == []
    assert error.next_step == "wait"


def test_429_is_retried_after_the_wait_it_asks_for(
    make_client: ClientFactory, recorder: Recorder
) -> None:
    with SandboxServer(SandboxConfig(enforce_rate_limits=True)) as server:
        client = make_client(server.url, max_wait=120.0, max_attempts=3)
        for _ in range(10):
            client.get("/health/status", authenticated=False)
        with pytest.raises(RateLimited) as caught:
            client.get("/health/status", authenticated=False)
        # A 429 is refused before the handler runs, so even a POST may be repeated.
        unknown = "/posts/00000000-0000-4000-8000-000000000000/share"
        for _ in range(10):
            with pytest.raises(NotFound):  # an unknown post: not retried
                client.post(unknown, authenticated=False)
        assert len(recorder.waits) == 2
        with pytest.raises(RateLimited):
            client.post(unknown, authenticated=False)
    assert len(recorder.waits) == 4
    assert all(1 < wait <= 60 for wait in recorder.waits)
    assert recorder.waits[0] >= caught.value.retry_after - 1


def test_429_without_headers_waits_sixty_seconds(
    sandbox: SandboxServer, make_client: ClientFactory
) -> None:
    client = make_client(sandbox.url, max_wait=1.0)
    sandbox.set_faults(error_rate=1.0, error_status=429, paths=["/health"])
    with pytest.raises(RateLimited) as caught:
        client.get("/health", authenticated=False)
    assert caught.value.retry_after == 60.0
    assert caught.value.user_message == "Too many requests. Please try again later."


def test_rate_limit_headers_are_parsed(
    sandbox: SandboxServer, make_client: ClientFactory, recorder: Recorder
) -> None:
    client = make_client(sandbox.url)
    assert client.rate_limit is None
    client.get("/health", authenticated=False)
    first = client.rate_limit
    client.get("/health", authenticated=False)
    second = client.rate_limit
    assert first is not None
    assert second is not None
    assert first.default is not None
    assert first.strict is not None
    assert (first.default.limit, first.default.remaining, first.default.reset_seconds) == (
        100,
        99,
        60.0,
    )
    assert (first.strict.limit, first.strict.remaining, first.strict.reset_seconds) == (10, 9, 60.0)
    assert first.path == "/health"
    assert second.remaining == 8  # the strict budget is the one that runs out first
    assert not second.exhausted
    assert recorder.events[-1].rate_limit == second
    login_limits = _login_budget(client)
    assert login_limits.default is not None
    assert login_limits.default.limit == 5
    assert login_limits.default.reset_seconds == 900.0  # milliseconds on the wire
    assert login_limits.path == "/auth/login"


def _login_budget(client: ApiClient) -> RateLimitState:
    with pytest.raises(InvalidCredentials):
        client.post("/auth/login", json={"email": "x@example.org", "password": "x"})
    assert client.rate_limit is not None
    return client.rate_limit


def test_request_ids_are_set_for_logs_and_listeners(
    readonly_sandbox: SandboxServer, make_client: ClientFactory, recorder: Recorder
) -> None:
    client = make_client(readonly_sandbox.url)
    seen: list[str | None] = []
    client.add_listener(lambda event: seen.append(current_request_id.get()))
    first = client.get("/health", authenticated=False)
    second = client.get("/health", authenticated=False)
    assert len(first.request_id) == 32
    assert int(first.request_id, 16) >= 0
    assert first.request_id != second.request_id
    assert seen == [first.request_id, second.request_id]
    assert current_request_id.get() is None  # reset after the call


def test_debug_log_has_method_path_status_duration_and_no_secrets(
    sandbox: SandboxServer, make_client: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="viva.api")
    client = make_client(sandbox.url)
    api, session = login(client, ADMIN_EMAIL, DEMO_PASSWORD)
    api.credits.balance()
    client.get("/health", params={"access_token": "abc.def.ghi", "limit": 5})
    text = caplog.text
    tokens = session.vault.load("test", ADMIN_EMAIL)
    assert tokens is not None
    assert tokens.access_token not in text
    assert tokens.refresh_token not in text
    assert DEMO_PASSWORD not in text
    assert "abc.def.ghi" not in text
    assert "access_token=***" in text
    assert "limit=5" in text
    record = next(r for r in caplog.records if r.getMessage().startswith("GET /credits/balance"))
    assert "-> 200 in" in record.getMessage()
    assert record.request_id in record.getMessage()  # type: ignore[attr-defined]
    assert record.http_status == 200  # type: ignore[attr-defined]
    assert record.elapsed_ms >= 0  # type: ignore[attr-defined]


def test_one_client_serves_many_threads(
    readonly_sandbox: SandboxServer, make_client: ClientFactory
) -> None:
    client = make_client(readonly_sandbox.url)
    ids: list[str] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(5):
                ids.append(client.get("/health", authenticated=False).request_id)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len(ids) == 30
    assert len(set(ids)) == 30


def test_idle_connections_expire_before_the_servers_keep_alive() -> None:
    assert KEEPALIVE_EXPIRY < 5.0


def test_empty_200_has_no_data(sandbox: SandboxServer, make_client: ClientFactory) -> None:
    api, _ = login(make_client(sandbox.url), ADMIN_EMAIL, DEMO_PASSWORD)
    response = api.client.get("/users/00000000-0000-0000-0000-000000000000")
    assert response.status == 200
    assert response.data is None
    assert response.empty
    assert "content-type" not in response.headers


def test_gzip_is_asked_for_except_on_loopback(sandbox: SandboxServer) -> None:
    """The server gzips answers of 1 KB or more for clients that ask (contract 3.2). Across a
    network the client asks and reads the page as if it were plain; on loopback it does not
    ask, since compressing there only spends CPU at both ends."""
    assert wants_compression("https://api.comunidad.example")
    assert not wants_compression(sandbox.url)
    assert not wants_compression("http://localhost:3001")

    with ApiClient(sandbox.url) as local:
        plain = local.get("/communities")
    assert "content-encoding" not in plain.headers

    with ApiClient(sandbox.url, compress=True) as remote_like:
        packed = remote_like.get("/communities")
        assert packed.headers["content-encoding"] == "gzip"
        assert int(packed.headers["content-length"]) < len(packed.text.encode("utf-8"))
        assert packed.data == plain.data
        assert Api(remote_like).communities.list()  # the typed resource reads it the same way

"""The client's cheap common path keeps every behaviour of the full one: retries exactly as
tenacity would run them, rate-limit state read lazily but never lost, bodies decoded as httpx
would, the bounded queue of unparsed answers."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest

from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.services.remote.api import ApiClient, RateLimitState, RetryPolicy
from viva_desktop.services.remote.api import client as client_module
from viva_desktop.services.remote.api.client import parse_body
from viva_desktop.services.remote.api.errors import (
    ErrorDetails,
    InvalidInput,
    NotFound,
    RateLimited,
    ServerError,
)

from .conftest import ClientFactory, Recorder


def _server_error(status: int = 503) -> ServerError:
    return ServerError(details=ErrorDetails(method="GET", path="/x", status=status))


class Script:
    """A call that fails with the given errors, then answers "done"."""

    def __init__(self, *failures: Exception) -> None:
        self.failures = list(failures)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return "done"


def _tenacity_waits(policy_options: dict, failures: list[Exception]) -> tuple[object, list]:
    """What the plain tenacity controller does with the same failures (the reference)."""
    waits: list[float] = []
    policy = RetryPolicy(sleep=waits.append, jitter=0.0, **policy_options)
    script = Script(*failures)
    try:
        outcome: object = policy.retrying(CancelToken())(script)
    except Exception as exc:
        outcome = type(exc)
    return (outcome, script.calls), waits


@pytest.mark.parametrize(
    ("options", "failures"),
    [
        ({}, []),
        ({}, [_server_error(), _server_error()]),
        ({"max_attempts": 3}, [_server_error(), _server_error(), _server_error()]),
        ({}, [_server_error(500)]),  # not a status worth retrying
        ({"max_attempts": 1}, [_server_error()]),
    ],
)
def test_run_retries_exactly_as_the_tenacity_controller(options: dict, failures: list) -> None:
    expected, expected_waits = _tenacity_waits(options, list(failures))
    waits: list[float] = []
    policy = RetryPolicy(sleep=waits.append, jitter=0.0, **options)
    script = Script(*failures)
    try:
        outcome: object = policy.run(script, CancelToken())
    except Exception as exc:
        outcome = type(exc)
    assert (outcome, script.calls) == expected
    assert waits == expected_waits


def test_a_first_attempt_that_succeeds_never_builds_a_controller(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("tenacity was set up for a request that succeeded at once")

    policy = RetryPolicy()
    monkeypatch.setattr(RetryPolicy, "retrying", refuse)
    assert policy.run(Script(), CancelToken()) == "done"
    with pytest.raises(InvalidInput):  # nor for one that is not worth retrying
        policy.run(Script(InvalidInput(details=ErrorDetails(status=400))), CancelToken())


def test_disabled_retries_raise_the_first_failure() -> None:
    script = Script(_server_error())
    with pytest.raises(ServerError):
        RetryPolicy(sleep=lambda _s: None).run(script, CancelToken(), enabled=False)
    assert script.calls == 1


def test_a_rate_limit_wait_is_taken_from_the_first_failure() -> None:
    waits: list[float] = []
    refused = RateLimited(details=ErrorDetails(status=429), retry_after=2.5)
    script = Script(refused)
    assert RetryPolicy(sleep=waits.append).run(script, CancelToken()) == "done"
    assert waits == [2.5]
    assert script.calls == 2


# --------------------------------------------------------------------------- rate limits


def test_rate_limit_state_without_listeners_is_that_of_the_newest_answer(sandbox) -> None:
    with ApiClient(sandbox.url) as client:
        before = datetime.now(UTC)
        for _ in range(3):
            client.get("/health", authenticated=False)
        with pytest.raises(NotFound):  # an unmatched route: no rate-limit headers
            client.get("/no-such-route", authenticated=False)
        state = client.rate_limit
        assert state is not None
        assert state.path == "/health"
        assert state.default is not None
        assert state.default.remaining == 97  # the third of 100
        assert before <= state.updated_at <= datetime.now(UTC)
        assert client.rate_limit is state  # parsed once


def test_many_unread_answers_keep_the_newest_state(sandbox) -> None:
    with ApiClient(sandbox.url) as client:
        count = client_module._MAX_UNPARSED * 2 + 3
        for _ in range(count):
            client.get("/health", authenticated=False)
        assert len(client._unparsed) < client_module._MAX_UNPARSED
        state = client.rate_limit
        assert state is not None
        assert state.default is not None
        assert state.default.remaining == 100 - count


def test_listeners_see_each_answers_own_state(
    sandbox, make_client: ClientFactory, recorder: Recorder
) -> None:
    client = make_client(sandbox.url)
    client.get("/health", authenticated=False)
    client.get("/health", authenticated=False)
    first, second = (e.rate_limit for e in recorder.events[-2:])
    assert first is not None
    assert second is not None
    assert first.remaining is not None
    assert second.remaining == first.remaining - 1
    assert client.rate_limit is second


def test_rate_limit_headers_in_any_case_and_from_plain_mappings() -> None:
    headers = httpx.Headers(
        [
            ("Content-Type", "application/json"),
            ("X-RateLimit-Limit", "5"),
            ("X-RateLimit-Remaining", "4"),
            ("X-RateLimit-Reset", "900000"),
            ("X-RateLimit-Remaining-Strict", "2.0"),
        ]
    )
    state = RateLimitState.from_headers(headers, "/auth/login")
    assert state is not None
    assert state.default is not None
    assert (state.default.limit, state.default.remaining, state.default.reset_seconds) == (
        5,
        4,
        900.0,
    )
    assert state.strict is not None
    assert state.strict.remaining == 2
    assert state.remaining == 2
    plain = RateLimitState.from_headers({"x-ratelimit-limit": "10", "X-RateLimit-Remaining": "0"})
    assert plain is not None
    assert plain.default is not None
    assert plain.exhausted
    assert RateLimitState.from_headers({"content-type": "text/plain"}) is None
    assert RateLimitState.from_headers(httpx.Headers({"x-ratelimit-limit": "many"})) is None


# --------------------------------------------------------------------------- bodies


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json; charset=utf-8", '{"name": "Ñandú €"}'.encode()),
        ("application/json", '{"name": "Ñandú 🌱"}'.encode()),
        ("application/json; charset=utf-8", b'{"name": "bad \xff byte"}'),
        ("application/json; charset=iso-8859-1", '{"name": "Ñandú"}'.encode("latin-1")),
        ("text/html; charset=utf-8", b"<h1>Bad gateway</h1>"),
        ("", b""),
    ],
)
def test_bodies_decode_as_httpx_decodes_them(content_type: str, body: bytes) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = httpx.Response(200, headers=headers, content=body)
    data, text = parse_body(response)
    reference = httpx.Response(200, headers=headers, content=body)
    assert text == reference.text
    if content_type.startswith("application/json") and text.strip():
        assert data == json.loads(reference.text)
    else:
        assert data is None


def test_a_request_without_a_cancel_token_still_runs_on_a_fresh_client(
    readonly_sandbox, make_client: ClientFactory, recorder: Recorder
) -> None:
    client = make_client(readonly_sandbox.url)
    assert client.get("/health", authenticated=False).status == 200
    token = CancelToken()
    assert client.get("/health", authenticated=False, cancel=token).status == 200
    assert [e.status for e in recorder.events[-2:]] == [200, 200]
    assert not client_module._UNCANCELLABLE.cancelled

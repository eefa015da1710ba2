"""Transport to one Comunidad Viva server: retries, cancellation, auth, request ids, logging.

One `ApiClient` per server profile, shared by every worker thread. Every call either returns
an `ApiResponse` with a 2xx status or raises one of the typed errors of `errors.py`.
"""

from __future__ import annotations

import json as jsonlib
import logging
import re
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlencode

import httpx

from viva_desktop import __version__
from viva_desktop.services.common.cancel import CancelledError, CancelToken
from viva_desktop.services.remote.api.error_mapping import (
    IDEMPOTENT_METHODS,
    error_from_exception,
    error_from_response,
    is_token_rejection,
    server_fields,
)
from viva_desktop.services.remote.api.errors import (
    ApiError,
    AuthExpired,
    Cancelled,
    ErrorDetails,
    RateLimited,
    SessionUnavailable,
)
from viva_desktop.services.remote.api.pacing import NO_AUTOMATIC_RETRY, Pacer
from viva_desktop.services.remote.api.ratelimit import RateLimitState
from viva_desktop.services.remote.api.retry import RetryPolicy
from viva_desktop.services.remote.api.stalls import InFlight, Stall
from viva_desktop.services.remote.api.transport import (
    CancellableTransport,
    active_cancel,
    environment_proxy,
    wants_compression,
)

log = logging.getLogger("viva.api")

current_request_id: ContextVar[str | None] = ContextVar("viva_request_id", default=None)
"""Id of the request this thread is running, for log records (set during `request`)."""

last_request_id: ContextVar[str | None] = ContextVar("viva_last_request_id", default=None)
"""Id of the last request this thread finished, so the log line of what it did (signed in,
created, granted...) can name it in the Logs page's Request column."""

_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

DEFAULT_USER_AGENT = f"VivaDesktop/{__version__}"
_UNCANCELLABLE = CancelToken()
"""Stands in for the token of a request whose caller passed none: nobody holds it, so nothing
can cancel it, and the client skips arming abort callbacks on it."""
_MAX_UNPARSED = 16
_SECRET_PARAM = re.compile(r"token|password|secret|key|code|auth|signature|nonce", re.IGNORECASE)


class AuthProvider(Protocol):
    """What the client needs from a session (implemented by `services.session.Session`)."""

    def access_token(self) -> str | None:
        """A usable access token (refreshed ahead of expiry), or None when signed out."""
        ...

    def refresh_after_unauthorized(self, rejected_token: str) -> None:
        """The server refused `rejected_token`: refresh once (unless another thread already
        did); raise `AuthExpired` when that is impossible."""
        ...

    def mark_expired(self, error: AuthExpired) -> None:
        """Even a fresh token was refused: forget the session."""
        ...


@dataclass(frozen=True)
class ApiResponse:
    status: int
    headers: httpx.Headers
    data: Any  # parsed JSON, or None for an empty or non-JSON body
    text: str
    request_id: str
    elapsed_ms: float
    method: str = ""
    path: str = ""

    @property
    def empty(self) -> bool:
        return not self.text.strip()


@dataclass(frozen=True)
class RequestEvent:
    """One attempt, as seen by listeners (status bar, Sentry breadcrumbs)."""

    method: str
    path: str  # redacted: no secret query values
    status: int | None
    elapsed_ms: float
    request_id: str
    attempt: int
    error: str | None  # the typed error's class name when the attempt failed
    rate_limit: RateLimitState | None


RequestListener = Callable[[RequestEvent], None]


def redact_path(path: str) -> str:
    """The path with the values of secret-looking query parameters replaced by `***`."""
    if "?" not in path:
        return path
    base, query = path.split("?", 1)
    pairs = [
        (k, "***" if _SECRET_PARAM.search(k) else v)
        for k, v in parse_qsl(query, keep_blank_values=True)
    ]
    return f"{base}?{urlencode(pairs, safe='*,:')}" if pairs else base


def _query_string(params: Mapping[str, Any] | None) -> str:
    if not params:
        return ""
    pairs = [(k, _param_text(v)) for k, v in params.items() if v is not None]
    return urlencode(pairs) if pairs else ""


def _param_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"  # the server reads only "true" as true (§3.3)
    return str(value)


def parse_body(response: httpx.Response) -> tuple[Any, str]:
    """(parsed JSON or None, text). An empty 200 without Content-Type stays None (§3.11)."""
    content_type = response.headers.get("content-type", "").lower()
    text = _body_text(response, content_type)
    if not text.strip():
        return None, text
    if content_type and "json" not in content_type:
        return None, text
    try:
        return jsonlib.loads(text), text
    except ValueError:
        return None, text


_UTF8_CONTENT_TYPES = frozenset({"", "application/json; charset=utf-8", "application/json"})


def _body_text(response: httpx.Response, content_type: str) -> str:
    """`response.text`, without httpx's charset sniffing for what this server always sends:
    JSON in UTF-8 (httpx would decode it the same way, replacing invalid bytes)."""
    if content_type in _UTF8_CONTENT_TYPES:
        return response.content.decode("utf-8", "replace")
    return response.text


class ApiClient:
    """Thread-safe HTTP client for one server profile."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 30.0,
        verify: bool | str = True,
        auth: AuthProvider | None = None,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        user_agent: str = DEFAULT_USER_AGENT,
        compress: bool | None = None,
        pacer: Pacer | None = None,
    ) -> None:
        """`compress`: ask for gzip answers; by default (None) from any server but one on
        loopback (see `transport.wants_compression`). `pacer`: keep to the server's rate
        limits (see `pacing`); without one, requests go out as they come."""
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.auth = auth
        self.retry_policy = retry or RetryPolicy()
        self.pacer = pacer
        self.in_flight = InFlight()
        self._own_transport = transport is None
        self.http = httpx.Client(
            base_url=self.base_url,
            timeout=self._timeout(timeout),
            transport=transport
            or CancellableTransport(verify=verify, proxy=environment_proxy(self.base_url)),
            headers={"User-Agent": user_agent, "Accept": "application/json"},
            follow_redirects=False,
        )
        if compress is None:
            compress = wants_compression(self.base_url)
        if not compress:
            self.http.headers["Accept-Encoding"] = "identity"
        self._default_timeout = self._timeout(timeout)
        self._lock = threading.Lock()
        # Replaced, never mutated, so each request reads it without taking the lock.
        self._listeners: tuple[RequestListener, ...] = ()
        self._rate_limit: RateLimitState | None = None
        # Answers not parsed for rate-limit headers yet, oldest first (see `_note_rate_limit`).
        self._unparsed: list[tuple[httpx.Headers, str, datetime]] = []

    # ------------------------------------------------------------------ public API

    @property
    def rate_limit(self) -> RateLimitState | None:
        """The rate-limit headers of the last answer that carried them."""
        with self._lock:
            return self._resolve_rate_limit()

    def stalled(self, after_s: float = 10.0) -> Stall | None:
        """The request waiting longest for an answer, once it has waited `after_s` seconds."""
        return self.in_flight.stalled(after_s)

    def add_listener(self, listener: RequestListener) -> Callable[[], None]:
        """Call `listener` after every attempt; returns a function that removes it."""
        with self._lock:
            self._listeners = (*self._listeners, listener)

        def remove() -> None:
            with self._lock:
                if listener in self._listeners:
                    listeners = list(self._listeners)
                    listeners.remove(listener)
                    self._listeners = tuple(listeners)

        return remove

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, path: str, **kwargs: Any) -> ApiResponse:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> ApiResponse:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> ApiResponse:
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> ApiResponse:
        return self.request("DELETE", path, **kwargs)

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        idempotent: bool | None = None,
        authenticated: bool = True,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
        retry: bool = True,
    ) -> ApiResponse:
        """Send one logical request (retried per the policy); 2xx or a typed error.

        `idempotent` defaults from the method. `authenticated` adds the session's bearer token
        and handles a refused token with one refresh and one retry.
        """
        method = method.upper()
        path = "/" + path.lstrip("/")
        query = _query_string(params)
        target = f"{path}?{query}" if query else path
        call = _Call(
            method=method,
            path=path,
            target=target,
            shown_path=redact_path(target),
            body=json,
            idempotent=idempotent if idempotent is not None else method in IDEMPOTENT_METHODS,
            authenticated=authenticated,
            timeout=self._default_timeout if timeout is None else self._timeout(timeout),
            cancel=cancel if cancel is not None else _UNCANCELLABLE,
            request_id=uuid.uuid4().hex,
        )
        call.deadline_at = self.retry_policy.deadline_from(time.monotonic())
        # Sign-in and refresh spend budgets a person owns (5 sign-ins per 15 minutes).
        retry = retry and path not in NO_AUTOMATIC_RETRY
        context = current_request_id.set(call.request_id)
        repeated_until = call.deadline_at if call.idempotent and retry else None
        self.in_flight.start(call.request_id, method, call.shown_path, repeated_until)
        try:
            return self.retry_policy.run(
                partial(self._attempt, call),
                call.cancel,
                enabled=retry,
                deadline_at=call.deadline_at if call.idempotent else None,
            )
        finally:
            self.in_flight.finish(call.request_id)
            current_request_id.reset(context)
            last_request_id.set(call.request_id)

    # ------------------------------------------------------------------ internals

    @staticmethod
    def _timeout(seconds: float) -> httpx.Timeout:
        return httpx.Timeout(seconds, connect=min(seconds, 10.0))

    def _attempt(self, call: _Call) -> ApiResponse:
        call.attempt += 1
        if call.cancel.cancelled:
            raise Cancelled(details=call.details())
        if self.pacer is not None:
            self._pace(call)
        auth = self.auth if call.authenticated else None
        token = self._token_from(auth, call)
        response, elapsed, error = self._exchange(call, token)
        if auth is not None and token is not None and self._token_refused(call, response):
            # Refused before any handler ran, so repeating it is safe even for a POST.
            auth.refresh_after_unauthorized(token)
            response, elapsed, error = self._exchange(call, self._token_from(auth, call))
            if isinstance(error, AuthExpired) and self._token_refused(call, response):
                auth.mark_expired(error)
        if error is not None:
            raise error
        data, text = parse_body(response)
        return ApiResponse(
            status=response.status_code,
            headers=response.headers,
            data=data,
            text=text,
            request_id=call.request_id,
            elapsed_ms=elapsed,
            method=call.method,
            path=call.target,
        )

    def _pace(self, call: _Call) -> None:
        """Wait for the route's budget, or raise `RateLimited` (nothing sent) when the wait is
        longer than this thread sleeps through."""
        assert self.pacer is not None
        wait = self.pacer.wait_before(call.method, call.path)
        if wait is None:
            return
        if wait.seconds > self.retry_policy.wait_limit:
            raise RateLimited(retry_after=wait.seconds, details=call.details())
        log.info("pacing: %s %s waits %.1f s", call.method, call.shown_path, wait.seconds)
        if call.cancel.wait(wait.seconds):
            raise Cancelled(details=call.details())

    @staticmethod
    def _token_from(auth: AuthProvider | None, call: _Call) -> str | None:
        if auth is None:
            return None
        token = auth.access_token()
        if token is None:
            raise SessionUnavailable(details=call.details())
        return token

    def _token_refused(self, call: _Call, response: httpx.Response) -> bool:
        if response.status_code != 401:
            return False
        message, _ = server_fields(parse_body(response)[0])
        return is_token_rejection(401, call.path, message)

    def _error_for(self, call: _Call, response: httpx.Response) -> ApiError:
        data, _ = parse_body(response)
        return error_from_response(
            response.status_code,
            data,
            response.headers,
            method=call.method,
            path=call.shown_path,
            request_id=call.request_id,
            idempotent=call.idempotent,
        )

    def _exchange(
        self, call: _Call, token: str | None
    ) -> tuple[httpx.Response, float, ApiError | None]:
        """One HTTP exchange with the body read; transport failures become typed errors.

        Returns the response, its time in ms, and the typed error of an answer that is not a
        success: built once here for the listeners, it is the same object the caller raises.
        """
        headers = {"X-Request-Id": call.request_id}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        request = self.http.build_request(
            call.method,
            call.target,
            json=call.body,
            headers=headers,
            timeout=call.timeout_now(),
        )
        cancellable = call.cancel is not _UNCANCELLABLE
        started = time.perf_counter()
        cancel_context = active_cancel.set(call.cancel if cancellable else None)
        try:
            if call.cancel.cancelled:
                raise CancelledError
            response = self.http.send(request, stream=True)
            # For a caller-supplied transport, closing the response is the only abort there is.
            remove = (
                call.cancel.on_cancel(response.close)
                if cancellable and not self._own_transport
                else None
            )
            try:
                response.read()
            finally:
                if remove is not None:
                    remove()
                response.close()
        except Exception as exc:
            elapsed = (time.perf_counter() - started) * 1000.0
            if call.cancel.cancelled:
                error: ApiError = Cancelled(details=call.details())
            else:
                mapped = error_from_exception(
                    exc,
                    method=call.method,
                    path=call.shown_path,
                    request_id=call.request_id,
                    idempotent=call.idempotent,
                )
                if mapped is None:
                    raise
                error = mapped
            self._report(call, None, elapsed, error, None)
            raise error from exc
        finally:
            active_cancel.reset(cancel_context)
        elapsed = (time.perf_counter() - started) * 1000.0
        if call.cancel.cancelled:
            error = Cancelled(details=call.details(response.status_code))
            self._report(call, response.status_code, elapsed, error, None)
            raise error
        if self.pacer is not None:
            self.pacer.note_answer(
                call.method, call.path, response.status_code, response.headers, started
            )
        state = self._note_rate_limit(response.headers, call.path)
        refused = None if 200 <= response.status_code < 300 else self._error_for(call, response)
        self._report(call, response.status_code, elapsed, refused, state)
        return response, elapsed, refused

    def _note_rate_limit(self, headers: httpx.Headers, path: str) -> RateLimitState | None:
        """Record an answer's rate-limit headers; returns their state when parsed now.

        Parsing them costs more than the rest of the client's own work per request, and
        without listeners nobody may ever look: the answers are then kept unparsed (a bounded
        few) until `rate_limit` is read. Listeners get the state of each answer at once.
        """
        if self._listeners:
            state = RateLimitState.from_headers(headers, path)
            if state is not None:
                with self._lock:
                    self._rate_limit = state
                    self._unparsed.clear()
            return state
        with self._lock:
            self._unparsed.append((headers, path, datetime.now(UTC)))
            if len(self._unparsed) >= _MAX_UNPARSED:
                self._resolve_rate_limit()
        return None

    def _resolve_rate_limit(self) -> RateLimitState | None:
        """The state of the newest answer that carried rate-limit headers (lock held)."""
        while self._unparsed:
            headers, path, received = self._unparsed.pop()
            state = RateLimitState.from_headers(headers, path, updated_at=received)
            if state is not None:
                self._rate_limit = state
                self._unparsed.clear()
        return self._rate_limit

    def _report(
        self,
        call: _Call,
        status: int | None,
        elapsed: float,
        error: ApiError | None,
        state: RateLimitState | None,
    ) -> None:
        level = _log_level(call.method, status, error)
        if log.isEnabledFor(level):
            outcome = str(status) if status is not None else type(error).__name__
            log.log(
                level,
                "%s %s -> %s in %.0f ms [request %s, attempt %d]",
                call.method,
                call.shown_path,
                outcome,
                elapsed,
                call.request_id,
                call.attempt,
                extra={
                    "request_id": call.request_id,
                    "http_method": call.method,
                    "http_path": call.shown_path,
                    "http_status": status,
                    "elapsed_ms": round(elapsed, 1),
                },
            )
        listeners = self._listeners
        if not listeners:
            return
        event = RequestEvent(
            method=call.method,
            path=call.shown_path,
            status=status,
            elapsed_ms=elapsed,
            request_id=call.request_id,
            attempt=call.attempt,
            error=type(error).__name__ if error is not None else None,
            rate_limit=state if state is not None else self.rate_limit,
        )
        for listener in listeners:
            try:
                listener(event)
            except Exception:
                log.exception("request listener failed")


def _log_level(method: str, status: int | None, error: ApiError | None) -> int:
    """Reads are DEBUG (a sync makes thousands); writes (creates, edits, grants, decisions,
    votes) are INFO, so an administrator sees them with their request id; a write refused or
    failed, and a read the server failed (5xx), are WARNING. A read the network failed stays
    DEBUG: the health poll would repeat it every few seconds, and its state change is logged."""
    if method.upper() not in _READ_METHODS:
        failed = error is not None or (status is not None and status >= 400)
        return logging.WARNING if failed else logging.INFO
    return logging.WARNING if status is not None and status >= 500 else logging.DEBUG


@dataclass(slots=True)
class _Call:
    """One logical request across its attempts."""

    method: str
    path: str
    target: str  # path and query string, as sent
    shown_path: str  # the target for logs and errors: secret query values redacted
    body: Any
    idempotent: bool
    authenticated: bool
    timeout: httpx.Timeout
    cancel: CancelToken
    request_id: str
    attempt: int = 0
    deadline_at: float | None = None  # monotonic; no attempt of an idempotent request after it

    def timeout_now(self) -> httpx.Timeout:
        """The attempt's timeout, shortened to end with the shared deadline of the retries."""
        if self.deadline_at is None or not self.idempotent:
            return self.timeout
        left = max(0.5, self.deadline_at - time.monotonic())
        read = self.timeout.read
        if read is None or left >= read:
            return self.timeout
        return httpx.Timeout(left, connect=min(left, self.timeout.connect or left))

    def details(self, status: int | None = None) -> ErrorDetails:
        return ErrorDetails(
            request_id=self.request_id, method=self.method, path=self.shown_path, status=status
        )

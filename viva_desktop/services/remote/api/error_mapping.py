"""The one place that turns the server's answers and the transport's failures into the typed
errors of `errors`: status codes, the server's one-string messages (contract §3.4, §13), its
rate-limit and `Retry-After` headers, and httpx exceptions.
"""

from __future__ import annotations

import re
import ssl
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from viva_desktop.services.common.cancel import CancelledError
from viva_desktop.services.common.i18n import translate
from viva_desktop.services.remote.api.errors import (
    DEFAULT_RATE_LIMIT_WAIT,
    ApiError,
    AuthExpired,
    BadResponse,
    BadServerAddress,
    Cancelled,
    Conflict,
    DuplicateEmail,
    DuplicateGrant,
    ErrorDetails,
    Forbidden,
    ForbiddenReason,
    InvalidCredentials,
    InvalidInput,
    InvalidTwoFactorCode,
    NetworkUnreachable,
    NextStep,
    NotFound,
    RateLimited,
    RequestTimeout,
    ServerError,
    TlsError,
    UnknownOutcome,
)

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
"""Methods whose repetition changes nothing more, so a failed one may be sent again."""

_OWNERSHIP_HINTS = (
    "no tienes permisos para modificar",
    "only the organizer",
    "you can only update your own",
    "you can only delete your own",
    "only the author",
    "you can only",
    "not the owner",
)
_ROLE_HINTS = ("required roles", "user not authenticated")
_EMAIL_HINTS = ("verificar tu email", "email not verified", "verify your email")
_COMMUNITY_HINTS = (
    "only members",
    "moderation permissions",
    "not a member",
    "membership request was rejected",
    "reputation",
    "founder",
)
_ROUTE_MISS = re.compile(r"^Cannot [A-Z]+ /")


def forbidden_reason(message: str | None) -> ForbiddenReason:
    text = (message or "").lower()
    if any(h in text for h in _ROLE_HINTS):
        return ForbiddenReason.ROLE
    if any(h in text for h in _EMAIL_HINTS):
        return ForbiddenReason.EMAIL_NOT_VERIFIED
    if any(h in text for h in _OWNERSHIP_HINTS):
        return ForbiddenReason.OWNERSHIP
    if any(h in text for h in _COMMUNITY_HINTS):
        return ForbiddenReason.COMMUNITY
    return ForbiddenReason.OTHER


def _bare_path(path: str) -> str:
    return path.split("?", 1)[0].rstrip("/") or "/"


_CREDENTIAL_ROUTES = ("/auth/login", "/auth/refresh", "/auth/logout")


def is_token_rejection(status: int, path: str, server_message: str | None) -> bool:
    """True when a 401 means "your access token is no good", the one case a refresh can fix.

    The guard answers a bad, expired or missing JWT with 401 `Unauthorized` (contract §3.4).
    Other 401s are about something else: a wrong password or refresh token on the auth routes,
    a wrong 2FA code, or a non-author touching a post through `/posts/{id}` (§6.5).
    """
    if status != 401 or _bare_path(path) in _CREDENTIAL_ROUTES:
        return False
    text = (server_message or "").strip().lower()
    return text in ("", "unauthorized", "unauthorized exception") or any(
        word in text for word in ("token", "jwt", "expired")
    )


def parse_retry_after(headers: Mapping[str, str], now: datetime | None = None) -> float | None:
    """Seconds from `Retry-After` (or its `-strict` twin): a number or an HTTP date."""
    values = []
    for name in ("retry-after", "retry-after-strict"):
        raw = _header(headers, name)
        if raw is None:
            continue
        raw = raw.strip()
        try:
            values.append(max(0.0, float(raw)))
            continue
        except ValueError:
            pass
        try:
            when = parsedate_to_datetime(raw)
        except (TypeError, ValueError):
            continue
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        values.append(max(0.0, (when - (now or datetime.now(UTC))).total_seconds()))
    return max(values) if values else None


def rate_limit_wait(headers: Mapping[str, str]) -> float:
    """How long a 429 asks us to wait: `Retry-After`, else the exhausted throttler's
    `X-RateLimit-Reset` (milliseconds on this server, contract §3.7), else 60 s."""
    retry_after = parse_retry_after(headers)
    if retry_after is not None:
        return retry_after
    resets: list[float] = []
    fallback: list[float] = []
    for suffix in ("", "-strict"):
        reset = _number(_header(headers, f"x-ratelimit-reset{suffix}"))
        if reset is None:
            continue
        fallback.append(reset / 1000.0)
        remaining = _number(_header(headers, f"x-ratelimit-remaining{suffix}"))
        if remaining is not None and remaining <= 0:
            resets.append(reset / 1000.0)
    if resets:
        return max(resets)
    if fallback:
        return max(fallback)
    return DEFAULT_RATE_LIMIT_WAIT


def server_fields(body: Any) -> tuple[str | None, str | None]:
    """(`message`, `timestamp`) of the common error body, tolerating anything else."""
    if not isinstance(body, Mapping):
        return None, None
    message = body.get("message")
    if isinstance(message, list):  # a fixed server might send class-validator's list
        message = "; ".join(str(m) for m in message)
    timestamp = body.get("timestamp")
    return (
        str(message) if message is not None else None,
        str(timestamp) if timestamp is not None else None,
    )


def error_from_response(
    status: int,
    body: Any,
    headers: Mapping[str, str],
    *,
    method: str,
    path: str,
    request_id: str = "",
    idempotent: bool | None = None,
) -> ApiError:
    """The typed error for an HTTP answer that is not a success.

    `body` is the parsed JSON (or None); `path` may carry the query string. `idempotent`
    defaults from the method; a non-idempotent write answered 5xx becomes `UnknownOutcome`.
    """
    method = method.upper()
    if idempotent is None:
        idempotent = method in IDEMPOTENT_METHODS
    message, timestamp = server_fields(body)
    details = ErrorDetails(
        request_id=request_id,
        method=method,
        path=path,
        status=status,
        server_message=message,
        server_timestamp=timestamp,
    )
    route = _bare_path(path)
    kw: dict[str, Any] = {"details": details}

    if status == 400:
        lowered = (message or "").lower()
        if "already granted" in lowered:
            return DuplicateGrant(**kw)
        if forbidden_reason(message) is ForbiddenReason.OWNERSHIP:
            return Forbidden(ForbiddenReason.OWNERSHIP, **kw)
        if (
            message
            and message not in ("Bad Request Exception", "Bad Request")
            and not (message.startswith("Validation failed"))
        ):
            return InvalidInput(user_message=message, **kw)
        return InvalidInput(**kw)
    if status == 401:
        if route == "/auth/login":
            if "2fa" in (message or "").lower():
                return InvalidTwoFactorCode(**kw)
            return InvalidCredentials(**kw)
        if is_token_rejection(status, path, message) or route in _CREDENTIAL_ROUTES:
            return AuthExpired(**kw)
        if forbidden_reason(message) is ForbiddenReason.OWNERSHIP:
            return Forbidden(ForbiddenReason.OWNERSHIP, **kw)
        if "code" in (message or "").lower():  # the 2FA routes: "Invalid verification code"
            return InvalidTwoFactorCode(**kw)
        return AuthExpired(**kw)
    if status == 403:
        return Forbidden(forbidden_reason(message), **kw)
    if status == 404:
        if message and not _ROUTE_MISS.match(message):
            return NotFound(user_message=message, **kw)
        if message:
            return NotFound(
                user_message=translate(
                    "Errors",
                    "The server does not know this address. Check the server URL and version.",
                ),
                next_step=NextStep.NONE,
                **kw,
            )
        return NotFound(**kw)
    if status == 409:
        return Conflict(user_message=message or None, **kw)
    if status == 429:
        wait = rate_limit_wait(headers)
        user_message = None
        if parse_retry_after(headers) is not None:
            user_message = translate(
                "Errors", "Too many requests. Please try again in {seconds} seconds"
            ).format(seconds=max(1, round(wait)))
        return RateLimited(wait, user_message=user_message, **kw)
    if status >= 500:
        if method == "POST" and route == "/auth/register" and status == 500:
            return DuplicateEmail(**kw)
        if method == "GET" and status == 500 and re.fullmatch(r"/offers/[^/]+", route):
            # Contract D3: an unknown offer id is a 500 (the view counter is updated first).
            # A fixed server answers 404; both mean "this offer cannot be shown".
            return NotFound(user_message=translate("Errors", "This offer no longer exists."), **kw)
        if not idempotent and not (method == "POST" and route in _CREDENTIAL_ROUTES):
            return UnknownOutcome(**kw)
        return ServerError(retry_after=parse_retry_after(headers), **kw)
    if 400 <= status < 500:
        return ApiError(user_message=message or None, **kw)
    if 300 <= status < 400:
        target = _header(headers, "location")
        if target:
            return BadServerAddress(
                user_message=translate(
                    "Errors", "The server moved to {address}. Use that address in the profile."
                ).format(address=target),
                **kw,
            )
    return BadResponse(**kw)


def error_from_exception(
    exc: BaseException,
    *,
    method: str,
    path: str,
    request_id: str = "",
    idempotent: bool | None = None,
) -> ApiError | None:
    """The typed error for a transport failure, or None when `exc` is not one we map.

    A non-idempotent request that may already have reached the server (read timeouts, dropped
    connections) becomes `UnknownOutcome`; failures before sending stay retryable.
    """
    import httpx  # local: keeps this module importable without the HTTP stack

    if isinstance(exc, ApiError):
        return exc
    method = method.upper()
    if idempotent is None:
        idempotent = method in IDEMPOTENT_METHODS
    details = ErrorDetails(
        request_id=request_id,
        method=method,
        path=path,
        server_message=f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__,
    )
    kw: dict[str, Any] = {"details": details}
    if isinstance(exc, CancelledError):
        return Cancelled(**kw)
    if isinstance(exc, httpx.ConnectError | httpx.ProxyError):
        if _caused_by(exc, ssl.SSLError):
            return TlsError(**kw)
        return NetworkUnreachable(**kw)
    if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
        return RequestTimeout(**kw)
    if isinstance(exc, httpx.TimeoutException):  # read or write timeout: the request left
        return RequestTimeout(**kw) if idempotent else UnknownOutcome(**kw)
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return BadServerAddress(**kw)
    if isinstance(exc, httpx.DecodingError | httpx.TooManyRedirects):
        return BadResponse(**kw)
    if isinstance(exc, httpx.TransportError):  # dropped or reset connection after sending
        if idempotent:
            return NetworkUnreachable(
                user_message=translate("Errors", "The connection to the server was lost."),
                **kw,
            )
        return UnknownOutcome(**kw)
    return None


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is None:
        for key, val in headers.items():
            if key.lower() == name:
                return val
    return value


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return None

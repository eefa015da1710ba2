"""Every error the services raise, and the one place that turns server answers into them.

The server reports problems poorly (contract §3.4, §13): one-string messages, no field details,
500 for duplicates and unknown offers, empty 200 for unknown users. Mapping all of that here,
and nowhere else, keeps the rest of the code base free of status-code checks and gives the error
dialog one consistent shape: a short translated message, a suggested next step and technical
details for a bug report.
"""

from __future__ import annotations

import re
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum
from typing import Any

from viva_desktop.services.common.cancel import CancelledError
from viva_desktop.services.common.i18n import QT_TRANSLATE_NOOP, translate

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
"""Methods whose repetition changes nothing more, so a failed one may be sent again."""

DEFAULT_RATE_LIMIT_WAIT = 60.0
"""Seconds to back off after a 429 that names no wait (contract §14)."""


class NextStep(StrEnum):
    RETRY = "retry"
    LOGIN = "login"
    WAIT = "wait"
    FIX_INPUT = "fix_input"
    CHECK_CONNECTION = "check_connection"
    REREAD = "reread"
    NONE = "none"


def next_step_sentence(step: NextStep) -> str:
    """The sentence the error dialog shows under the message for `step`."""
    sentences = {
        NextStep.RETRY: translate("Errors", "Try again in a moment."),
        NextStep.LOGIN: translate("Errors", "Sign in again."),
        NextStep.WAIT: translate("Errors", "Wait a little before trying again."),
        NextStep.FIX_INPUT: translate("Errors", "Correct the input and try again."),
        NextStep.CHECK_CONNECTION: translate(
            "Errors", "Check the network connection and the server address, then try again."
        ),
        NextStep.REREAD: translate(
            "Errors", "Reload the data to see the current state before trying again."
        ),
        NextStep.NONE: "",
    }
    return sentences[step]


@dataclass(frozen=True)
class ErrorDetails:
    """What a bug report needs: our request id, the exchange, and the server's own words."""

    request_id: str = ""
    method: str = ""
    path: str = ""
    status: int | None = None
    server_message: str | None = None
    server_timestamp: str | None = None
    time: datetime = field(default_factory=lambda: datetime.now(UTC))

    def as_text(self, kind: str | None = None) -> str:
        """Plain text for the clipboard (English labels: it goes into bug reports)."""
        lines = []
        if kind:
            lines.append(f"Error: {kind}")
        lines += [
            f"Request ID: {self.request_id or '-'}",
            f"Request: {self.method or '-'} {self.path or '-'}",
            f"HTTP status: {self.status if self.status is not None else '-'}",
            f"Server message: {self.server_message or '-'}",
            f"Server time: {self.server_timestamp or '-'}",
            f"Time: {self.time.astimezone(UTC).isoformat(timespec='seconds')}",
        ]
        return "\n".join(lines)


class ApiError(Exception):
    """Base of every typed error: what to tell the user, what to do next, and the details."""

    default_next_step: NextStep = NextStep.NONE
    default_retryable: bool = False
    default_text: str = QT_TRANSLATE_NOOP("Errors", "An error occurred. Please try again.")

    def __init__(
        self,
        user_message: str | None = None,
        *,
        details: ErrorDetails | None = None,
        next_step: NextStep | None = None,
        retryable: bool | None = None,
    ) -> None:
        self.user_message = user_message or self.default_message()
        self.details = details or ErrorDetails()
        self.next_step = next_step or self.default_next_step
        self.retryable = self.default_retryable if retryable is None else retryable
        super().__init__(self.user_message)

    @classmethod
    def default_message(cls) -> str:
        """`default_text` in the user's language (marked for extraction where each class
        sets it, translated here when the error is made)."""
        return translate("Errors", cls.default_text)

    @property
    def next_step_text(self) -> str:
        return next_step_sentence(self.next_step)

    def report_text(self) -> str:
        """Message, next step and details, as one block for the clipboard."""
        head = [self.user_message]
        if self.next_step_text:
            head.append(self.next_step_text)
        return "\n".join(head) + "\n\n" + self.details.as_text(type(self).__name__)

    def __str__(self) -> str:
        d = self.details
        where = f"{d.method} {d.path}".strip()
        status = f" -> {d.status}" if d.status is not None else ""
        rid = f" [request {d.request_id}]" if d.request_id else ""
        suffix = f" ({where}{status}{rid})" if where or rid else ""
        return f"{self.user_message}{suffix}"


class AuthExpired(ApiError):
    """The access token was refused and one refresh did not help: the user must sign in."""

    default_next_step = NextStep.LOGIN
    default_text = QT_TRANSLATE_NOOP("Errors", "Session expired. Please login again.")


class SessionUnavailable(ApiError):
    """A call needs a signed-in session and there is none."""

    default_next_step = NextStep.LOGIN
    default_text = QT_TRANSLATE_NOOP("Errors", "You are not signed in to this server.")


class InvalidCredentials(ApiError):
    default_next_step = NextStep.FIX_INPUT
    default_text = QT_TRANSLATE_NOOP("Errors", "Wrong e-mail address or password.")


class TwoFactorRequired(ApiError):
    """Step one of a two-step login: ask for the code and call login again with it.

    The temporary token is kept only because the server sends it; login does not need it
    (contract §5), and it must never be used as a bearer token (§13.2 S4).
    """

    default_next_step = NextStep.FIX_INPUT
    default_text = QT_TRANSLATE_NOOP("Errors", "Enter the code from your authenticator app.")

    def __init__(self, temporary_token: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.temporary_token = temporary_token


class InvalidTwoFactorCode(ApiError):
    default_next_step = NextStep.FIX_INPUT
    default_text = QT_TRANSLATE_NOOP("Errors", "The two-factor code is not valid.")


class ForbiddenReason(StrEnum):
    ROLE = "role"
    OWNERSHIP = "ownership"
    EMAIL_NOT_VERIFIED = "email_not_verified"
    COMMUNITY = "community"
    OTHER = "other"


class Forbidden(ApiError):
    """403 (and the few 400/401 answers that really mean "not yours"), with the reason kept."""

    default_text = QT_TRANSLATE_NOOP("Errors", "You do not have permission to perform this action.")

    def __init__(self, reason: ForbiddenReason = ForbiddenReason.OTHER, **kwargs: Any) -> None:
        self.reason = reason
        kwargs.setdefault("user_message", _forbidden_message(reason))
        super().__init__(**kwargs)


def _forbidden_message(reason: ForbiddenReason) -> str:
    if reason is ForbiddenReason.ROLE:
        return translate("Errors", "This action needs an administrator account.")
    if reason is ForbiddenReason.OWNERSHIP:
        return translate("Errors", "Only the owner of this item can change it.")
    if reason is ForbiddenReason.EMAIL_NOT_VERIFIED:
        return translate(
            "Errors",
            "The server refuses this because the account's e-mail address is not verified.",
        )
    if reason is ForbiddenReason.COMMUNITY:
        return translate(
            "Errors",
            "This needs membership of the community and enough reputation in it.",
        )
    return Forbidden.default_message()


class NotFound(ApiError):
    default_next_step = NextStep.REREAD
    default_text = QT_TRANSLATE_NOOP("Errors", "Resource not found.")


class RateLimited(ApiError):
    """429: `retry_after` is the number of seconds the server asks us to wait."""

    default_next_step = NextStep.WAIT
    default_retryable = True
    default_text = QT_TRANSLATE_NOOP("Errors", "Too many requests. Please try again later.")

    def __init__(self, retry_after: float = DEFAULT_RATE_LIMIT_WAIT, **kwargs: Any) -> None:
        self.retry_after = retry_after
        super().__init__(**kwargs)

    @property
    def next_step_text(self) -> str:
        seconds = max(1, round(self.retry_after))
        return translate("Errors", "Wait {seconds} seconds before trying again.").format(
            seconds=seconds
        )


class ServerError(ApiError):
    """5xx on a request that is safe to repeat."""

    default_next_step = NextStep.RETRY
    default_retryable = True
    default_text = QT_TRANSLATE_NOOP("Errors", "Server error. Please try again later.")

    def __init__(self, retry_after: float | None = None, **kwargs: Any) -> None:
        self.retry_after = retry_after
        super().__init__(**kwargs)


class NetworkUnreachable(ApiError):
    """No answer at all: connection refused, DNS failure, or a dropped connection on a read."""

    default_next_step = NextStep.CHECK_CONNECTION
    default_retryable = True
    default_text = QT_TRANSLATE_NOOP("Errors", "Network error. Please check your connection.")


class TlsError(NetworkUnreachable):
    """The TLS handshake failed, usually an untrusted certificate: retrying will not help."""

    default_retryable = False
    default_text = QT_TRANSLATE_NOOP(
        "Errors",
        "The server's certificate could not be verified. Check the profile's TLS settings.",
    )


class RequestTimeout(ApiError):
    default_next_step = NextStep.CHECK_CONNECTION
    default_retryable = True
    default_text = QT_TRANSLATE_NOOP("Errors", "The server did not answer in time.")


class InvalidInput(ApiError):
    """400. `field_errors` is filled by local validation only: the server never names fields."""

    default_next_step = NextStep.FIX_INPUT
    default_text = QT_TRANSLATE_NOOP(
        "Errors", "The server rejected the data. Check the fields and try again."
    )

    def __init__(self, field_errors: Mapping[str, str] | None = None, **kwargs: Any) -> None:
        self.field_errors: dict[str, str] = dict(field_errors or {})
        super().__init__(**kwargs)


class UnknownOutcome(ApiError):
    """A write was sent and then failed: it may or may not have happened. Re-read, then retry."""

    default_next_step = NextStep.REREAD
    default_text = QT_TRANSLATE_NOOP(
        "Errors",
        "The server may or may not have saved this change. Reload to check before trying again.",
    )


class Conflict(ApiError):
    default_next_step = NextStep.REREAD
    default_text = QT_TRANSLATE_NOOP("Errors", "This change conflicts with the current data.")


class DuplicateGrant(Conflict):
    """The grant with this `relatedId` was already applied: a replay can count it as done."""

    default_next_step = NextStep.NONE
    default_text = QT_TRANSLATE_NOOP("Errors", "These credits were already granted.")


class DuplicateEmail(Conflict):
    """Register answered 500: in practice a duplicate e-mail or phone (contract §13 D5)."""

    default_next_step = NextStep.FIX_INPUT
    default_text = QT_TRANSLATE_NOOP("Errors", "This email may already be registered.")


class BadResponse(ApiError):
    """The server answered something we cannot read: wrong address, a proxy page, a new API."""

    default_text = QT_TRANSLATE_NOOP(
        "Errors",
        "The server sent an answer the application does not understand. Check the server address.",
    )


class BadServerAddress(ApiError):
    default_text = QT_TRANSLATE_NOOP("Errors", "The server address is not valid.")


class Cancelled(ApiError, CancelledError):
    """The user cancelled; also a `CancelledError`, so generic cancel handling catches it."""

    default_text = QT_TRANSLATE_NOOP("Errors", "Cancelled.")


class KeyringUnavailable(ApiError):
    """The system keyring refused to store or read tokens."""

    default_text = QT_TRANSLATE_NOOP(
        "Errors", "The system keyring is not available; tokens will not be remembered."
    )


# --------------------------------------------------------------------------- mapping


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


def error_for_empty_body(
    *, method: str, path: str, request_id: str = "", status: int = 200
) -> NotFound:
    """The empty 200 that `GET /users/{id}` gives for an unknown id (contract D4)."""
    details = ErrorDetails(request_id=request_id, method=method.upper(), path=path, status=status)
    return NotFound(details=details)


def bad_response(
    *, method: str, path: str, request_id: str = "", status: int | None = None, why: str = ""
) -> BadResponse:
    details = ErrorDetails(
        request_id=request_id,
        method=method.upper(),
        path=path,
        status=status,
        server_message=why or None,
    )
    return BadResponse(details=details)


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

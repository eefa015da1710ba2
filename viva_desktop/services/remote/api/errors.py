"""Every error the services raise: what to tell the user, the suggested next step and the
technical details for a bug report, one class per kind of failure.

The server reports problems poorly (contract §3.4, §13): one-string messages, no field details,
500 for duplicates and unknown offers, empty 200 for unknown users. Turning its answers and the
transport's failures into these errors happens in one place, `error_mapping`, which keeps the
rest of the code base free of status-code checks and gives the error dialog one consistent
shape: a short translated message, a suggested next step and technical details.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from viva_desktop.services.common.cancel import CancelledError
from viva_desktop.services.common.i18n import QT_TRANSLATE_NOOP, translate

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


# --------------------------------------------------------------------------- builders


def error_for_empty_body(
    *, method: str, path: str, request_id: str = "", status: int = 200
) -> NotFound:
    """The empty 200 that `GET /users/{id}` gives for an unknown id (contract D4)."""
    details = ErrorDetails(request_id=request_id, method=method.upper(), path=path, status=status)
    return NotFound(details=details)


def bad_response(
    *, method: str, path: str, request_id: str = "", status: int | None = None, why: str = ""
) -> BadResponse:
    """An answer the application cannot read (`why` says what was wrong with it)."""
    details = ErrorDetails(
        request_id=request_id,
        method=method.upper(),
        path=path,
        status=status,
        server_message=why or None,
    )
    return BadResponse(details=details)

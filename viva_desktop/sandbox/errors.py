"""Exceptions that handlers raise and the one global filter that turns any exception into the
server's common error body `{statusCode, timestamp, path, method, message[, error]}`."""

from __future__ import annotations

import traceback
from http import HTTPStatus
from typing import Any

from viva_desktop.sandbox.jsonutil import now_iso

INTERNAL_ERROR = "Internal server error"
BAD_REQUEST = "Bad Request Exception"


class HttpError(Exception):
    """An error with its own status, like a NestJS HttpException."""

    exception_name = "HttpException"

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class BadRequest(HttpError):
    exception_name = "BadRequestException"

    def __init__(self, message: str = BAD_REQUEST) -> None:
        super().__init__(400, message)


class Unauthorized(HttpError):
    exception_name = "UnauthorizedException"

    def __init__(self, message: str = "Unauthorized") -> None:
        super().__init__(401, message)


class Forbidden(HttpError):
    exception_name = "ForbiddenException"

    def __init__(self, message: str = "Forbidden") -> None:
        super().__init__(403, message)


class NotFound(HttpError):
    exception_name = "NotFoundException"

    def __init__(self, message: str = "Not Found") -> None:
        super().__init__(404, message)


class TooManyRequests(HttpError):
    exception_name = "ThrottlerException"

    def __init__(self) -> None:
        super().__init__(429, "ThrottlerException: Too Many Requests")


class DatabaseError(Exception):
    """A failure of the storage layer; never mapped, so it always becomes a 500 (defect D5)."""


def reason_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def status_and_message(exc: BaseException) -> tuple[int, str]:
    """The status and message the global filter reports for any exception."""
    if isinstance(exc, HttpError):
        return exc.status, exc.message
    return 500, INTERNAL_ERROR


def stack_text(exc: BaseException | None, status: int, message: str) -> str:
    """The development-only `error` field: the exception's stack, as the real filter sends."""
    if exc is None:
        return f"Error: {message}\n    at sandbox ({status})"
    name = getattr(exc, "exception_name", type(exc).__name__)
    lines = [f"{name}: {exc}"]
    # Innermost frame first, like a JavaScript stack.
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        lines.append(f"    at {frame.name} ({frame.filename}:{frame.lineno})")
    return "\n".join(lines)


def error_body(
    *,
    status: int,
    message: str,
    path: str,
    method: str,
    development: bool,
    exc: BaseException | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "statusCode": status,
        "timestamp": now_iso(),
        "path": path,
        "method": method,
        "message": message,
    }
    if development:
        body["error"] = stack_text(exc, status, message)
    return body

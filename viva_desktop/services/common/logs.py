"""Logging for the whole application: readable console lines, JSON lines in a rotating file in
the per-user log folder, and an in-memory buffer for the live log viewer.

Every record carries its context (server profile, request id, module, thread), and passes a
redaction filter on every handler before anything is written: bearer tokens, JWTs, refresh
tokens, passwords, 2FA secrets and backup codes, `Authorization` values and URL credentials
(store URLs, Sentry DSNs) are replaced by `[REDACTED]` in the message, its arguments, `extra`
fields and exception text alike. `telemetry.py` reuses the same redaction for Sentry events.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import logging.handlers
import os
import re
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from viva_desktop.services.common import paths
from viva_desktop.services.common.config import LogSettings

__all__ = [
    "LOG_FILE_NAME",
    "REDACTED",
    "LogBuffer",
    "LoggingHandle",
    "RedactionFilter",
    "current_request_id",
    "is_sensitive_key",
    "log_context",
    "redact_data",
    "redact_text",
    "set_active_profile",
    "setup_logging",
]

REDACTED = "[REDACTED]"
LOG_FILE_NAME = "viva-desktop.jsonl"
BUFFER_CAPACITY = 5000

# --------------------------------------------------------------------------- redaction

_SENSITIVE_ROOTS = (
    "password",
    "passwd",
    "secret",
    "token",
    "authorization",
    "apikey",
    "backupcode",
    "cookie",
    "credential",
    "privatekey",
    "signature",
    "dsn",
)
_KEY_WORD = (
    r"[\w.-]*(?:pass(?:word|wd)|secret|token|authorization|api[_-]?key|backup[_-]?codes?"
    r"|cookie|credential|private[_-]?key|dsn)[\w.-]*"
)
_BEARER = re.compile(r"\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+", re.IGNORECASE)
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")
_URL_CREDENTIALS = re.compile(
    r"\b(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<user>[^\s:/@\"'<>]+)(?::(?P<password>[^\s/@\"'<>]*))?@"
)
_KEY_VALUE = re.compile(
    rf"(?P<key>(?P<q>[\"']?)\b{_KEY_WORD}(?P=q))(?P<sep>\s*[:=]\s*)"
    r"(?P<value>(?:Bearer|Basic)\s+\S+|\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|\[[^\]]*\]"
    r"|[^\s,;&)}\]\"']+)",
    re.IGNORECASE,
)
_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_TOKEN_UUID = re.compile(rf"(?P<context>tokens?\b[^\n]{{0,24}}?)(?P<uuid>{_UUID})", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")
# Every credential pattern above needs one of these words (in any case) to match: _BEARER the
# scheme, _KEY_VALUE and _TOKEN_UUID a word of _KEY_WORD. _JWT needs "eyJ", _URL_CREDENTIALS
# "://" and "@". ASCII text without any of them cannot match, and is most of what is logged
# (the API client's line for every request, for one), so it skips the patterns.
_TRIGGER_WORDS = (
    "bearer",
    "basic",
    "pass",
    "secret",
    "token",
    "authorization",
    "api",
    "backup",
    "cookie",
    "credential",
    "private",
    "dsn",
)


def is_sensitive_key(key: object) -> bool:
    """Whether a field name (in any spelling: `access_token`, `accessToken`, `X-Api-Key`...)
    names a credential whose value must never be logged or reported."""
    return _is_sensitive_name(str(key))


@functools.lru_cache(maxsize=4096)
def _is_sensitive_name(name: str) -> bool:
    # Cached: the same few field names come back on every record.
    normalized = re.sub(r"[^a-z0-9]", "", name.lower())
    return any(root in normalized for root in _SENSITIVE_ROOTS)


def _may_hold_credentials(text: str) -> bool:
    """False only when no credential pattern can match `text` (see `_TRIGGER_WORDS`)."""
    if not text.isascii():
        return True  # case-insensitive matching also folds some non-ASCII letters
    if "eyJ" in text or ("://" in text and "@" in text):
        return True
    lowered = text.lower()
    return any(word in lowered for word in _TRIGGER_WORDS)


def _redact_url_credentials(match: re.Match[str]) -> str:
    scheme, user, password = match["scheme"], match["user"], match["password"]
    if password is not None:
        return f"{scheme}{user}:{REDACTED}@"
    if scheme.lower() in ("http://", "https://"):  # a Sentry DSN key, or a token in a URL
        return f"{scheme}{REDACTED}@"
    return match.group(0)  # a user name alone (postgresql://viva@host) is not a secret


def _redact_key_value(match: re.Match[str]) -> str:
    value = match["value"]
    if value.startswith('"'):
        replacement = f'"{REDACTED}"'
    elif value.startswith("'"):
        replacement = f"'{REDACTED}'"
    elif value.startswith("["):
        replacement = f"[{REDACTED}]"
    else:
        replacement = REDACTED
    if value.strip("\"'[]") in ("", "null", "None", REDACTED):
        return match.group(0)
    return f"{match['key']}{match['sep']}{replacement}"


def redact_text(text: str, *, emails: bool = False) -> str:
    """`text` with credentials replaced by `[REDACTED]` (and e-mail addresses too when
    `emails`). Works on free text, `key=value` pairs, Python reprs and JSON alike."""
    if not text:
        return text
    if _may_hold_credentials(text):
        text = _redact_credentials(text)
    return _EMAIL.sub("[EMAIL]", text) if emails else text


def _redact_credentials(text: str) -> str:
    text = _BEARER.sub(lambda m: f"{m.group(1)} {REDACTED}", text)
    text = _JWT.sub(REDACTED, text)
    text = _URL_CREDENTIALS.sub(_redact_url_credentials, text)
    text = _KEY_VALUE.sub(_redact_key_value, text)
    return _TOKEN_UUID.sub(lambda m: f"{m['context']}{REDACTED}", text)


def redact_data(
    value: Any, *, emails: bool = False, stringify: bool = False, _depth: int = 0
) -> Any:
    """A redacted copy of `value`: sensitive keys lose their values, strings are redacted.

    Other objects are returned as they are, or, with `stringify`, as their redacted `str()`
    (for log fields, whose objects would otherwise be printed unredacted later).
    """
    if _depth > 32:
        return REDACTED
    if isinstance(value, str):
        return redact_text(value, emails=emails)
    if isinstance(value, bytes | bytearray):
        return redact_text(bytes(value).decode("utf-8", "replace"), emails=emails)
    if isinstance(value, Mapping):
        return {
            key: (
                REDACTED
                if is_sensitive_key(key) and item not in (None, "", [], {})
                else redact_data(item, emails=emails, stringify=stringify, _depth=_depth + 1)
            )
            for key, item in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        items = [
            redact_data(item, emails=emails, stringify=stringify, _depth=_depth + 1)
            for item in value
        ]
        return items if isinstance(value, list) else type(value)(items)
    if stringify and not isinstance(value, int | float | bool | type(None)):
        return redact_text(str(value), emails=emails)
    return value


# --------------------------------------------------------------------------- context

_profile_var: ContextVar[str | None] = ContextVar("viva_log_profile", default=None)
_request_var: ContextVar[str | None] = ContextVar("viva_log_request_id", default=None)
_active_profile: str | None = None
_API_CLIENT_MODULE = "viva_desktop.services.remote.api.client"


def set_active_profile(name: str | None) -> None:
    """The server profile shown on records from every thread (worker threads start with an
    empty context, so a process-wide default is needed besides `log_context`)."""
    global _active_profile
    _active_profile = name


@contextlib.contextmanager
def log_context(*, profile: str | None = None, request_id: str | None = None) -> Iterator[None]:
    """Tag the records logged inside the block (in this thread or task)."""
    tokens = []
    if profile is not None:
        tokens.append((_profile_var, _profile_var.set(profile)))
    if request_id is not None:
        tokens.append((_request_var, _request_var.set(request_id)))
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


def current_request_id() -> str | None:
    """The id of the API request running in this thread, if any.

    The API client owns the id (`services.api.client.current_request_id`); it is read only
    when that module is already loaded, so logging never drags in the HTTP stack.
    """
    client = sys.modules.get(_API_CLIENT_MODULE)
    var = getattr(client, "current_request_id", None)
    if isinstance(var, ContextVar):
        value = var.get(None)
        if value:
            return str(value)
    return _request_var.get()


class ContextFilter(logging.Filter):
    """Adds `profile` and `request_id` to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "profile", None):
            record.profile = _profile_var.get() or _active_profile or "-"
        if not getattr(record, "request_id", None):
            record.request_id = current_request_id() or "-"
        return True


_STANDARD_ATTRS = frozenset(
    logging.LogRecord("x", logging.INFO, "x", 0, "x", None, None).__dict__
) | {"message", "asctime", "profile", "request_id", "taskName", "_viva_redacted"}


class RedactionFilter(logging.Filter):
    """Redacts a record in place, before any handler formats it: message and arguments,
    `extra` fields, exception and stack text."""

    _exception_formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_viva_redacted", False):
            return True
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = f"{record.msg!r} {record.args!r}"
        record.msg = redact_text(message)
        record.args = None
        for key in [k for k in record.__dict__ if k not in _STANDARD_ATTRS]:
            value = record.__dict__[key]
            record.__dict__[key] = (
                REDACTED if is_sensitive_key(key) else redact_data(value, stringify=True)
            )
        if record.exc_info and not record.exc_text:
            record.exc_text = self._exception_formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_text(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_text(record.stack_info)
        record._viva_redacted = True
        return True


# --------------------------------------------------------------------------- formatting


def record_to_dict(record: logging.LogRecord) -> dict[str, Any]:
    """One record as plain data (the JSON line and the log viewer's row)."""
    entry: dict[str, Any] = {
        "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
        "level": record.levelname,
        "logger": record.name,
        "message": record.getMessage(),
        "module": record.module,
        "function": record.funcName,
        "line": record.lineno,
        "thread": record.threadName,
        "profile": getattr(record, "profile", "-"),
        "request_id": getattr(record, "request_id", "-"),
    }
    if record.exc_text:
        entry["exception"] = record.exc_text
    if record.stack_info:
        entry["stack"] = record.stack_info
    extra = {k: v for k, v in record.__dict__.items() if k not in _STANDARD_ATTRS}
    if extra:
        entry["extra"] = extra
    return entry


class JsonLinesFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(record_to_dict(record), ensure_ascii=False, default=str)


CONSOLE_FORMAT = (
    "%(asctime)s %(levelname)-7s %(name)s [%(threadName)s] "
    "profile=%(profile)s request=%(request_id)s: %(message)s"
)


# --------------------------------------------------------------------------- handlers


class LogBuffer(logging.Handler):
    """The last `capacity` records as dicts, for the live log viewer.

    Subscribers are called on the logging thread with each new entry; a GUI must hand the
    entry over to its own thread (a queued signal). A subscriber that logs is not re-entered.
    """

    def __init__(self, capacity: int = BUFFER_CAPACITY) -> None:
        super().__init__()
        self._entries: deque[dict[str, Any]] = deque(maxlen=capacity)
        self._subscribers: list[Callable[[dict[str, Any]], None]] = []
        self._guard = threading.Lock()
        self._local = threading.local()

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(self._local, "busy", False):
            return
        entry = record_to_dict(record)
        with self._guard:
            self._entries.append(entry)
            subscribers = list(self._subscribers)
        self._local.busy = True
        try:
            for callback in subscribers:
                try:
                    callback(entry)
                except Exception:  # noqa: S112 - one broken viewer must not stop the others
                    continue
        finally:
            self._local.busy = False

    def records(self) -> list[dict[str, Any]]:
        with self._guard:
            return list(self._entries)

    def clear(self) -> None:
        with self._guard:
            self._entries.clear()

    def subscribe(self, callback: Callable[[dict[str, Any]], None]) -> Callable[[], None]:
        """Call `callback(entry)` for every new record; returns a function that unsubscribes."""
        with self._guard:
            self._subscribers.append(callback)
        return lambda: self.unsubscribe(callback)

    def unsubscribe(self, callback: Callable[[dict[str, Any]], None]) -> None:
        with self._guard:
            if callback in self._subscribers:
                self._subscribers.remove(callback)


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Rotating file whose files (the current one and each new one after a rollover) are
    readable by the owner only: logs describe a user's server and data."""

    def _open(self) -> IO[str]:
        return open(
            self.baseFilename,
            self.mode,
            encoding=self.encoding,
            errors=self.errors,
            opener=lambda path, flags: os.open(path, flags, 0o600),
        )


# httpx repeats every request at INFO (our own API line has the request id and duration);
# Alembic narrates each migration context.
_NOISY_LOGGERS = ("httpcore", "hpack", "httpx", "alembic.runtime.migration")


@dataclass
class LoggingHandle:
    """What `setup_logging` installed; `close()` removes it again."""

    buffer: LogBuffer
    log_file: Path | None
    handlers: list[logging.Handler] = field(default_factory=list)
    file_error: str | None = None  # why there is no log file although one was asked for
    _closed: bool = False

    @property
    def level(self) -> str:
        return logging.getLevelName(logging.getLogger().level)

    def set_level(self, level: str | int) -> None:
        """Change the level at run time (from the settings page, say)."""
        if isinstance(level, str):
            level = level.strip().upper()
        logging.getLogger().setLevel(level)
        for handler in self.handlers:
            if handler is not self.buffer:
                handler.setLevel(level)

    def close(self) -> None:
        global _current
        if self._closed:
            return
        self._closed = True
        root = logging.getLogger()
        for handler in self.handlers:
            root.removeHandler(handler)
            with contextlib.suppress(Exception):
                handler.close()
        logging.captureWarnings(False)
        with _setup_lock:
            if _current is self:
                _current = None


API_LOGGER = "viva.api"
_setup_lock = threading.Lock()
_current: LoggingHandle | None = None


def setup_logging(
    settings: LogSettings,
    *,
    log_dir: Path | None = None,
    console_stream: IO[str] | None = None,
) -> LoggingHandle:
    """Install the application's handlers on the root logger (replacing any earlier call's).

    `log_dir` defaults to `paths.log_dir()`; `console_stream` to `sys.stderr`.
    """
    global _current
    with _setup_lock:
        previous = _current
    if previous is not None:
        previous.close()

    context = ContextFilter()
    redaction = RedactionFilter()
    handlers: list[logging.Handler] = []

    def add(handler: logging.Handler, formatter: logging.Formatter | None) -> None:
        handler.addFilter(context)
        handler.addFilter(redaction)
        if formatter is not None:
            handler.setFormatter(formatter)
        handlers.append(handler)

    if settings.console:
        add(logging.StreamHandler(console_stream or sys.stderr), logging.Formatter(CONSOLE_FORMAT))
    log_file: Path | None = None
    file_error: str | None = None
    if settings.json_file:
        try:
            folder = paths.ensure(Path(log_dir) if log_dir is not None else paths.log_dir())
            file_handler = PrivateRotatingFileHandler(
                folder / LOG_FILE_NAME,
                maxBytes=settings.file_max_bytes,
                backupCount=settings.file_backups,
                encoding="utf-8",
            )
        except OSError as exc:  # an unwritable log folder must not stop the application
            file_error = f"{type(exc).__name__}: {exc}"
        else:
            log_file = folder / LOG_FILE_NAME
            add(file_handler, JsonLinesFormatter())
    buffer = LogBuffer()
    add(buffer, None)

    root = logging.getLogger()
    for handler in handlers:
        if handler is not buffer:
            handler.setLevel(settings.level)
        root.addHandler(handler)
    root.setLevel(settings.level)
    # The per-request lines of the API client (method, path, status, duration, request id)
    # are DEBUG records. They always reach the in-memory buffer, so the live log viewer can
    # show what a request id in an error dialog did; console and file keep the chosen level.
    logging.getLogger(API_LOGGER).setLevel(logging.DEBUG)
    for name in _NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    logging.captureWarnings(True)
    handle = LoggingHandle(
        buffer=buffer, log_file=log_file, handlers=handlers, file_error=file_error
    )
    with _setup_lock:
        _current = handle
    if file_error:
        logging.getLogger(__name__).warning("No log file: %s", file_error)
    return handle

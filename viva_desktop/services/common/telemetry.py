"""Error reporting to Sentry, only when the user configured a DSN.

Without a DSN, or without the `sentry_sdk` package, every function here is a silent no-op, so
callers never check. With one, events carry the release, the environment, the user's id and
role (the e-mail address only when the user opted in), and breadcrumbs of the API calls that
led to the error. Nothing leaves the machine unscrubbed: `before_send` and `before_breadcrumb`
run the redaction of `logs.py` over the whole event (messages, exception values, extra data,
contexts, request data, breadcrumbs), remove e-mail addresses, and drop headers.

Only integrations we control are enabled: logging (as breadcrumbs only), uncaught exceptions,
de-duplication and a quiet flush at exit. No automatic HTTP instrumentation (it would record
URLs and add headers to our requests), no local variables in stack frames (they hold passwords
and tokens), no host name, no installed-package list.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from viva_desktop.services.common.config import SentrySettings
from viva_desktop.services.common.logs import redact_data, redact_text

__all__ = [
    "api_breadcrumb",
    "capture_exception",
    "capture_message",
    "clear_user",
    "close_telemetry",
    "flush",
    "init_telemetry",
    "is_enabled",
    "set_user",
]

log = logging.getLogger(__name__)

APP_TAG = "viva-desktop"
# Event fields that are metadata of the SDK, not user data: kept exactly as they are.
_PASSTHROUGH_KEYS = frozenset(
    {"event_id", "timestamp", "start_timestamp", "release", "environment", "platform", "sdk"}
)
_DROPPED_KEYS = frozenset({"server_name", "modules"})
_USER_KEYS = frozenset({"id", "role"})
_HEADER_KEYS = frozenset({"headers", "cookies"})


class _State:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.active = False
        self.send_email = False


_state = _State()


def is_enabled() -> bool:
    return _state.active


def init_telemetry(
    settings: SentrySettings, *, release: str, environment: str | None = None
) -> bool:
    """Start (or restart) error reporting with `settings`; True when events will be sent.

    Safe to call again with other settings: the previous client is flushed and closed first.
    """
    with _state.lock:
        _shutdown_locked(timeout=2.0)
        if not settings.dsn:
            return False
        try:
            import sentry_sdk
            from sentry_sdk.integrations.atexit import AtexitIntegration
            from sentry_sdk.integrations.dedupe import DedupeIntegration
            from sentry_sdk.integrations.excepthook import ExcepthookIntegration
            from sentry_sdk.integrations.logging import LoggingIntegration
        except ImportError:
            return False
        env = environment or settings.environment
        try:
            sentry_sdk.init(
                dsn=settings.dsn,
                release=release,
                environment=env,
                sample_rate=settings.sample_rate,
                include_local_variables=False,
                max_breadcrumbs=100,
                default_integrations=False,
                auto_enabling_integrations=False,
                integrations=[
                    LoggingIntegration(level=logging.INFO, event_level=None),
                    ExcepthookIntegration(always_run=False),
                    DedupeIntegration(),
                    AtexitIntegration(callback=_quiet_atexit),
                ],
                in_app_include=["viva_desktop"],
                before_send=_before_send,
                before_breadcrumb=_before_breadcrumb,
                server_name="",
                send_client_reports=False,
                shutdown_timeout=2,
            )
        except Exception as exc:  # BadDsn and friends: reporting stays off, the app goes on
            log.warning("Error reporting is off: the Sentry DSN was refused (%s).", exc)
            _clear_scopes(sentry_sdk)
            return False
        scope = sentry_sdk.get_global_scope()
        scope.set_tag("app", APP_TAG)
        scope.set_tag("environment", env)
        scope.set_tag("release", release)
        _state.active = True
        _state.send_email = settings.send_email
        return True


def close_telemetry(timeout: float = 2.0) -> None:
    """Send what is pending (up to `timeout` seconds) and stop reporting."""
    with _state.lock:
        _shutdown_locked(timeout=timeout)


def _shutdown_locked(timeout: float) -> None:
    was_active, _state.active, _state.send_email = _state.active, False, False
    if not was_active:
        return
    try:
        import sentry_sdk
    except ImportError:  # pragma: no cover - it was importable when we started
        return
    client = sentry_sdk.get_client()
    try:
        client.close(timeout=timeout)
    finally:
        _clear_scopes(sentry_sdk)
        sentry_sdk.get_global_scope().set_client(None)


def _clear_scopes(sentry_sdk: Any) -> None:
    for scope in (
        sentry_sdk.get_global_scope(),
        sentry_sdk.get_isolation_scope(),
        sentry_sdk.get_current_scope(),
    ):
        scope.clear()


def _quiet_atexit(pending: int, timeout: float) -> None:
    """At exit, sentry-sdk would print to stderr about pending events; stay silent."""


def set_user(user_id: str, role: str | None, email: str | None = None) -> None:
    """Who is signed in, for every following event. The e-mail address is attached only
    when the user opted in (`SentrySettings.send_email`)."""
    if not _state.active:
        return
    import sentry_sdk

    user: dict[str, Any] = {"id": str(user_id)}
    if role:
        user["role"] = role
    if email and _state.send_email:
        user["email"] = email
    scope = sentry_sdk.get_global_scope()
    scope.set_user(user)
    if role:
        scope.set_tag("role", role)


def clear_user() -> None:
    if not _state.active:
        return
    import sentry_sdk

    scope = sentry_sdk.get_global_scope()
    scope.set_user(None)
    scope.remove_tag("role")


def api_breadcrumb(event: Any) -> None:
    """Record one API call (a `RequestEvent` of the API client, or anything with the same
    attributes) as an "http" breadcrumb: method, path without query, status, request id,
    duration. Never headers or bodies. Register it with `client.add_listener(api_breadcrumb)`.
    """
    if not _state.active:
        return
    import sentry_sdk

    method = str(getattr(event, "method", "") or "").upper()
    path = str(getattr(event, "path", "") or "").split("?", 1)[0].split("#", 1)[0]
    status = getattr(event, "status", None)
    error = getattr(event, "error", None)
    elapsed = getattr(event, "elapsed_ms", None)
    data: dict[str, Any] = {
        "method": method,
        "url": path,
        "status_code": status,
        "request_id": getattr(event, "request_id", None),
        "duration_ms": round(float(elapsed), 1) if isinstance(elapsed, int | float) else None,
        "attempt": getattr(event, "attempt", None),
        "error": redact_text(str(error), emails=True) if error else None,
    }
    if (isinstance(status, int) and status >= 500) or (error and status is None):
        level = "error"
    elif (isinstance(status, int) and status >= 400) or error:
        level = "warning"
    else:
        level = "info"
    # The global scope: calls run on worker threads, errors surface on the GUI thread.
    sentry_sdk.get_global_scope().add_breadcrumb(
        category="http",
        type="http",
        message=f"{method} {path}".strip(),
        level=level,
        data={key: value for key, value in data.items() if value is not None},
    )


def capture_exception(exc: BaseException) -> str | None:
    """Report `exc`; returns the event id (for "send report" in the error dialog), or None
    when reporting is off or the event was sampled out."""
    if not _state.active:
        return None
    import sentry_sdk

    return sentry_sdk.capture_exception(exc)


def capture_message(message: str, level: str = "info") -> str | None:
    if not _state.active:
        return None
    import sentry_sdk

    return sentry_sdk.capture_message(message, level=level)  # type: ignore[arg-type]


def flush(timeout: float = 2.0) -> None:
    """Block until pending events are sent, at most `timeout` seconds."""
    if not _state.active:
        return
    import sentry_sdk

    sentry_sdk.flush(timeout=timeout)


# --------------------------------------------------------------------------- scrubbing


def scrub_event(event: dict[str, Any], *, keep_email: bool = False) -> dict[str, Any]:
    """A copy of a Sentry event with credentials, e-mail addresses and headers removed.

    The user's e-mail survives only in `user.email`, and only with `keep_email`.
    """
    scrubbed: dict[str, Any] = {}
    for key, value in event.items():
        if key in _PASSTHROUGH_KEYS:
            scrubbed[key] = value
        elif key in _DROPPED_KEYS:
            continue
        elif key == "user":
            scrubbed[key] = _scrub_user(value, keep_email=keep_email)
        elif key == "request" and isinstance(value, dict):
            request = {k: v for k, v in value.items() if k not in _HEADER_KEYS}
            if isinstance(request.get("url"), str):
                request["url"] = request["url"].split("?", 1)[0]
            request.pop("query_string", None)
            scrubbed[key] = redact_data(request, emails=True)
        else:
            scrubbed[key] = redact_data(value, emails=True)
    return scrubbed


def _scrub_user(user: Any, *, keep_email: bool) -> Any:
    if not isinstance(user, dict):
        return None
    kept = {k: v for k, v in user.items() if k in _USER_KEYS}
    if keep_email and user.get("email"):
        kept["email"] = user["email"]
    return kept or None


def _before_send(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any] | None:
    try:
        return scrub_event(event, keep_email=_state.send_email)
    except Exception:  # never risk sending an unscrubbed event
        return None


def _before_breadcrumb(crumb: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any] | None:
    try:
        cleaned = {k: v for k, v in crumb.items() if k not in ("data", "message")}
        if crumb.get("message") is not None:
            cleaned["message"] = redact_text(str(crumb["message"]), emails=True)
        data = crumb.get("data")
        if isinstance(data, dict):
            data = {k: v for k, v in data.items() if k not in _HEADER_KEYS}
            if isinstance(data.get("url"), str):
                data["url"] = data["url"].split("?", 1)[0]
            cleaned["data"] = redact_data(data, emails=True, stringify=True)
        return cleaned
    except Exception:
        return None

"""Server URLs typed on a command line, checked before anything is sent."""

from __future__ import annotations

from urllib.parse import urlsplit

from viva_desktop.cli.common import UsageError


def checked_server_url(text: str, *, option: str) -> str:
    """`text` as a server base URL, or a `UsageError` that names what is wrong with it: the
    scheme, a missing or malformed host, or a port outside 1–65535."""
    url = text.strip()
    if not url.startswith(("http://", "https://")):
        raise UsageError(f"{option} must start with http:// or https:// (got {text!r})")
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError for a port out of range or not a number
    except ValueError as exc:
        reason = str(exc)
        if "Port" in reason or "port" in reason:
            raise UsageError(
                f"{option}: the port must be a number from 1 to 65535 (got {text!r})"
            ) from None
        raise UsageError(f"{option} is not a valid URL ({reason}): {text!r}") from None
    if not parts.hostname:
        raise UsageError(f"{option} has no host name after the scheme (got {text!r})")
    if port == 0:
        raise UsageError(f"{option}: the port must be a number from 1 to 65535 (got {text!r})")
    if parts.query or parts.fragment:
        raise UsageError(f"{option} must not have a query or a fragment (got {text!r})")
    return url

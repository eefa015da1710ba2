"""The variables for the screen: secrets (by name, or credentials inside URLs) masked."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from viva_desktop.services.admin.envaudit.parsing import ParsedEnv

MASK = "••••••••"
_SECRET_KEY = re.compile(
    r"SECRET|PASS|KEY|PRIVATE|CREDENTIAL|(^|_)TOKEN$|DSN|SALT|MNEMONIC|SEED_PHRASE",
    re.IGNORECASE,
)
_SECRET_QUERY = re.compile(r"pass|secret|token|key|sig", re.IGNORECASE)


@dataclass(frozen=True)
class EnvItem:
    key: str
    display_value: str
    secret: bool


def is_secret_key(key: str) -> bool:
    return bool(_SECRET_KEY.search(key))


def _mask_url(value: str) -> tuple[str, bool]:
    """Mask the credentials inside a URL (user info and sensitive query parameters)."""
    try:
        parts = urlsplit(value)
    except ValueError:
        return value, False
    if not parts.scheme or not parts.netloc:
        return value, False
    masked = False
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        user, has_password, _ = userinfo.partition(":")
        netloc = f"{user}:{MASK}@{host}" if has_password else f"{MASK}@{host}"
        masked = True
    elif ":" in netloc and not netloc.rsplit(":", 1)[1].isdigit() and not netloc.endswith("]"):
        # "user:pass" cut short (an unquoted '#' in the password): what follows ':' is no port.
        netloc = netloc.split(":", 1)[0] + ":" + MASK
        masked = True
    pieces = []
    for piece in parts.query.split("&") if parts.query else []:
        name, has_value, _ = piece.partition("=")
        if has_value and _SECRET_QUERY.search(name):
            piece, masked = f"{name}={MASK}", True
        pieces.append(piece)
    query = "&".join(pieces)
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment)), masked


def mask_value(key: str, value: str) -> tuple[str, bool]:
    """`(display text, is secret)` for one variable."""
    if "://" in value:
        display, had_credentials = _mask_url(value)
        if had_credentials or "DSN" in key.upper():
            return display, True
        if is_secret_key(key):
            return MASK, True
        return display, False
    if is_secret_key(key):
        return (MASK if value else ""), True
    return value, False


def masked_items(env: Mapping[str, str] | ParsedEnv) -> list[EnvItem]:
    """Every variable for the screen, secrets masked, in file order."""
    values = env.values if isinstance(env, ParsedEnv) else env
    return [EnvItem(key, *mask_value(key, value)) for key, value in values.items()]

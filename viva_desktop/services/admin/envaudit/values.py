"""What the server makes of particular values: whether a host is this machine, the origins in a
CORS list, whether the announced URLs make the server "deployed", how guessable a secret is,
and the refresh-token lifetime in whole days."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping
from ipaddress import ip_address
from urllib.parse import urlsplit

_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "0.0.0.0"}  # noqa: S104


def is_local_host(host: str | None) -> bool:
    """True for no host, `localhost` names, `0.0.0.0` and loopback addresses: not deployed."""
    if not host:
        return True
    host = host.lower().strip("[]")
    if host in _LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def origins(value: str) -> list[str]:
    """The items of a comma-separated origin list, blanks dropped."""
    return [item.strip() for item in value.split(",") if item.strip()]


def deployed_hosts(env: Mapping[str, str]) -> list[str]:
    """Public-looking hosts in the URLs the server announces; any makes it 'deployed'."""
    hosts: list[str] = []
    for key in ("FRONTEND_URL", "API_URL", "CORS_ORIGIN"):
        for origin in origins(env.get(key, "")):
            host = urlsplit(origin).hostname
            if host and not is_local_host(host) and "*" not in host:
                hosts.append(host)
    return hosts


PLACEHOLDER = re.compile(
    r"change|secret|example|your|default|placeholder|password|sample|test|dummy|jwt|todo|xxx",
    re.IGNORECASE,
)


def secret_strength_bits(secret: str) -> float:
    """Rough entropy estimate: length times the per-character Shannon entropy of the text."""
    if not secret:
        return 0.0
    counts = Counter(secret)
    per_char = -sum((n / len(secret)) * math.log2(n / len(secret)) for n in counts.values())
    return per_char * len(secret)


def refresh_days(value: str) -> int | None:
    """What the server makes of `JWT_REFRESH_TOKEN_EXPIRATION`: whole days, None if unreadable."""
    match = re.fullmatch(r"\s*(\d+)\s*([dhms])\s*", value)
    if match is None:
        return None
    amount, unit = int(match.group(1)), match.group(2)
    seconds = amount * {"d": 86400, "h": 3600, "m": 60, "s": 1}[unit]
    return seconds // 86400

"""How the outbox compares its values with the server's: timestamps as instants, numbers as
numbers, text as the server stores it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from viva_desktop.services.local.store.types import parse_timestamp


def same(a: Any, b: Any) -> bool:
    """Equal as the server means it: timestamps compared as instants, numbers as numbers."""
    if a == b:
        return True
    if isinstance(a, str) and isinstance(b, str):
        ta, tb = parse_timestamp(a), parse_timestamp(b)
        return ta is not None and ta == tb
    if isinstance(a, int | float) and isinstance(b, int | float):
        return float(a) == float(b)
    return (a in (None, [], "")) and (b in (None, [], ""))


def same_text(a: Any, b: Any) -> bool:
    """Text as the server stores it: it strips tags and surrounding whitespace."""
    if not isinstance(a, str) or not isinstance(b, str):
        return same(a, b)
    return " ".join(a.split()) == " ".join(b.split())


def applied(remote: Mapping[str, Any], payload: Mapping[str, Any]) -> bool:
    return all(same(remote.get(k), v) for k, v in payload.items())


def deleted(remote: Mapping[str, Any]) -> bool:
    """Offers are deleted softly: they come back CANCELLED."""
    return remote.get("status") == "CANCELLED"

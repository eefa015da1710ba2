"""Proximity filtering as the server does it: in memory, haversine km, 0 counts as absent."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

EARTH_RADIUS_KM = 6371
T = TypeVar("T")


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = math.radians(lat2 - lat1), math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return EARTH_RADIUS_KM * 2 * math.atan2(math.sqrt(a), math.sqrt(1 - a))


def usable(value: Any) -> bool:
    """A coordinate the server would use: a real, non-zero number."""
    return isinstance(value, int | float) and not math.isnan(value) and value != 0


def within(
    items: Iterable[T],
    lat: float,
    lng: float,
    radius_km: float,
    where: Callable[[T], tuple[Any, Any]],
) -> list[tuple[T, float]]:
    """Items with coordinates inside the radius, with their distance."""
    found = []
    for item in items:
        item_lat, item_lng = where(item)
        if item_lat is None or item_lng is None:
            continue
        distance = haversine_km(lat, lng, item_lat, item_lng)
        if distance <= radius_km:
            found.append((item, distance))
    return found

"""Settings as layers of nested dicts (config file, environment, overrides): merging them,
and looking up or removing one value by its path (`("profiles", 0, "url")`)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

Layer = dict[str, Any]
Path_ = tuple[str | int, ...]


def expand_overrides(overrides: Mapping[str, Any] | None) -> Layer:
    """Overrides as a nested dict; accepts nested dicts and dotted keys (`"log.level"`);
    `None` values (flags the user did not give) are skipped."""
    result: Layer = {}
    for key, value in (overrides or {}).items():
        if value is None:
            continue
        if isinstance(value, Mapping):
            value = expand_overrides(value)
            if not value:
                continue
        target = result
        parts = str(key).split(".")
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        if isinstance(value, dict) and isinstance(target.get(parts[-1]), dict):
            target[parts[-1]] = deep_merge(target[parts[-1]], value)
        else:
            target[parts[-1]] = value
    return result


def deep_merge(base: Layer, top: Layer) -> Layer:
    """`top` over `base`, merging nested dicts key by key (neither is changed)."""
    merged = dict(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _has(data: Any, part: str | int) -> bool:
    if isinstance(data, dict):
        return isinstance(part, str) and part in data
    return isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)


def lookup(data: Any, path: Path_) -> tuple[bool, Any]:
    """(True, value) at `path` in nested dicts and lists, else (False, None)."""
    for part in path:
        if not _has(data, part):
            return False, None
        data = data[part]
    return True, data


def prune(data: Any, path: Path_) -> bool:
    """Remove the value at `path` in place; False when there is none."""
    if not path:
        return False
    found, parent = lookup(data, path[:-1])
    last = path[-1]
    if not found:
        return False
    if isinstance(parent, dict) and last in parent:
        del parent[last]
        return True
    if isinstance(parent, list) and isinstance(last, int) and 0 <= last < len(parent):
        del parent[last]
        return True
    return False


def leaves(data: Layer, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The paths of the values of `data` (an empty dict counts as a value)."""
    for key, value in data.items():
        if isinstance(value, dict) and value:
            yield from leaves(value, (*prefix, key))
        else:
            yield (*prefix, key)

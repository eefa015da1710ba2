"""Text normalisation for local full-text search, identical on SQLite and PostgreSQL.

The stored search text and every query go through the same folding (lower case, accents
removed, split into words) before either engine sees them, so "jardineria" finds
"Jardinería urbana" on both backends and both tokenise the same way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
MAX_QUERY_TERMS = 8


# Combining marks (accents) to drop after decomposition; str.translate keeps this in C.
_COMBINING = dict.fromkeys(
    c for c in range(0x300, 0x2000) if unicodedata.combining(chr(c))
) | dict.fromkeys(c for c in range(0x2000, 0x10000) if unicodedata.combining(chr(c)))


def fold(text: str) -> str:
    """Lower-case, accent-free form of `text` (ñ becomes n, ç becomes c)."""
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKD", text).translate(_COMBINING).casefold()


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def search_text(*parts: Any) -> str:
    """One folded, space-separated word string from the fields worth searching."""
    joined = " ".join(value for part in parts for value in _flatten(part))
    return " ".join(words(joined))


def _flatten(value: Any) -> Iterable[str]:
    kind = type(value)
    if kind is str:
        yield value
    elif kind is list or kind is tuple:
        for item in value:
            yield from _flatten(item)
    elif kind is int or kind is float or isinstance(value, str):
        yield str(value)


def query_terms(query: str) -> list[str]:
    """The words of a user's search box, folded; every term must match (as a prefix)."""
    seen: list[str] = []
    for term in words(query):
        if term not in seen:
            seen.append(term)
    return seen[:MAX_QUERY_TERMS]


def fts5_query(terms: list[str]) -> str:
    """FTS5 MATCH expression: every term as a quoted prefix, ANDed."""
    return " AND ".join(f'"{term}"*' for term in terms)


def tsquery(terms: list[str]) -> str:
    """PostgreSQL `to_tsquery('simple', ...)` expression: every term as a prefix, ANDed."""
    return " & ".join(f"{term}:*" for term in terms)

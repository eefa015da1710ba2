"""The server's input stripper: every string of the body, the query and the route parameters
goes through the `xss` npm library with no allowed tags, unknown tags stripped and the contents
of <script> and <style> dropped. This is a faithful port of that library's tag parser, so the
sandbox mangles text exactly like the real server (a lone `<` swallows the rest, `>` becomes
`&gt;`, `&` and quotes stay as they are)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_BODY_TAGS = frozenset({"script", "style"})
_COMMENT = re.compile(r"<!--[\s\S]*?-->")


def _escape_html(text: str) -> str:
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _space_index(text: str) -> int:
    match = re.search(r"\s|\n|\t", text)
    return match.start() if match else -1


def _tag_name(html: str) -> str:
    i = _space_index(html)
    name = html[1:-1] if i == -1 else html[1 : i + 1]
    name = name.strip().lower()
    if name.startswith("/"):
        name = name[1:]
    if name.endswith("/"):
        name = name[:-1]
    return name


def _parse_tag(html: str, on_tag: Callable[[int, str, str, bool], str]) -> str:
    """xss's `parseTag`: split text and tags; text is escaped, tags go through `on_tag`."""
    out: list[str] = []
    out_len = 0
    last_pos = 0
    tag_start: int | None = None
    quote_start: str | None = None
    length = len(html)
    pos = 0
    while pos < length:
        c = html[pos]
        if tag_start is None:
            if c == "<":
                tag_start = pos
        elif quote_start is None:
            if c == "<":
                chunk = _escape_html(html[last_pos:pos])
                out.append(chunk)
                out_len += len(chunk)
                tag_start = pos
                last_pos = pos
                pos += 1
                continue
            if c == ">" or pos == length - 1:
                chunk = _escape_html(html[last_pos:tag_start])
                out.append(chunk)
                out_len += len(chunk)
                tag_html = html[tag_start : pos + 1]
                result = on_tag(out_len, _tag_name(tag_html), tag_html, tag_html[:2] == "</")
                out.append(result)
                out_len += len(result)
                last_pos = pos + 1
                tag_start = None
                pos += 1
                continue
            if c in "\"'":
                i = 1
                ic = html[pos - i] if pos - i >= 0 else ""
                while ic.strip() == "" or ic == "=":
                    if ic == "=":
                        quote_start = c
                        break
                    i += 1
                    if pos - i < 0:
                        break
                    ic = html[pos - i]
        elif c == quote_start:
            quote_start = None
        pos += 1
    if last_pos < length:
        chunk = _escape_html(html[last_pos:])
        out.append(chunk)
    return "".join(out)


def strip_html(text: str) -> str:
    """Strip a string the way the real server's sanitising middleware does."""
    if not text:
        return text
    text = _COMMENT.sub("", text)
    remove: list[tuple[int, int]] = []
    body_start: int | None = None

    def on_tag(position: int, name: str, _html: str, closing: bool) -> str:
        nonlocal body_start
        if name in _BODY_TAGS:
            if closing:
                marker = "[/removed]"
                remove.append(
                    (body_start if body_start is not None else position, position + len(marker))
                )
                body_start = None
                return marker
            if not body_start:  # mirrors `if (!posStart)` in the library, 0 included
                body_start = position
            return "[removed]"
        return ""

    result = _parse_tag(text, on_tag)
    if not remove:
        return result
    pieces: list[str] = []
    last = 0
    for start, end in remove:
        pieces.append(result[last:start])
        last = end
    pieces.append(result[last:])
    return "".join(pieces)


def sanitize(value: Any) -> Any:
    """Walk objects and arrays and strip every string; numbers and booleans are untouched."""
    if isinstance(value, str):
        return strip_html(value)
    if isinstance(value, dict):
        return {key: sanitize(item) for key, item in value.items()}
    if isinstance(value, list):
        return [sanitize(item) for item in value]
    return value

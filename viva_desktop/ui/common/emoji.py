"""Emoji in server data (community names, posts, level badges) on a system without an emoji
font: Qt would draw empty boxes. Where no font can draw them, each emoji is replaced by a
visible stand-in, so the reader knows something is there. `scripts/system-packages.sh`
installs Debian's Noto Color Emoji, so this is the exception."""

from __future__ import annotations

import functools
import re

from PySide6.QtGui import QFontDatabase

STAND_IN = "◇"  # U+25C7, in every common text font
# Pictographs, symbols and flags; joiners, variation selectors and skin tones go with them.
_EMOJI = re.compile(
    "(?:[\U0001f000-\U0001faff\U00002600-\U000027bf\U0001f1e6-\U0001f1ff\u2b00-\u2bff]"
    "[\ufe0f\u200d\U0001f3fb-\U0001f3ff]*)+"
)


@functools.cache
def emoji_font_available() -> bool:
    """Whether a font that draws colour emoji is installed (checked once per run)."""
    return any("emoji" in family.lower() for family in QFontDatabase.families())


def visible_emoji(text: str, *, available: bool | None = None) -> str:
    """`text` as it can be drawn: unchanged with an emoji font, else with each emoji (or
    emoji sequence) replaced by a visible stand-in."""
    has_font = emoji_font_available() if available is None else available
    if has_font or not text or text.isascii():
        return text
    return _EMOJI.sub(STAND_IN, text)

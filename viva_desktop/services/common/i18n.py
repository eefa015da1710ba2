"""Translation hook for service-layer messages.

Services must not import Qt, yet their user messages (error texts, report findings) have to be
translated with the rest of the UI. Services call `translate(context, text)`; by default it
returns the English text, and the UI installs Qt's `QCoreApplication.translate` at start-up so
the same call goes through the loaded Qt Linguist catalogue. `pyside6-lupdate` extracts the
`translate("Context", "text")` calls like any other.
"""

from __future__ import annotations

from collections.abc import Callable

Translator = Callable[[str, str], str]


def _identity(context: str, text: str) -> str:
    return text


_translator: Translator = _identity


def install_translator(func: Translator | None) -> None:
    """Route `translate` through `func` (None restores plain English)."""
    global _translator
    _translator = func or _identity


def translate(context: str, text: str) -> str:
    return _translator(context, text)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark a string for extraction without translating it yet (translated at display time)."""
    return text

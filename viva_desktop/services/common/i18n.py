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


class Translated(str):
    """A translated message that remembers its source text and format arguments, so that a
    result already on screen can be said again in another language (`retranslated`) without
    producing it again. It is a plain `str` everywhere else; string operations other than
    `format` give a plain `str` back (and that text then stays in its language)."""

    def __new__(
        cls,
        text: str,
        context: str,
        source: str,
        args: tuple[object, ...] = (),
        kwargs: dict[str, object] | None = None,
    ) -> Translated:
        made = super().__new__(cls, text)
        made.context = context
        made.source = source
        made.args = args
        made.kwargs = dict(kwargs or {})
        return made

    def format(self, *args: object, **kwargs: object) -> Translated:  # type: ignore[override]
        text = str.format(self, *args, **kwargs)
        return Translated(text, self.context, self.source, args, kwargs)

    def __reduce__(self) -> tuple[object, ...]:
        return (Translated, (str(self), self.context, self.source, self.args, self.kwargs))

    def __add__(self, other: str) -> str:
        return Joined((self, other)) if isinstance(other, str) else NotImplemented

    def __radd__(self, other: str) -> str:
        return Joined((other, self)) if isinstance(other, str) else NotImplemented

    def again(self) -> str:
        """This message in the language installed now."""
        text = translate(self.context, self.source)
        if not self.args and not self.kwargs:
            return text
        args = [retranslated(a) for a in self.args]
        kwargs = {k: retranslated(v) for k, v in self.kwargs.items()}
        try:
            return text.format(*args, **kwargs)
        except (IndexError, KeyError, ValueError):  # a translation with other placeholders
            return str.format(self.source, *args, **kwargs)


class Joined(str):
    """Messages put together with `+` (an evidence line and its detail): said again part by
    part in another language."""

    def __new__(cls, parts: tuple[str, ...]) -> Joined:
        flat: list[str] = []
        for part in parts:
            flat.extend(part.parts if isinstance(part, Joined) else (part,))
        made = super().__new__(cls, "".join(str.__str__(p) for p in flat))
        made.parts = tuple(flat)
        return made

    def __reduce__(self) -> tuple[object, ...]:
        return (Joined, (self.parts,))

    def __add__(self, other: str) -> str:
        return Joined((self, other)) if isinstance(other, str) else NotImplemented

    def __radd__(self, other: str) -> str:
        return Joined((other, self)) if isinstance(other, str) else NotImplemented

    def again(self) -> str:
        return "".join(retranslated_text(p) for p in self.parts)


def translate(context: str, text: str) -> str:
    return Translated(_translator(context, text), context, text)


def retranslated(value: object) -> object:
    """`value` in the current language when it is a `Translated` message, else unchanged."""
    return value.again() if isinstance(value, Translated | Joined) else value


def retranslated_text(value: str) -> str:
    """`retranslated` for a text: the typed form the UI uses."""
    result = retranslated(value)
    return result if isinstance(result, str) else str(result)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark a string for extraction without translating it yet (translated at display time)."""
    return text

"""Emoji without an emoji font (issue 17, defect 10): a visible stand-in instead of an empty
box; with the font (Debian's fonts-noto-color-emoji, which the setup installs) the text is
left as the server sent it."""

from __future__ import annotations

from viva_desktop.ui.common.emoji import STAND_IN, visible_emoji


def test_without_an_emoji_font_each_emoji_has_a_visible_stand_in() -> None:
    text = "Huerto 🌱 de Txantrea 👩🏽‍🌾!"
    assert visible_emoji(text, available=False) == f"Huerto {STAND_IN} de Txantrea {STAND_IN}!"
    assert visible_emoji("Tienda Ecológica Txantrea", available=False) == (
        "Tienda Ecológica Txantrea"
    )


def test_with_an_emoji_font_the_text_is_untouched() -> None:
    assert visible_emoji("Nivel 🌳", available=True) == "Nivel 🌳"

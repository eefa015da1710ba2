"""`Retranslating`: a widget that sets its texts in `retranslate()` gets it called again on
every language change.

Installing a translator makes Qt send `LanguageChange` to every widget (see
`ui.translations`); this mix-in routes that event to `retranslate()`, so open windows switch
language without each widget handling the event itself.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent


class Retranslating:
    """Mix in before the Qt class (`class Dialog(Retranslating, QDialog)`); the widget
    provides `retranslate()`, setting every user-visible text."""

    def retranslate(self) -> None:
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)  # type: ignore[misc]  # the Qt class after the mix-in

"""`Page`: the small base every sidebar page derives from."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLineEdit, QWidget

from viva_desktop.ui.common.retranslate import Retranslating

if TYPE_CHECKING:
    from viva_desktop.ui.common.context import AppContext


class Page(Retranslating, QWidget):
    """A page of the main window.

    The window calls `activate()` when the page is shown and `deactivate()` when another one
    replaces it, so pages can start and stop timers or refreshes; `refresh()` is F5, and
    `search_box()` is what Ctrl+F focuses. `retranslate()` runs on every language change: set
    all visible texts there (it is also called once by the window after construction).
    """

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._active = False

    @property
    def active(self) -> bool:
        return self._active

    def activate(self) -> None:
        self._active = True

    def deactivate(self) -> None:
        self._active = False

    def refresh(self) -> None:
        """Reload what the page shows (F5). Default: nothing to reload."""

    def is_loading(self) -> bool:
        """True while the page is still fetching what it shows (screenshots wait for it)."""
        return False

    def search_box(self) -> QLineEdit | None:
        """The page's search field, if it has one (Ctrl+F)."""
        return None

    def retranslate(self) -> None:
        """Set every user-visible text; called after construction and on language change."""

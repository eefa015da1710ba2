"""The detail pane's width and whether it is shown, remembered per browser in the UI state."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QSplitter

from viva_desktop.ui.browser.columns import settings_flag

DETAIL_WIDTH = 280  # pixels: the detail pane's first width; the table gets the rest


def restore_detail_layout(key: str, splitter: QSplitter) -> bool:
    """Restore the splitter of browser `key`; whether the detail pane is to be shown."""
    settings = QSettings()
    sizes = settings.value(f"browsers/{key}/splitter")
    if isinstance(sizes, QByteArray | bytes) and sizes:
        splitter.restoreState(QByteArray(sizes))
    shown = settings.value(f"browsers/{key}/details")
    return shown is None or settings_flag(shown)


def save_detail_layout(key: str, splitter: QSplitter, visible: bool) -> None:
    settings = QSettings()
    settings.setValue(f"browsers/{key}/splitter", splitter.saveState())
    settings.setValue(f"browsers/{key}/details", visible)

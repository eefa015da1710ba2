"""The main window's per-user UI state between runs: geometry, dock/toolbar state, the
sidebar splitter and the last page shown (kept in `QSettings`, not in the configuration)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter


def ui_state() -> QSettings:
    """Window geometry and similar per-user UI state (not configuration)."""
    return QSettings()


def _saved_bytes(state: QSettings, key: str) -> QByteArray | None:
    value = state.value(key)
    if isinstance(value, QByteArray | bytes) and value:
        return QByteArray(value)
    return None


def restore_window_state(window: QMainWindow, splitter: QSplitter, keys: Sequence[str]) -> str:
    """Restore the window's geometry, state and splitter; return the page to open first: the
    one shown last if it is still registered under `keys`, else the first."""
    state = ui_state()
    geometry = _saved_bytes(state, "window/geometry")
    if geometry is not None:
        window.restoreGeometry(geometry)
    window_state = _saved_bytes(state, "window/state")
    if window_state is not None:
        window.restoreState(window_state)
    sizes = _saved_bytes(state, "window/splitter")
    if sizes is not None:
        splitter.restoreState(sizes)
    key = state.value("window/page")
    return key if isinstance(key, str) and key in keys else keys[0]


def save_window_state(window: QMainWindow, splitter: QSplitter, page_key: str | None) -> None:
    """Remember the window's geometry, state, splitter and (if any) the page shown."""
    state = ui_state()
    state.setValue("window/geometry", window.saveGeometry())
    state.setValue("window/state", window.saveState())
    state.setValue("window/splitter", splitter.saveState())
    if page_key:
        state.setValue("window/page", page_key)
    state.sync()

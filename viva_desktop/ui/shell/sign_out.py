"""What a sign-out (or a change of account) clears from the window: nothing the previous
account had open may stay on screen for the next one. Pages clear their own state when the
context's scope changes (browsers and detail panes, queues, the Database page's connection);
the dialogs are the window's."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QWidget

from viva_desktop.ui.dialogs.login import LoginDialog


def close_dialogs(window: QWidget) -> int:
    """Close every open dialog of `window` but the sign-in itself; returns how many."""
    closed = 0
    for dialog in window.findChildren(QDialog):
        if isinstance(dialog, LoginDialog) or not dialog.isVisible():
            continue
        dialog.reject()
        closed += 1
    return closed


def install_sign_out_clearing(window: Any, context: Any) -> None:
    """Sign-out or another account: close the previous account's dialogs, and mark the
    pages the new role may not open (pages clear their own data: browsers, detail panes,
    queues, the Database page's connection and password)."""

    def changed(_account: object) -> None:
        close_dialogs(window)
        window._update_access()

    context.scope_changed.connect(changed)

"""Offline review as another account: *File → Review as another account…*.

Offline review opens the scope of the account used last on the profile (`AppContext`); this
action lets whoever sits at the laptop choose another of the accounts that signed in on this
profile, so each person reviews their own credit history, juror cases and queued changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QWidget

from viva_desktop.ui.common.icons import icon
from viva_desktop.ui.common.worker import TaskHandle, run_task

if TYPE_CHECKING:
    from viva_desktop.ui.common.context import AppContext


class OfflineAccountChooser(QObject):
    """The action, enabled in offline review only, and the choice it opens."""

    def __init__(self, window: QWidget, context: AppContext, menu: Any) -> None:
        super().__init__(window)
        self.setObjectName("OfflineAccountChooser")
        self.window_ = window
        self.context = context
        self.dialog: QInputDialog | None = None
        self.accounts: list[Any] = []
        self.action = QAction(icon("members"), "", window)
        self.action.setObjectName("ReviewAsAction")
        self.action.triggered.connect(self.choose)
        menu.insertAction(menu.actions()[2] if len(menu.actions()) > 2 else None, self.action)
        context.offline_mode_changed.connect(lambda _offline: self._update())
        context.scope_changed.connect(lambda _account: self._update())
        window.installEventFilter(self)
        self.retranslate()
        self._update()

    def retranslate(self) -> None:
        self.action.setText(self.tr("Review as another account…"))
        self._update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window_ and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False

    def _update(self) -> None:
        offline = self.context.offline_mode
        self.action.setEnabled(offline)
        tip = (
            self.tr("Show the local data of another account that signed in on this profile.")
            if offline
            else self.tr("Available in offline review; signed in, you see your own account.")
        )
        self.action.setToolTip(tip)
        self.action.setStatusTip(tip)

    def choose(self) -> TaskHandle | None:
        """Read the profile's accounts (worker), then ask which one to review as."""
        from viva_desktop.services.local.store import accounts

        store, profile = self.context.store, self.context.profile_name
        if not self.context.offline_mode or store is None or profile is None:
            return None
        return run_task(
            accounts.known,
            store,
            profile,
            on_done=self._ask,
            on_error=lambda exc: self.context.report_error(exc, parent=self.window_),
            parent=self,
            name="accounts of the profile",
        )

    def _ask(self, known: list[Any]) -> None:
        self.accounts = known
        dialog = QInputDialog(self.window_)
        dialog.setObjectName("ReviewAsDialog")
        dialog.setWindowTitle(self.tr("Review as another account"))
        dialog.setAccessibleName(self.tr("Review as another account"))
        if not known:
            dialog.setLabelText(self.tr("No account has signed in on this profile yet."))
            dialog.setComboBoxItems([""])
        else:
            dialog.setLabelText(self.tr("Whose local data to review:"))
            dialog.setComboBoxItems([a.label for a in known])
            current = self.context.scope_account
            for account in known:
                if account.user_id == current:
                    dialog.setTextValue(account.label)
                    break
        dialog.textValueSelected.connect(self._chosen)
        self.dialog = dialog
        dialog.open()

    def _chosen(self, label: str) -> None:
        chosen = next((a for a in self.accounts if a.label == label), None)
        if chosen is not None and self.context.offline_mode:
            self.context.set_offline_account(chosen.user_id)


def install_offline_account_chooser(window: Any, context: AppContext) -> OfflineAccountChooser:
    return OfflineAccountChooser(window, context, window.file_menu)

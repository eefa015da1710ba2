"""`BrowserPage`: a sidebar page made of one `EntityBrowser` plus the page's actions, and
`ContentPage`, the one whose actions are create, edit and remove.

Actions are enabled from the permission rules (`ui.editors.permissions`) for the selected
rows; a disabled action carries the reason as its tooltip, and the reason for the current
selection is also written beside the buttons, so nobody has to hover to learn why.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from viva_desktop.services.local.store import Row
from viva_desktop.ui.browser.browser import EntityBrowser
from viva_desktop.ui.browser.detail import Field
from viva_desktop.ui.common.icons import icon
from viva_desktop.ui.common.tooltips import wrap_tooltips_of
from viva_desktop.ui.editors.content import RemoveDialog
from viva_desktop.ui.editors.current_user import current_user_of
from viva_desktop.ui.editors.permissions import Me, Permission, can_create, first_refusal
from viva_desktop.ui.editors.queue import outbox_of
from viva_desktop.ui.editors.writer import results_of
from viva_desktop.ui.models.store_model import StoreTableModel
from viva_desktop.ui.pages.base import Page


def set_permission(button: QPushButton, permission: Permission, tooltip: str = "") -> None:
    """Enable `button`, or disable it with the reason as its tooltip and status tip."""
    button.setEnabled(permission.allowed)
    text = tooltip if permission.allowed else permission.reason
    button.setToolTip(text)
    wrap_tooltips_of(button)  # a long reason wraps instead of running off the screen
    button.setStatusTip(text)
    button.setAccessibleDescription(text)


class DialogHost(Page):
    """A page whose actions open dialogs over it (editors, the conflict view): one way to show
    them, and the one opened last kept at hand (the window and the tests reach it there)."""

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.dialog: Any = None  # the dialog opened last

    def open_dialog(self, dialog: Any) -> Any:
        """Show a dialog, window-modal, deleted once closed."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog


class EditorHost(DialogHost):
    """A page whose actions open editors for the signed-in user: who that is (the permission
    rules need it), and whether a change would reach the server now."""

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.user = current_user_of(context)
        outbox_of(context)  # attach the queue: the status bar counts what waits

    @property
    def me(self) -> Me:
        return self.user.me

    @property
    def can_send(self) -> bool:
        """Whether changes would go to the server now (otherwise they are queued)."""
        return self.context.can_send


class BrowserPage(EditorHost):
    MODEL: ClassVar[type[StoreTableModel]]
    KEY: ClassVar[str] = ""
    FACETS: ClassVar[tuple[str, ...]] = ()
    DATES: ClassVar[tuple[str, ...]] = ()
    HIDDEN: ClassVar[tuple[str, ...]] = ()  # columns hidden until the user shows them

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName(f"{type(self).__name__}")
        self.title = QLabel()
        self.title.setObjectName("PageTitle")
        self.banner = QLabel()
        self.banner.setObjectName("Banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        model = self.MODEL(context.store, context.profile_name, account=context.scope_account)
        self.browser = EntityBrowser(
            context,
            model,
            key=self.KEY,
            facets=self.FACETS,
            dates=self.DATES,
            describe=self.describe,
            hidden=self.HIDDEN,
        )
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(self.title)
        self.layout_.addWidget(self.banner)
        self.layout_.addWidget(self.browser, 1)
        self.browser.selection_changed.connect(self.update_actions)
        self.browser.row_activated.connect(self.open_row)
        self.user.changed.connect(lambda _me: self.update_actions())
        context.online_changed.connect(lambda _online: self._connection_changed())
        context.offline_mode_changed.connect(lambda _offline: self._connection_changed())
        context.session_changed.connect(lambda _info: self._connection_changed())

    # ------------------------------------------------------------------ building blocks

    def action_button(self, icon_name: str, handler: Callable[[], object]) -> QPushButton:
        button = QPushButton(icon(icon_name), "")
        button.clicked.connect(lambda: handler())
        self.browser.add_action(button)
        return button

    @property
    def model(self) -> StoreTableModel:
        return self.browser.model

    def selected(self) -> list[Row]:
        return self.browser.selected_rows()

    def selected_raw(self) -> list[dict[str, Any]]:
        return [dict(row.raw) for row in self.selected()]

    def open_dialog(self, dialog: Any, *, reveal: bool = True) -> Any:
        """Show an editor; once saved, select what it saved (when `reveal`)."""
        if reveal:
            dialog.saved.connect(self._saved)
        return super().open_dialog(dialog)

    def _saved(self, result: Any) -> None:
        ids = []
        for item in results_of(result):
            value = getattr(item, "value", None)
            record_id = getattr(value, "id", None) or (
                value.get("id") if isinstance(value, dict) else None
            )
            ids.append(str(record_id or item.operation.target_id or ""))
        ids = [i for i in ids if i]
        if ids:
            self.browser.reveal(ids)

    # ------------------------------------------------------------------ hooks

    def describe(self, row: Row, names: dict[str, str]) -> Sequence[Field]:
        """Extra fields for the detail pane."""
        return ()

    def update_actions(self) -> None:
        """Enable the page's actions for the selection and the user's rights."""

    def open_row(self, row: Row) -> None:
        """Double-click or Enter on a row (usually: edit it)."""

    def texts(self) -> None:
        """Set the page's own texts (title, buttons); called by `retranslate`."""

    # ------------------------------------------------------------------ Page API

    def search_box(self) -> QLineEdit | None:
        return self.browser.search_box()

    def refresh(self) -> None:
        self.browser.refresh()

    def is_loading(self) -> bool:
        return self.browser.is_loading()

    def retranslate(self) -> None:
        self.texts()
        self.browser.retranslate()
        self._connection_changed()

    def _connection_changed(self) -> None:
        context = self.context
        if context.offline_mode or context.online is False:
            self.banner.setText(
                self.tr(
                    "Offline: you are working on the local copy. Changes you make are queued "
                    "and sent when the server is reachable again."
                )
            )
            self.banner.show()
        elif context.session_info is None and context.profile is not None:
            self.banner.setText(
                self.tr(
                    "Not signed in: browsing the local copy. Changes you make are queued "
                    "until you sign in."
                )
            )
            self.banner.show()
        else:
            self.banner.hide()
        self.update_actions()


Rule = Callable[[Me, dict[str, Any]], Permission]


class ContentPage(BrowserPage):
    """The browser of content people write (offers, events, posts): anyone signed in creates,
    one row at a time is edited, and several rows are removed (cancelled or deleted) at once,
    each action allowed by the page's permission rules."""

    EDITOR: ClassVar[Callable[..., Any]]  # EDITOR(context, record or None, parent)
    CAN_EDIT: ClassVar[Rule]
    CAN_REMOVE: ClassVar[Rule]
    REMOVE_ICON: ClassVar[str] = "remove"

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.new_button = self.action_button("add", self.create)
        self.edit_button = self.action_button("edit", self.edit)
        self.remove_button = self.action_button(self.REMOVE_ICON, self.remove)

    def selection_tips(self) -> tuple[str, str]:
        """What to select to edit, and to remove: the idle buttons' tooltips."""
        raise NotImplementedError

    def editor(self, record: dict[str, Any] | None) -> Any:
        """The editor of `record`, or of a new one."""
        return self.EDITOR(self.context, record, self)

    def update_actions(self) -> None:
        rows = self.selected_raw()
        me = self.me
        edit_tip, remove_tip = self.selection_tips()
        set_permission(self.new_button, can_create(me))
        set_permission(
            self.edit_button,
            self.CAN_EDIT(me, rows[0]) if len(rows) == 1 else Permission(False, edit_tip),
        )
        remove = first_refusal([self.CAN_REMOVE(me, r) for r in rows])
        set_permission(self.remove_button, remove if rows else Permission(False, remove_tip))
        self.browser.set_hint(remove.reason if rows and not remove else "")

    def open_row(self, row: Row) -> None:
        if self.CAN_EDIT(self.me, row.raw):
            self.edit()

    def create(self) -> Any:
        return self.open_dialog(self.editor(None))

    def edit(self) -> Any:
        rows = self.selected_raw()
        if len(rows) != 1 or not self.CAN_EDIT(self.me, rows[0]):
            return None
        return self.open_dialog(self.editor(rows[0]))

    def remove(self) -> Any:
        rows = self.selected_raw()
        if not rows or not first_refusal([self.CAN_REMOVE(self.me, r) for r in rows]):
            return None
        return self.open_dialog(RemoveDialog(self.context, self.KEY, rows, self))

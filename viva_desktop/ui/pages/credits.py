"""Credits: your balance and transactions, the leaderboard, credit grants and (for
administrators) the economic pool requests."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from viva_desktop.services.remote.validation import POOL_REQUEST_STATUSES
from viva_desktop.ui.browser.browser import EntityBrowser
from viva_desktop.ui.browser.records_view import records_view
from viva_desktop.ui.common.icons import icon
from viva_desktop.ui.common.worker import TaskHandle, run_task
from viva_desktop.ui.editors.decisions import GrantDialog, PoolDecisionDialog, user_choices
from viva_desktop.ui.editors.permissions import Permission, can_decide_pools, can_grant
from viva_desktop.ui.models import (
    LeaderboardModel,
    PoolRequestsModel,
    TransactionsModel,
    enum_label,
)
from viva_desktop.ui.pages.browser_page import EditorHost, set_permission
from viva_desktop.ui.pages.live_panel import LivePanel

_POOL_ACTIONS = {"approve": "PENDING", "reject": "PENDING", "distribute": "APPROVED"}


def read_users(store: Any, profile: str) -> list[tuple[str, str]]:
    """Everyone seen, by name, for the grant form (worker thread)."""
    rows = store.query("users", profile=profile, sort=[("name", True)], limit=5000)
    return user_choices(rows)


def read_pool_requests(api: Any, status: str | None) -> list[dict[str, Any]]:
    return [r.to_wire() for r in api.pool_requests.list(status)]


class PoolRequestsPanel(LivePanel, QWidget):
    """Economic pool requests, decided by administrators."""

    def __init__(self, page: CreditsPage) -> None:
        super().__init__()
        self.page = page
        self.setObjectName("PoolRequestsPanel")
        self.model = PoolRequestsModel(parent=self)
        self.status_filter = QComboBox()
        self.status_filter.addItem("", "")
        for status in POOL_REQUEST_STATUSES:
            self.status_filter.addItem(enum_label(status), status)
        self.status_filter.setCurrentIndex(1)  # PENDING
        self.status_filter.currentIndexChanged.connect(lambda _i: self.load())
        self.reload_button = QPushButton(icon("refresh"), "")
        self.reload_button.clicked.connect(self.load)
        self.view = records_view(self.model, QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setObjectName("PoolRequestsTable")
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.update_actions())
        self.note = QLabel()
        self.note.setObjectName("Muted")
        self.note.setWordWrap(True)
        self.buttons = {
            "approve": QPushButton(icon("approve"), ""),
            "reject": QPushButton(icon("reject"), ""),
            "distribute": QPushButton(icon("send"), ""),
        }
        top = QHBoxLayout()
        top.addWidget(self.status_filter)
        top.addStretch(1)
        top.addWidget(self.reload_button)
        actions = QHBoxLayout()
        for action, button in self.buttons.items():
            button.clicked.connect(lambda _c=False, a=action: self.decide(a))
            actions.addWidget(button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(self.view, 1)
        layout.addLayout(actions)
        self.retranslate()

    def retranslate(self) -> None:
        self.view.setAccessibleName(self.tr("Pool requests"))
        self.status_filter.setAccessibleName(self.tr("Status"))
        self.status_filter.setItemText(0, self.tr("Every status"))
        for index, status in enumerate(POOL_REQUEST_STATUSES, start=1):
            self.status_filter.setItemText(index, enum_label(status))
        self.reload_button.setText(self.tr("Reload"))
        self.buttons["approve"].setText(self.tr("Approve…"))
        self.buttons["reject"].setText(self.tr("Reject…"))
        self.buttons["distribute"].setText(self.tr("Distribute…"))
        self._restate_note()
        self.update_actions()

    def _blocked(self) -> str | None:
        """Why the requests cannot be read now; None when they can."""
        allowed = can_decide_pools(self.page.me)
        if not allowed:
            return allowed.reason
        if self.page.context.api is None or not self.page.can_send:
            return self.tr("Pool requests are read from the server: connect first.")
        return None

    def _restate_note(self) -> None:
        """The note says the same again, in the current language (a language change)."""
        if self.loading:
            self.note.setText(self.tr("Reading the requests…"))
        elif self.read_ok:
            self._show_count()
        elif (blocked := self._blocked()) is not None:
            self.note.setText(blocked)

    def _show_count(self) -> None:
        self.note.setText(self.tr("%n request(s).", "", self.model.rowCount()))

    def load(self) -> None:
        blocked = self._blocked()
        if blocked is not None:
            self.note.setText(blocked)
            self.read_ok = False
            if not can_decide_pools(self.page.me):
                self.model.set_records([])
            self.update_actions()
            return
        self.note.setText(self.tr("Reading the requests…"))
        self.task = run_task(
            read_pool_requests,
            self.page.context.api,
            self.status_filter.currentData() or None,
            on_done=self._loaded,
            on_error=self._failed,
            parent=self,
            name="pool requests",
        )

    def _loaded(self, requests: list[dict[str, Any]]) -> None:
        self.model.set_records(requests)
        self.read_ok = True
        self._show_count()
        self.update_actions()

    def _failed(self, exc: BaseException) -> None:
        self.read_ok = False
        self.note.setText(self.read_failed(exc, self.tr("The requests could not be read.")))
        self.update_actions()

    def selected_request(self) -> dict[str, Any] | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.record_at(rows[0].row()) if rows else None

    def update_actions(self) -> None:
        allowed = can_decide_pools(self.page.me)
        request = self.selected_request()
        for action, button in self.buttons.items():
            permission = allowed
            if permission and request is None:
                permission = Permission(False, self.tr("Select a request."))
            elif permission and request.get("status") != _POOL_ACTIONS[action]:
                permission = Permission(
                    False,
                    self.tr("Only an approved request can be distributed.")
                    if action == "distribute"
                    else self.tr("Only a pending request can be decided."),
                )
            set_permission(button, permission)
        self.reload_button.setEnabled(bool(allowed) and not self.loading)

    def decide(self, action: str) -> PoolDecisionDialog | None:
        request = self.selected_request()
        if request is None or not can_decide_pools(self.page.me):
            return None
        dialog = PoolDecisionDialog(self.page.context, request, action, self.page)
        dialog.saved.connect(lambda _result: self.load())
        return self.page.open_dialog(dialog)


class CreditsPage(EditorHost):
    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("CreditsPage")
        self.users: list[tuple[str, str]] | None = None
        self.title = QLabel()
        self.title.setObjectName("PageTitle")
        self.balance = QLabel()
        self.balance.setObjectName("Headline")
        self.balance.setWordWrap(True)
        self.grant_button = QPushButton(icon("credits"), "")
        self.grant_button.clicked.connect(self.grant)
        self.balance_task: TaskHandle | None = None
        header = QHBoxLayout()
        header.addWidget(self.balance, 1)
        header.addWidget(self.grant_button)

        self.transactions = EntityBrowser(
            context,
            TransactionsModel(context.store, context.profile_name, account=context.scope_account),
            key="credit_transactions",
            facets=("reason",),
            dates=("created_at",),
        )
        self.leaderboard = EntityBrowser(
            context,
            LeaderboardModel(context.store, context.profile_name),
            key="leaderboard",
            facets=("community_id",),
            age_entity="users",
        )
        self.pools = PoolRequestsPanel(self)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.transactions, icon("credits"), "")
        self.tabs.addTab(self.leaderboard, icon("members"), "")
        self.tabs.addTab(self.pools, icon("approve"), "")
        self.tabs.currentChanged.connect(self._tab_changed)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)
        self.user.changed.connect(lambda _me: self._me_changed())
        context.session_changed.connect(lambda _info: self.load_balance())
        context.online_changed.connect(lambda _online: self.load_balance())
        self.retranslate()
        self._me_changed()
        self.load_balance()

    # ------------------------------------------------------------------ Page API

    def search_box(self) -> QLineEdit | None:
        current = self.tabs.currentWidget()
        return current.search_box() if isinstance(current, EntityBrowser) else None

    def refresh(self) -> None:
        self.transactions.refresh()
        self.leaderboard.refresh()
        self.users = None
        if self.tabs.currentWidget() is self.pools:
            self.pools.load()
        self.load_balance()

    def is_loading(self) -> bool:
        balance = self.balance_task is not None and self.balance_task.running
        return (
            self.transactions.is_loading()
            or self.leaderboard.is_loading()
            or self.pools.loading
            or balance
        )

    def retranslate(self) -> None:
        self.title.setText(self.tr("Credits"))
        self.grant_button.setText(self.tr("Grant credits…"))
        self.tabs.setTabText(0, self.tr("My transactions"))
        self.tabs.setTabText(1, self.tr("Leaderboard"))
        self.tabs.setTabText(2, self.tr("Pool requests"))
        self.transactions.retranslate()
        self.leaderboard.retranslate()
        self.pools.retranslate()
        if not self.balance.text():
            self.balance.setText(self.tr("Balance: not read yet"))

    # ------------------------------------------------------------------ balance

    def load_balance(self) -> None:
        api = self.context.api
        if api is None or not self.can_send:
            self.balance.setText(self.tr("Balance: read from the server when you are connected."))
            return
        self.balance_task = run_task(
            api.credits.balance,
            on_done=self._show_balance,
            on_error=lambda exc: self.balance.setText(
                getattr(exc, "user_message", None) or self.tr("The balance could not be read.")
            ),
            parent=self,
            name="credit balance",
        )

    def _show_balance(self, balance: Any) -> None:
        text = self.tr("Your balance: %Ln credit(s)", "", int(balance.balance))
        level = balance.level
        if level is not None:
            # The server's level badge is an emoji: left out, since no emoji font can be
            # counted on (it would show as an empty box); the number and name say it all.
            number, name = getattr(level, "level", None), getattr(level, "name", "") or ""
            if number is not None and name:
                text += " · " + self.tr("level {number}, {name}").format(number=number, name=name)
            elif number is not None:
                text += " · " + self.tr("level {number}").format(number=number)
        if balance.next_level is not None and balance.progress is not None:
            text += " · " + self.tr("{percent} % of the way to the next level").format(
                percent=round(float(balance.progress))
            )
        self.balance.setText(text.strip())

    # ------------------------------------------------------------------ grants

    def _me_changed(self) -> None:
        me = self.me
        allowed = can_grant(me)
        # Visible to everyone, disabled with the reason for those who may not grant.
        set_permission(self.grant_button, allowed)
        self.tabs.setTabVisible(2, me.is_admin)
        self.pools.update_actions()

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.pools and not self.pools.model.rowCount():
            self.pools.load()

    def grant(self) -> None:
        store, profile = self.context.store, self.context.profile_name
        if not can_grant(self.me):
            return
        if self.users is not None or store is None or profile is None:
            self._open_grant(self.users or [])
            return
        run_task(
            read_users,
            store,
            profile,
            on_done=self._open_grant,
            parent=self,
            name="people for a grant",
        )

    def _open_grant(self, users: list[tuple[str, str]]) -> GrantDialog:
        self.users = users
        dialog = GrantDialog(self.context, users, parent=self)
        dialog.saved.connect(lambda _result: self.refresh())
        return self.open_dialog(dialog)

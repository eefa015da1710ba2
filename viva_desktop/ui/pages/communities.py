"""Communities: browse them all (private ones included), and review the membership requests
of a community you may moderate (member with a generosity score of at least 5)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viva_desktop.services.local.store import Row
from viva_desktop.services.remote.api.errors import ApiError
from viva_desktop.ui.browser.detail import Field
from viva_desktop.ui.browser.records_view import records_view
from viva_desktop.ui.common.icons import icon
from viva_desktop.ui.common.layouts import vertical_split
from viva_desktop.ui.common.worker import run_task
from viva_desktop.ui.editors.decisions import MembershipDecisionDialog
from viva_desktop.ui.editors.permissions import can_review_members
from viva_desktop.ui.editors.writer import results_of
from viva_desktop.ui.models import CommunitiesModel, MembershipRequestsModel, enum_label
from viva_desktop.ui.pages.browser_page import BrowserPage, set_permission
from viva_desktop.ui.pages.live_panel import LivePanel

# What a read of the requests is asked with: the API, the store and the profile it reads the
# names from, and the community.
Request = tuple[Any, Any, str | None, str]


def read_requests(
    api: Any, store: Any, profile: str | None, community_id: str
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Pending requests of a community, and the names of the people (worker thread)."""
    requests = [r.to_wire() for r in api.communities.membership_requests(community_id)]
    ids = sorted({str(r["userId"]) for r in requests if r.get("userId")})
    names: dict[str, str] = {}
    if store is not None and profile is not None and ids:
        for row in store.query("users", profile=profile, filters={"id": ids}, limit=len(ids)):
            if row.values.get("name"):
                names[row.id] = str(row.values["name"])
    for user_id in ids:
        if user_id in names:
            continue
        try:
            person = api.users.get(user_id)
        except ApiError:
            continue
        if person.name:
            names[user_id] = person.name
    return requests, names


class MembershipPanel(LivePanel, QGroupBox):
    """The pending membership requests of the selected community."""

    def __init__(self, page: CommunitiesPage) -> None:
        super().__init__()
        self.page = page
        self.setObjectName("MembershipPanel")
        self.community: Row | None = None
        self.request: Request | None = None  # what `task` reads
        self.model = MembershipRequestsModel(parent=self)
        self.view = records_view(self.model, QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.update_actions())
        self.status = QLabel()
        self.status.setObjectName("Muted")
        self.status.setWordWrap(True)
        self.reload_button = QPushButton(icon("refresh"), "")
        self.reload_button.clicked.connect(self.load)
        self.approve_button = QPushButton(icon("approve"), "")
        self.approve_button.clicked.connect(lambda: self.decide("approve"))
        self.reject_button = QPushButton(icon("reject"), "")
        self.reject_button.clicked.connect(lambda: self.decide("reject"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.reject_button)
        buttons.addStretch(1)
        buttons.addWidget(self.reload_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Membership requests"))
        self.reload_button.setText(self.tr("Reload"))
        self.approve_button.setText(self.tr("Approve…"))
        self.reject_button.setText(self.tr("Reject…"))
        self.show_community(self.community)

    def permission(self):
        community_id = self.community.id if self.community is not None else None
        return can_review_members(self.page.me, community_id)

    def show_community(self, community: Row | None) -> None:
        changed = (community.id if community else None) != (
            self.community.id if self.community else None
        )
        self.community = community
        if changed:
            self.model.set_records([])
            self.read_ok = False
        if community is None:
            self.status.setText(self.tr("Select a community to see its membership requests."))
        elif not community.raw.get("requiresApproval"):
            self.status.setText(
                self.tr("Anyone can join {community} directly: it needs no approval.").format(
                    community=community.values.get("name") or community.id
                )
            )
        elif not (allowed := self.permission()):
            self.status.setText(allowed.reason)
        elif not self.page.can_send:
            self.status.setText(
                self.tr("Membership requests are read from the server: connect to review them.")
            )
        elif changed or not self.model.rowCount():
            self.load()
        elif self.read_ok and not self.loading:
            self.show_count()  # a language change: the same count, in the new language
        self.update_actions()

    def load(self) -> None:
        context = self.page.context
        community = self.community
        if community is None or context.api is None or not self.permission():
            return
        self.status.setText(self.tr("Reading the requests…"))
        request: Request = (context.api, context.store, context.profile_name, community.id)
        if self.loading and request == self.request:
            # Its answer will do: a language change asks twice (the texts, then the actions).
            return
        self.request = request
        community_id = community.id
        self.task = run_task(
            read_requests,
            *request,
            on_done=lambda result: self._loaded(community_id, *result),
            on_error=self._failed,
            parent=self,
            name="membership requests",
        )
        self.update_actions()

    def _loaded(self, community_id: str, requests: list, names: dict[str, str]) -> None:
        if self.community is None or self.community.id != community_id:
            return
        self.model.set_records(requests, names=names)
        self.read_ok = True
        self.show_count()
        self.update_actions()

    def show_count(self) -> None:
        """How many requests wait, as listed now (after a read, a decision or a language
        change)."""
        count = self.model.rowCount()
        self.status.setText(
            self.tr("%n pending request(s).", "", count)
            if count
            else self.tr("No pending requests.")
        )

    def _failed(self, exc: BaseException) -> None:
        self.read_ok = False
        self.status.setText(self.read_failed(exc, self.tr("The requests could not be read.")))
        self.update_actions()

    def selected_requests(self) -> list[dict[str, Any]]:
        rows = sorted(i.row() for i in self.view.selectionModel().selectedRows())
        return [r for r in (self.model.record_at(n) for n in rows) if r is not None]

    def update_actions(self) -> None:
        allowed = self.permission() if self.community is not None else None
        chosen = self.selected_requests()
        for button in (self.approve_button, self.reject_button):
            if allowed is not None and not allowed:
                set_permission(button, allowed)
            else:
                button.setEnabled(bool(chosen) and not self.loading)
                button.setToolTip("" if chosen else self.tr("Select one or more requests."))
        self.reload_button.setEnabled(bool(allowed) and not self.loading and self.page.can_send)

    def decide(self, action: str) -> MembershipDecisionDialog | None:
        chosen = self.selected_requests()
        community = self.community
        if not chosen or community is None or not self.permission():
            return None
        dialog = MembershipDecisionDialog(
            self.page.context,
            community.id,
            str(community.values.get("name") or community.id),
            chosen,
            action,
            names=self.model.names,
            parent=self.page,
        )
        dialog.saved.connect(self._decided)
        return self.page.open_dialog(dialog, reveal=False)

    def _decided(self, result: Any) -> None:
        results = results_of(result)
        decided = [r.operation.target_id for r in results if not r.queued]
        queued = [r.operation.target_id for r in results if r.queued]
        self.model.remove_ids([i for i in decided + queued if i])
        if queued:
            self.status.setText(
                self.tr("%n decision(s) queued until the server is back online.", "", len(queued))
            )
        else:
            self.show_count()


class CommunitiesPage(BrowserPage):
    MODEL = CommunitiesModel
    KEY = "communities"
    FACETS = ("type", "visibility")
    DATES = ("created_at",)
    # The server fills `location` only when a community's founders typed one (the seed and
    # the deployments seen leave it null and give coordinates): the detail pane shows both.
    HIDDEN = ("location",)

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.requests = MembershipPanel(self)
        # The browser takes the top; the requests of the selected community sit below it.
        self.layout_.removeWidget(self.browser)
        self.layout_.addWidget(vertical_split(self.browser, self.requests, stretch=(3, 1)), 1)
        self.retranslate()

    def texts(self) -> None:
        self.title.setText(self.tr("Communities"))
        if hasattr(self, "requests"):
            self.requests.retranslate()

    def describe(self, row: Row, names: dict[str, str]) -> Sequence[Field]:
        raw = row.raw
        fields: list[Field] = []
        if raw.get("description"):
            fields.append((self.tr("Description"), str(raw["description"])))
        fields.append(
            (
                self.tr("Joining"),
                self.tr("needs approval") if raw.get("requiresApproval") else self.tr("open"),
            )
        )
        if raw.get("lat") is not None and raw.get("lng") is not None:
            # Plain decimal points whatever the language: pasted as is into any map.
            fields.append((self.tr("Coordinates"), f"{raw['lat']}, {raw['lng']}"))
        for key, label in (
            ("radiusKm", self.tr("Radius (km)")),
            ("language", self.tr("Language")),
            ("currency", self.tr("Currency")),
        ):
            if raw.get(key) is not None:
                fields.append((label, str(raw[key])))
        if raw.get("restricted"):
            fields.append((self.tr("Access"), enum_label("PRIVATE")))
        return fields

    def update_actions(self) -> None:
        if hasattr(self, "requests"):
            self.requests.show_community(self.browser.current_row())

    def is_loading(self) -> bool:
        return super().is_loading() or self.requests.loading

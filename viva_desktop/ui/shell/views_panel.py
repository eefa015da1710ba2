"""The saved views in the sidebar: under the pages, each page's views listed beneath its
title; choosing one opens the page and applies the view. Shared views say so."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from viva_desktop.services.local.store import saved_views as sv
from viva_desktop.ui.browser.saved_views import views_hub
from viva_desktop.ui.common.retranslate import Retranslating
from viva_desktop.ui.common.worker import run_task
from viva_desktop.ui.pages import pages

if TYPE_CHECKING:
    from viva_desktop.ui.common.context import AppContext

VIEW_ROLE = Qt.ItemDataRole.UserRole + 1  # (page key, view name) of a view's row


class ViewsPanel(Retranslating, QWidget):
    def __init__(self, window: Any, context: AppContext) -> None:
        super().__init__()
        self.window = window
        self.context = context
        self.title = QLabel()
        self.title.setObjectName("Muted")
        self.list = QListWidget()
        self.list.setObjectName("SavedViewsList")
        self.list.itemActivated.connect(self._open)
        self.list.itemClicked.connect(self._open)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.list)
        self.views: list[sv.SavedView] = []
        views_hub().changed.connect(self.reload)
        context.profile_changed.connect(lambda *_: self.reload())
        context.scope_changed.connect(lambda *_: self.reload())
        self.retranslate()
        self.reload()

    def reload(self) -> None:
        store, profile = self.context.store, self.context.profile_name
        if store is None or profile is None:
            self._show([])
            return
        run_task(
            sv.views,
            store,
            profile,
            self.context.scope_account,
            on_done=self._show,
            on_error=lambda _exc: self._show([]),
            parent=self,
            name="sidebar saved views",
        )

    def _show(self, found: list[sv.SavedView]) -> None:
        self.views = found
        self.list.clear()
        account = self.context.scope_account
        for spec in pages():
            mine = [v for v in found if v.page == spec.key]
            if not mine:
                continue
            heading = QListWidgetItem(spec.display_title())
            heading.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(heading)
            for view in mine:
                text = (
                    view.name
                    if view.owned_by(account)
                    else self.tr("{name} (shared)").format(name=view.name)
                )
                item = QListWidgetItem("    " + text)
                item.setData(VIEW_ROLE, (spec.key, view.name))
                item.setToolTip(
                    self.tr("Open {page} with this view").format(page=spec.display_title())
                )
                self.list.addItem(item)
        self.setVisible(bool(found))

    def _open(self, item: QListWidgetItem) -> None:
        target = item.data(VIEW_ROLE)
        if not target:
            return
        key, name = target
        page = self.window.open_page(key)
        browser = getattr(page, "browser", None)
        views = getattr(browser, "saved_views", None)
        if views is None:
            return
        if not views.apply_view(name):  # the page was just made: its views are being read

            def once() -> None:
                views.changed.disconnect(once)
                views.apply_view(name)

            views.changed.connect(once)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Saved views"))
        self.list.setAccessibleName(self.tr("Saved views"))
        self._show(self.views)


def install_views_panel(window: Any, context: AppContext) -> ViewsPanel:
    """Put the saved views under the sidebar's pages."""
    panel = ViewsPanel(window, context)
    column = QWidget()
    layout = QVBoxLayout(column)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    splitter = window.splitter
    index, sizes = splitter.indexOf(window.sidebar), splitter.sizes()
    layout.addWidget(window.sidebar, 3)  # taken out of the splitter, kept alive
    layout.addWidget(panel, 1)
    splitter.insertWidget(index, column)
    splitter.setCollapsible(index, False)
    splitter.setSizes(sizes)
    return panel

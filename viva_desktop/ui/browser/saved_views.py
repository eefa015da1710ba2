"""Saved views of a browser: the "Views" button's menu (save the current view under a name,
apply one, rename, delete, share with the team in a team store, export and import as JSON),
and the last used view applied again at start.

Views live in the store (`services/local/store/saved_views.py`), read and written on the
worker pool; which one was used last is per-user UI state (`QSettings`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QSettings, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu, QWidget

from viva_desktop.services.local.store import saved_views as sv
from viva_desktop.ui.browser import view_state
from viva_desktop.ui.common.worker import TaskHandle, run_task


def write_views(store: Any, profile: str, account: str | None, path: Path) -> int:
    """Export the account's views (every page) to `path` (worker)."""
    chosen = [v for v in sv.views(store, profile, account) if v.owned_by(account)]
    path.write_text(sv.to_json(chosen) + "\n", encoding="utf-8")
    return len(chosen)


def read_views(store: Any, profile: str, account: str | None, path: Path) -> list[sv.SavedView]:
    """Import the views of `path` as the account's own (worker)."""
    return sv.import_json(store, profile, account, path.read_text(encoding="utf-8"))


class ViewsHub(QObject):
    """Says when any browser's saved views were read again (the sidebar lists them all)."""

    changed = Signal()


_hub: list[ViewsHub] = []


def views_hub() -> ViewsHub:
    if not _hub or not shiboken6.isValid(_hub[0]):
        _hub[:] = [ViewsHub(QCoreApplication.instance())]
    return _hub[0]


class SavedViews(QObject):
    """The saved views of one browser (`browser.saved_views`)."""

    changed = Signal()  # the list was read again
    applied = Signal(str)  # a view's name, once its state is on screen

    def __init__(self, browser: Any) -> None:
        super().__init__(browser)
        self.browser = browser
        self.views: list[sv.SavedView] = []
        self.current: str | None = None
        self._restore_pending = True
        self.menu = QMenu(browser)
        self.menu.setObjectName("SavedViewsMenu")
        self.menu.aboutToShow.connect(self._fill_menu)

    # ------------------------------------------------------------------ where

    def _where(self) -> tuple[Any, str, str | None] | None:
        model = self.browser.model
        if model.store is None or model.profile is None:
            return None
        return model.store, model.profile, self.browser.context.scope_account

    @property
    def page(self) -> str:
        return self.browser.key

    def team_store(self) -> bool:
        store = self.browser.model.store
        return store is not None and str(getattr(store, "url", "")).startswith("postgresql")

    def _run(self, fn: Any, *args: Any, done: Any = None, name: str = "") -> TaskHandle | None:
        where = self._where()
        if where is None:
            return None
        return run_task(
            fn,
            *where,
            *args,
            on_done=done,
            on_error=lambda exc: self.browser.context.report_error(exc, parent=self.browser),
            parent=self,
            name=name or f"saved views {self.page}",
        )

    # ------------------------------------------------------------------ reading

    def reload(self) -> TaskHandle | None:
        """Read the views of this page again (its own and those shared with the team)."""
        return self._run(sv.views, self.page, done=self._loaded)

    def _loaded(self, found: list[sv.SavedView]) -> None:
        self.views = found
        if self._restore_pending:
            self._restore_pending = False
            last = QSettings().value(f"browsers/{self.page}/view")
            view = self.named(str(last)) if last else None
            if view is not None:
                self._apply(view)
        self.changed.emit()
        views_hub().changed.emit()

    def named(self, name: str) -> sv.SavedView | None:
        account = self.browser.context.scope_account
        found = sorted(
            (v for v in self.views if v.name == name), key=lambda v: not v.owned_by(account)
        )
        return found[0] if found else None

    # ------------------------------------------------------------------ actions

    def apply_view(self, name: str) -> bool:
        view = self.named(name)
        if view is None:
            return False
        self._apply(view)
        return True

    def _apply(self, view: sv.SavedView) -> None:
        view_state.apply(self.browser, view.state)
        self.current = view.name
        QSettings().setValue(f"browsers/{self.page}/view", view.name)
        self.applied.emit(view.name)

    def save_view(self, name: str) -> TaskHandle | None:
        state = view_state.capture(self.browser)

        def done(view: sv.SavedView) -> None:
            self.current = view.name
            QSettings().setValue(f"browsers/{self.page}/view", view.name)
            self.reload()

        return self._run(sv.save, self.page, name, state, done=done, name="save view")

    def rename_view(self, name: str, new_name: str) -> TaskHandle | None:
        view = self.named(name)
        if view is None:
            return None

        def done(renamed: sv.SavedView) -> None:
            if self.current == name:
                self.current = renamed.name
                QSettings().setValue(f"browsers/{self.page}/view", renamed.name)
            self.reload()

        return self._run_on(sv.rename, view, new_name, done=done)

    def delete_view(self, name: str) -> TaskHandle | None:
        view = self.named(name)
        if view is None:
            return None

        def done(_none: object) -> None:
            if self.current == name:
                self.current = None
                QSettings().remove(f"browsers/{self.page}/view")
            self.reload()

        return self._run_on(sv.delete, view, done=done)

    def share_view(self, name: str, shared: bool) -> TaskHandle | None:
        view = self.named(name)
        if view is None:
            return None
        return self._run_on(sv.set_shared, view, shared, done=lambda _v: self.reload())

    def _run_on(self, fn: Any, view: sv.SavedView, *args: Any, done: Any) -> TaskHandle | None:
        where = self._where()
        if where is None:
            return None
        store, _profile, account = where
        return run_task(
            fn,
            store,
            view,
            account,
            *args,
            on_done=done,
            on_error=lambda exc: self.browser.context.report_error(exc, parent=self.browser),
            parent=self,
            name=f"saved view {self.page}",
        )

    def export_views(self, path: Path | str) -> TaskHandle | None:
        return self._run(write_views, Path(path), name="export views")

    def import_views(self, path: Path | str) -> TaskHandle | None:
        return self._run(read_views, Path(path), done=lambda _v: self.reload(), name="import views")

    # ------------------------------------------------------------------ menu

    def _fill_menu(self) -> None:
        menu = self.menu
        menu.clear()
        self._add(menu, self.tr("Save the current view as…"), self._ask_save)
        account = self.browser.context.scope_account
        if self.views:
            menu.addSeparator()
            for view in self.views:
                text = (
                    view.name
                    if view.owned_by(account)
                    else self.tr("{name} (shared)").format(name=view.name)
                )
                action = self._add(menu, text, lambda _c=False, n=view.name: self.apply_view(n))
                action.setCheckable(True)
                action.setChecked(view.name == self.current)
        current = self.named(self.current) if self.current else None
        if current is not None and current.owned_by(account):
            menu.addSeparator()
            self._add(menu, self.tr("Rename “{name}”…").format(name=current.name), self._ask_rename)
            self._add(
                menu,
                self.tr("Delete “{name}”").format(name=current.name),
                lambda: self.delete_view(current.name),
            )
            if self.team_store():
                share = self._add(
                    menu,
                    self.tr("Share with the team"),
                    lambda checked: self.share_view(current.name, checked),
                )
                share.setCheckable(True)
                share.setChecked(current.shared)
        menu.addSeparator()
        self._add(menu, self.tr("Export views to a file…"), self._ask_export)
        self._add(menu, self.tr("Import views from a file…"), self._ask_import)

    def _add(self, menu: QMenu, text: str, slot: Any) -> QAction:
        action = menu.addAction(text)
        action.triggered.connect(slot)
        return action

    def _parent(self) -> QWidget:
        return self.browser

    def _ask_save(self) -> None:
        name, ok = QInputDialog.getText(
            self._parent(),
            self.tr("Save the current view"),
            self.tr("Name of the view (search, filters, dates, columns and sort):"),
            text=self.current or "",
        )
        if ok and name.strip():
            self.save_view(name)

    def _ask_rename(self) -> None:
        if self.current is None:
            return
        name, ok = QInputDialog.getText(
            self._parent(), self.tr("Rename the view"), self.tr("New name:"), text=self.current
        )
        if ok and name.strip():
            self.rename_view(self.current, name)

    def _ask_export(self) -> None:
        path, _f = QFileDialog.getSaveFileName(
            self._parent(),
            self.tr("Export saved views"),
            str(Path.home() / "viva-views.json"),
            self.tr("JSON files (*.json)"),
        )
        if path:
            self.export_views(path)

    def _ask_import(self) -> None:
        path, _f = QFileDialog.getOpenFileName(
            self._parent(),
            self.tr("Import saved views"),
            str(Path.home()),
            self.tr("JSON files (*.json)"),
        )
        if path:
            self.import_views(path)

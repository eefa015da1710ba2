"""Which columns a browser shows, in which order and width: changed from the header (drag to
reorder, right-click to show or hide) and remembered between runs in the per-user UI state."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QByteArray, QObject, QPoint, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import QHeaderView, QMenu, QTableView

from viva_desktop.ui.models.columns import ColumnDef


def apply_widths(view: QTableView, columns: Sequence[ColumnDef]) -> None:
    """The default widths of `columns` on a plain table (lists without a saved layout)."""
    header = view.horizontalHeader()
    for logical, column in enumerate(columns):
        if column.default_width:
            header.resizeSection(logical, column.default_width)


class ColumnLayout(QObject):
    changed = Signal()

    def __init__(
        self,
        view: QTableView,
        columns: Sequence[ColumnDef],
        key: str,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or view)
        self.view = view
        self.columns = list(columns)
        self.key = key
        self.header: QHeaderView = view.horizontalHeader()
        self.header.setSectionsMovable(True)
        self.header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.header.customContextMenuRequested.connect(self._header_menu)
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(400)
        self._save_timer.timeout.connect(self.save)
        self._restoring = False
        self.header.sectionMoved.connect(self._changed)
        self.header.sectionResized.connect(self._resized)
        self.header.sortIndicatorChanged.connect(self._changed)

    # ------------------------------------------------------------------ persistence

    @property
    def _settings_key(self) -> str:
        return f"browsers/{self.key}"

    def _signature(self) -> str:
        return ",".join(c.key for c in self.columns)

    def restore(self) -> bool:
        """Apply the saved layout; the defaults when there is none (or the columns changed)."""
        settings = QSettings()
        state = settings.value(f"{self._settings_key}/header")
        signature = settings.value(f"{self._settings_key}/columns")
        self._restoring = True
        try:
            if (
                isinstance(state, QByteArray | bytes)
                and state
                and signature == self._signature()
                and self.header.restoreState(QByteArray(state))
            ):
                return True
            self.apply_defaults()
            return False
        finally:
            self._restoring = False

    def apply_defaults(self) -> None:
        for logical, column in enumerate(self.columns):
            visual = self.header.visualIndex(logical)
            if visual != logical:
                self.header.moveSection(visual, logical)
            self.header.setSectionHidden(logical, not column.visible)
            if column.default_width:
                self.header.resizeSection(logical, column.default_width)

    def save(self) -> None:
        self._save_timer.stop()
        settings = QSettings()
        settings.setValue(f"{self._settings_key}/header", self.header.saveState())
        settings.setValue(f"{self._settings_key}/columns", self._signature())

    def reset(self) -> None:
        QSettings().remove(f"{self._settings_key}/header")
        self.apply_defaults()
        self.save()
        self.changed.emit()

    # ------------------------------------------------------------------ visibility

    def is_visible(self, logical: int) -> bool:
        return not self.header.isSectionHidden(logical)

    def set_visible(self, logical: int, visible: bool) -> None:
        if not visible and self.visible_count() <= 1:
            return  # keep at least one column
        self.header.setSectionHidden(logical, not visible)
        self._changed()

    def visible_count(self) -> int:
        return sum(1 for i in range(len(self.columns)) if self.is_visible(i))

    def visible_keys(self) -> list[str]:
        """The shown columns' keys, in the order the user sees them."""
        ordered = sorted(range(len(self.columns)), key=self.header.visualIndex)
        return [self.columns[i].key for i in ordered if self.is_visible(i)]

    def menu(self, parent=None) -> QMenu:
        menu = QMenu(parent or self.view)
        for logical in sorted(range(len(self.columns)), key=self.header.visualIndex):
            column = self.columns[logical]
            action = menu.addAction(column.display_title())
            action.setCheckable(True)
            action.setChecked(self.is_visible(logical))
            action.setEnabled(not (self.is_visible(logical) and self.visible_count() <= 1))
            action.toggled.connect(
                lambda checked, number=logical: self.set_visible(number, checked)
            )
        menu.addSeparator()
        reset = menu.addAction(self.tr("Reset columns"))
        reset.triggered.connect(self.reset)
        return menu

    def _header_menu(self, position: QPoint) -> None:
        menu = self.menu(self.header)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.header.mapToGlobal(position))

    def _changed(self, *_args: object) -> None:
        if self._restoring:
            return
        self.save()  # rare, deliberate changes: keep them even if the app is killed next
        self.changed.emit()

    def _resized(self, *_args: object) -> None:
        if not self._restoring:
            self._save_timer.start()

"""Which columns a browser shows, in which order and width: changed from the header (drag to
reorder, right-click to show or hide) and remembered between runs in the per-user UI state.

Until the user has a layout of their own, columns are sized to what they hold once the first
rows arrive (within bounds: a long title is elided, not given the whole table), so short codes
do not sit in wide columns while names are cut short.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from PySide6.QtCore import QByteArray, QEvent, QObject, QPoint, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import QHeaderView, QMenu, QTableView

from viva_desktop.ui.models.columns import ColumnDef

MIN_FIT = 64  # pixels: room for a short header and its sort arrow
MAX_FIT = 340  # pixels: wider text is elided, its tooltip shows it whole
MIN_SHRUNK = 110  # pixels: a text column squeezed to fit the table keeps a useful width
MIN_SHRUNK_FIRST = 220  # pixels: the same for the first column, which names the record
FIT_PADDING = 18  # breathing room beside the widest value


def fit_columns(view: QTableView, *, minimum: int = MIN_FIT, maximum: int = MAX_FIT) -> None:
    """Size each shown column to its header and the rows in view, within bounds; the last
    column keeps stretching over what is left. When that is wider than the table, the widest
    columns give up room first (down to their header's width), so every column is in view
    without scrolling sideways whenever that is possible at all."""
    header = view.horizontalHeader()
    model = view.model()
    if model is None:
        return
    wanted: dict[int, int] = {}
    floor: dict[int, int] = {}
    for logical in range(model.columnCount()):
        if header.isSectionHidden(logical):
            continue
        title = max(minimum, header.sectionSizeHint(logical))
        content = view.sizeHintForColumn(logical) + FIT_PADDING
        wanted[logical] = max(title, min(maximum, content))
        # The first column names the record (title, name): it keeps more of its width.
        least = MIN_SHRUNK_FIRST if header.visualIndex(logical) == 0 else MIN_SHRUNK
        floor[logical] = min(wanted[logical], max(title, least))
    room = view.viewport().width()
    excess = sum(wanted.values()) - room
    if room > 0 and excess > 0 and sum(floor.values()) <= room:
        # Only when that makes every column fit: squeezing them all and still scrolling
        # sideways would cost readability for nothing.
        wanted = shrink_widths(wanted, floor, excess)
    for logical, width in wanted.items():
        header.resizeSection(logical, width)


def shrink_widths(wanted: dict[int, int], floor: dict[int, int], excess: int) -> dict[int, int]:
    """Take `excess` pixels from the widest columns first, never below their floor."""
    widths = dict(wanted)
    while excess > 0:
        slack = {k: widths[k] - floor[k] for k in widths if widths[k] > floor[k]}
        if not slack:
            break
        widest = max(widths[k] for k in slack)
        group = [k for k in slack if widths[k] == widest]
        below = max([widths[k] for k in widths if widths[k] < widest] + [0])
        step = min(widest - below, min(slack[k] for k in group), -(-excess // len(group)))
        for k in group:
            cut = min(step, excess)
            widths[k] -= cut
            excess -= cut
    return widths


def settings_flag(value: object) -> bool:
    """A boolean read back from QSettings (INI files give strings)."""
    return value is True or str(value).lower() == "true"


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
        *,
        hidden: Collection[str] = (),
    ) -> None:
        super().__init__(parent or view)
        self.view = view
        self.columns = list(columns)
        self.key = key
        self.hidden = frozenset(hidden)  # shown by the model, hidden here until asked for
        self.user_layout = False  # a saved layout of the user's: never resized automatically
        self._fitted = False
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
        self.header.sortIndicatorChanged.connect(self._sorted)
        view.installEventFilter(self)

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
                chosen = settings.value(f"{self._settings_key}/user")
                # A layout saved before this flag existed was the user's own doing.
                self.user_layout = chosen is None or settings_flag(chosen)
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
            self.header.setSectionHidden(logical, not column.visible or column.key in self.hidden)
            if column.default_width:
                self.header.resizeSection(logical, column.default_width)

    def fit_once(self) -> bool:
        """Size the columns to their contents the first time rows are shown, unless the user
        has a layout of their own. True when it resized."""
        model = self.view.model()
        if self._fitted or self.user_layout or model is None or model.rowCount() == 0:
            return False
        if not self.view.isVisible():
            return False  # the widths depend on the room the table has: wait to be shown
        self._fitted = True
        self._restoring = True  # an automatic size is not the user's choice: do not save it
        try:
            fit_columns(self.view)
        finally:
            self._restoring = False
        return True

    def save(self) -> None:
        self._save_timer.stop()
        settings = QSettings()
        settings.setValue(f"{self._settings_key}/header", self.header.saveState())
        settings.setValue(f"{self._settings_key}/columns", self._signature())
        settings.setValue(f"{self._settings_key}/user", self.user_layout)

    def reset(self) -> None:
        QSettings().remove(f"{self._settings_key}/header")
        QSettings().remove(f"{self._settings_key}/columns")
        QSettings().remove(f"{self._settings_key}/user")
        self.user_layout = False
        self._fitted = False
        self._restoring = True
        try:
            self.apply_defaults()
        finally:
            self._restoring = False
        self.fit_once()
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
        self.user_layout = True
        self.save()  # rare, deliberate changes: keep them even if the app is killed next
        self.changed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.Show and not self._fitted:
            QTimer.singleShot(0, self, self.fit_once)  # once the layout has sized the table
        return False

    def _sorted(self, *_args: object) -> None:
        if not self._restoring:
            self.save()

    def _resized(self, logical: int, _old: int, new: int) -> None:
        if self._restoring:
            return
        # The last section follows the window and hidden ones shrink to nothing: neither
        # is the user choosing a width.
        if new > 0 and logical != self._stretching_section():
            self.user_layout = True
        self._save_timer.start()

    def _stretching_section(self) -> int:
        if not self.header.stretchLastSection():
            return -1
        for visual in range(self.header.count() - 1, -1, -1):
            logical = self.header.logicalIndex(visual)
            if not self.header.isSectionHidden(logical):
                return logical
        return -1

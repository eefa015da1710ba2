"""A browser's search box, facet filters and date range, bound to its table model's query.

Typing searches after a short pause (Enter at once); a facet or a date range filters at once;
"Clear filters" puts everything back in one query change.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtWidgets import QLineEdit, QWidget

from viva_desktop.services.local.store.entities import spec_for
from viva_desktop.ui.browser.filters import ALL, DateRangeFilter, FacetFilter
from viva_desktop.ui.common.icons import icon
from viva_desktop.ui.models.store_model import StoreTableModel

SEARCH_DELAY_MS = 250
# The facets of a browser share one row of a laptop window's width whatever their number: up
# to four are at least this many characters wide, more share their room (each text too long
# is elided, whole in its tooltip).
FACET_ROW_CHARS = 48
# The strings kept their translation context ("EntityBrowser") when they moved here, written
# as a literal in each call: pyside6-lupdate extracts nothing whose context is a variable.


class FilterControls(QObject):
    def __init__(
        self,
        model: StoreTableModel,
        facets: Sequence[str],
        dates: Sequence[str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.search: QLineEdit | None = None
        if spec_for(model.entity).searchable:
            self.search = QLineEdit()
            self.search.setObjectName("BrowserSearch")
            self.search.setClearButtonEnabled(True)
            self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
            self.search.setMinimumWidth(180)
            self._search_timer = QTimer(self)
            self._search_timer.setSingleShot(True)
            self._search_timer.setInterval(SEARCH_DELAY_MS)
            self._search_timer.timeout.connect(self.apply_search)
            self.search.textChanged.connect(lambda _t: self._search_timer.start())
            self.search.returnPressed.connect(self.apply_search)
        by_key = {c.key: c for c in model.COLUMNS}
        self.facets: dict[str, FacetFilter] = {}
        for name in facets:
            definition = by_key.get(name)
            if definition is None:
                raise ValueError(f"{model.entity} has no column {name!r} to facet on")
            facet = FacetFilter(definition)
            facet.setMinimumContentsLength(FACET_ROW_CHARS // max(4, len(facets)))
            facet.value_changed.connect(self._facet_changed)
            self.facets[name] = facet
        self.dates: DateRangeFilter | None = None
        if dates:
            self.dates = DateRangeFilter([by_key[name] for name in dates])
            self.dates.range_changed.connect(self._date_changed)

    def widgets(self) -> list[QWidget]:
        """The controls in reading (and tab) order."""
        chain: list[QWidget] = []
        if self.search is not None:
            chain.append(self.search)
        chain += list(self.facets.values())
        return chain

    def apply_search(self) -> None:
        if self.search is not None:
            self._search_timer.stop()
            self.model.set_search(self.search.text())

    def clear(self) -> None:
        """Every control back to "no filter", in one query change."""
        query = self.model.query
        for facet in self.facets.values():
            facet.reset()
            query = query.without_filter(facet.column.key)
        if self.dates is not None:
            self.dates.blockSignals(True)
            self.dates.clear()
            self.dates.blockSignals(False)
            for column in self.dates.columns:
                query = query.without_filter(column.key)
        if self.search is not None:
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            query = query.with_search("")
        self.model.set_query(query)

    def retranslate(self) -> None:
        if self.search is not None:
            self.search.setPlaceholderText(
                QCoreApplication.translate("EntityBrowser", "Search (Ctrl+F)")
            )
            self.search.setAccessibleName(QCoreApplication.translate("EntityBrowser", "Search"))
            self.search.setToolTip(
                QCoreApplication.translate(
                    "EntityBrowser", "Full-text search in the local copy; all words must match."
                )
            )
        for facet in self.facets.values():
            facet.retranslate()
        if self.dates is not None:
            self.dates.retranslate()

    def load(self, store: Any, profile: str | None) -> None:
        """Read every facet's values (worker pool)."""
        for facet in self.facets.values():
            facet.load(store, self.model.entity, profile, self.model.account)

    def _facet_changed(self, column: str, value: Any) -> None:
        if value is ALL:
            self.model.clear_filter(column)
        else:
            self.model.set_filter(column, value)

    def _date_changed(self, column: str, value: Any) -> None:
        if value is None:
            self.model.clear_filter(column)
        else:
            self.model.set_filter(column, value)

"""A browser's view as plain JSON (search, facet choices, date range, shown columns in order,
sort) and back: what a saved view stores (`services/local/store/saved_views.py`).

Applying a state sets every control without announcing it, then changes the model's query
once; values the view names but the data no longer has are kept, visibly (a facet shows
"value (0)"), and columns the browser does not have are ignored.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt

from viva_desktop.ui.browser.filters import ALL

if TYPE_CHECKING:
    from viva_desktop.ui.browser.browser import EntityBrowser


def _iso(day: QDate, open_day: QDate) -> str | None:
    return None if day == open_day else date(day.year(), day.month(), day.day()).isoformat()


def _qdate(text: Any) -> QDate | None:
    if not isinstance(text, str):
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return QDate(day.year, day.month, day.day)


def capture(browser: EntityBrowser) -> dict[str, Any]:
    model = browser.model
    state: dict[str, Any] = {
        "search": browser.search.text() if browser.search is not None else "",
        "facets": [
            [key, facet.selected]
            for key, facet in browser.facets.items()
            if facet.selected is not ALL
        ],
        "columns": browser.columns.visible_keys(),
        "sort": [],
    }
    dates = browser.dates
    if dates is not None:
        state["dates"] = {
            "column": dates.column,
            "start": _iso(dates.start.date(), dates.OPEN),
            "end": _iso(dates.end.date(), dates.OPEN),
        }
    if model.sort_column >= 0:
        key = model.COLUMNS[model.sort_column].key
        state["sort"] = [[key, model.sort_order == Qt.SortOrder.AscendingOrder]]
    return state


def apply(browser: EntityBrowser, state: dict[str, Any]) -> None:
    model = browser.model
    query = model.query.with_search("")
    for facet in browser.facets.values():
        query = query.without_filter(facet.column.key)
    if browser.dates is not None:
        for column in browser.dates.columns:
            query = query.without_filter(column.key)

    if browser.search is not None:
        text = str(state.get("search") or "")
        browser.search.blockSignals(True)
        browser.search.setText(text)
        browser.search.blockSignals(False)
        query = query.with_search(text)
    chosen = {
        item[0]: item[1]
        for item in state.get("facets") or []
        if isinstance(item, list | tuple) and len(item) == 2
    }
    for key, facet in browser.facets.items():
        if key in chosen:
            facet.preset(chosen[key])
            query = query.with_filter(key, chosen[key])
        else:
            facet.preset(ALL)
    dates, wanted = browser.dates, state.get("dates")
    if dates is not None:
        wanted = wanted if isinstance(wanted, dict) else {}
        column = wanted.get("column")
        if column not in [c.key for c in dates.columns]:
            column = dates.column
        dates.blockSignals(True)
        dates.set_range(column, _qdate(wanted.get("start")), _qdate(wanted.get("end")))
        dates.blockSignals(False)
        span = dates.current_range()
        if span is not None:
            query = query.with_filter(dates.column, span)
    _apply_columns(browser, state.get("columns"))
    model.set_query(query)
    _apply_sort(browser, state.get("sort"))


def _apply_columns(browser: EntityBrowser, keys: Any) -> None:
    if not isinstance(keys, list):
        return
    positions = {c.key: n for n, c in enumerate(browser.model.COLUMNS)}
    wanted = [positions[k] for k in keys if isinstance(k, str) and k in positions]
    if not wanted:
        return
    header = browser.view.horizontalHeader()
    for visual, logical in enumerate(wanted):
        header.moveSection(header.visualIndex(logical), visual)
    for logical in range(len(browser.model.COLUMNS)):
        header.setSectionHidden(logical, logical not in wanted)
    browser.columns.save()


def _apply_sort(browser: EntityBrowser, sort: Any) -> None:
    model = browser.model
    if not sort or not isinstance(sort, list) or not isinstance(sort[0], list | tuple):
        return
    key, ascending = sort[0][0], bool(sort[0][1])
    column = model.column_index(key) if isinstance(key, str) else -1
    if column < 0:
        return
    order = Qt.SortOrder.AscendingOrder if ascending else Qt.SortOrder.DescendingOrder
    browser.view.sortByColumn(column, order)

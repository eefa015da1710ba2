"""The shared entity browser: search, facets, dates, columns, detail pane, CSV export."""

from viva_desktop.ui.browser.browser import EntityBrowser
from viva_desktop.ui.browser.columns import ColumnLayout
from viva_desktop.ui.browser.data_age import DataAgeInfo, read_data_age
from viva_desktop.ui.browser.detail import DetailPane, raw_json
from viva_desktop.ui.browser.export import export_view
from viva_desktop.ui.browser.filters import ALL, DateRangeFilter, FacetFilter
from viva_desktop.ui.common.changes import DataChanges, data_changes_of

__all__ = [
    "ALL",
    "ColumnLayout",
    "DataAgeInfo",
    "DataChanges",
    "DateRangeFilter",
    "DetailPane",
    "EntityBrowser",
    "FacetFilter",
    "data_changes_of",
    "export_view",
    "raw_json",
    "read_data_age",
]

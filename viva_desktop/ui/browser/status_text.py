"""What a browser says about its rows: the count above the table and the sentence in an empty
table (why it is empty and what to do about it)."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QCoreApplication, QObject

from viva_desktop.ui.browser.data_age import DataAgeInfo, never_synced
from viva_desktop.ui.models.store_model import StoreTableModel

# The strings kept their translation context ("EntityBrowser") when they moved here. Each is a
# literal `QCoreApplication.translate("EntityBrowser", "…")` call: `pyside6-lupdate` extracts
# only those, never the text passed to a helper.


class BrowserCounts(QObject):
    """The plural counts: `pyside6-lupdate` marks a text as plural only in a `self.tr(text,
    "", n)` call, never in `QCoreApplication.translate`."""

    def records(self, count: int) -> str:
        return self.tr("%Ln record(s)", "", count)

    def not_on_server(self, count: int) -> str:
        return self.tr("%Ln not on the server", "", count)


@cache
def _counts() -> BrowserCounts:
    return BrowserCounts()


def count_text(model: StoreTableModel) -> str:
    if model.store is None:
        return QCoreApplication.translate("EntityBrowser", "No local store")
    if model.profile is None:
        return QCoreApplication.translate("EntityBrowser", "No server chosen")
    if model.loading and not model.loaded_once:
        return QCoreApplication.translate("EntityBrowser", "Loading…")
    local_only = getattr(model, "local_only", 0)
    on_server = model.total - local_only
    text = _counts().records(on_server)
    if local_only:
        # Made here and not (yet) on the server: shown, marked, not counted as records.
        text += " · " + _counts().not_on_server(local_only)
    if model.loading:
        text += " " + QCoreApplication.translate("EntityBrowser", "(updating…)")
    return text


def is_filtered(model: StoreTableModel) -> bool:
    """Whether the user narrowed the view (the model's fixed filters do not count)."""
    query = model.query
    return bool(query.search or query.filters)


def empty_text(
    model: StoreTableModel, age: DataAgeInfo | None, age_pending: bool, custom: str | None
) -> str:
    """The sentence over the empty table ("" says nothing)."""
    if model.store is None or model.profile is None or (model.loading and not model.loaded_once):
        return ""  # the count label says why; a sentence here would only repeat it
    filtered = is_filtered(model)
    if age_pending and custom is None and not filtered:
        # Whether this server was ever synced decides the sentence: none until known, so
        # that a generic one does not flash before the one that says what to do.
        return ""
    if custom is not None:
        return custom
    if filtered:
        return QCoreApplication.translate(
            "EntityBrowser",
            "No record matches the search and filters. “Clear filters” shows them all again.",
        )
    if never_synced(age):
        return QCoreApplication.translate(
            "EntityBrowser",
            "Nothing has been downloaded from this server yet. Open the Sync page and press "
            "“Sync now” to fill the local copy.",
        )
    return QCoreApplication.translate("EntityBrowser", "There is nothing here yet.")

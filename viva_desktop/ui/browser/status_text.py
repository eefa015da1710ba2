"""What a browser says about its rows: the count above the table and the sentence in an empty
table (why it is empty and what to do about it)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from viva_desktop.ui.browser.data_age import DataAgeInfo, never_synced
from viva_desktop.ui.models.store_model import StoreTableModel

CONTEXT = "EntityBrowser"  # the strings kept their translation context when they moved here


def _tr(text: str, n: int = -1) -> str:
    return QCoreApplication.translate(CONTEXT, text, "", n)


def count_text(model: StoreTableModel) -> str:
    if model.store is None:
        return _tr("No local store")
    if model.profile is None:
        return _tr("No server chosen")
    if model.loading and not model.loaded_once:
        return _tr("Loading…")
    text = _tr("%Ln record(s)", model.total)
    if model.loading:
        text += " " + _tr("(updating…)")
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
        return _tr(
            "No record matches the search and filters. “Clear filters” shows them all again."
        )
    if never_synced(age):
        return _tr(
            "Nothing has been downloaded from this server yet. Open the Sync page and press "
            "“Sync now” to fill the local copy."
        )
    return _tr("There is nothing here yet.")

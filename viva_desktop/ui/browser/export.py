"""CSV export of a browser's view, as shown or raw.

As shown (the default): the column titles on screen, the labels the cells show (translated
enum values, community and member names instead of ids, dates in the user's locale). Raw: the
store's column keys and values, for reimporting or scripts. Either way the rows are the
view's (same search, filters and order), all of them or only the selected ones, and the
spreadsheet formula guard of `neutralise_formula` applies to every cell.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from viva_desktop.services.common.cancel import NEVER_CANCELLED, CancelToken
from viva_desktop.services.local.store import ExportFormat, Store, spec_for
from viva_desktop.services.local.store.export import BATCH, atomic_text_file, write_csv
from viva_desktop.services.local.store.queries import select_rows, to_row
from viva_desktop.ui.models.columns import ColumnDef, Kind, display_value
from viva_desktop.ui.models.query import ViewQuery
from viva_desktop.ui.models.store_model import resolve_names

# The strings kept their translation context ("EntityBrowser") when they moved here, written
# as a literal in each call: pyside6-lupdate extracts nothing whose context is a variable.
_LOOKUPS = {Kind.COMMUNITY: "communities", Kind.USER: "users"}


@dataclass(frozen=True)
class ExportRequest:
    """What to write: the view's rows (or only `ids` of them) in `columns`' order."""

    entity: str
    profile: str
    query: ViewQuery
    columns: tuple[ColumnDef, ...]
    headers: tuple[str, ...]  # the titles on screen (used when not raw)
    raw: bool = False
    # Only these rows (the selection, already in the table, with the names it shows for
    # their ids); None: every row of the view, read from the store.
    selected: tuple[dict[str, Any], ...] | None = None
    names: dict[str, str] = field(default_factory=dict)
    account: str | None = None


def export_view(
    store: Store,
    request: ExportRequest,
    path: Path,
    progress: Callable[[int], None] | None = None,
    cancel: CancelToken | None = None,
) -> int:
    """Write the request's rows as CSV at `path` (worker thread); the count written."""
    token = cancel if cancel is not None else NEVER_CANCELLED
    if request.selected is not None:
        if request.raw:
            header = [column.key for column in request.columns]
            rows: Iterator[dict[str, Any]] = iter(request.selected)
        else:
            header = list(request.headers)
            rows = (_shown(request, values, request.names) for values in request.selected)
        with atomic_text_file(path, encoding="utf-8-sig") as stream:
            return write_csv(stream, header, rows, progress=progress, cancel=token)
    if request.raw:
        return store.export(
            request.entity,
            path,
            format=ExportFormat.CSV,
            profile=request.profile,
            columns=[column.key for column in request.columns],
            progress=progress,
            cancel=token,
            **_account(request),
            **request.query.store_kwargs(),
        )
    with atomic_text_file(path, encoding="utf-8-sig") as stream:
        return write_csv(
            stream,
            list(request.headers),
            shown_rows(store, request),
            progress=progress,
            cancel=token,
        )


def shown_rows(store: Store, request: ExportRequest) -> Iterator[dict[str, Any]]:
    """The request's rows as the table shows them, keyed by header, a batch at a time."""
    spec = spec_for(request.entity)
    lookups = [(c.key, _LOOKUPS[c.kind]) for c in request.columns if c.kind in _LOOKUPS]
    with store.read() as conn:
        stmt = select_rows(
            spec,
            conn,
            profile=request.profile,
            limit=None,
            **_account(request),
            **request.query.store_kwargs(),
        )
        result = conn.execution_options(yield_per=BATCH).execute(stmt)
        while batch := result.fetchmany(BATCH):
            rows = [to_row(spec, request.profile, r).values for r in batch]
            names = resolve_names(
                store, request.profile, ((e, (v.get(k) for v in rows)) for k, e in lookups)
            )
            for values in rows:
                yield _shown(request, values, names)


def _shown(request: ExportRequest, values: dict[str, Any], names: dict[str, str]) -> dict:
    return {
        header: display_value(column, values.get(column.key), names)
        for header, column in zip(request.headers, request.columns, strict=True)
    }


def _account(request: ExportRequest) -> dict[str, Any]:
    return {"account": request.account} if request.account is not None else {}


def headers_of(columns: Sequence[ColumnDef]) -> tuple[str, ...]:
    """The titles on screen, made unique (a CSV reader keys its columns by them)."""
    seen: dict[str, int] = {}
    titles = []
    for column in columns:
        title = column.display_title()
        seen[title] = seen.get(title, 0) + 1
        titles.append(title if seen[title] == 1 else f"{title} ({seen[title]})")
    return tuple(titles)


def ask_export_path(parent: QWidget, key: str) -> Path | None:
    """Where to write the CSV file (a save dialog); None when cancelled."""
    default = Path.home() / f"{key}-{datetime.now().strftime('%Y-%m-%d')}.csv"
    chosen, _filter = QFileDialog.getSaveFileName(
        parent,
        QCoreApplication.translate("EntityBrowser", "Export the current view"),
        str(default),
        QCoreApplication.translate("EntityBrowser", "CSV files (*.csv)"),
    )
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix else path.with_suffix(".csv")

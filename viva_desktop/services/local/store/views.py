"""What each entity's browser shows, without Qt: its columns (in the browser's order) and
its rows for one account, so headless exports hold exactly what the window lists.

The column keys are the store's own; `ui/models/columns.py` gives them titles and rendering,
and a test keeps both lists equal.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from viva_desktop.services.local.store.entities import spec_for
from viva_desktop.services.local.store.export import (
    BATCH,
    ExportFormat,
    atomic_text_file,
    write_csv,
    write_json,
)
from viva_desktop.services.local.store.queries import select_rows, to_row
from viva_desktop.services.local.store.store import Store

BROWSER_COLUMNS: dict[str, tuple[str, ...]] = {
    "communities": (
        "name",
        "slug",
        "type",
        "visibility",
        "location",
        "members",
        "offers_count",
        "events_count",
        "created_at",
        "updated_at",
    ),
    "offers": (
        "title",
        "type",
        "category",
        "status",
        "user_name",
        "community_id",
        "price_eur",
        "price_credits",
        "created_at",
        "updated_at",
    ),
    "events": (
        "title",
        "type",
        "status",
        "starts_at",
        "ends_at",
        "organizer_name",
        "community_id",
        "address",
        "capacity",
        "attendees",
        "created_at",
    ),
    "posts": (
        "excerpt",
        "type",
        "visibility",
        "author_name",
        "author_id",
        "comments_count",
        "created_at",
        "edited_at",
    ),
    "credit_transactions": (
        "created_at",
        "amount",
        "balance",
        "reason",
        "description",
        "related_id",
        "expires_at",
    ),
    "moderation_cases": (
        "report_reason",
        "content_type",
        "status",
        "deadline",
        "reporter_id",
        "final_decision",
        "created_at",
        "content_id",
    ),
}


def browser_columns(entity: str) -> tuple[str, ...]:
    try:
        return BROWSER_COLUMNS[entity]
    except KeyError:
        raise ValueError(f"{entity} has no browser") from None


def visible_rows(
    store: Store, entity: str, profile: str, account: str | None
) -> Iterator[dict[str, Any]]:
    """The rows `account`'s browser lists for `entity`, in its default order: `id` and the
    browser's columns (stored values; records gone upstream included, as the browser shows
    them marked)."""
    spec = spec_for(entity)
    columns = browser_columns(entity)
    with store.read() as conn:
        stmt = select_rows(spec, conn, profile=profile, limit=None, account=account)
        for result in conn.execution_options(yield_per=BATCH).execute(stmt):
            row = to_row(spec, profile, result)
            yield {"id": row.id, **{c: row.values[c] for c in columns}}


def export_visible(
    store: Store,
    entity: str,
    profile: str,
    account: str | None,
    destination: Path | IO[str],
    *,
    format: ExportFormat | str = ExportFormat.CSV,
) -> int:
    """Write `visible_rows` as CSV (header `id` and the column keys) or as a JSON array of
    objects; returns how many rows were written."""
    kind = ExportFormat(format)
    header = ["id", *browser_columns(entity)]

    def run(stream: IO[str]) -> int:
        rows = visible_rows(store, entity, profile, account)
        if kind is ExportFormat.CSV:
            return write_csv(stream, header, rows)
        return write_json(stream, rows)

    if isinstance(destination, Path):
        encoding = "utf-8-sig" if kind is ExportFormat.CSV else "utf-8"
        with atomic_text_file(destination, encoding=encoding) as stream:
            return run(stream)
    return run(destination)

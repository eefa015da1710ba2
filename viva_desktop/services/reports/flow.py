"""The flow-economics figures of a report: ADMIN accounts only (contract §6.12, issue 16).

The server keeps no history of these metrics; each ADMIN sync stores a snapshot of them
(`store.flow_metrics`). A period's value is the last snapshot synced within it, compared with
the last one of the previous period. They describe the whole server, whatever community the
report is about. A non-ADMIN account's report holds none of this, not even a note.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from viva_desktop.services.common.i18n import translate
from viva_desktop.services.local.store import flow_metrics
from viva_desktop.services.local.store.flow_metrics import FlowSnapshot
from viva_desktop.services.reports.labels import figure_label
from viva_desktop.services.reports.model import Figure
from viva_desktop.services.reports.period import Period

# Report key -> (wire field of `GET /flow-economics/metrics`, factor shown). The Gini index
# (0 to 1) is shown as 0 to 100 so it reads with the same whole numbers as the rest.
FLOW_FIGURES: dict[str, tuple[str, float]] = {
    "flow_gini_index": ("giniIndex", 100.0),
    "flow_wealth_concentration": ("wealthConcentration", 1.0),
    "flow_median_balance": ("medianBalance", 1.0),
    "flow_mean_balance": ("meanBalance", 1.0),
    "flow_total_pool_balance": ("totalPoolBalance", 1.0),
    "flow_active_users": ("activeUsers", 1.0),
    "flow_generous_users": ("generousUsers", 1.0),
}


@dataclass(frozen=True)
class FlowPart:
    """What the flow economics add to an ADMIN's report."""

    figures: tuple[Figure, ...]
    notes: tuple[str, ...]


def _value(snapshot: FlowSnapshot | None, field: str, factor: float) -> float | None:
    if snapshot is None:
        return None
    value = snapshot.values.get(field)
    return None if value is None else value * factor


def flow_part(
    conn: sa.Connection, profile: str, account: str, period: Period, previous: Period
) -> FlowPart:
    """The flow figures of `account`'s snapshots (call it for an ADMIN account only)."""
    now = flow_metrics.latest(conn, profile, account, *period.bounds())
    before = flow_metrics.latest(conn, profile, account, *previous.bounds())
    if now is None:
        return FlowPart(
            (),
            (
                translate(
                    "Reports",
                    "No flow-economics snapshot was synced in this period: a sync by an "
                    "administrator takes one.",
                ),
            ),
        )
    note = translate(
        "Reports", "Whole server; the last snapshot synced in each period (administrators only)."
    )
    figures = []
    for key, (field, factor) in FLOW_FIGURES.items():
        current = _value(now, field, factor)
        if current is None:
            continue  # the server did not give this one
        figures.append(Figure(key, figure_label(key), current, _value(before, field, factor), note))
    notes = [
        translate(
            "Reports",
            "The server keeps no history of the flow-economics metrics: the app stores what "
            "they were at each administrator's sync.",
        )
    ]
    if before is None:
        notes.append(
            translate("Reports", "No flow-economics snapshot was synced in the previous period.")
        )
    return FlowPart(tuple(figures), tuple(notes))

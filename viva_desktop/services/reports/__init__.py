"""Activity reports for coordinators, built from the local store only (so they work offline).

`build_report(store, profile, account, community, period)` counts what one community (or every
community) did over a period, next to the previous period of the same length: members and new
members, offers and events created by type and category, events held and their attendance,
posts and comments, membership requests decided, moderation cases and the credit flows the
account can see; plus a short written summary. Plain Python, no Qt: the charts and the HTML
and PDF files are drawn by `viva_desktop.rendering`.
"""

from viva_desktop.services.reports.builder import build_report, has_data
from viva_desktop.services.reports.model import ActivityReport, Breakdown, Figure
from viva_desktop.services.reports.period import Period, PeriodKind
from viva_desktop.services.reports.scope import (
    CommunityChoice,
    ReportScopeError,
    communities_of,
    find_community,
)

__all__ = [
    "ActivityReport",
    "Breakdown",
    "CommunityChoice",
    "Figure",
    "Period",
    "PeriodKind",
    "ReportScopeError",
    "build_report",
    "communities_of",
    "find_community",
    "has_data",
]

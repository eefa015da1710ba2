"""The translated words of a report: figure names, breakdown titles and server enum values.

Enum values are said the way the browsers say them (context "Enums", same English source),
so the report and the tables use the same words in either language.
"""

from __future__ import annotations

from typing import Any

from viva_desktop.services.common.i18n import QT_TRANSLATE_NOOP, translate

CONTEXT = "Reports"

# Figure key -> English source (context "Reports"). A table of strings for the translators.
FIGURES = {
    "members": QT_TRANSLATE_NOOP("Reports", "Members now"),
    "new_members": QT_TRANSLATE_NOOP("Reports", "New members"),
    "offers_created": QT_TRANSLATE_NOOP("Reports", "Offers created"),
    "events_created": QT_TRANSLATE_NOOP("Reports", "Events created"),
    "events_held": QT_TRANSLATE_NOOP("Reports", "Events held"),
    "attendance": QT_TRANSLATE_NOOP("Reports", "Attendance at events held"),
    "posts": QT_TRANSLATE_NOOP("Reports", "Posts"),
    "comments": QT_TRANSLATE_NOOP("Reports", "Comments"),
    "requests_decided": QT_TRANSLATE_NOOP("Reports", "Membership requests decided"),
    "moderation_cases": QT_TRANSLATE_NOOP("Reports", "Moderation cases"),
    "credits_in": QT_TRANSLATE_NOOP("Reports", "Credits received"),
    "credits_out": QT_TRANSLATE_NOOP("Reports", "Credits spent"),
    # Flow economics, ADMIN only (`flow`).
    "flow_gini_index": QT_TRANSLATE_NOOP("Reports", "Inequality of balances (Gini index, 0–100)"),
    "flow_wealth_concentration": QT_TRANSLATE_NOOP(
        "Reports", "Credits held by the richest 10 % (%)"
    ),
    "flow_median_balance": QT_TRANSLATE_NOOP("Reports", "Median balance"),
    "flow_mean_balance": QT_TRANSLATE_NOOP("Reports", "Mean balance"),
    "flow_total_pool_balance": QT_TRANSLATE_NOOP("Reports", "Credits in the community pools"),
    "flow_active_users": QT_TRANSLATE_NOOP("Reports", "Active users"),
    "flow_generous_users": QT_TRANSLATE_NOOP(
        "Reports", "Generous users (generosity score above 0)"
    ),
}

BREAKDOWNS = {
    "offers_by_type": QT_TRANSLATE_NOOP("Reports", "Offers created by type"),
    "offers_by_category": QT_TRANSLATE_NOOP("Reports", "Offers created by category"),
    "events_by_type": QT_TRANSLATE_NOOP("Reports", "Events created by type"),
    "moderation_by_status": QT_TRANSLATE_NOOP("Reports", "Moderation cases by status"),
}

# Server values whose label in the browsers is not the value made readable.
_ENUM_SOURCES = {"TIME_BANK": "Time bank", "CHECK_IN": "Check-in"}


def figure_label(key: str) -> str:
    return translate(CONTEXT, FIGURES[key])


def breakdown_label(key: str) -> str:
    return translate(CONTEXT, BREAKDOWNS[key])


def enum_label(value: Any) -> str:
    """A server enum value as the browsers show it ("TIME_BANK" -> "Time bank")."""
    if value is None or value == "":
        return translate(CONTEXT, "(none)")
    text = str(value)
    if not text.isupper():
        return text  # free text (an offer's category) is shown as it is
    source = _ENUM_SOURCES.get(text, text.replace("_", " ").capitalize())
    return translate("Enums", source)


def tr(text: str) -> str:
    return translate(CONTEXT, text)

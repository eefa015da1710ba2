"""The report's short written summary, in the user's language: what happened in the period
and how it compares with the previous one. Worded so that any number reads correctly."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from viva_desktop.services.common.i18n import translate

if TYPE_CHECKING:
    from viva_desktop.services.reports.model import ActivityReport, Figure

HEADLINE = ("offers_created", "events_created", "posts", "comments", "new_members")


def change_text(figure: Figure) -> str:
    """How the figure compares with the previous period, in words."""
    if figure.previous is None:
        return ""
    change = figure.change or 0
    if change == 0:
        return translate("Reports", "the same as in the previous period")
    if figure.previous == 0:
        return translate("Reports", "none in the previous period")
    percent = abs(figure.percent or 0)
    if change > 0:
        return translate("Reports", "{n} more than in the previous period (+{p} %)").format(
            n=_int(change), p=f"{percent:.0f}"
        )
    return translate("Reports", "{n} fewer than in the previous period (−{p} %)").format(
        n=_int(-change), p=f"{percent:.0f}"
    )


def _int(value: float) -> str:
    return f"{round(value)}"


def write_summary(report: ActivityReport, date_text: Callable[[date], str]) -> list[str]:
    lines = [
        translate(
            "Reports",
            "Activity of {community} from {first} to {last}, compared with {before} to {end}.",
        ).format(
            community=report.community_name,
            first=date_text(report.period.first),
            last=date_text(report.period.last),
            before=date_text(report.previous.first),
            end=date_text(report.previous.last),
        )
    ]
    if all(f.current == 0 for f in report.figures if f.key != "members" and not _flow(f)):
        lines.append(translate("Reports", "The local copy holds no activity in this period."))
        return lines + flow_lines(report)
    for key in HEADLINE:
        figure = report.find(key)
        if figure is None:
            continue
        lines.append(
            translate("Reports", "{label}: {value}, {change}.").format(
                label=figure.label, value=_int(figure.current), change=change_text(figure)
            )
        )
    held, attendance = report.figure("events_held"), report.figure("attendance")
    lines.append(
        translate("Reports", "Events held: {held}; attendance at them: {attendance}.").format(
            held=_int(held.current), attendance=_int(attendance.current)
        )
    )
    categories = report.breakdown("offers_by_category")
    if categories.rows and categories.rows[0][1] > 0:
        label, count, _previous = categories.rows[0]
        lines.append(
            translate("Reports", "The category with most new offers: {category} ({n}).").format(
                category=label, n=count
            )
        )
    decided, cases = report.figure("requests_decided"), report.figure("moderation_cases")
    if decided.current or cases.current:
        lines.append(
            translate(
                "Reports", "Membership requests decided: {decided}. Moderation cases: {cases}."
            ).format(decided=_int(decided.current), cases=_int(cases.current))
        )
    received, spent = report.figure("credits_in"), report.figure("credits_out")
    if received.current or spent.current:
        lines.append(
            translate(
                "Reports", "Your account received {received} credits and spent {spent}."
            ).format(received=_int(received.current), spent=_int(spent.current))
        )
    return lines + flow_lines(report)


def _flow(figure: Figure) -> bool:
    return figure.key.startswith("flow_")


def flow_lines(report: ActivityReport) -> list[str]:
    """The flow economics in words (an ADMIN's report only: nobody else's has the figures)."""
    gini, pools = report.find("flow_gini_index"), report.find("flow_total_pool_balance")
    lines = []
    if gini is not None:
        lines.append(
            translate(
                "Reports",
                "Flow economics of the whole server: inequality of balances (Gini index, "
                "0–100) {value}, {change}.",
            ).format(value=_int(gini.current), change=_change_or_unknown(gini))
        )
    if pools is not None:
        lines.append(
            translate("Reports", "Credits in the community pools: {value}, {change}.").format(
                value=_int(pools.current), change=_change_or_unknown(pools)
            )
        )
    return lines


def _change_or_unknown(figure: Figure) -> str:
    return change_text(figure) or translate("Reports", "no snapshot of the previous period")

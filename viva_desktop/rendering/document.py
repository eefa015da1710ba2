"""The report as HTML: one text for the HTML export (charts as `data:` images) and for the PDF
and print (charts as `QTextDocument` resources). Kept to the HTML subset `QTextDocument`
renders: tables, headings, paragraphs and images."""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import date

from PySide6.QtCore import QCoreApplication, QDate, QLocale

from viva_desktop.services.reports import ActivityReport, Figure

CONTEXT = "ReportDocument"

STYLE = """
body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 10pt; color: #222; }
h1 { font-size: 18pt; margin-bottom: 2pt; color: #1f5c43; }
h2 { font-size: 13pt; margin-top: 14pt; color: #1f5c43; }
p.meta { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin-bottom: 8pt; }
th, td { border: 1px solid #c8d3cd; padding: 3pt 6pt; }
th { background: #e8f1ec; text-align: left; }
td.n { text-align: right; }
p.note { color: #555; font-size: 9pt; }
img { margin: 6pt 0; }
"""


def locale_for(language: str) -> QLocale:
    """The locale dates and numbers of a report in `language` ("es" or "en") are written in."""
    if language == "es":
        return QLocale(QLocale.Language.Spanish, QLocale.Country.Spain)
    return QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)


def locale_of(report: ActivityReport) -> QLocale:
    return locale_for(report.language)


def date_text(locale: QLocale, day: date) -> str:
    return locale.toString(QDate(day.year, day.month, day.day), QLocale.FormatType.LongFormat)


def period_text(report: ActivityReport) -> str:
    locale = locale_of(report)
    return QCoreApplication.translate("ReportDocument", "{first} – {last}").format(
        first=date_text(locale, report.period.first), last=date_text(locale, report.period.last)
    )


def _number(locale: QLocale, value: float | None) -> str:
    if value is None:
        return "—"
    return locale.toString(round(value))


def _change(locale: QLocale, figure: Figure) -> str:
    change = figure.change
    if change is None:
        return "—"
    text = ("+" if change > 0 else "") + locale.toString(round(change))
    if figure.percent is not None:
        text += f" ({'+' if figure.percent > 0 else ''}{figure.percent:.0f} %)"
    return text


def report_html(report: ActivityReport, images: Mapping[str, str]) -> str:
    """The whole report; `images` maps a chart's name to its `src` (charts not in it are
    left out)."""
    locale = locale_of(report)
    e = html.escape
    w = _words()
    out = [
        f'<!DOCTYPE html><html lang="{e(report.language)}"><head><meta charset="utf-8">',
        f"<title>{e(w['title'])} — {e(report.community_name)}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{e(w['title'])}: {e(report.community_name)}</h1>",
        f'<p class="meta">{e(period_text(report))} · '
        + e(
            QCoreApplication.translate("ReportDocument", "compared with {first} – {last}").format(
                first=date_text(locale, report.previous.first),
                last=date_text(locale, report.previous.last),
            )
        )
        + "<br>"
        + e(
            QCoreApplication.translate(
                "ReportDocument", "Server profile {profile}, account {account}, made {when}."
            ).format(
                profile=report.profile,
                account=report.account_label or "—",
                when=locale.toString(
                    report.generated_at.astimezone().replace(tzinfo=None),
                    QLocale.FormatType.ShortFormat,
                ),
            )
        )
        + "</p>",
        f"<h2>{e(w['summary'])}</h2>",
        *(f"<p>{e(line)}</p>" for line in report.summary),
        f"<h2>{e(w['figures'])}</h2>",
        '<table id="figures" width="100%"><tr>'
        f"<th>{e(w['figure'])}</th><th>{e(w['now'])}</th>"
        f"<th>{e(w['before'])}</th><th>{e(w['change'])}</th></tr>",
    ]
    for figure in report.figures:
        note = f'<br><span class="note">{e(figure.note)}</span>' if figure.note else ""
        out.append(
            f'<tr data-key="{e(figure.key)}"><td>{e(figure.label)}{note}</td>'
            f'<td class="n">{_number(locale, figure.current)}</td>'
            f'<td class="n">{_number(locale, figure.previous)}</td>'
            f'<td class="n">{e(_change(locale, figure))}</td></tr>'
        )
    out.append("</table>")
    if "overview" in images:
        out.append(
            _image(images["overview"], QCoreApplication.translate("ReportDocument", "Activity"))
        )
    if "flow_economics" in images:  # an ADMIN's report only
        out.append(
            _image(
                images["flow_economics"],
                QCoreApplication.translate("ReportDocument", "Flow economics"),
            )
        )
    for breakdown in report.breakdowns:
        if not breakdown.rows:
            continue
        if breakdown.key in images:  # the chart's own title names the breakdown
            out.append(_image(images[breakdown.key], breakdown.label))
        else:
            out.append(f"<h2>{e(breakdown.label)}</h2>")
        out.append(
            f'<table id="{e(breakdown.key)}" width="100%"><tr><th>{e(breakdown.label)}</th>'
            f"<th>{e(w['now'])}</th><th>{e(w['before'])}</th></tr>"
        )
        for label, current, previous in breakdown.rows:
            out.append(
                f'<tr><td>{e(label)}</td><td class="n">{_number(locale, current)}</td>'
                f'<td class="n">{_number(locale, previous)}</td></tr>'
            )
        out.append("</table>")
    if report.notes:
        out.append(f"<h2>{e(w['about'])}</h2>")
        out.extend(f'<p class="note">{e(note)}</p>' for note in report.notes)
    out.append("</body></html>")
    return "\n".join(out)


def _words() -> dict[str, str]:
    """The document's headings in the current language."""
    return {
        "title": QCoreApplication.translate("ReportDocument", "Activity report"),
        "summary": QCoreApplication.translate("ReportDocument", "Summary"),
        "figures": QCoreApplication.translate("ReportDocument", "Figures"),
        "figure": QCoreApplication.translate("ReportDocument", "Figure"),
        "now": QCoreApplication.translate("ReportDocument", "This period"),
        "before": QCoreApplication.translate("ReportDocument", "Previous period"),
        "change": QCoreApplication.translate("ReportDocument", "Change"),
        "about": QCoreApplication.translate("ReportDocument", "About these figures"),
    }


def _image(src: str, alt: str) -> str:
    return f'<p><img src="{html.escape(src)}" alt="{html.escape(alt)}" width="600"></p>'

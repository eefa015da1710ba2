"""The report's charts: this period against the previous one, as QtCharts bar charts.

The Reports page shows these `QChart`s in chart views; the exported files embed the very same
charts drawn into images (`chart_image`), so what is printed is what was previewed.
"""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QCoreApplication, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QGraphicsScene

from viva_desktop.services.reports import ActivityReport, Breakdown

CONTEXT = "ReportDocument"
CURRENT_COLOUR = QColor("#2e7d5b")
PREVIOUS_COLOUR = QColor("#b0bec5")
MAX_CATEGORIES = 8
CHART_SIZE = QSizeF(640, 300)  # pixels of an exported chart image

# Figures shown together in the overview chart (same scale: counts of things).
OVERVIEW = ("offers_created", "events_created", "events_held", "posts", "comments")
# The flow-economics figures charted together (an ADMIN's report only; comparable sizes).
FLOW = ("flow_gini_index", "flow_wealth_concentration", "flow_median_balance", "flow_mean_balance")


def comparison_chart(
    title: str, rows: list[tuple[str, float, float]], *, animated: bool = False
) -> QChart:
    """Horizontal bars: each row's value this period and in the previous one."""
    current = QBarSet(QCoreApplication.translate("ReportDocument", "This period"))
    previous = QBarSet(QCoreApplication.translate("ReportDocument", "Previous period"))
    current.setColor(CURRENT_COLOUR)
    previous.setColor(PREVIOUS_COLOUR)
    labels = []
    # Horizontal bars list their categories bottom-up: reverse to read top-down.
    for label, now, before in reversed(rows[:MAX_CATEGORIES]):
        labels.append(label if len(label) <= 28 else label[:27] + "…")
        current.append(float(now))
        previous.append(float(before))
    series = QHorizontalBarSeries()
    series.append(previous)
    series.append(current)
    chart = QChart()
    chart.setTitle(title)
    chart.addSeries(series)
    axis_y = QBarCategoryAxis()
    axis_y.append(labels or [""])
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(axis_y)
    axis_x = QValueAxis()
    top = max([1.0, *(float(v) for _l, n, p in rows for v in (n, p))])
    axis_x.setRange(0, top)
    axis_x.setLabelFormat("%d")
    axis_x.setTickCount(min(6, int(top) + 1) if top < 5 else 6)
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(axis_x)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setAnimationOptions(
        QChart.AnimationOption.SeriesAnimations if animated else QChart.AnimationOption.NoAnimation
    )
    chart.setBackgroundRoundness(0)
    title_font = chart.titleFont()
    title_font.setPointSizeF(11)
    title_font.setBold(True)
    chart.setTitleFont(title_font)
    return chart


def breakdown_chart(breakdown: Breakdown, *, animated: bool = False) -> QChart:
    return comparison_chart(breakdown.label, list(breakdown.rows), animated=animated)


def overview_chart(report: ActivityReport, *, animated: bool = False) -> QChart:
    rows = []
    for key in OVERVIEW:
        figure = report.find(key)
        if figure is not None:
            rows.append((figure.label, figure.current, figure.previous or 0))
    return comparison_chart(
        QCoreApplication.translate("ReportDocument", "Activity"), rows, animated=animated
    )


def flow_chart(report: ActivityReport, *, animated: bool = False) -> QChart | None:
    """The flow economics this period and the previous one; None when the report has none
    (every report but an ADMIN's)."""
    figures = [f for f in (report.find(key) for key in FLOW) if f is not None]
    if not figures:
        return None
    rows = [(f.label, f.current, f.previous or 0) for f in figures]
    return comparison_chart(
        QCoreApplication.translate("ReportDocument", "Flow economics"), rows, animated=animated
    )


def report_charts(report: ActivityReport, *, animated: bool = False) -> dict[str, QChart]:
    """Every chart of the report, by name, in reading order."""
    charts = {"overview": overview_chart(report, animated=animated)}
    flow = flow_chart(report, animated=animated)
    if flow is not None:
        charts["flow_economics"] = flow
    for breakdown in report.breakdowns:
        if breakdown.rows:
            charts[breakdown.key] = breakdown_chart(breakdown, animated=animated)
    return charts


def chart_image(chart: QChart, size: QSizeF = CHART_SIZE, scale: float = 2.0) -> QImage:
    """`chart` drawn into an image (`scale` × `size` pixels, for sharp printing)."""
    scene = QGraphicsScene()
    scene.addItem(chart)
    chart.resize(size)
    image = QImage(
        int(size.width() * scale), int(size.height() * scale), QImage.Format.Format_ARGB32
    )
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    scene.render(painter, QRectF(image.rect()), QRectF(0, 0, size.width(), size.height()))
    painter.end()
    scene.removeItem(chart)
    return image

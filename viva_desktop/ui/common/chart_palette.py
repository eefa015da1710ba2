"""QtCharts draws in its own light theme whatever the application's palette: these colours
follow the palette instead, so charts read in the dark theme too."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCharts import QAbstractAxis, QChart
from PySide6.QtGui import QBrush, QGuiApplication, QPalette


def apply_chart_palette(chart: QChart, axes: Iterable[QAbstractAxis]) -> None:
    """Background, legend, axis labels, titles and grid in the application's colours."""
    palette = QGuiApplication.palette()
    text = palette.color(QPalette.ColorRole.WindowText)
    grid = palette.color(QPalette.ColorRole.Mid)
    chart.setBackgroundBrush(QBrush(palette.color(QPalette.ColorRole.Base)))
    chart.legend().setLabelColor(text)
    for axis in axes:
        axis.setLabelsColor(text)
        axis.setTitleBrush(QBrush(text))
        axis.setGridLineColor(grid)
        axis.setLinePenColor(grid)

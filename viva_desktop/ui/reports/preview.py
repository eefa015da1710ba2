"""The report on screen: its text and tables (the same HTML as the exported file) beside its
charts, drawn by QtCharts (the same charts the files embed as images)."""

from __future__ import annotations

from PySide6.QtCharts import QChartView
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QScrollArea, QSplitter, QTextBrowser, QVBoxLayout, QWidget

from viva_desktop.rendering.charts import report_charts
from viva_desktop.rendering.document import report_html
from viva_desktop.services.reports import ActivityReport

CHART_HEIGHT = 280  # pixels
CHART_MIN_WIDTH = 380  # pixels: room for the category labels and the bars


class ReportPreview(QSplitter):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setObjectName("ReportPreview")
        self.text = QTextBrowser()
        self.text.setObjectName("ReportText")
        self.text.setOpenLinks(False)
        self.charts_area = QScrollArea()
        self.charts_area.setWidgetResizable(True)
        self._charts_box = QWidget()
        self._charts_layout = QVBoxLayout(self._charts_box)
        self._charts_layout.addStretch(1)
        self.charts_area.setWidget(self._charts_box)
        self.addWidget(self.text)
        self.addWidget(self.charts_area)
        self.setStretchFactor(0, 1)
        self.setStretchFactor(1, 1)
        self.charts_area.setMinimumWidth(CHART_MIN_WIDTH)
        self.setSizes([560, 520])
        self.views: dict[str, QChartView] = {}
        self.report: ActivityReport | None = None

    def show_report(self, report: ActivityReport | None) -> None:
        self.report = report
        for view in self.views.values():
            self._charts_layout.removeWidget(view)
            view.deleteLater()
        self.views = {}
        if report is None:
            self.text.clear()
            return
        self.text.setHtml(report_html(report, {}))
        for position, (name, chart) in enumerate(report_charts(report, animated=True).items()):
            view = QChartView(chart)
            view.setObjectName(f"ReportChart_{name}")
            view.setAccessibleName(chart.title())
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumHeight(CHART_HEIGHT)
            self._charts_layout.insertWidget(position, view)
            self.views[name] = view

    def set_placeholder(self, text: str) -> None:
        self.show_report(None)
        self.text.setPlainText(text)

    def retranslate(self) -> None:
        self.text.setAccessibleName(self.tr("Report text and tables"))
        self.charts_area.setAccessibleName(self.tr("Report charts"))

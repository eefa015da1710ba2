"""The detail view's two plots, sharing one time span and one set of round ticks:

- `LatencyChart`: response times as a line, broken where nobody watched or nothing answered;
- `StateTimeline`: the state as coloured blocks, labelled with the state's name where there
  is room and in a tooltip everywhere; unwatched time is left empty and hatched (no data).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from PySide6.QtCharts import QCategoryAxis, QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import QEvent, QMargins, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from viva_desktop.services.monitoring.availability import Segment
from viva_desktop.services.monitoring.health import HealthSample, HealthState
from viva_desktop.services.monitoring.health import state_label as health_state_label
from viva_desktop.ui.admin.fleet_delegates import state_colour
from viva_desktop.ui.admin.fleet_ranges import round_ticks, tick_label
from viva_desktop.ui.admin.health_history import downsample
from viva_desktop.ui.common.chart_palette import apply_chart_palette
from viva_desktop.ui.common.timefmt import datetime_text, shown

MAX_POINTS = 1500
EDGE_ROOM = 0.06  # of the span: no tick label this close to the right edge


def _ms(when: datetime) -> float:
    return when.timestamp() * 1000.0


def latency_runs(
    samples: Sequence[HealthSample], max_gap: timedelta
) -> list[list[tuple[datetime, float]]]:
    """Stretches of answered samples with no gap longer than `max_gap` between them."""
    runs: list[list[tuple[datetime, float]]] = []
    previous: datetime | None = None
    for sample in samples:
        latency = sample.http_latency_ms
        if latency is None or sample.state is HealthState.DOWN:
            previous = None
            continue
        if previous is None or sample.taken_at - previous > max_gap or not runs:
            runs.append([])
        runs[-1].append((sample.taken_at, latency))
        previous = sample.taken_at
    return runs


class LatencyChart(QChartView):
    def __init__(self, parent: QWidget | None = None) -> None:
        chart = QChart()
        chart.legend().hide()
        chart.setMargins(QMargins(4, 4, 4, 4))
        super().__init__(chart, parent)
        self.setObjectName("FleetLatencyChart")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(160)
        self.x_axis = QCategoryAxis()
        self.x_axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        self.y_axis = QValueAxis()
        self.y_axis.setLabelFormat("%.0f ms")
        chart.addAxis(self.x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.y_axis, Qt.AlignmentFlag.AlignLeft)
        self.series_count = 0
        self.ticks: list[datetime] = []
        apply_chart_palette(chart, (self.x_axis, self.y_axis))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:  # the theme changed
            apply_chart_palette(self.chart(), (self.x_axis, self.y_axis))
        super().changeEvent(event)

    def set_data(
        self,
        samples: Sequence[HealthSample],
        start: datetime,
        end: datetime,
        max_gap: timedelta,
    ) -> None:
        chart = self.chart()
        chart.removeAllSeries()
        thinned = downsample(list(samples), MAX_POINTS)
        top = 0.0
        runs = latency_runs(thinned, max_gap)
        colour = self.palette().highlight().color()
        for run in runs:
            series = QLineSeries()
            series.setPen(QPen(colour, 1.5))
            series.replace([QPointF(_ms(at), value) for at, value in run])
            top = max(top, max(value for _at, value in run))
            chart.addSeries(series)
            series.attachAxis(self.x_axis)
            series.attachAxis(self.y_axis)
        self.series_count = len(runs)
        self.y_axis.setRange(0.0, max(10.0, top * 1.15))
        for label in list(self.x_axis.categoriesLabels()):
            self.x_axis.remove(label)
        local_start, local_end = shown(start), shown(end)
        self.ticks = round_ticks(local_start, local_end)
        step = self.ticks[1] - self.ticks[0] if len(self.ticks) > 1 else end - start
        used: set[str] = set()
        room = (local_end - local_start) * EDGE_ROOM
        for tick in self.ticks:
            label = tick_label(tick, step)
            if local_end - tick < room:
                continue  # centred on its tick, the label would be cut at the right edge
            if label not in used:  # a category axis needs unique labels
                used.add(label)
                self.x_axis.append(label, _ms(tick))
        self.x_axis.setRange(_ms(start), _ms(end))
        self.x_axis.setStartValue(_ms(start))


class StateTimeline(QWidget):
    """Coloured blocks of state over time; gaps (no data) hatched."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FleetStateTimeline")
        self.setMouseTracking(True)
        self.setMinimumHeight(46)
        self.segments: list[Segment] = []
        self.start: datetime | None = None
        self.end: datetime | None = None
        self.ticks: list[datetime] = []
        self._inset = (0.0, 0.0)  # left and right, to line up with the latency chart's plot

    def sizeHint(self) -> QSize:
        return QSize(600, 52)

    def set_inset(self, left: float, right: float) -> None:
        """Draw time within `[left, width - right]`: the same x as the chart above."""
        self._inset = (max(0.0, left), max(0.0, right))
        self.update()

    def _span(self) -> tuple[float, float]:
        left, right = self._inset
        return left, max(1.0, self.width() - left - right)

    def set_data(self, segments: Sequence[Segment], start: datetime, end: datetime) -> None:
        self.segments = [s for s in segments if s.end > start and s.start < end]
        self.start, self.end = start, end
        self.ticks = round_ticks(shown(start), shown(end))
        self.setAccessibleDescription(self._summary())
        self.update()

    def _summary(self) -> str:
        if not self.segments:
            return self.tr("No data in this range.")
        states = {health_state_label(s.state) for s in self.segments}
        return self.tr("States in this range: {states}").format(states=", ".join(sorted(states)))

    def _x(self, when: datetime, width: float) -> float:
        assert self.start is not None
        assert self.end is not None
        span = (self.end - self.start).total_seconds() or 1.0
        return self._inset[0] + (when - self.start).total_seconds() / span * width

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        offset, width = self._span()
        band = QRectF(offset, 0, width, self.height() - 16)
        painter.fillRect(band, QBrush(QColor("#9e9e9e"), Qt.BrushStyle.BDiagPattern))
        if self.start is None or self.end is None:
            painter.end()
            return
        metrics = painter.fontMetrics()
        for segment in self.segments:
            left = max(band.left(), self._x(segment.start, width))
            right = min(band.right(), self._x(segment.end, width))
            rect = QRectF(left, band.top(), max(1.0, right - left), band.height())
            painter.fillRect(rect, state_colour(segment.state))
            label = health_state_label(segment.state)
            if rect.width() > metrics.horizontalAdvance(label) + 8:
                painter.setPen(QColor("white"))
                painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), label)
        painter.setPen(self.palette().text().color())
        step = self.ticks[1] - self.ticks[0] if len(self.ticks) > 1 else self.end - self.start
        for tick in self.ticks:
            x = self._x(tick, width)
            painter.drawLine(QPointF(x, band.bottom()), QPointF(x, band.bottom() + 3))
            label = tick_label(tick, step)
            if x + 2 + metrics.horizontalAdvance(label) <= self.width():  # never cut
                painter.drawText(QPointF(x + 2, self.height() - 2), label)
        painter.end()

    def segment_at(self, x: float) -> Segment | None:
        if self.start is None or self.end is None or self.width() <= 0:
            return None
        offset, width = self._span()
        when = self.start + (self.end - self.start) * ((x - offset) / width)
        return next((s for s in self.segments if s.start <= when < s.end), None)

    def event(self, event) -> bool:
        if isinstance(event, QHelpEvent):
            segment = self.segment_at(event.pos().x())
            if segment is None:
                text = self.tr("No data: nobody was watching.")
            else:
                text = self.tr("{state} from {start} to {end}").format(
                    state=health_state_label(segment.state),
                    start=datetime_text(segment.start, seconds=True),
                    end=datetime_text(segment.end, seconds=True),
                )
            QToolTip.showText(event.globalPos(), text, self)
            return True
        return super().event(event)

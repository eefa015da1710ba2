"""The health chart: response times as lines, the server's state as a stepped band.

The state band is drawn on its own axis labelled with the state names (healthy at the bottom,
backend down at the top), so an outage reads as a raised block with its name beside it, not as
a colour alone. Time runs along a date-time axis covering the chosen window.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from PySide6.QtCharts import (
    QAreaSeries,
    QCategoryAxis,
    QChart,
    QChartView,
    QDateTimeAxis,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QDateTime, QEvent, QMargins, QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QCursor, QGuiApplication, QPainter, QPalette, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from viva_desktop.services.monitoring.health import (
    HealthSample,
    HealthState,
    severity,
    state_label,
)
from viva_desktop.ui.admin.health_history import downsample
from viva_desktop.ui.common.chart_palette import apply_chart_palette
from viva_desktop.ui.common.formatting import number_text
from viva_desktop.ui.common.retranslate import Retranslating
from viva_desktop.ui.common.timefmt import shown, time_format, zone_label

MAX_POINTS = 1500
_STATES_BY_LEVEL = sorted(HealthState, key=severity)


def _ms(when: datetime) -> float:
    """`when` as the time axis places it. `QDateTimeAxis` labels in this computer's zone; the
    value is shifted so that its labels read the wall time of the zone chosen in the settings,
    like every other time on screen (no shift when that is this computer's zone)."""
    wall = shown(when).replace(tzinfo=None)
    return wall.timestamp() * 1000.0  # a naive time is read as this computer's


def state_steps(
    samples: Sequence[HealthSample], end: datetime, max_gap: timedelta
) -> list[QPointF]:
    """Points of a step line of the states' severities: each state holds until the next
    sample, at most `max_gap` (then the band drops: nobody was watching)."""
    points: list[QPointF] = []
    for index, sample in enumerate(samples):
        level = float(severity(sample.state))
        following = samples[index + 1].taken_at if index + 1 < len(samples) else end
        hold_until = min(following, sample.taken_at + max_gap, max(end, sample.taken_at))
        points.append(QPointF(_ms(sample.taken_at), level))
        points.append(QPointF(_ms(hold_until), level))
        if hold_until < following:
            points.append(QPointF(_ms(hold_until), 0.0))
            if index + 1 < len(samples):
                points.append(QPointF(_ms(following), 0.0))
    return points


class HealthChart(Retranslating, QChartView):
    def __init__(self, parent: QWidget | None = None) -> None:
        chart = QChart()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setMargins(QMargins(4, 4, 4, 4))
        super().__init__(chart, parent)
        self.setObjectName("HealthChart")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(260)

        self.state_line = QLineSeries()
        self.state_area = QAreaSeries(self.state_line)
        self.latency_series = QLineSeries()
        self.db_latency_series = QLineSeries()

        self.axis_time = QDateTimeAxis()
        self.axis_latency = QValueAxis()
        self.axis_latency.setLabelFormat("%.0f")
        self.axis_latency.setMin(0)
        self.axis_state = QCategoryAxis()
        self.axis_state.setLabelsPosition(
            QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue
        )
        self.axis_state.setRange(-0.25, float(len(_STATES_BY_LEVEL)) - 0.5)
        self.axis_state.setGridLineVisible(False)

        chart.addSeries(self.state_area)
        chart.addSeries(self.latency_series)
        chart.addSeries(self.db_latency_series)
        chart.addAxis(self.axis_time, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.axis_latency, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(self.axis_state, Qt.AlignmentFlag.AlignRight)
        self.state_area.attachAxis(self.axis_time)
        self.state_area.attachAxis(self.axis_state)
        for series in (self.latency_series, self.db_latency_series):
            series.attachAxis(self.axis_time)
            series.attachAxis(self.axis_latency)
            series.hovered.connect(self._hovered)

        self._window = timedelta(hours=1)
        self.apply_palette()
        self.retranslate()
        self.set_samples([], datetime.now().astimezone(), timedelta(hours=1), timedelta(minutes=10))

    # ------------------------------------------------------------------ texts and colours

    def retranslate(self) -> None:
        self.latency_series.setName(self.tr("Response time (ms)"))
        self.db_latency_series.setName(self.tr("Database SELECT 1 (ms)"))
        self.state_area.setName(self.tr("Server state"))
        self.axis_latency.setTitleText(self.tr("Milliseconds"))
        self.setAccessibleName(self.tr("Health chart: response time and server state"))
        self._describe()
        for label in list(self.axis_state.categoriesLabels()):
            self.axis_state.remove(label)
        short = {
            HealthState.HEALTHY: self.tr("Healthy"),
            HealthState.UNKNOWN: self.tr("Unknown"),
            HealthState.DEGRADED: self.tr("Degraded"),
            HealthState.UNHEALTHY: self.tr("Unhealthy"),
            HealthState.DOWN: self.tr("Down"),
        }
        for level, state in enumerate(_STATES_BY_LEVEL):
            self.axis_state.append(short[state], float(level))

    def apply_palette(self) -> None:
        palette = QGuiApplication.palette()
        apply_chart_palette(self.chart(), (self.axis_time, self.axis_latency, self.axis_state))
        band = QColor("#c0392b")
        band.setAlpha(70)
        self.state_area.setBrush(QBrush(band))
        self.state_area.setPen(QPen(QColor("#c0392b"), 1.2))
        self.latency_series.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2))
        self.db_latency_series.setPen(QPen(QColor("#7a6fc4"), 1.5, Qt.PenStyle.DashLine))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self.apply_palette()
        super().changeEvent(event)  # `Retranslating` handles the language change

    # ------------------------------------------------------------------ data

    def set_samples(
        self,
        samples: Sequence[HealthSample],
        end: datetime,
        window: timedelta,
        max_gap: timedelta,
    ) -> None:
        """Plot `samples` (oldest first) over `[end - window, end]`."""
        self._window = window
        start = end - window
        shown = downsample([s for s in samples if s.taken_at >= start], MAX_POINTS)
        self.state_line.replace(state_steps(shown, end, max_gap))
        self.latency_series.replace(
            [
                QPointF(_ms(s.taken_at), s.http_latency_ms)
                for s in shown
                if s.http_latency_ms is not None
            ]
        )
        self.db_latency_series.replace(
            [
                QPointF(_ms(s.taken_at), float(s.db_latency_ms))
                for s in shown
                if s.db_latency_ms is not None
            ]
        )
        # Sparse samples read better as dots, and a lone sample is only a dot: big enough to
        # be seen, and away from the right edge (below) so it is not cut in half.
        few = len(shown) <= 120
        marker = 8.0 if len(shown) <= 10 else 6.0
        for series in (self.latency_series, self.db_latency_series):
            series.setPointsVisible(few)
            series.setMarkerSize(marker)
        peak = max(
            [s.http_latency_ms or 0.0 for s in shown]
            + [float(s.db_latency_ms or 0) for s in shown],
            default=0.0,
        )
        self.axis_latency.setRange(0.0, max(10.0, peak * 1.15))
        self.axis_latency.applyNiceNumbers()
        clock = time_format()  # the UI language's, as every other time on screen
        self.axis_time.setFormat(clock if window <= timedelta(days=1) else f"d MMM {clock}")
        self.axis_time.setTickCount(7)
        margin = window / 40
        self.axis_time.setRange(
            QDateTime.fromMSecsSinceEpoch(int(_ms(start))),
            QDateTime.fromMSecsSinceEpoch(int(_ms(end + margin))),
        )
        self._shown = shown
        self._describe()

    def _describe(self) -> None:
        """The chart's text alternative (accessible description and tooltip): how many samples,
        the response times, and the states met."""
        shown = getattr(self, "_shown", [])
        if not shown:
            text = self.tr("No health samples in this period.")
        else:
            latencies = [s.http_latency_ms for s in shown if s.http_latency_ms is not None]
            states = sorted({s.state for s in shown}, key=_STATES_BY_LEVEL.index)
            text = self.tr("%n sample(s)", "", len(shown))
            if latencies:
                text += ". " + self.tr("Response time from {low} to {high} ms").format(
                    low=round(min(latencies)), high=round(max(latencies))
                )
            text += ". " + self.tr("States: {states}").format(
                states=", ".join(state_label(s) for s in states)
            )
            text += "."
        self.setAccessibleDescription(text)

    def _hovered(self, point: QPointF, inside: bool) -> None:
        if not inside:
            QToolTip.hideText()
            return
        when = QDateTime.fromMSecsSinceEpoch(int(point.x()))
        clock = time_format(seconds=True)
        fmt = clock if self._window <= timedelta(days=1) else f"d MMM {clock}"
        zone = zone_label()
        stamp = f"{when.toString(fmt)} {zone}" if zone else when.toString(fmt)
        QToolTip.showText(QCursor.pos(), f"{stamp} · {number_text(round(point.y()), 'ms')}", self)

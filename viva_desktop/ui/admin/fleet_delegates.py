"""Painted cells of the fleet table: the heartbeat bar (one slim block per check, coloured and
sized by state, so it also reads without colour) and the latency sparkline."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from viva_desktop.services.monitoring.health import HealthState, severity
from viva_desktop.ui.models.fleet_model import HEARTBEATS, LATENCIES

STATE_COLOURS = {
    HealthState.HEALTHY: QColor("#2e7d32"),
    HealthState.DEGRADED: QColor("#f9a825"),
    HealthState.UNHEALTHY: QColor("#c62828"),
    HealthState.DOWN: QColor("#6a1b9a"),
    HealthState.UNKNOWN: QColor("#9e9e9e"),
}
SLOTS = 50

Index = QModelIndex | QPersistentModelIndex


def state_colour(state: HealthState | None) -> QColor:
    return (
        STATE_COLOURS.get(state, STATE_COLOURS[HealthState.UNKNOWN]) if state else QColor("#9e9e9e")
    )


class HeartbeatDelegate(QStyledItemDelegate):
    """The last 50 checks, newest on the right; bad checks are taller than good ones."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        self._background(painter, option)
        states = index.data(HEARTBEATS) or []
        rect = QRectF(option.rect).adjusted(4, 4, -4, -4)
        if rect.width() <= 0 or rect.height() <= 0:
            return
        step = rect.width() / SLOTS
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(Qt.PenStyle.NoPen)
        offset = SLOTS - len(states)
        for position, state in enumerate(states[-SLOTS:]):
            level = severity(state)
            height = rect.height() * (0.55 if level == 0 else 1.0)
            block = QRectF(
                rect.left() + (offset + position) * step + 0.5,
                rect.bottom() - height,
                max(1.0, step - 1.0),
                height,
            )
            painter.setBrush(state_colour(state))
            painter.drawRect(block)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(SLOTS * 4 + 8, 22)

    @staticmethod
    def _background(painter: QPainter, option: QStyleOptionViewItem) -> None:
        style = option.widget.style() if option.widget is not None else None
        if style is not None:
            plain = QStyleOptionViewItem(option)
            plain.text = ""
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, plain, painter, option.widget)


class SparklineDelegate(QStyledItemDelegate):
    """Response times of the last 50 checks as a line, with the latest value as text."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        HeartbeatDelegate._background(painter, option)
        values = [v for v in (index.data(LATENCIES) or [])][-SLOTS:]
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        rect = QRectF(option.rect).adjusted(4, 3, -4, -3)
        text_width = option.fontMetrics.horizontalAdvance(text) + 6
        plot = QRectF(rect.left(), rect.top(), max(0.0, rect.width() - text_width), rect.height())
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        known = [v for v in values if v is not None]
        if known and plot.width() > 4:
            top = max(known) or 1.0
            step = plot.width() / max(1, SLOTS - 1)
            offset = SLOTS - len(values)
            path = QPainterPath()
            started = False
            for position, value in enumerate(values):
                if value is None:
                    started = False  # no answer: a gap in the line
                    continue
                point = QPointF(
                    plot.left() + (offset + position) * step,
                    plot.bottom() - (value / top) * plot.height(),
                )
                if started:
                    path.lineTo(point)
                else:
                    path.moveTo(point)
                    started = True
            painter.setPen(QPen(option.palette.highlight().color(), 1.3))
            painter.drawPath(path)
        painter.setPen(option.palette.text().color())
        painter.drawText(
            QRectF(rect.right() - text_width, rect.top(), text_width, rect.height()),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            text,
        )
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(120, 22)

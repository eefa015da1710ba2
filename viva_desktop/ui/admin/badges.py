"""States shown by shape and word as well as colour: icons for health states, check outcomes,
finding severities and yes/no answers, and the state badge (icon + coloured chip)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from viva_desktop.services.admin.smoke import Outcome
from viva_desktop.services.common.report import Severity
from viva_desktop.services.monitoring.health import HealthState
from viva_desktop.services.monitoring.health import state_label as health_state_label
from viva_desktop.ui.common.icons import icon

_STATE_ICONS = {
    HealthState.HEALTHY: "check",
    HealthState.DEGRADED: "warning",
    HealthState.UNHEALTHY: "error",
    HealthState.DOWN: "offline",
    HealthState.UNKNOWN: "question",
}
_OUTCOME_ICONS = {
    Outcome.PASS: "check",
    Outcome.FAIL: "error",
    Outcome.SKIPPED: "skipped",
    Outcome.ERROR: "warning",
}
_SEVERITY_ICONS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"}


def state_icon(state: HealthState | None) -> QIcon:
    return icon(_STATE_ICONS.get(state, "question") if state is not None else "question")


def outcome_icon(outcome: Outcome) -> QIcon:
    return icon(_OUTCOME_ICONS[outcome])


def outcome_label(outcome: Outcome) -> str:
    labels = {
        Outcome.PASS: QCoreApplication.translate("Outcome", "Passed"),
        Outcome.FAIL: QCoreApplication.translate("Outcome", "Failed"),
        Outcome.SKIPPED: QCoreApplication.translate("Outcome", "Skipped"),
        Outcome.ERROR: QCoreApplication.translate("Outcome", "Error"),
    }
    return labels[outcome]


def severity_icon(severity: Severity) -> QIcon:
    return icon(_SEVERITY_ICONS[severity])


def severity_label(severity: Severity) -> str:
    labels = {
        Severity.ERROR: QCoreApplication.translate("Severity", "Error"),
        Severity.WARNING: QCoreApplication.translate("Severity", "Warning"),
        Severity.INFO: QCoreApplication.translate("Severity", "Note"),
    }
    return labels[severity]


def yes_no_icon(value: bool) -> QIcon:
    return icon("check" if value else "skipped")


def yes_no_text(value: bool) -> str:
    return (
        QCoreApplication.translate("YesNo", "yes")
        if value
        else QCoreApplication.translate("YesNo", "no")
    )


class StateBadge(QWidget):
    """A health state as icon plus a coloured chip with its name (the style sheets colour
    `QLabel#StateChip[state=...]`)."""

    def __init__(self, parent: QWidget | None = None, *, icon_size: int = 22) -> None:
        super().__init__(parent)
        self._icon_size = icon_size
        self.state: HealthState | None = None
        self.icon_label = QLabel()
        self.icon_label.setFixedSize(QSize(icon_size, icon_size))
        self.chip = QLabel()
        self.chip.setObjectName("StateChip")
        self.chip.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.icon_label)
        layout.addWidget(self.chip)
        self.set_state(None)

    def set_state(self, state: HealthState | None, text: str | None = None) -> None:
        """Show `state`; `text` replaces the state's name (e.g. "Not checked" for None)."""
        self.state = state
        label = text if text is not None else (health_state_label(state) if state else "")
        self.chip.setText(label)
        self.chip.setProperty("state", state.value if state is not None else "unknown")
        self.chip.style().unpolish(self.chip)
        self.chip.style().polish(self.chip)
        self._paint_icon()
        self.setToolTip(label)
        # A screen reader reads the state, not an icon and a coloured box.
        name = label or QCoreApplication.translate("StateBadge", "Not checked yet")
        self.setAccessibleName(
            QCoreApplication.translate("StateBadge", "Server state: {state}").format(state=name)
        )

    def _paint_icon(self) -> None:
        self.icon_label.setPixmap(state_icon(self.state).pixmap(self._icon_size, self._icon_size))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._paint_icon()  # a pixmap keeps the colour it was drawn in: redraw for the theme

    def text(self) -> str:
        return self.chip.text()

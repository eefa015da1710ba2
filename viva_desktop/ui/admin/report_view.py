"""`AuditReportView`: any `AuditReport` (the app's settings, a server's `.env`) shown the same
way: a headline with the counts, the summary as yes/no items, and the findings with severity
icon, setting, message and advice."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from viva_desktop.services.common.i18n import retranslated_text
from viva_desktop.services.common.report import AuditReport, Severity
from viva_desktop.ui.admin.badges import (
    severity_icon,
    severity_label,
    yes_no_icon,
    yes_no_text,
)
from viva_desktop.ui.browser.cells import install_cell_delegate
from viva_desktop.ui.common.icons import icon

SUMMARY_COLUMNS = 4  # at most; fewer when the texts (longer in Spanish) need the room
ICON_SIZE = 18


class AuditReportView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report: AuditReport | None = None
        self._labels: Mapping[str, str] = {}
        self._value_texts: dict[str, tuple[str, str]] = {}
        self.headline_icon = QLabel()
        self.headline = QLabel()
        self.headline.setObjectName("Headline")
        self.headline.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.headline_icon)
        top.addWidget(self.headline, 1)

        self.summary = QWidget()
        self.summary_grid = QGridLayout(self.summary)
        self.summary_grid.setContentsMargins(0, 0, 0, 0)
        # The grid's columns follow the width (`_arrange_summary`), so its minimum must not
        # hold the window wide.
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.summary_items: dict[str, tuple[QWidget, QLabel]] = {}
        self._summary_columns = 0

        self.findings = QTableWidget(0, 4)
        self.findings.setObjectName("FindingsTable")
        self.findings.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.findings.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.findings.setWordWrap(True)
        self.findings.setAlternatingRowColors(True)
        install_cell_delegate(self.findings)
        self.findings.verticalHeader().hide()
        header = self.findings.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.findings, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.findings.setAccessibleName(self.tr("Findings"))
        self.findings.setHorizontalHeaderLabels(
            [self.tr("Severity"), self.tr("Setting"), self.tr("Problem"), self.tr("What to do")]
        )
        if self.report is not None:
            self.show_report(self.report, self._labels, self._value_texts)

    def set_key_title(self, title: str) -> None:
        """The second column's title ("Setting" or "Variable")."""
        item = self.findings.horizontalHeaderItem(1)
        if item is not None:
            item.setText(title)

    def show_report(
        self,
        report: AuditReport,
        labels: Mapping[str, str],
        value_texts: Mapping[str, tuple[str, str]] | None = None,
    ) -> None:
        """Show `report`; `labels` names the summary's keys for people, in display order;
        `value_texts` says (true, false) for a key where "yes"/"no" would claim too much
        (a variable that is set is "configured", not a working service)."""
        self.report = report
        self._labels = labels
        self._value_texts = dict(value_texts or {})
        errors, warnings = len(report.errors), len(report.warnings)
        self.headline_icon.setPixmap(icon(self._headline_glyph()).pixmap(24, 24))
        if not errors and not warnings:
            self.headline.setText(self.tr("No problems found."))
        else:
            self.headline.setText(
                self.tr("{errors} · {warnings}").format(
                    errors=self.tr("%n error(s)", "", errors),
                    warnings=self.tr("%n warning(s)", "", warnings),
                )
            )
        self._show_summary(report.summary, labels)
        order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
        findings = sorted(report.findings, key=lambda f: order[f.severity])
        self.findings.setRowCount(len(findings))
        for row, finding in enumerate(findings):
            severity = QTableWidgetItem(
                severity_icon(finding.severity), severity_label(finding.severity)
            )
            severity.setData(Qt.ItemDataRole.UserRole, finding.severity.value)
            cells = [
                severity,
                QTableWidgetItem(finding.key),
                QTableWidgetItem(retranslated_text(finding.message)),
                QTableWidgetItem(retranslated_text(finding.advice)),
            ]
            for column, item in enumerate(cells):
                item.setToolTip(item.text())
                self.findings.setItem(row, column, item)
        self.findings.resizeRowsToContents()

    def _headline_glyph(self) -> str:
        report = self.report
        if report is None or not (report.errors or report.warnings):
            return "check"
        return "error" if report.errors else "warning"

    def clear(self) -> None:
        self.report = None
        self.headline.setText("")
        self.headline_icon.clear()
        self._show_summary({}, {})
        self.findings.setRowCount(0)

    def _show_summary(self, summary: Mapping[str, bool], labels: Mapping[str, str]) -> None:
        for cell, _text in self.summary_items.values():
            self.summary_grid.removeWidget(cell)
            cell.deleteLater()
        self.summary_items = {}
        keys = [k for k in labels if k in summary] + [k for k in summary if k not in labels]
        for key in keys:
            value = bool(summary[key])
            cell = QWidget()
            cell.setObjectName("SummaryItem")
            row_layout = QHBoxLayout(cell)
            row_layout.setContentsMargins(0, 0, 12, 0)
            row_layout.setSpacing(6)
            icon_label = QLabel()
            icon_label.setObjectName("SummaryIcon")
            icon_label.setFixedSize(ICON_SIZE, ICON_SIZE)
            icon_label.setPixmap(yes_no_icon(value).pixmap(ICON_SIZE, ICON_SIZE))
            icon_label.setProperty("summaryValue", value)
            words = self._value_texts.get(key)
            shown = (words[0] if value else words[1]) if words else yes_no_text(value)
            text_label = QLabel(f"{labels.get(key, key)}: {shown}")
            text_label.setProperty("summaryValue", value)
            row_layout.addWidget(icon_label, 0, Qt.AlignmentFlag.AlignVCenter)
            row_layout.addWidget(text_label, 1)
            self.summary_items[key] = (cell, text_label)
        self._summary_columns = 0
        self._arrange_summary()

    def _arrange_summary(self) -> None:
        """As many columns as fit the width (at most `SUMMARY_COLUMNS`), each item's icon
        right before its own text, reading left to right, then down."""
        cells = [cell for cell, _text in self.summary_items.values()]
        if not cells:
            return
        widest = max(cell.sizeHint().width() for cell in cells)
        spacing = max(0, self.summary_grid.horizontalSpacing())
        room = self.contentsRect().width()
        columns = max(1, min(SUMMARY_COLUMNS, (room + spacing) // (widest + spacing)))
        if columns == self._summary_columns:
            return
        self._summary_columns = columns
        for cell in cells:
            self.summary_grid.removeWidget(cell)
        for index, cell in enumerate(cells):
            row, column = divmod(index, columns)
            self.summary_grid.addWidget(cell, row, column)
        for column in range(SUMMARY_COLUMNS):
            self.summary_grid.setColumnStretch(column, 1 if column < columns else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange_summary()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._repaint_icons()

    def _repaint_icons(self) -> None:
        """Pixmaps keep the colours they were drawn in: draw them again for a new theme."""
        for cell, text_label in self.summary_items.values():
            glyph = cell.findChild(QLabel, "SummaryIcon")
            if glyph is not None:
                value = bool(text_label.property("summaryValue"))
                glyph.setPixmap(yes_no_icon(value).pixmap(ICON_SIZE, ICON_SIZE))
        if self.report is not None:
            self.headline_icon.setPixmap(icon(self._headline_glyph()).pixmap(24, 24))

    def summary_text(self, key: str) -> str:
        return self.summary_items[key][1].text()

    def rows(self) -> list[tuple[str, str, str, str]]:
        """(severity, key, message, advice) of every row, as shown (for tests and copying)."""
        return [
            (
                self.findings.item(row, 0).data(Qt.ItemDataRole.UserRole),
                self.findings.item(row, 1).text(),
                self.findings.item(row, 2).text(),
                self.findings.item(row, 3).text(),
            )
            for row in range(self.findings.rowCount())
        ]

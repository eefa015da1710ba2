"""Reports: a community's (or every community's) activity over a period, from the local copy.

Choose the community and the period, preview the summary, figures, tables and charts, then
export one self-contained HTML file, an A4 PDF (community and period on every page, page
numbers) or print. The report is counted on a worker thread; the charts and pages are drawn
on the GUI thread (Qt's drawing classes live there) and the file is written by a worker.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viva_desktop.rendering.document import date_text, locale_for
from viva_desktop.rendering.files import atomic_write, html_text, pdf_bytes, text_document
from viva_desktop.services.local.store import accounts
from viva_desktop.services.reports import (
    ActivityReport,
    CommunityChoice,
    Period,
    build_report,
    communities_of,
)
from viva_desktop.ui.common.changes import DataChanges, data_changes_of
from viva_desktop.ui.common.context import AppContext
from viva_desktop.ui.common.icons import icon
from viva_desktop.ui.common.worker import TaskHandle, run_task
from viva_desktop.ui.pages.base import Page
from viva_desktop.ui.reports.period_picker import PeriodPicker
from viva_desktop.ui.reports.preview import ReportPreview

ALL = ""  # the community box's "All communities"


def make_report(
    store: Any,
    profile: str,
    account: str | None,
    community: CommunityChoice | None,
    period: Period,
    account_label: str,
    language: str,
) -> ActivityReport:
    """Count the report (worker thread)."""
    locale = locale_for(language)
    if account and account_label in ("", account):  # offline review: name it by its e-mail
        account_label = accounts.labels(store, profile).get(account, account_label)
    return build_report(
        store,
        profile,
        account,
        community,
        period,
        account_label=account_label,
        language=language,
        date_text=lambda day: date_text(locale, day),
    )


class ReportsPage(Page):
    report_ready = Signal(object)  # ActivityReport
    exported = Signal(object)  # Path

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.report: ActivityReport | None = None
        self._communities: list[CommunityChoice] = []
        self._loading = False
        self.title = QLabel()
        self.title.setObjectName("PageTitle")
        self.community = QComboBox()
        self.community.setObjectName("ReportCommunity")
        self.community.setMinimumContentsLength(20)
        self.period = PeriodPicker()
        self.preview_button = QPushButton(icon("refresh"), "")
        self.preview_button.setObjectName("ReportPreviewButton")
        self.html_button = QPushButton(icon("export"), "")
        self.pdf_button = QPushButton(icon("export"), "")
        self.print_button = QPushButton("")
        self.status = QLabel()
        self.status.setObjectName("Muted")
        self.status.setWordWrap(True)
        self.preview = ReportPreview()

        controls = QHBoxLayout()
        self.community_label = QLabel()
        self.community_label.setBuddy(self.community)
        controls.addWidget(self.community_label)
        controls.addWidget(self.community, 1)
        controls.addWidget(self.period)
        controls.addWidget(self.preview_button)
        controls.addStretch(1)
        outputs = QHBoxLayout()
        outputs.addWidget(self.status, 1)
        outputs.addWidget(self.html_button)
        outputs.addWidget(self.pdf_button)
        outputs.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(controls)
        layout.addLayout(outputs)
        layout.addWidget(self.preview, 1)

        self.preview_button.clicked.connect(self.build)
        self.html_button.clicked.connect(lambda: self.export_html())
        self.pdf_button.clicked.connect(lambda: self.export_pdf())
        self.print_button.clicked.connect(self.print_report)
        context.profile_changed.connect(lambda *_: self.refresh())
        context.scope_changed.connect(lambda *_: self._forget())
        # A sync that brought communities: the list follows.
        data_changes_of(context).changed.connect(self._data_changed)
        self._first_preview_done = False
        self._latest_build: object | None = None
        self._counting = False  # a report is being counted (a language switch counts it again)
        self.retranslate()
        self._update_buttons()
        self.refresh()

    def activate(self) -> None:
        """The first time the page is shown, count the default report (all communities, the
        last year) so the page opens on something to read rather than empty panes."""
        super().activate()
        if not self._first_preview_done and self.context.store is not None:
            self._first_preview_done = True
            self.build()

    # ------------------------------------------------------------------ reading

    def refresh(self) -> None:
        """Read the communities of the local copy again (F5)."""
        store, profile = self.context.store, self.context.profile_name
        if store is None or profile is None:
            self._show_communities([])
            return
        self._loading = True
        run_task(
            communities_of,
            store,
            profile,
            on_done=self._show_communities,
            on_error=self._failed,
            parent=self,
            name="report communities",
        )

    def _data_changed(self, entities: frozenset[str]) -> None:
        if DataChanges.touches(entities, "communities"):
            self.refresh()

    def is_loading(self) -> bool:
        return self._loading

    def _show_communities(self, found: list[CommunityChoice]) -> None:
        self._loading = False
        chosen = self.community.currentData()
        self._communities = found
        self.community.blockSignals(True)
        self.community.clear()
        self.community.addItem(self.tr("All communities"), ALL)
        for choice in found:
            self.community.addItem(choice.name, choice.id)
        index = self.community.findData(chosen) if chosen else 0
        self.community.setCurrentIndex(max(0, index))
        self.community.blockSignals(False)
        self._update_buttons()

    def select_community(self, name_or_id: str) -> bool:
        for index in range(self.community.count()):
            if name_or_id in (self.community.itemText(index), self.community.itemData(index)):
                self.community.setCurrentIndex(index)
                return True
        return False

    def chosen_community(self) -> CommunityChoice | None:
        wanted = self.community.currentData()
        return next((c for c in self._communities if c.id == wanted), None)

    def language(self) -> str:
        return "es" if QLocale().language() == QLocale.Language.Spanish else "en"

    def build(self) -> TaskHandle | None:
        """Count the report for the chosen community and period, then preview it."""
        store, profile = self.context.store, self.context.profile_name
        if store is None or profile is None:
            self.status.setText(self.tr("Choose a server and synchronise it first."))
            return None
        info = self.context.session_info
        account = self.context.scope_account
        label = (info.email if info is not None and info.email else None) or account or ""
        self._loading = True
        self._update_buttons()
        self.status.setText(self.tr("Counting…"))
        # Only the newest request is shown: an earlier count still running (the first
        # preview, a language change) must not replace the one asked for last.
        latest = self._latest_build = object()
        self._counting = True

        def show_if_latest(report: ActivityReport) -> None:
            if latest is self._latest_build:
                self._show_report(report)

        return run_task(
            make_report,
            store,
            profile,
            account,
            self.chosen_community(),
            self.period.period(),
            label,
            self.language(),
            on_done=show_if_latest,
            on_error=self._failed,
            parent=self,
            name="activity report",
        )

    def _show_report(self, report: ActivityReport) -> None:
        self._loading = self._counting = False
        self.report = report
        self.preview.show_report(report)
        self.status.setText(
            self.tr("Made at {time} from the local copy.").format(
                time=QLocale().toString(
                    report.generated_at.astimezone().time(), QLocale.FormatType.ShortFormat
                )
            )
        )
        self._update_buttons()
        self.report_ready.emit(report)

    def _failed(self, exc: BaseException) -> None:
        self._loading = self._counting = False
        self.status.setText("")
        self._update_buttons()
        self.context.report_error(exc, parent=self)

    def _forget(self) -> None:
        self.report = None
        self._show_placeholder()
        self._update_buttons()

    def _show_placeholder(self) -> None:
        self.preview.set_placeholder(
            self.tr(
                "Choose a community and a period, then Preview. The report is counted from "
                "the local copy, so it also works offline; Export HTML…, Export PDF… and "
                "Print… then write it out."
            )
        )

    # ------------------------------------------------------------------ output

    def _ask(self, suffix: str, title: str, kinds: str) -> Path | None:
        report = self.report
        assert report is not None
        name = f"{report.community_name}-{report.period.first}-{report.period.last}{suffix}"
        chosen, _filter = QFileDialog.getSaveFileName(
            self, title, str(Path.home() / name.replace(" ", "-")), kinds
        )
        if not chosen:
            return None
        path = Path(chosen)
        return path if path.suffix else path.with_suffix(suffix)

    def export_html(self, path: Path | str | None = None) -> TaskHandle | None:
        """One self-contained HTML file, charts embedded."""
        return self._export(
            path,
            ".html",
            lambda: (self.tr("Export the report as HTML"), self.tr("HTML files (*.html)")),
            lambda report: html_text(report).encode("utf-8"),
        )

    def export_pdf(self, path: Path | str | None = None) -> TaskHandle | None:
        """An A4 PDF with the community and period on every page and page numbers."""
        return self._export(
            path,
            ".pdf",
            lambda: (self.tr("Export the report as PDF"), self.tr("PDF files (*.pdf)")),
            lambda report: pdf_bytes(report)[0],
        )

    def _export(
        self,
        path: Path | str | None,
        suffix: str,
        dialog_texts: Callable[[], tuple[str, str]],
        render: Callable[[ActivityReport], bytes],
    ) -> TaskHandle | None:
        """Render the report on the GUI thread (Qt drawing) and write it on a worker; `path`
        skips the file dialog."""
        if self.report is None:
            return None
        target = Path(path) if path else self._ask(suffix, *dialog_texts())
        if target is None:
            return None
        return self._write(target, render(self.report))

    def _write(self, target: Path, data: bytes) -> TaskHandle:
        return run_task(
            atomic_write,
            target,
            data,
            on_done=lambda _none: self._written(target),
            on_error=self._failed,
            parent=self,
            name="write report",
        )

    def _written(self, target: Path) -> None:
        self.status.setText(self.tr("Saved to {file}.").format(file=str(target)))
        self.exported.emit(target)

    def print_report(self) -> None:
        if self.report is None:
            return
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        from viva_desktop.rendering.files import paint_pages

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
        paint_pages(self.report, printer, text_document(self.report))

    def _update_buttons(self) -> None:
        ready = self.report is not None and not self._loading
        for button in (self.html_button, self.pdf_button, self.print_button):
            button.setEnabled(ready)
        self.preview_button.setEnabled(not self._loading)

    # ------------------------------------------------------------------ language

    def retranslate(self) -> None:
        self.title.setText(self.tr("Reports"))
        self.community_label.setText(self.tr("&Community:"))
        self.community.setAccessibleName(self.tr("Community"))
        if self.community.count():
            self.community.setItemText(0, self.tr("All communities"))
        self.period.retranslate()
        self.preview_button.setText(self.tr("Preview"))
        self.preview_button.setToolTip(self.tr("Count the report from the local copy."))
        self.html_button.setText(self.tr("Export HTML…"))
        self.html_button.setToolTip(self.tr("One self-contained HTML file, charts included."))
        self.pdf_button.setText(self.tr("Export PDF…"))
        self.pdf_button.setToolTip(self.tr("A4, with page numbers."))
        self.print_button.setText(self.tr("Print…"))
        for button in (self.preview_button, self.html_button, self.pdf_button, self.print_button):
            button.setAccessibleName(button.text().replace("…", "").replace("&", ""))
        self.preview.retranslate()
        if self.report is not None or self._counting:
            self.build()  # the summary and tables in the new language (also one being counted)
        elif not self._loading:
            self._show_placeholder()

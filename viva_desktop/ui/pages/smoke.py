"""Smoke checks & audit: the command line's smoke checks and hardening audit, in a window.

The server defaults to the active profile's; an account is optional (the password is used for
this run only and never stored); read-only is on by default for anything but the sandbox, so
pointing the page at production writes nothing. The run goes through the worker and can be
cancelled; each check appears the moment it completes (pass, fail, skipped or error, with its
evidence and advice), and the report saves as text, JUnit XML or JSON. No login is needed: the
checks use their own plain HTTP client, never the app's session.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from viva_desktop.services.admin.smoke import (
    Category,
    CheckResult,
    Outcome,
    SmokeOptions,
    SmokeReport,
    planned_checks,
    run_smoke,
)
from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.services.common.i18n import retranslated_text, translate
from viva_desktop.ui.admin.badges import outcome_icon, outcome_label
from viva_desktop.ui.admin.files import with_suffix_if_missing, write_text
from viva_desktop.ui.admin.log_links import ensure_log_links
from viva_desktop.ui.browser.cells import install_cell_delegate
from viva_desktop.ui.browser.empty_state import EmptyState
from viva_desktop.ui.common.context import AppContext
from viva_desktop.ui.common.formatting import number_text
from viva_desktop.ui.common.icons import icon
from viva_desktop.ui.common.layouts import vertical_split
from viva_desktop.ui.common.worker import TaskHandle, run_task
from viva_desktop.ui.pages.base import Page

log = logging.getLogger("viva.ui.smoke")

REPORT_FORMATS = ("text", "junit", "json")
_SUFFIXES = {"text": ".txt", "junit": ".xml", "json": ".json"}


def report_text(report: SmokeReport, fmt: str) -> str:
    if fmt == "junit":
        return report.to_junit_xml()
    if fmt == "json":
        return report.to_json()
    return report.to_text()


def was_cancelled(result: CheckResult) -> bool:
    """A check the runner skipped because the run was cancelled before it."""
    return result.outcome is Outcome.SKIPPED and result.evidence == translate("Smoke", "Cancelled.")


def format_for_path(path: str) -> str:
    suffix = Path(path).suffix.lower()
    return {".xml": "junit", ".json": "json"}.get(suffix, "text")


def save_report(report: SmokeReport, path: str, fmt: str) -> str:
    """Write the report (worker thread); returns the path written."""
    return str(write_text(path, report_text(report, fmt)))


class _ResultPipe(QObject):
    """Carries every finished check to the GUI thread. The worker's own progress channel keeps
    only the latest value; here each result must arrive, in order."""

    result = Signal(object)

    def post(self, result: CheckResult) -> None:
        """Called on the worker thread."""
        with contextlib.suppress(RuntimeError):  # the page is gone: the run ends unseen
            self.result.emit(result)


class SmokePage(Page):
    result_added = Signal(object)  # CheckResult, as it completes
    run_finished = Signal(object)  # SmokeReport
    report_saved = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("SmokePage")
        ensure_log_links(context)  # "Show in logs" in error dialogs
        self.report: SmokeReport | None = None
        self.results: list[CheckResult] = []
        self._task: TaskHandle | None = None
        self._url_edited = False
        self._read_only_chosen = False
        self._status: Callable[[], str] | None = None  # says the summary line again
        self._total = len(planned_checks())
        self._pipe = _ResultPipe(self)
        self._pipe.result.connect(self._add_result, Qt.ConnectionType.QueuedConnection)

        self.title = QLabel()
        self.title.setObjectName("PageTitle")
        self.intro = QLabel()
        self.intro.setObjectName("Muted")
        self.intro.setWordWrap(True)

        self.server_edit = QLineEdit()
        self.server_edit.setClearButtonEnabled(True)
        self.server_edit.textEdited.connect(self._server_edited)
        self.server_edit.textChanged.connect(self._server_changed)
        self.use_profile_button = QPushButton(icon("server"), "")
        self.use_profile_button.clicked.connect(self.use_active_profile)
        server_row = QHBoxLayout()
        server_row.addWidget(self.server_edit, 1)
        server_row.addWidget(self.use_profile_button)
        self.email_edit = QLineEdit()
        self.email_edit.setClearButtonEnabled(True)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        account_row = QHBoxLayout()
        account_row.addWidget(self.email_edit, 1)
        account_row.addWidget(self.password_edit, 1)
        self.read_only_box = QCheckBox()
        self.read_only_box.setChecked(True)
        self.read_only_box.clicked.connect(self._read_only_clicked)
        self.form = QFormLayout()
        self.server_label, self.account_label = QLabel(), QLabel()
        self.form.addRow(self.server_label, server_row)
        self.form.addRow(self.account_label, account_row)
        self.form.addRow("", self.read_only_box)

        self.run_button = QPushButton(icon("play"), "")
        self.run_button.clicked.connect(self.run_checks)
        self.cancel_button = QPushButton(icon("stop"), "")
        self.cancel_button.clicked.connect(self.cancel)
        self.save_button = QPushButton(icon("export"), "")
        self.save_button.clicked.connect(self.choose_report_file)
        self.progress = QProgressBar()
        self.progress.setRange(0, self._total)
        self.progress.setValue(0)
        self.progress.setTextVisible(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.save_button)

        self.summary_label = QLabel()
        self.summary_label.setObjectName("Headline")
        self.summary_label.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("SmokeResults")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        install_cell_delegate(self.table)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(84)  # "Kind" and "Time" keep room before the first run
        self.empty_state = EmptyState(self.table)
        self.table.itemSelectionChanged.connect(self._show_details)
        self.details = QPlainTextEdit()
        self.details.setObjectName("Details")
        self.details.setReadOnly(True)
        splitter = vertical_split(self.table, self.details, stretch=(3, 1))

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addLayout(buttons)
        layout.addWidget(self.summary_label)
        layout.addWidget(splitter, 1)

        context.profile_changed.connect(self._profile_changed)
        self.use_active_profile()
        self.retranslate()
        self._update_buttons()

    # ------------------------------------------------------------------ Page hooks

    @property
    def running(self) -> bool:
        return self._task is not None and self._task.running

    def is_loading(self) -> bool:
        return self.running

    def refresh(self) -> None:
        """F5 runs the checks (again)."""
        if not self.running:
            self.run_checks()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Smoke checks & audit"))
        self.intro.setText(
            self.tr(
                "Runs the server's smoke checks, rewritten for the real API, and a hardening "
                "audit (public API docs, stack traces, rate limits, security headers, TLS, "
                "secrets in replies, CORS). It never calls a destructive route; read-only runs "
                "write nothing. Without an account, a throw-away one is registered unless the "
                "run is read-only. The password is used for this run only."
            )
        )
        self.server_label.setText(self.tr("Server:"))
        self.server_edit.setPlaceholderText("https://api.example.org")
        self.use_profile_button.setText(self.tr("Active profile"))
        self.use_profile_button.setToolTip(self.tr("Use the active server profile's address"))
        self.account_label.setText(self.tr("Account (optional):"))
        self.server_edit.setAccessibleName(self.tr("Server address"))
        self.email_edit.setAccessibleName(self.tr("Account e-mail (optional)"))
        self.password_edit.setAccessibleName(self.tr("Account password (optional, never stored)"))
        self.table.setAccessibleName(self.tr("Check results"))
        self.details.setAccessibleName(self.tr("Details of the selected check"))
        self.email_edit.setPlaceholderText(self.tr("e-mail"))
        self.password_edit.setPlaceholderText(self.tr("password (never stored)"))
        self.read_only_box.setText(self.tr("Read-only: make no writes (for production servers)"))
        self.run_button.setText(self.tr("Run checks"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.save_button.setText(self.tr("Save report…"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Result"), self.tr("Check"), self.tr("Kind"), self.tr("Time")]
        )
        self.progress.setFormat(self.tr("%v of %m checks"))
        self._update_empty_message()
        for row, result in enumerate(self.results):
            self._fill_row(row, result)
        if self._status is not None:
            self.summary_label.setText(self._status())
        self._show_details()

    def _say(self, status: Callable[[], str]) -> None:
        """Show a summary line, and remember how to say it again after a language change."""
        self._status = status
        self.summary_label.setText(status())

    def _update_empty_message(self) -> None:
        """What the empty table says, in line with the Read-only box as it is now."""
        if self.read_only_box.isChecked():
            advice = self.tr(
                "“Read-only” is ticked: the checks will write nothing. Keep it ticked for a "
                "production server."
            )
        else:
            advice = self.tr(
                "“Read-only” is not ticked: the checks may register a throw-away account and "
                "write a post. Tick it before checking a production server."
            )
        self.empty_state.set_message(
            self.tr("Press “Run checks” to check the server above.") + " " + advice
        )

    # ------------------------------------------------------------------ the form

    def default_server(self) -> str:
        """The active profile's address (the running sandbox's for the sandbox preset)."""
        context = self.context
        services = context.services
        if services is not None:
            return services.base_url
        profile = context.profile
        if profile is not None:
            url = context.resolve_url(profile)
            if url and not url.startswith("sandbox:"):
                return url
        return ""

    def use_active_profile(self) -> None:
        self._url_edited = False
        self.server_edit.setText(self.default_server())

    def is_sandbox(self, url: str) -> bool:
        """Whether `url` is the built-in sandbox, where writes are harmless."""
        base = url.strip().rstrip("/")
        sandbox_url = self.context.sandbox.url
        if sandbox_url and base == sandbox_url.rstrip("/"):
            return True
        services = self.context.services
        return bool(services and services.profile.is_sandbox and base == services.base_url)

    def _server_edited(self, _text: str) -> None:
        self._url_edited = True

    def _server_changed(self, text: str) -> None:
        if not self._read_only_chosen:
            self.read_only_box.setChecked(not self.is_sandbox(text))
        self._update_empty_message()

    def _read_only_clicked(self) -> None:
        self._read_only_chosen = True
        self._update_empty_message()

    def _profile_changed(self, *_args: object) -> None:
        if not self._url_edited and not self.running:
            self.use_active_profile()

    def options(self) -> SmokeOptions | str:
        """The run's options, or a message saying what is missing."""
        server = self.server_edit.text().strip()
        parts = urlsplit(server)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return self.tr("Enter the server's address, starting with http:// or https://.")
        email = self.email_edit.text().strip()
        password = self.password_edit.text()
        if bool(email) != bool(password):
            return self.tr("Give both the e-mail and the password of the account, or neither.")
        verify, ca_bundle = True, None
        profile = self.context.profile
        services = self.context.services
        if profile is not None and services is not None and server.rstrip("/") == services.base_url:
            verify = profile.verify_tls
            ca_bundle = str(profile.ca_bundle) if profile.ca_bundle else None
        return SmokeOptions(
            server=server,
            email=email or None,
            password=password or None,
            read_only=self.read_only_box.isChecked(),
            verify_tls=verify,
            ca_bundle=ca_bundle,
        )

    # ------------------------------------------------------------------ running

    def run_checks(self) -> None:
        if self.running:
            return
        options = self.options()
        if isinstance(options, str):
            self._say(lambda: problem if isinstance(problem := self.options(), str) else "")
            return
        self.report = None
        self.results = []
        self.table.setRowCount(0)
        self.details.clear()
        self.progress.setValue(0)
        self._say(
            lambda: (
                self.tr("Checking {server}…").format(server=options.base_url)
                + (" " + self.tr("(read-only)") if options.read_only else "")
            )
        )
        log.info("smoke checks against %s (read-only: %s)", options.base_url, options.read_only)
        self._task = run_task(
            run_smoke,
            options,
            progress=self._pipe.post,
            cancel=CancelToken(),
            on_done=self._finished,
            on_error=self._failed,
            on_cancelled=self._cancelled,
            parent=self,
            name="smoke checks",
        )
        self._update_buttons()

    def cancel(self) -> None:
        if self._task is not None and self._task.running:
            self._task.cancel()
            self._say(lambda: self.tr("Cancelling after the current check…"))

    def _add_result(self, result: CheckResult) -> None:
        if any(r.id == result.id for r in self.results):
            return
        self.results.append(result)
        row = self.table.rowCount()
        self.table.insertRow(row)
        self._fill_row(row, result)
        self.table.scrollToBottom()
        self.progress.setValue(len(self.results))
        self.result_added.emit(result)

    def _finished(self, report: SmokeReport) -> None:
        self.report = report
        for result in report.results:  # anything the live channel had not delivered yet
            self._add_result(result)
        self._update_summary()
        self._update_buttons()
        if self.table.currentRow() < 0 and report.failed:
            self.table.selectRow(self.results.index(report.failed[0]))
        self.run_finished.emit(report)

    def _failed(self, exc: BaseException) -> None:
        self._update_buttons()
        self._say(lambda: self.tr("The checks could not run."))
        self.context.report_error(exc, retry=self.run_checks, parent=self)

    def _cancelled(self) -> None:
        self._update_buttons()
        cancelled = translate("Smoke", "Cancelled.")  # the runner's evidence for the rest
        done = [
            r
            for r in self.results
            if not (r.outcome is Outcome.SKIPPED and r.evidence == cancelled)
        ]
        self._say(lambda: self.tr("Cancelled after %n check(s).", "", len(done)))

    def _update_buttons(self) -> None:
        running = self.running
        self.run_button.setVisible(not running)
        self.cancel_button.setVisible(running)
        self.save_button.setEnabled(self.report is not None and not running)
        for widget in (self.server_edit, self.email_edit, self.password_edit, self.read_only_box):
            widget.setEnabled(not running)

    # ------------------------------------------------------------------ rendering

    def _category_name(self, category: Category) -> str:
        names = {
            Category.HEALTH: self.tr("health"),
            Category.AUTH: self.tr("sign-in"),
            Category.DATA: self.tr("data"),
            Category.VALIDATION: self.tr("validation"),
            Category.HARDENING: self.tr("hardening"),
        }
        return names[category]

    def _fill_row(self, row: int, result: CheckResult) -> None:
        outcome = QTableWidgetItem(outcome_icon(result.outcome), outcome_label(result.outcome))
        outcome.setData(Qt.ItemDataRole.UserRole, result.outcome.value)
        name = QTableWidgetItem(retranslated_text(result.name))
        name.setData(Qt.ItemDataRole.UserRole, result.id)
        name.setToolTip(retranslated_text(result.evidence))
        duration = QTableWidgetItem(number_text(round(result.duration_ms), "ms"))
        duration.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for column, item in enumerate(
            (outcome, name, QTableWidgetItem(self._category_name(result.category)), duration)
        ):
            self.table.setItem(row, column, item)

    def _update_summary(self) -> None:
        report = self.report
        if report is None:
            return

        def summary() -> str:
            text = report.summary_line()
            if report.cancelled:
                text = self.tr("Cancelled. {summary}").format(summary=text)
            if report.failed:
                text += " — " + self.tr("see the failed checks for advice.")
            return text

        self._say(summary)

    def _show_details(self) -> None:
        row = self.table.currentRow()
        if row < 0 or row >= len(self.results):
            self.details.setPlainText("")
            return
        result = self.results[row]
        lines = [
            f"{outcome_label(result.outcome)} — {retranslated_text(result.name)} ({result.id})",
            "",
            self.tr("Evidence: {text}").format(text=retranslated_text(result.evidence)),
        ]
        if result.advice:
            advice = retranslated_text(result.advice)
            lines.append(self.tr("Advice: {text}").format(text=advice))
        self.details.setPlainText("\n".join(lines))

    def result_for(self, check_id: str) -> CheckResult | None:
        return next((r for r in self.results if r.id == check_id), None)

    def row_outcome(self, check_id: str) -> Outcome | None:
        for row in range(self.table.rowCount()):
            if self.table.item(row, 1).data(Qt.ItemDataRole.UserRole) == check_id:
                return Outcome(self.table.item(row, 0).data(Qt.ItemDataRole.UserRole))
        return None

    # ------------------------------------------------------------------ saving

    def choose_report_file(self) -> None:
        if self.report is None:
            return
        host = urlsplit(self.report.server).hostname or "server"
        filters = {
            self.tr("Text report (*.txt)"): "text",
            self.tr("JUnit XML (*.xml)"): "junit",
            self.tr("JSON (*.json)"): "json",
        }
        path, chosen = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the smoke report"),
            str(Path.home() / f"smoke-{host}.txt"),
            ";;".join(filters),
        )
        if path:
            fmt = filters.get(chosen) or format_for_path(path)
            self.save_report_to(with_suffix_if_missing(path, _SUFFIXES[fmt]), fmt)

    def save_report_to(self, path: str | Path, fmt: str | None = None) -> None:
        report = self.report
        if report is None:
            return
        chosen = fmt or format_for_path(str(path))
        if chosen not in REPORT_FORMATS:
            raise ValueError(f"unknown report format {chosen!r}")
        run_task(
            save_report,
            report,
            str(path),
            chosen,
            on_done=self._saved,
            on_error=lambda exc: self.context.report_error(exc, parent=self),
            parent=self,
            name="save smoke report",
        )

    def _saved(self, path: str) -> None:
        if shiboken6.isValid(self):
            self._say(lambda: self.tr("Report saved to {path}.").format(path=path))
            self.report_saved.emit(path)

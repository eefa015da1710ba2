"""Configuration: the application's own settings checked, and a server's `.env` audited.

The first tab validates the settings in use (errors, warnings, a yes/no summary) and lists
their values with credentials masked; "Reload" reads the configuration file again and applies
what can change while running (server profiles, health polling, log level). The second tab
opens a server's `.env` file, reads it on the worker, and applies the server's own start-up
rules plus the traps the contract documents: the findings, the server's summary booleans
(would it start, production mode, database, JWT, SMTP, S3, Sentry, Redis) and every variable,
with secret values masked before they reach the screen.
"""

from __future__ import annotations

import errno
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from viva_desktop.services.admin.envaudit import EnvItem, audit_env, masked_items, parse_env
from viva_desktop.services.common import paths
from viva_desktop.services.common.config import (
    Settings,
    load_settings,
    redact_url,
    validate_settings,
)
from viva_desktop.services.common.i18n import translate
from viva_desktop.services.common.logs import is_sensitive_key
from viva_desktop.services.common.report import AuditReport
from viva_desktop.ui.admin.log_links import ensure_log_links
from viva_desktop.ui.admin.report_view import AuditReportView
from viva_desktop.ui.common.context import AppContext
from viva_desktop.ui.common.formatting import path_text
from viva_desktop.ui.common.icons import icon
from viva_desktop.ui.common.layouts import vertical_split
from viva_desktop.ui.common.worker import TaskHandle, run_task
from viva_desktop.ui.pages.base import Page

log = logging.getLogger("viva.ui.configuration")

MAX_ENV_BYTES = 1_000_000  # a .env file is a few kilobytes; anything this big is not one
MASK = "••••••••"


# --------------------------------------------------------------------------- worker functions


@dataclass(frozen=True)
class EnvAudit:
    path: str
    report: AuditReport
    items: list[EnvItem]


def audit_env_path(path: str, deployed: bool | None) -> EnvAudit:
    """Read and audit a `.env` file (worker thread); values come back already masked."""
    source = Path(path)
    size = source.stat().st_size
    if size > MAX_ENV_BYTES:
        raise OSError(
            errno.EFBIG,
            translate("Configuration", "The file is too large to be a .env file."),
            str(source),
        )
    parsed = parse_env(source.read_text(encoding="utf-8", errors="replace"))
    return EnvAudit(str(source), audit_env(parsed, deployed=deployed), masked_items(parsed))


@dataclass(frozen=True)
class SettingsCheck:
    report: AuditReport
    values: list[tuple[str, str]]  # (dotted key, value with credentials masked)
    settings: Settings | None = None  # set when read again from the file


def flatten(data: Any, prefix: str = "") -> list[tuple[str, Any]]:
    if isinstance(data, dict):
        items: list[tuple[str, Any]] = []
        for key, value in data.items():
            items += flatten(value, f"{prefix}.{key}" if prefix else str(key))
        return items
    if isinstance(data, list) and data and all(isinstance(v, dict) for v in data):
        items = []
        for index, value in enumerate(data):
            items += flatten(value, f"{prefix}[{index}]")
        return items
    return [(prefix, data)]


def masked_setting(key: str, value: Any) -> str:
    """A setting's value for the screen: URL credentials and secret-looking values masked."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"  # as the configuration file spells it
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    if "://" in text:
        return path_text(redact_url(text))
    leaf = key.rsplit(".", 1)[-1]
    if is_sensitive_key(leaf) and text:
        return MASK
    return path_text(text)


def check_settings(settings: Settings) -> SettingsCheck:
    """Validate the settings (worker thread: the checks look at files and folders)."""
    values = [
        (key, masked_setting(key, value))
        for key, value in flatten(settings.model_dump(mode="json"))
    ]
    return SettingsCheck(validate_settings(settings), values)


def reload_settings(path: Path) -> SettingsCheck:
    """Read the configuration file again and validate it (worker thread)."""
    settings = load_settings(path)
    check = check_settings(settings)
    return SettingsCheck(check.report, check.values, settings)


def _table(columns: int, name: str) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.setObjectName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(26)
    table.setAlternatingRowColors(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _report_over_table(report: AuditReportView, title: QLabel, table: QTableWidget) -> QSplitter:
    """Both tabs' body: the audit report above, the titled table of values below."""
    lower = QWidget()
    lower_layout = QVBoxLayout(lower)
    lower_layout.setContentsMargins(0, 0, 0, 0)
    lower_layout.addWidget(title)
    lower_layout.addWidget(table)
    return vertical_split(report, lower)


# --------------------------------------------------------------------------- the page


class ConfigurationPage(Page):
    settings_checked = Signal(object)  # SettingsCheck
    env_audited = Signal(object)  # EnvAudit

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("ConfigurationPage")
        ensure_log_links(context)  # "Show in logs" in error dialogs
        self.check: SettingsCheck | None = None
        self.env: EnvAudit | None = None
        self._check_task: TaskHandle | None = None
        self._env_task: TaskHandle | None = None
        self._applying = False
        self._pending_env_path = ""

        self.title = QLabel()
        self.title.setObjectName("PageTitle")
        self.tabs = QTabWidget()

        # -- the application's settings
        self.app_tab = QWidget()
        self.path_label = QLabel()
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path_label.setWordWrap(True)
        self.open_folder_button = QPushButton(icon("folder"), "")
        self.open_folder_button.clicked.connect(self.open_config_folder)
        self.reload_button = QPushButton(icon("refresh"), "")
        self.reload_button.clicked.connect(self.reload)
        self.app_status = QLabel()
        self.app_status.setObjectName("Muted")
        self.app_status.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.path_label, 1)
        top.addWidget(self.open_folder_button)
        top.addWidget(self.reload_button)
        self.app_report = AuditReportView()
        self.values_title = QLabel()
        self.values_title.setObjectName("Headline")
        self.values_table = _table(2, "SettingsValues")
        app_split = _report_over_table(self.app_report, self.values_title, self.values_table)
        app_layout = QVBoxLayout(self.app_tab)
        app_layout.addLayout(top)
        app_layout.addWidget(self.app_status)
        app_layout.addWidget(app_split, 1)

        # -- a server's .env
        self.env_tab = QWidget()
        self.env_intro = QLabel()
        self.env_intro.setObjectName("Muted")
        self.env_intro.setWordWrap(True)
        self.open_env_button = QPushButton(icon("open_file"), "")
        self.open_env_button.clicked.connect(self.choose_env_file)
        self.recheck_button = QPushButton(icon("refresh"), "")
        self.recheck_button.clicked.connect(self.recheck_env)
        self.deployed_label = QLabel()
        self.deployed_box = QComboBox()
        for value in (None, True, False):
            self.deployed_box.addItem("", value)
        self.deployed_box.currentIndexChanged.connect(self.recheck_env)
        self.env_path_label = QLabel()
        self.env_path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.env_path_label.setWordWrap(True)
        env_top = QHBoxLayout()
        env_top.addWidget(self.open_env_button)
        env_top.addWidget(self.recheck_button)
        env_top.addStretch(1)
        env_top.addWidget(self.deployed_label)
        env_top.addWidget(self.deployed_box)
        self.env_report = AuditReportView()
        self.variables_title = QLabel()
        self.variables_title.setObjectName("Headline")
        self.variables_table = _table(2, "EnvVariables")
        env_split = _report_over_table(self.env_report, self.variables_title, self.variables_table)
        env_layout = QVBoxLayout(self.env_tab)
        env_layout.addWidget(self.env_intro)
        env_layout.addLayout(env_top)
        env_layout.addWidget(self.env_path_label)
        env_layout.addWidget(env_split, 1)

        self.tabs.addTab(self.app_tab, icon("settings"), "")
        self.tabs.addTab(self.env_tab, icon("server"), "")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.tabs, 1)

        context.settings_changed.connect(self._settings_changed)
        self.retranslate()
        self._update_env_buttons()

    # ------------------------------------------------------------------ Page hooks

    def activate(self) -> None:
        super().activate()
        if self.check is None:
            self.check_current()

    def refresh(self) -> None:
        """F5: check the settings again, and the `.env` file if one is open."""
        self.check_current()
        self.recheck_env()

    def is_loading(self) -> bool:
        return any(t is not None and t.running for t in (self._check_task, self._env_task))

    @property
    def config_path(self) -> Path:
        return self.context.config_path or self.context.settings.source_path or paths.config_file()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Configuration"))
        self.tabs.setTabText(0, self.tr("This application"))
        self.tabs.setTabText(1, self.tr("Server .env audit"))
        self.path_label.setText(
            self.tr("Configuration file: {path}").format(path=path_text(self.config_path))
        )
        self.open_folder_button.setText(self.tr("Open folder"))
        self.reload_button.setText(self.tr("Reload"))
        self.reload_button.setToolTip(
            self.tr(
                "Read the file again. Server profiles, health polling and the log level apply "
                "at once; the store, error reporting, language and theme at the next start."
            )
        )
        self.values_title.setText(self.tr("Values in use (credentials masked)"))
        self.values_table.setAccessibleName(self.values_title.text())
        self.values_table.setHorizontalHeaderLabels([self.tr("Setting"), self.tr("Value")])
        self.env_intro.setText(
            self.tr(
                "Open a Comunidad Viva server's .env file to check it against the server's own "
                "start-up rules and the known traps (S3 variables under AWS names, a JWT secret "
                "too short to start, development mode on a deployed server). The file is only "
                "read; secret values are masked."
            )
        )
        self.open_env_button.setText(self.tr("Open .env file…"))
        self.recheck_button.setText(self.tr("Check again"))
        self.deployed_label.setText(self.tr("Reachable from other computers:"))
        self.deployed_box.setItemText(0, self.tr("guess from the file"))
        self.deployed_box.setItemText(1, self.tr("yes"))
        self.deployed_box.setItemText(2, self.tr("no"))
        self.variables_title.setText(self.tr("Variables (secrets masked)"))
        self.variables_table.setAccessibleName(self.variables_title.text())
        self.variables_table.setHorizontalHeaderLabels([self.tr("Variable"), self.tr("Value")])
        self.env_report.set_key_title(self.tr("Variable"))
        if self.env is None:
            self.env_path_label.setText(self.tr("No file opened yet."))
        self.app_report.retranslate()
        self.env_report.retranslate()
        if self.check is not None:
            self._show_check(self.check)
        if self.env is not None:
            self._show_env(self.env)

    # ------------------------------------------------------------------ app settings

    def app_summary_labels(self) -> dict[str, str]:
        return {
            "config_file": self.tr("Configuration file readable"),
            "profiles": self.tr("Server profiles valid"),
            "active_profile": self.tr("Active profile chosen"),
            "tls": self.tr("Encrypted connections"),
            "store": self.tr("Local store usable"),
            "postgresql": self.tr("Shared PostgreSQL store"),
            "telemetry": self.tr("Error reporting on"),
            "json_logs": self.tr("JSON log file"),
        }

    def check_current(self) -> None:
        """Validate the settings in use, in the background."""
        if self._check_task is not None and self._check_task.running:
            return
        self.app_status.setText(self.tr("Checking…"))
        self._check_task = run_task(
            check_settings,
            self.context.settings.model_copy(deep=True),
            on_done=self._checked,
            on_error=self._check_failed,
            parent=self,
            name="check settings",
        )

    def reload(self) -> None:
        """Read the configuration file again, validate it and apply what can change now."""
        if self._check_task is not None and self._check_task.running:
            return
        self.app_status.setText(self.tr("Reading {path}…").format(path=self.config_path))
        self._check_task = run_task(
            reload_settings,
            self.config_path,
            on_done=self._reloaded,
            on_error=self._check_failed,
            parent=self,
            name="reload settings",
        )

    def _checked(self, check: SettingsCheck) -> None:
        self.check = check
        self._show_check(check)
        self.app_status.setText(self.tr("Checked the settings in use."))
        self.settings_checked.emit(check)

    def _reloaded(self, check: SettingsCheck) -> None:
        loaded = check.settings
        assert loaded is not None
        current = self.context.settings
        current.profiles = loaded.profiles
        current.health = loaded.health
        current.log = loaded.log
        logging.getLogger().setLevel(loaded.log.level)
        self.check = check
        self._show_check(check)
        self.app_status.setText(
            self.tr(
                "Reloaded {path}: server profiles, health polling and the log level are in use "
                "now; other changes apply at the next start."
            ).format(path=self.config_path)
        )
        log.info("configuration reloaded from %s", self.config_path)
        self._applying = True  # what was just checked needs no second check
        try:
            self.context.settings_changed.emit()
        finally:
            self._applying = False
        self.settings_checked.emit(check)

    def _check_failed(self, exc: BaseException) -> None:
        self.app_status.setText(self.tr("The settings could not be checked."))
        self.context.report_error(exc, retry=self.check_current, parent=self)

    def _settings_changed(self) -> None:
        if self._applying:
            return
        if self.active and not (self._check_task is not None and self._check_task.running):
            self.check_current()

    def _show_check(self, check: SettingsCheck) -> None:
        self.app_report.show_report(check.report, self.app_summary_labels())
        self.values_table.setRowCount(len(check.values))
        for row, (key, value) in enumerate(check.values):
            self.values_table.setItem(row, 0, QTableWidgetItem(key))
            self.values_table.setItem(row, 1, QTableWidgetItem(value))

    def open_config_folder(self) -> None:
        folder = self.config_path.parent
        existing = next((p for p in (folder, *folder.parents) if p.exists()), folder)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(existing)))

    # ------------------------------------------------------------------ .env audit

    def env_summary_labels(self) -> dict[str, str]:
        return {
            "would_start": self.tr("The server would start"),
            "production": self.tr("Production mode"),
            "database": self.tr("Database (DATABASE_URL)"),
            "jwt": self.tr("JWT secret"),
            "smtp": self.tr("E-mail (SMTP)"),
            "s3": self.tr("File storage (S3)"),
            "sentry": self.tr("Error reporting (Sentry)"),
            "redis": self.tr("Redis"),
        }

    def env_summary_values(self) -> dict[str, tuple[str, str]]:
        """A variable that is set says nothing about the service behind it: "configured"."""
        configured = (self.tr("configured"), self.tr("not configured"))
        values = {key: configured for key in ("database", "smtp", "s3", "sentry", "redis")}
        values["jwt"] = (self.tr("usable"), self.tr("missing or unusable"))
        return values

    def choose_env_file(self) -> None:
        start = str(Path(self.env.path).parent) if self.env is not None else str(Path.home())
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Open a server .env file"),
            start,
            self.tr("Environment files (.env *.env .env.*);;All files (*)"),
        )
        if path:
            self.audit_env_file(path)

    def audit_env_file(self, path: str | Path) -> None:
        """Read and audit `path` in the background."""
        self._pending_env_path = str(path)
        self.env_path_label.setText(self.tr("Reading {path}…").format(path=path))
        self._env_task = run_task(
            audit_env_path,
            str(path),
            self.deployed_box.currentData(),
            on_done=self._env_done,
            on_error=self._env_failed,
            parent=self,
            name="audit .env file",
        )
        self._update_env_buttons()

    def recheck_env(self, *_args: object) -> None:
        if self.env is not None and not (self._env_task is not None and self._env_task.running):
            self.audit_env_file(self.env.path)

    def _env_done(self, result: EnvAudit) -> None:
        self.env = result
        self._show_env(result)
        self._update_env_buttons()
        self.env_audited.emit(result)

    def _env_failed(self, exc: BaseException) -> None:
        self._update_env_buttons()
        self.env_path_label.setText(self.tr("The file could not be read."))
        path = self._pending_env_path
        self.context.report_error(exc, retry=lambda: self.audit_env_file(path), parent=self)

    def _show_env(self, result: EnvAudit) -> None:
        self.env_path_label.setText(
            self.tr("{path} · %n variable(s)", "", len(result.items)).format(path=result.path)
        )
        self.env_report.show_report(
            result.report, self.env_summary_labels(), self.env_summary_values()
        )
        self.variables_table.setRowCount(len(result.items))
        for row, item in enumerate(result.items):
            key = QTableWidgetItem(item.key)
            if item.secret:
                key.setIcon(icon("lock"))
                key.setToolTip(self.tr("Secret: the value is masked"))
            self.variables_table.setItem(row, 0, key)
            self.variables_table.setItem(row, 1, QTableWidgetItem(item.display_value))

    def _update_env_buttons(self) -> None:
        busy = self._env_task is not None and self._env_task.running
        self.open_env_button.setEnabled(not busy)
        self.recheck_button.setEnabled(not busy and self.env is not None)

    def variables(self) -> dict[str, str]:
        """The variables as shown: name → displayed (masked) value."""
        return {
            self.variables_table.item(row, 0).text(): self.variables_table.item(row, 1).text()
            for row in range(self.variables_table.rowCount())
        }

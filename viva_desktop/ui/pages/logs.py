"""Logs: the application's own structured log, live.

Records come from the in-memory `LogBuffer` that logging set-up installs (the same records as
the JSON file, already redacted), handed to the GUI thread in batches as they are written.
They filter by minimum level, module (logger name, prefixes included) and text; following new
records pauses on request. Request ids are links: clicking one, in the table or the details,
shows every record of that request, and the error dialog offers the same through
"Show in logs".
"""

from __future__ import annotations

import json
import logging

from PySide6.QtCore import QModelIndex, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from viva_desktop.services.common import paths
from viva_desktop.ui.admin.log_links import ensure_log_links
from viva_desktop.ui.admin.log_model import (
    ENTRY_ROLE,
    LEVEL,
    MESSAGE,
    MODULE,
    REQUEST,
    REQUEST_ROLE,
    TIME,
    Entry,
    LogFilter,
    LogPipe,
    LogTableModel,
    request_id_of,
)
from viva_desktop.ui.common.context import AppContext
from viva_desktop.ui.common.icons import icon
from viva_desktop.ui.common.layouts import vertical_split
from viva_desktop.ui.pages.base import Page

LEVELS = (logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR)
REQUEST_SCHEME = "request"


def _escape(text: object) -> str:
    return (
        str(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
    )


class LogsPage(Page):
    request_shown = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("LogsPage")
        ensure_log_links(context)
        self.model = LogTableModel(self)
        self.proxy = LogFilter(self)
        self.proxy.setSourceModel(self.model)

        self.title = QLabel()
        self.title.setObjectName("PageTitle")
        self.level_box = QComboBox()
        for level in LEVELS:
            self.level_box.addItem("", level)
        self.level_box.currentIndexChanged.connect(
            lambda _i: self.proxy.set_min_level(int(self.level_box.currentData()))
        )
        self.module_box = QComboBox()
        self.module_box.setEditable(True)
        self.module_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.module_box.setMinimumContentsLength(18)
        self.module_box.addItem("")  # all modules; seen loggers are added below it
        self.module_box.currentTextChanged.connect(self._module_changed)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_text)
        self.pause_button = QPushButton(icon("pause"), "")
        self.pause_button.setCheckable(True)
        self.pause_button.toggled.connect(self._pause_toggled)
        self.clear_button = QPushButton(icon("remove"), "")
        self.clear_button.clicked.connect(self.model.clear)
        self.folder_button = QPushButton(icon("folder"), "")
        self.folder_button.clicked.connect(self.open_log_folder)
        # Two rows, like the browsers: what to show, then what to do with the view (one row
        # does not fit a laptop screen in Spanish).
        self.search.setMinimumWidth(200)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        filters = QHBoxLayout()
        self.level_label, self.module_label = QLabel(), QLabel()
        self.level_label.setBuddy(self.level_box)
        self.module_label.setBuddy(self.module_box)
        for widget in (self.level_label, self.level_box, self.module_label, self.module_box):
            filters.addWidget(widget)
        filters.addWidget(self.search, 1)
        tools = QHBoxLayout()
        tools.addStretch(1)
        for widget in (self.pause_button, self.clear_button, self.folder_button):
            tools.addWidget(widget)
        bar = QVBoxLayout()
        bar.addLayout(filters)
        bar.addLayout(tools)

        self.request_banner = QLabel()
        self.request_banner.setObjectName("Banner")
        self.request_banner.setProperty("kind", "info")
        self.request_banner.setWordWrap(True)
        self.show_all_button = QPushButton()
        self.show_all_button.clicked.connect(lambda: self.show_request(None))
        banner_row = QHBoxLayout()
        banner_row.setContentsMargins(0, 0, 0, 0)
        banner_row.addWidget(self.request_banner, 1)
        banner_row.addWidget(self.show_all_button)
        self.banner_box = QWidget()
        self.banner_box.setLayout(banner_row)
        self.banner_box.hide()
        self.unavailable = QLabel()
        self.unavailable.setObjectName("Banner")
        self.unavailable.setWordWrap(True)

        self.view = QTableView()
        self.view.setObjectName("LogTable")
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(22)
        header = self.view.horizontalHeader()
        for column in (TIME, LEVEL, MODULE, REQUEST):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(MESSAGE, QHeaderView.ResizeMode.Stretch)
        self.view.clicked.connect(self._clicked)
        self.view.selectionModel().currentRowChanged.connect(self._show_details)
        self.details = QTextBrowser()
        self.details.setObjectName("LogDetails")
        self.details.setOpenLinks(False)
        self.details.anchorClicked.connect(self._anchor_clicked)
        splitter = vertical_split(self.view, self.details, stretch=(3, 1))

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(bar)
        layout.addWidget(self.unavailable)
        layout.addWidget(self.banner_box)
        layout.addWidget(splitter, 1)

        buffer = context.log_buffer
        self.pipe = LogPipe(buffer, self)
        self.pipe.records.connect(self._append)
        self.unavailable.setVisible(buffer is None)
        if buffer is not None:
            self._append(buffer.records())
        self.level_box.setCurrentIndex(LEVELS.index(logging.INFO))
        self.retranslate()

    # ------------------------------------------------------------------ Page hooks

    def search_box(self) -> QLineEdit:
        return self.search

    @property
    def following(self) -> bool:
        return not self.pause_button.isChecked()

    def retranslate(self) -> None:
        self.search.setAccessibleName(self.tr("Search the log"))
        self.view.setAccessibleName(self.tr("Log records"))
        self.details.setAccessibleName(self.tr("Details of the selected record"))
        self.title.setText(self.tr("Logs"))
        self.level_label.setText(self.tr("Level:"))
        names = {
            logging.DEBUG: self.tr("Everything (debug)"),
            logging.INFO: self.tr("Information and above"),
            logging.WARNING: self.tr("Warnings and errors"),
            logging.ERROR: self.tr("Errors only"),
        }
        for index, level in enumerate(LEVELS):
            self.level_box.setItemText(index, names[level])
        self.module_label.setText(self.tr("Module:"))
        self.module_box.lineEdit().setPlaceholderText(self.tr("all modules"))
        self.search.setPlaceholderText(self.tr("Search the messages (Ctrl+F)"))
        self.pause_button.setText(self.tr("Pause scrolling"))
        self.pause_button.setToolTip(
            self.tr("Keep the view still; new records are still collected")
        )
        self.clear_button.setText(self.tr("Clear view"))
        self.folder_button.setText(self.tr("Open log folder"))
        self.folder_button.setToolTip(
            self.tr("The JSON log files: {path}").format(path=paths.log_dir())
        )
        self.show_all_button.setText(self.tr("Show all records"))
        self.unavailable.setText(
            self.tr("Live logs are not available: logging was not set up by the application.")
        )
        self._update_banner()
        self._show_details(self.view.currentIndex())
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, MESSAGE)

    # ------------------------------------------------------------------ records

    def _append(self, entries: list[Entry]) -> None:
        if not entries:
            return
        known = set(self.model.loggers)
        self.model.append(entries)
        for name in sorted(self.model.loggers - known):
            if name:
                self.module_box.addItem(name)
        if self.following and self.proxy.request_id is None:
            self.view.scrollToBottom()
        self._update_banner()

    def _pause_toggled(self, paused: bool) -> None:
        self.pause_button.setIcon(icon("play" if paused else "pause"))
        self.pause_button.setText(
            self.tr("Resume scrolling") if paused else self.tr("Pause scrolling")
        )
        if not paused:
            self.view.scrollToBottom()

    def _module_changed(self, text: str) -> None:
        self.proxy.set_module(text)

    def set_module(self, module: str) -> None:
        self.module_box.setEditText(module)

    def set_min_level(self, level: int) -> None:
        self.level_box.setCurrentIndex(LEVELS.index(level))

    def visible_entries(self) -> list[Entry]:
        return [self.proxy.index(row, 0).data(ENTRY_ROLE) for row in range(self.proxy.rowCount())]

    def open_log_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(paths.log_dir())))

    # ------------------------------------------------------------------ request links

    def show_request(self, request_id: str | None) -> None:
        """Show only the records of `request_id` (all levels); None shows everything again."""
        self.pipe.flush()  # records logged a moment ago are part of the request's story
        self.proxy.set_request_id(request_id)
        self._update_banner()
        if request_id is not None and self.proxy.rowCount():
            self.view.selectRow(0)
            self.request_shown.emit(request_id)
        elif self.following:
            self.view.scrollToBottom()

    def _update_banner(self) -> None:
        request_id = self.proxy.request_id
        self.banner_box.setVisible(request_id is not None)
        if request_id is None:
            return
        count = self.proxy.rowCount()
        if count:
            text = self.tr("%n record(s) of request {id}.", "", count)
        else:
            text = self.tr(
                "No record of request {id} is in the live log. Requests are logged at the "
                "debug level: set the log level to DEBUG in the settings to keep them."
            )
        self.request_banner.setText(text.format(id=request_id))

    def _clicked(self, index: QModelIndex) -> None:
        if index.column() == REQUEST:
            request_id = index.data(REQUEST_ROLE)
            if request_id:
                self.show_request(request_id)

    def _anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() == REQUEST_SCHEME:
            self.show_request(url.path())

    def _show_details(self, index: QModelIndex, _previous: QModelIndex | None = None) -> None:
        entry = index.data(ENTRY_ROLE) if index.isValid() else None
        if not isinstance(entry, dict):
            self.details.setHtml("")
            return
        self.details.setHtml(self.details_html(entry))

    def details_html(self, entry: Entry) -> str:
        rows = [
            (self.tr("Time"), _escape(entry.get("time", ""))),
            (self.tr("Level"), _escape(entry.get("level", ""))),
            (self.tr("Module"), _escape(entry.get("logger", ""))),
            (
                self.tr("Where"),
                _escape(
                    f"{entry.get('module', '')}.{entry.get('function', '')}:{entry.get('line', '')}"
                ),
            ),
            (self.tr("Thread"), _escape(entry.get("thread", ""))),
            (self.tr("Server profile"), _escape(entry.get("profile", ""))),
        ]
        request_id = request_id_of(entry)
        if request_id:
            link = f'<a href="{REQUEST_SCHEME}:{_escape(request_id)}">{_escape(request_id)}</a>'
            rows.append((self.tr("Request"), link))
        table = "".join(
            f"<tr><td><b>{_escape(name)}</b></td><td>{value}</td></tr>" for name, value in rows
        )
        parts = [f"<table cellspacing='4'>{table}</table>"]
        parts.append(f"<pre>{_escape(entry.get('message', ''))}</pre>")
        if entry.get("exception"):
            parts.append(f"<pre>{_escape(entry['exception'])}</pre>")
        if entry.get("extra"):
            extra = json.dumps(entry["extra"], ensure_ascii=False, indent=2, default=str)
            parts.append(f"<pre>{_escape(extra)}</pre>")
        return "".join(parts)

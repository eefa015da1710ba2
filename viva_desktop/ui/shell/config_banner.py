"""The banner above the pages when the default configuration file could not be used (it is
not TOML, or cannot be read): the app runs on the defaults and leaves the file alone, and the
banner says what is wrong and where, with a way to the Configuration page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QToolButton, QVBoxLayout, QWidget

from viva_desktop.services.common.i18n import retranslated_text
from viva_desktop.ui.common.context import AppContext
from viva_desktop.ui.common.icons import icon
from viva_desktop.ui.common.retranslate import Retranslating

if TYPE_CHECKING:
    from viva_desktop.ui.shell.main_window import MainWindow


class ConfigProblemBanner(Retranslating, QWidget):
    """Shown while `settings.file_problem` is set; the user can open the Configuration page
    or dismiss it for this run."""

    def __init__(self, window: MainWindow, context: AppContext) -> None:
        super().__init__()
        self.setObjectName("ConfigProblemBanner")
        self.window_ = window
        self.context = context
        self.text = QLabel()
        self.text.setObjectName("Banner")
        self.text.setProperty("kind", "error")
        self.text.setWordWrap(True)
        self.show_button = QPushButton(icon("configuration"), "")
        self.show_button.clicked.connect(lambda: window.open_page("configuration"))
        self.dismiss_button = QToolButton()
        self.dismiss_button.setIcon(icon("cancel"))
        self.dismiss_button.clicked.connect(self.hide)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 6, 8, 0)
        row.addWidget(self.text, 1)
        row.addWidget(self.show_button)
        row.addWidget(self.dismiss_button)
        self.retranslate()

    def retranslate(self) -> None:
        problem = self.context.settings.file_problem
        self.show_button.setText(self.tr("Show on the Configuration page"))
        self.dismiss_button.setToolTip(self.tr("Hide this message until the next start"))
        self.dismiss_button.setAccessibleName(self.tr("Hide the configuration message"))
        if problem is None:
            self.text.clear()
            return
        self.text.setText(
            self.tr(
                "The configuration file {where} could not be used: {problem} Viva Desktop "
                "started on the default settings and leaves the file as it is."
            ).format(where=problem.key, problem=retranslated_text(problem.message))
        )
        self.text.setAccessibleName(self.text.text())


def install_config_banner(window: MainWindow, context: AppContext) -> ConfigProblemBanner | None:
    """Put the banner above the page area when the configuration file had a problem."""
    if context.settings.file_problem is None:
        return None
    banner = ConfigProblemBanner(window, context)
    holder = QWidget()
    holder.setObjectName("PageArea")
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    splitter = window.splitter
    index, sizes = splitter.indexOf(window.stack), splitter.sizes()
    splitter.insertWidget(index, holder)
    column.addWidget(banner)
    column.addWidget(window.stack, 1)  # moves the page area out of the splitter, into holder
    splitter.setStretchFactor(index, 1)
    splitter.setSizes(sizes)
    window.config_banner = banner
    return banner

"""Long tooltips wrap (issue 17, defect 8): the membership buttons' reason ran off the screen
on one line. The widget keeps its plain text; what is shown is wrapped rich text."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QPushButton, QToolTip

from viva_desktop.ui.editors.permissions import Permission
from viva_desktop.ui.pages.browser_page import set_permission

REASON = (
    "Only members of this community with a generosity score of at least 5 can decide its "
    "membership requests; yours is 2."
)


def show_tooltip(widget) -> None:
    event = QHelpEvent(QEvent.Type.ToolTip, QPoint(4, 4), widget.mapToGlobal(QPoint(4, 4)))
    QApplication.sendEvent(widget, event)


def test_a_refusal_reason_is_shown_wrapped(qtbot) -> None:
    button = QPushButton("Approve")
    qtbot.addWidget(button)
    button.show()
    set_permission(button, Permission(False, REASON))
    assert button.toolTip() == REASON  # the plain text, for tests and screen readers
    assert button.accessibleDescription() == REASON
    show_tooltip(button)
    qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
    assert QToolTip.text().startswith("<qt>")
    assert "generosity score of at least 5" in QToolTip.text()
    QToolTip.hideText()


def test_short_tooltips_stay_plain(qtbot) -> None:
    button = QPushButton("Approve")
    qtbot.addWidget(button)
    button.show()
    set_permission(button, Permission(False, "Not yours."))
    show_tooltip(button)
    qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
    assert QToolTip.text() == "Not yours."
    QToolTip.hideText()

"""Screen readers (issue 17, keyboard 2): every interactive or informative widget of every page,
in English and in Spanish, has a name an assistive technology can read: buttons their text or
an accessible name (icon-only ones included), fields their label, tables and lists a name,
state badges, progress strips and charts a name and a text alternative."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QCalendarWidget,
    QComboBox,
    QKeySequenceEdit,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

from viva_desktop.services.common.config import ServerProfile
from viva_desktop.ui import pages as registry
from viva_desktop.ui.admin.badges import StateBadge
from viva_desktop.ui.admin.health_chart import HealthChart
from viva_desktop.ui.common.progress import ProgressStrip

from .conftest import build


@pytest.fixture
def offline(context):
    """Reviewing an (empty) local copy without a server: every page can be built."""
    context.enter_offline_mode(ServerProfile(name="Review", url="http://127.0.0.1:9"))
    return context


INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractItemView,
    QTabBar,
    QKeySequenceEdit,
    QPlainTextEdit,
    QTextEdit,
)
INFORMATIVE = (StateBadge, ProgressStrip, HealthChart)


def accessible_name(widget: QWidget) -> str:
    """The name a screen reader reads: the accessible name, else what Qt derives (a button's
    text, a field's label)."""
    if widget.accessibleName().strip():
        return widget.accessibleName().strip()
    interface = QAccessible.queryAccessibleInterface(widget)
    if interface is None:
        return ""
    return (interface.text(QAccessible.Text.Name) or "").strip()


def describe(widget: QWidget) -> str:
    chain = []
    current: QWidget | None = widget
    while current is not None and len(chain) < 4:
        chain.append(current.objectName() or type(current).__name__)
        current = current.parentWidget()
    return " < ".join(chain)


COMPOUNDS = (QComboBox, QAbstractSpinBox, QKeySequenceEdit, QTabBar, QCalendarWidget, QLineEdit)


def _inside_a_compound(widget: QWidget) -> bool:
    """A part of a widget that names itself (a combo's popup list, a spin box's field...)."""
    current = widget.parentWidget()
    while current is not None:
        if isinstance(current, COMPOUNDS):
            return True
        current = current.parentWidget()
    return False


def unnamed(root: QWidget) -> list[str]:
    """Interactive or informative widgets under `root`, not hidden by their page, that have
    no name. Widgets inside other widgets' internals (a combo's line edit, a spin box's) are
    named by their owner."""
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE + INFORMATIVE):
            continue
        if widget.isHidden() and not isinstance(widget, INFORMATIVE):
            continue
        if _inside_a_compound(widget):
            continue
        if type(widget).__name__ in ("QScrollBar", "QHeaderView") or widget.objectName() in (
            "qt_tableview_cornerbutton",
            "qt_scrollarea_viewport",
        ):
            continue  # the view's own parts: named with the view
        if not accessible_name(widget):
            missing.append(f"{type(widget).__name__} {describe(widget)}")
    return missing


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("key", [spec.key for spec in registry.pages()])
def test_every_page_names_what_it_shows(qtbot, offline, translations, key, language) -> None:
    translations.set_language(language)
    page = build(qtbot, offline, key)
    missing = unnamed(page)
    assert missing == [], f"{key} ({language}): " + "; ".join(missing)


@pytest.mark.parametrize("language", ["en", "es"])
def test_badges_strips_and_charts_say_what_they_show(qtbot, offline, translations, language):
    translations.set_language(language)
    page = build(qtbot, offline, "health")
    for kind in INFORMATIVE:
        for widget in page.findChildren(kind):
            assert accessible_name(widget), type(widget).__name__
            assert widget.accessibleDescription() or isinstance(widget, StateBadge | ProgressStrip)

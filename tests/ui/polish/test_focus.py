"""Keyboard users see where they are (issue 17, keyboard 3): on every page, in both themes, the
widget Tab reaches looks different from the others (the style sheets' focus rule), Tab
starts at the top of the page and reaches every control, and it goes through them in reading
order (`test_tab_follows_reading_order` states the rule)."""

from __future__ import annotations

from itertools import pairwise

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLineEdit,
    QSplitter,
    QTabWidget,
    QWidget,
)

from tests.ui.browsers.data import ACCOUNT, PROFILE
from viva_desktop.services.common.config import ServerProfile
from viva_desktop.services.local.store import Store
from viva_desktop.ui import pages as registry
from viva_desktop.ui.common.theme import _palette, style_sheet

from .conftest import build

KINDS = (QLineEdit, QComboBox, QAbstractButton, QAbstractItemView)


@pytest.fixture
def offline(context):
    context.enter_offline_mode(ServerProfile(name="Review", url="http://127.0.0.1:9"))
    return context


@pytest.fixture
def reviewing(context, filled_store: Store):
    """Offline review of a filled store: browsers with rows, so detail panes have content."""
    context.enter_offline_mode(ServerProfile(name=PROFILE, url="http://127.0.0.1:9"), ACCOUNT)
    return context


def tab_stops(page: QWidget, *, enabled_only: bool = True) -> list[QWidget]:
    """The page's widgets in Tab order, as Qt's focus chain gives them."""
    stops: list[QWidget] = []
    widget = page.nextInFocusChain()
    while widget is not page and len(stops) < 2000:
        if (
            page.isAncestorOf(widget)
            and widget.isVisible()
            and (widget.isEnabled() or not enabled_only)
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and widget.focusProxy() is None
        ):
            stops.append(widget)
        widget = widget.nextInFocusChain()
    return stops


def themed(page: QWidget, theme: str) -> None:
    page.setPalette(_palette(theme == "dark"))
    page.setStyleSheet(style_sheet("base") + "\n" + style_sheet(theme))


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("key", [spec.key for spec in registry.pages()])
def test_focus_is_visible_and_tab_starts_at_the_top(qtbot, offline, key, theme) -> None:
    page = build(qtbot, offline, key)
    themed(page, theme)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=5000)
    stops = tab_stops(page)
    assert stops, f"{key}: nothing to reach with Tab"
    first = stops[0].mapTo(page, QPoint(0, 0))
    assert first.y() < page.height() / 2, f"{key}: Tab starts at {stops[0].objectName()}"
    checked = 0
    for kind in KINDS:
        widget = next((w for w in stops if isinstance(w, kind)), None)
        if widget is None:
            continue
        page.setFocus(Qt.FocusReason.OtherFocusReason)
        qtbot.waitUntil(lambda: not widget.hasFocus(), timeout=2000)  # noqa: B023
        before = widget.grab().toImage()
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(widget.hasFocus, timeout=2000)
        after = widget.grab().toImage()
        assert before != after, f"{key} ({theme}): focus on {type(widget).__name__} not visible"
        checked += 1
    assert checked >= 1


TOLERANCE = 8  # pixels: controls of one row are not always aligned to the pixel


def placed(page: QWidget, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(page, QPoint(0, 0)), widget.size())


def group_of(page: QWidget, widget: QWidget) -> QRect:
    """Where `widget`'s group lies: the splitter pane holding it (a table, a detail pane), or
    the widget itself outside splitters."""
    child, parent = widget, widget.parentWidget()
    while parent is not None and parent is not page:
        if isinstance(parent, QSplitter):
            return placed(page, child)
        child, parent = parent, parent.parentWidget()
    return placed(page, widget)


def describe(page: QWidget, widget: QWidget) -> str:
    name = widget.objectName() or widget.accessibleName() or "unnamed"
    return f"{type(widget).__name__} {name!r} at {placed(page, widget).getRect()}"


def out_of_order(page: QWidget, stops: list[QWidget]) -> list[str]:
    """Each step a → b of `stops` that breaks reading order (see the test's docstring)."""
    wrong = []
    for a, b in pairwise(stops):
        ra, rb, group = placed(page, a), placed(page, b), group_of(page, a)
        if rb.top() >= ra.top() - TOLERANCE:  # down, or on along the same row
            same_row = abs(rb.top() - ra.top()) <= TOLERANCE
            ok = not (same_row and rb.right() <= ra.left() + TOLERANCE)
        else:  # up: only into the next column, not above where a's group starts
            ok = rb.left() >= group.right() - TOLERANCE and rb.top() >= group.top() - TOLERANCE
        if not ok:
            wrong.append(f"{describe(page, a)} -> {describe(page, b)}")
    return wrong


@pytest.mark.parametrize("size", [(1100, 700), (1500, 950)], ids=["1100x700", "1500x950"])
@pytest.mark.parametrize("key", [spec.key for spec in registry.pages()])
def test_tab_follows_reading_order(qtbot, reviewing, key, size) -> None:
    """Tab visits a page's controls in reading order: top to bottom, left to right.

    The stops are the page's visible widgets that take Tab focus, enabled or not (a disabled
    control keeps its place in the chain and is reached there once enabled), in focus-chain
    order. The page is walked as first shown, then with each tab of each tab widget shown in
    turn, with the first row of each browser selected (so detail panes show a record). For
    each step a → b, with positions in page coordinates and a tolerance of TOLERANCE pixels:

    - b may be lower than a or on the same row; on the same row (tops within the tolerance)
      it may not lie wholly to the left of a;
    - b may be higher than a only when it starts the next column: it lies right of a's group
      and not above that group's top. A group is the splitter pane holding a (a table, a
      detail pane: each is its own group, so a table's neighbour pane starts at its top), or
      a itself outside splitters;
    - anything else is a jump back up (a container reached after its own contents, a toolbar
      reached after the table under it) and fails.
    """
    page = build(qtbot, reviewing, key, width=size[0], height=size[1])
    for browser in page.findChildren(QWidget):  # the record browsers: show a record
        view = getattr(browser, "view", None)
        if hasattr(browser, "reveal") and isinstance(view, QAbstractItemView):
            model = view.model()
            if model is not None and model.rowCount():
                view.selectRow(0)
    states = [None] + [
        (tabs, i) for tabs in page.findChildren(QTabWidget) for i in range(tabs.count())
    ]
    wrong: list[str] = []
    for state in states:
        if state is not None:
            state[0].setCurrentIndex(state[1])
        stops = tab_stops(page, enabled_only=False)
        assert stops, f"{key}: nothing to reach with Tab"
        shown = "as opened" if state is None else f"tab {state[1]} of {state[0].objectName()!r}"
        wrong += [f"{shown}: {step}" for step in out_of_order(page, stops)]
    assert not wrong, f"{key}: Tab leaves reading order:\n" + "\n".join(wrong)

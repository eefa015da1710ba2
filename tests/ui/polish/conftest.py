"""Fixtures of the polish tests: the browser tests' filled store and offline review of it,
and pages built at the size the window gives them."""

from __future__ import annotations

from tests.ui.helpers import open_page

from ..browsers.conftest import filled_store, offline  # noqa: F401 - the browser tests' fixtures


def build(qtbot, context, key: str, *, width: int = 1100, height: int = 700):
    """A page as the window shows it, once its first reads have landed."""
    return open_page(qtbot, context, key, size=(width, height))

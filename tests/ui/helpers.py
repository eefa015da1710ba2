"""Drivers the UI tests share: a sidebar page opened the way the window opens it, and waiting
until a browser's rows have landed."""

from __future__ import annotations

from viva_desktop.ui import pages as registry


def open_page(qtbot, context, key: str, *, size: tuple[int, int] | None = None):
    """The page `key`, retranslated, shown (at `size`), once its first reads have landed."""
    spec = registry.page_spec(key)
    assert spec is not None
    page = spec.factory(context)
    qtbot.addWidget(page)
    page.retranslate()
    if size is not None:
        page.resize(*size)
    page.show()
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=10_000)
    return page


def wait_loaded(qtbot, model, timeout: int = 10_000) -> None:
    """Until the model's current read has landed."""
    qtbot.waitUntil(
        lambda: model.loaded_once and not model.loading and not model.fetching, timeout=timeout
    )

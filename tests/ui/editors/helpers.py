"""Small drivers for the editor tests: select rows, fill and submit forms."""

from __future__ import annotations

from typing import Any

from tests.ui.helpers import wait_loaded
from viva_desktop.ui.editors.form import EditorDialog, FormState

FINAL = (FormState.SAVED, FormState.QUEUED, FormState.FAILED, FormState.PARTIAL)


def wait_rows(qtbot, browser) -> None:
    wait_loaded(qtbot, browser.model)


def select(qtbot, page, record_id: str) -> None:
    wait_rows(qtbot, page.browser)
    page.browser.select_ids([record_id])
    assert page.browser.current_row() is not None, f"{record_id} is not in the table"


def fill(dialog: EditorDialog, **values: Any) -> None:
    for name, value in values.items():
        field = dialog.fields[name]
        if hasattr(field, "set_text") and isinstance(value, str):
            field.set_text(value)
        elif hasattr(field, "set_moment") and not isinstance(value, str):
            field.set_moment(value)
        else:
            field.load(value)
            field.edited.emit()


def submit(qtbot, dialog: EditorDialog, *, confirm: bool = True) -> FormState:
    """Press the main button (twice when warnings ask for a second look) and wait."""
    dialog.submit_button.click()
    if confirm and dialog.state is FormState.CONFIRM:
        dialog.submit_button.click()
    if dialog.state in (FormState.INVALID, FormState.CONFIRM):
        return dialog.state
    qtbot.waitUntil(lambda: dialog.state in FINAL, timeout=15_000)
    return dialog.state

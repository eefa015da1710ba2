"""`DataChanges`: tells every open browser that the store's data changed.

The sync page, the editors and the outbox replay all write the store in the background; the
browsers read it. Instead of polling, writers call `notify(...)` with the entities they touched
and browsers reload (at once when shown, or when next shown).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from viva_desktop.ui.common.context import AppContext


class DataChanges(QObject):
    changed = Signal(object)  # frozenset[str] of store entities; empty: everything

    def notify(self, *entities: str) -> None:
        self.changed.emit(frozenset(entities))

    @staticmethod
    def touches(changed: frozenset[str], entity: str) -> bool:
        return not changed or entity in changed


def data_changes_of(context: AppContext) -> DataChanges:
    """The context's one change hub (created on first use).

    A background task can finish after the application context was torn down (quitting while
    a sync runs); its notification then goes to a detached hub nobody listens to.
    """
    if not shiboken6.isValid(context):
        return DataChanges()
    hub = context.findChild(DataChanges)
    if hub is None:
        hub = DataChanges(context)
    return hub

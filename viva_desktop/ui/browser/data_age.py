"""How old a browser's local copy is: read on a worker thread, said as "Data as of …"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QCoreApplication

from viva_desktop.services.local.store import Store
from viva_desktop.ui.common.formatting import age_text
from viva_desktop.ui.models.columns import local_datetime_text

# The strings kept their translation context ("EntityBrowser") when they moved here, written
# as a literal in each call: pyside6-lupdate extracts nothing whose context is a variable.


@dataclass(frozen=True)
class DataAgeInfo:
    complete_at: datetime | None  # the last complete sync of the entity
    newest: datetime | None  # the most recently synced record
    count: int


def read_data_age(
    store: Store, entity: str, profile: str, account: str | None = None
) -> DataAgeInfo:
    """How old the local copy of `entity` is (worker thread), in `account`'s scope for a
    per-caller entity."""
    state = store.sync_state(profile, entity, account=account)
    age = store.data_age(entity, profile, account=account)
    return DataAgeInfo(state.last_complete_at if state else None, age.newest, age.count)


def never_synced(info: DataAgeInfo | None) -> bool:
    """Whether nothing of the entity was ever downloaded (None: not known yet)."""
    return info is not None and info.complete_at is None and info.newest is None


def age_texts(info: DataAgeInfo | None) -> tuple[str, str]:
    """The label's text and tooltip for `info`."""
    when = (info.complete_at or info.newest) if info is not None else None
    if when is None:
        return (
            QCoreApplication.translate("EntityBrowser", "Not synced yet"),
            QCoreApplication.translate(
                "EntityBrowser", "Open the Sync page to download this server's data."
            ),
        )
    shown = local_datetime_text(when)
    return (
        QCoreApplication.translate("EntityBrowser", "Data as of {time} ({age})").format(
            time=shown, age=age_text(when)
        ),
        QCoreApplication.translate(
            "EntityBrowser", "The local copy was last updated from the server at {time}."
        ).format(time=shown),
    )

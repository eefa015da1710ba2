"""The first sync of a profile: the browsers read the local copy, so on the first sign-in to a
profile whose data was never synced the window starts a sync at once (on the Sync page, so it
shows progress and can be cancelled) instead of showing empty tables. A profile whose last sync
left rate-limit waits (stored, also across a restart) gets its Sync page made, which resumes
them on time."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from viva_desktop.ui.pages import page_spec

if TYPE_CHECKING:
    from viva_desktop.ui.shell.main_window import MainWindow

log = logging.getLogger("viva.ui.window")


class FirstSync:
    """Checks, once per profile, whether the signed-in profile was ever synced, and starts its
    first sync on the window's Sync page if not. Owned by the window, it keeps no reference
    back to it (the window is passed in), so it never keeps a closed window alive."""

    def __init__(self) -> None:
        self._checked: set[str] = set()

    def start_if_needed(self, window: MainWindow) -> None:
        """Look up the profile's sync state off the GUI thread; start the sync if it has none."""
        from viva_desktop.services.local.sync import waits as stored_waits  # not at start-up
        from viva_desktop.ui.common.worker import run_task

        context = window.context
        if context is None:
            return
        store, profile = context.store, context.profile_name
        if context.session_info is None or context.offline_mode or store is None or not profile:
            return
        if page_spec("sync") is None or profile in self._checked:
            return
        self._checked.add(profile)
        run_task(
            lambda: (not store.sync_states(profile), bool(stored_waits.pending(store, profile))),
            on_done=lambda found: self._found(window, profile, *found),
            on_error=lambda exc: log.info("cannot read the sync state: %s", exc),
            parent=window,
            name="first sync check",
        )

    def _found(self, window: MainWindow, profile: str, never: bool, waiting: bool) -> None:
        if never:
            self._start(window, profile)
        elif waiting and window.context is not None and window.context.profile_name == profile:
            window.page("sync")  # its overview read schedules the resume

    @staticmethod
    def _start(window: MainWindow, profile: str) -> None:
        context = window.context
        if context is None or context.profile_name != profile or context.session_info is None:
            return
        log.info("no local copy of %s yet: starting the first sync", profile)
        sync_page = window.page("sync")
        start = getattr(sync_page, "start_sync", None)
        if start is not None:
            start()

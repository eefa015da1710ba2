"""Errors of the offline store, in the shape of every service error (`api.errors.ApiError`):
a translated message, a next step, and technical details for the error dialog."""

from __future__ import annotations

from viva_desktop.services.common.i18n import translate
from viva_desktop.services.remote.api.errors import ApiError, ErrorDetails, NextStep


class StoreError(ApiError):
    """Base of the store's errors; `technical` is the database's own words (no password)."""

    def __init__(self, user_message: str, technical: str, next_step: NextStep) -> None:
        super().__init__(
            user_message,
            details=ErrorDetails(server_message=technical),
            next_step=next_step,
        )
        self.technical = technical

    def __str__(self) -> str:
        return f"{self.user_message} ({self.technical})"


class StoreUnavailable(StoreError):
    """The store's database cannot be reached or opened (after the configured retries)."""

    def __init__(self, url: str, reason: str, *, attempts: int = 1) -> None:
        self.url = redact_url(url)
        self.reason = reason
        self.attempts = attempts
        super().__init__(
            translate(
                "Store",
                "The local data store could not be opened. Check that its database is "
                "running and reachable, or switch to the local SQLite store in Settings.",
            ),
            f"{self.url}: {reason} (after {attempts} attempt(s))",
            NextStep.CHECK_CONNECTION,
        )


class StoreMigrationError(StoreError):
    """The store's schema could not be brought up to date; `backup` is the copy made first."""

    def __init__(self, url: str, reason: str, backup: str | None = None) -> None:
        self.backup = backup
        super().__init__(
            translate(
                "Store",
                "The local data store could not be upgraded. Restore its backup copy or "
                "start with a fresh store.",
            ),
            f"{redact_url(url)}: {reason}" + (f" (backup: {backup})" if backup else ""),
            NextStep.NONE,
        )


class StoreBusy(StoreError):
    """Another client of a shared store holds the lock for this job (a sync or a replay)."""

    def __init__(self, job: str) -> None:
        super().__init__(
            translate(
                "Store",
                "Another copy of Viva Desktop is working on this data right now. "
                "Try again when it has finished.",
            ),
            f"lock held: {job}",
            NextStep.WAIT,
        )
        self.job = job


def redact_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<invalid database URL>"

"""The page registry: the sidebar shows these pages, in this order.

Adding a page is one entry in `PAGES`: a key (also the screenshot's file name), a title marked
for translation with `QT_TRANSLATE_NOOP("Pages", ...)`, an icon name from `resources/icons/`,
a factory `(context) -> Page` (import inside it, so start-up stays fast), and whether only
administrators may use it. The intended order is the one of issue 5: Dashboard, Communities,
Members, Offers, Events, Posts, Credits, Moderation, Sync, Configuration, Smoke & audit, Logs
(plus Health and Database entries if the admin pages need their own).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QCoreApplication

from viva_desktop.services.common.i18n import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from viva_desktop.ui.common.context import AppContext
    from viva_desktop.ui.pages.base import Page

PageFactory = Callable[["AppContext"], "Page"]


class PageSpec(NamedTuple):
    """A sidebar entry (a NamedTuple, not a dataclass: this module is imported before the
    first paint, and `dataclasses` would add its own import to it)."""

    key: str
    title: str  # English source text, context "Pages"; shown through `display_title()`
    icon: str
    factory: PageFactory
    admin_only: bool = False

    def display_title(self) -> str:
        return QCoreApplication.translate("Pages", self.title)


def _dashboard(context: AppContext) -> Page:
    from viva_desktop.ui.pages.dashboard import DashboardPage

    return DashboardPage(context)


def _communities(context: AppContext) -> Page:
    from viva_desktop.ui.pages.communities import CommunitiesPage

    return CommunitiesPage(context)


def _members(context: AppContext) -> Page:
    from viva_desktop.ui.pages.members import MembersPage

    return MembersPage(context)


def _offers(context: AppContext) -> Page:
    from viva_desktop.ui.pages.offers import OffersPage

    return OffersPage(context)


def _events(context: AppContext) -> Page:
    from viva_desktop.ui.pages.events import EventsPage

    return EventsPage(context)


def _posts(context: AppContext) -> Page:
    from viva_desktop.ui.pages.posts import PostsPage

    return PostsPage(context)


def _credits(context: AppContext) -> Page:
    from viva_desktop.ui.pages.credits import CreditsPage

    return CreditsPage(context)


def _moderation(context: AppContext) -> Page:
    from viva_desktop.ui.pages.moderation import ModerationPage

    return ModerationPage(context)


def _reports(context: AppContext) -> Page:
    from viva_desktop.ui.pages.reports import ReportsPage

    return ReportsPage(context)


def _sync(context: AppContext) -> Page:
    from viva_desktop.ui.pages.sync import SyncPage

    return SyncPage(context)


def _audit(context: AppContext) -> Page:
    from viva_desktop.ui.pages.audit import AuditPage

    return AuditPage(context)


def _health(context: AppContext) -> Page:
    from viva_desktop.ui.pages.health import HealthPage

    return HealthPage(context)


def _database(context: AppContext) -> Page:
    from viva_desktop.ui.pages.database import DatabasePage

    return DatabasePage(context)


def _configuration(context: AppContext) -> Page:
    from viva_desktop.ui.pages.configuration import ConfigurationPage

    return ConfigurationPage(context)


def _smoke(context: AppContext) -> Page:
    from viva_desktop.ui.pages.smoke import SmokePage

    return SmokePage(context)


def _logs(context: AppContext) -> Page:
    from viva_desktop.ui.pages.logs import LogsPage

    return LogsPage(context)


PAGES: list[PageSpec] = [
    PageSpec("dashboard", QT_TRANSLATE_NOOP("Pages", "Dashboard"), "dashboard", _dashboard),
    # The coordinators' workspace: entity browsers and editors over the offline store, then Sync.
    PageSpec("communities", QT_TRANSLATE_NOOP("Pages", "Communities"), "communities", _communities),
    PageSpec("members", QT_TRANSLATE_NOOP("Pages", "Members"), "members", _members),
    PageSpec("offers", QT_TRANSLATE_NOOP("Pages", "Offers"), "offers", _offers),
    PageSpec("events", QT_TRANSLATE_NOOP("Pages", "Events"), "events", _events),
    PageSpec("posts", QT_TRANSLATE_NOOP("Pages", "Posts"), "posts", _posts),
    PageSpec("credits", QT_TRANSLATE_NOOP("Pages", "Credits"), "credits", _credits),
    PageSpec("moderation", QT_TRANSLATE_NOOP("Pages", "Moderation"), "moderation", _moderation),
    PageSpec("sync", QT_TRANSLATE_NOOP("Pages", "Sync"), "sync", _sync),
    PageSpec("reports", QT_TRANSLATE_NOOP("Pages", "Reports"), "reports", _reports),
    # Every write this app made on the profile (issue 13): who, what, before/after, outcome.
    PageSpec("audit", QT_TRANSLATE_NOOP("Pages", "Audit log"), "logs", _audit),
    # The administrators' tools close the list, after the entity pages and Sync. Health,
    # configuration, smoke checks and logs need no administrator account (the health routes and
    # the smoke checks need no login at all; the others are this computer's own); the database
    # panel reads a deployment's database and is for administrators.
    PageSpec("health", QT_TRANSLATE_NOOP("Pages", "Health"), "health", _health),
    PageSpec("database", QT_TRANSLATE_NOOP("Pages", "Database"), "database", _database, True),
    PageSpec(
        "configuration",
        QT_TRANSLATE_NOOP("Pages", "Configuration"),
        "configuration",
        _configuration,
    ),
    PageSpec("smoke", QT_TRANSLATE_NOOP("Pages", "Smoke & audit"), "smoke", _smoke),
    PageSpec("logs", QT_TRANSLATE_NOOP("Pages", "Logs"), "logs", _logs),
]


def pages() -> list[PageSpec]:
    """The registered pages, in sidebar order (keys are unique)."""
    seen: set[str] = set()
    result = []
    for spec in PAGES:
        if spec.key in seen:
            raise ValueError(f"two pages are registered under the key {spec.key!r}")
        seen.add(spec.key)
        result.append(spec)
    return result


def page_spec(key: str) -> PageSpec | None:
    return next((spec for spec in PAGES if spec.key == key), None)

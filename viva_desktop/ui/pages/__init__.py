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
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from viva_desktop.services.i18n import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from viva_desktop.ui.context import AppContext
    from viva_desktop.ui.pages.base import Page

PageFactory = Callable[["AppContext"], "Page"]


@dataclass(frozen=True)
class PageSpec:
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


PAGES: list[PageSpec] = [
    PageSpec("dashboard", QT_TRANSLATE_NOOP("Pages", "Dashboard"), "dashboard", _dashboard),
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

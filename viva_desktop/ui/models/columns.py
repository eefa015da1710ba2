"""What each browser column is: the store column it shows, its title and how to render it.

Titles are marked with `QT_TRANSLATE_NOOP("Columns", ...)` and translated at display time, so a
language switch retitles every open table. Column keys are the store's own column names: the
same key sorts, filters, facets and exports, so a view and its CSV export always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from functools import cached_property
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, Qt

from viva_desktop.services.common.i18n import QT_TRANSLATE_NOOP
from viva_desktop.ui.common import timefmt
from viva_desktop.ui.common.emoji import visible_emoji


class Kind(Enum):
    TEXT = "text"
    INTEGER = "integer"
    SIGNED = "signed"  # credit movements: always show the sign
    MONEY = "money"
    DATETIME = "datetime"
    ENUM = "enum"
    COMMUNITY = "community"  # a community id, shown by name
    USER = "user"  # a user id, shown by name


NUMERIC = frozenset({Kind.INTEGER, Kind.SIGNED, Kind.MONEY})
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
_LEFT = int((Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter).value)


@dataclass(frozen=True)
class ColumnDef:
    key: str  # the store column
    title: str  # English source, context "Columns"
    kind: Kind = Kind.TEXT
    visible: bool = True  # shown until the user configures the columns
    width: int | None = None
    # A server counter whose rows are stored here: the store column counting the stored ones
    # (None until read), shown instead, with the server's counter when they disagree.
    counted: str | None = None

    def display_title(self) -> str:
        return QCoreApplication.translate("Columns", self.title)

    @property
    def default_width(self) -> int | None:
        """Pixels to start with (dates need room for the date and the time)."""
        if self.width:
            return self.width
        return 140 if self.kind is Kind.DATETIME else None

    @cached_property
    def alignment(self) -> int:
        return _RIGHT if self.kind in NUMERIC else _LEFT


def _c(key: str, title: str, kind: Kind = Kind.TEXT, *, visible: bool = True, width=None):
    return ColumnDef(key, title, kind, visible, width)


COMMUNITY_COLUMNS = (
    _c("name", QT_TRANSLATE_NOOP("Columns", "Name"), width=220),
    _c("slug", QT_TRANSLATE_NOOP("Columns", "Slug"), visible=False),
    _c("type", QT_TRANSLATE_NOOP("Columns", "Type"), Kind.ENUM),
    _c("visibility", QT_TRANSLATE_NOOP("Columns", "Visibility"), Kind.ENUM),
    _c("location", QT_TRANSLATE_NOOP("Columns", "Location")),
    _c("members", QT_TRANSLATE_NOOP("Columns", "Members"), Kind.INTEGER),
    _c("offers_count", QT_TRANSLATE_NOOP("Columns", "Offers"), Kind.INTEGER),
    _c("events_count", QT_TRANSLATE_NOOP("Columns", "Events"), Kind.INTEGER),
    _c("created_at", QT_TRANSLATE_NOOP("Columns", "Created"), Kind.DATETIME),
    _c("updated_at", QT_TRANSLATE_NOOP("Columns", "Updated"), Kind.DATETIME, visible=False),
)

USER_COLUMNS = (
    _c("name", QT_TRANSLATE_NOOP("Columns", "Name"), width=200),
    _c("email", QT_TRANSLATE_NOOP("Columns", "E-mail")),
    _c("role", QT_TRANSLATE_NOOP("Columns", "Role"), Kind.ENUM),
    _c("community_id", QT_TRANSLATE_NOOP("Columns", "Community"), Kind.COMMUNITY),
    _c("credits", QT_TRANSLATE_NOOP("Columns", "Credits"), Kind.INTEGER),
    _c("level", QT_TRANSLATE_NOOP("Columns", "Level"), Kind.INTEGER),
    _c("synced_at", QT_TRANSLATE_NOOP("Columns", "Synced"), Kind.DATETIME, visible=False),
)

# Hidden: made or changed here and not (yet) on the server; a facet of the browsers that can
# create records, so local-only records can be found (or left out).
LOCAL_STATE = _c(
    "local_changes", QT_TRANSLATE_NOOP("Columns", "Local changes"), Kind.ENUM, visible=False
)

OFFER_COLUMNS = (
    _c("title", QT_TRANSLATE_NOOP("Columns", "Title"), width=240),
    _c("type", QT_TRANSLATE_NOOP("Columns", "Type"), Kind.ENUM),
    _c("category", QT_TRANSLATE_NOOP("Columns", "Category")),
    _c("status", QT_TRANSLATE_NOOP("Columns", "Status"), Kind.ENUM),
    _c("user_name", QT_TRANSLATE_NOOP("Columns", "Owner")),
    _c("community_id", QT_TRANSLATE_NOOP("Columns", "Community"), Kind.COMMUNITY),
    _c("price_eur", QT_TRANSLATE_NOOP("Columns", "Price (€)"), Kind.MONEY),
    _c("price_credits", QT_TRANSLATE_NOOP("Columns", "Price (credits)"), Kind.INTEGER),
    _c("created_at", QT_TRANSLATE_NOOP("Columns", "Created"), Kind.DATETIME),
    _c("updated_at", QT_TRANSLATE_NOOP("Columns", "Updated"), Kind.DATETIME, visible=False),
    LOCAL_STATE,
)

EVENT_COLUMNS = (
    _c("title", QT_TRANSLATE_NOOP("Columns", "Title"), width=240),
    _c("type", QT_TRANSLATE_NOOP("Columns", "Type"), Kind.ENUM),
    _c("status", QT_TRANSLATE_NOOP("Columns", "Status"), Kind.ENUM),
    _c("starts_at", QT_TRANSLATE_NOOP("Columns", "Starts"), Kind.DATETIME),
    _c("ends_at", QT_TRANSLATE_NOOP("Columns", "Ends"), Kind.DATETIME, visible=False),
    _c("organizer_name", QT_TRANSLATE_NOOP("Columns", "Organizer")),
    _c("community_id", QT_TRANSLATE_NOOP("Columns", "Community"), Kind.COMMUNITY),
    _c("address", QT_TRANSLATE_NOOP("Columns", "Address"), visible=False),
    _c("capacity", QT_TRANSLATE_NOOP("Columns", "Capacity"), Kind.INTEGER),
    _c("attendees", QT_TRANSLATE_NOOP("Columns", "Attendees"), Kind.INTEGER),
    _c("created_at", QT_TRANSLATE_NOOP("Columns", "Created"), Kind.DATETIME, visible=False),
    LOCAL_STATE,
)

POST_COLUMNS = (
    _c("excerpt", QT_TRANSLATE_NOOP("Columns", "Content"), width=320),
    _c("type", QT_TRANSLATE_NOOP("Columns", "Type"), Kind.ENUM),
    _c("visibility", QT_TRANSLATE_NOOP("Columns", "Visibility"), Kind.ENUM),
    _c("author_name", QT_TRANSLATE_NOOP("Columns", "Author")),
    _c("author_id", QT_TRANSLATE_NOOP("Columns", "Author account"), Kind.USER, visible=False),
    ColumnDef(
        "comments_count",
        QT_TRANSLATE_NOOP("Columns", "Comments"),
        Kind.INTEGER,
        counted="comments_stored",
    ),
    _c("created_at", QT_TRANSLATE_NOOP("Columns", "Created"), Kind.DATETIME),
    _c("edited_at", QT_TRANSLATE_NOOP("Columns", "Edited"), Kind.DATETIME, visible=False),
    LOCAL_STATE,
)

TRANSACTION_COLUMNS = (
    _c("created_at", QT_TRANSLATE_NOOP("Columns", "Date"), Kind.DATETIME),
    _c("amount", QT_TRANSLATE_NOOP("Columns", "Amount"), Kind.SIGNED),
    _c("balance", QT_TRANSLATE_NOOP("Columns", "Balance"), Kind.INTEGER),
    _c("reason", QT_TRANSLATE_NOOP("Columns", "Reason"), Kind.ENUM),
    _c("description", QT_TRANSLATE_NOOP("Columns", "Description"), width=260),
    _c("related_id", QT_TRANSLATE_NOOP("Columns", "Reference"), visible=False),
    _c("expires_at", QT_TRANSLATE_NOOP("Columns", "Expires"), Kind.DATETIME, visible=False),
)

LEADERBOARD_COLUMNS = (
    _c("name", QT_TRANSLATE_NOOP("Columns", "Name"), width=220),
    _c("credits", QT_TRANSLATE_NOOP("Columns", "Credits"), Kind.INTEGER),
    _c("level", QT_TRANSLATE_NOOP("Columns", "Level"), Kind.INTEGER),
    _c("community_id", QT_TRANSLATE_NOOP("Columns", "Community"), Kind.COMMUNITY),
    _c("role", QT_TRANSLATE_NOOP("Columns", "Role"), Kind.ENUM, visible=False),
)

MODERATION_COLUMNS = (
    _c("report_reason", QT_TRANSLATE_NOOP("Columns", "Reason"), width=280),
    _c("content_type", QT_TRANSLATE_NOOP("Columns", "Content type"), Kind.ENUM),
    _c("status", QT_TRANSLATE_NOOP("Columns", "Status"), Kind.ENUM),
    _c("deadline", QT_TRANSLATE_NOOP("Columns", "Deadline"), Kind.DATETIME),
    _c("reporter_id", QT_TRANSLATE_NOOP("Columns", "Reported by"), Kind.USER),
    _c("final_decision", QT_TRANSLATE_NOOP("Columns", "Decision"), Kind.ENUM),
    _c("created_at", QT_TRANSLATE_NOOP("Columns", "Reported"), Kind.DATETIME),
    _c("content_id", QT_TRANSLATE_NOOP("Columns", "Content id"), visible=False),
)


# --------------------------------------------------------------------------- rendering

_ENUM_LABELS = {
    # local changes (`local_changes`: lower case, never a server enum)
    "created": QT_TRANSLATE_NOOP("Enums", "Not on the server yet"),
    "failed": QT_TRANSLATE_NOOP("Enums", "Could not be created"),
    "updated": QT_TRANSLATE_NOOP("Enums", "Edited here, not sent yet"),
    "deleted": QT_TRANSLATE_NOOP("Enums", "Deleted here, not sent yet"),
    # communities
    "NEIGHBORHOOD": QT_TRANSLATE_NOOP("Enums", "Neighbourhood"),
    "VILLAGE": QT_TRANSLATE_NOOP("Enums", "Village"),
    "TOWN": QT_TRANSLATE_NOOP("Enums", "Town"),
    "COUNTY": QT_TRANSLATE_NOOP("Enums", "County"),
    "REGION": QT_TRANSLATE_NOOP("Enums", "Region"),
    "CUSTOM": QT_TRANSLATE_NOOP("Enums", "Custom"),
    "PRIVATE": QT_TRANSLATE_NOOP("Enums", "Private"),
    "PUBLIC": QT_TRANSLATE_NOOP("Enums", "Public"),
    "OPEN": QT_TRANSLATE_NOOP("Enums", "Open"),
    "FEDERATED": QT_TRANSLATE_NOOP("Enums", "Federated"),
    # roles
    "CITIZEN": QT_TRANSLATE_NOOP("Enums", "Citizen"),
    "MERCHANT": QT_TRANSLATE_NOOP("Enums", "Merchant"),
    "ADMIN": QT_TRANSLATE_NOOP("Enums", "Administrator"),
    "MODERATOR": QT_TRANSLATE_NOOP("Enums", "Moderator"),
    "PUBLIC_ENTITY": QT_TRANSLATE_NOOP("Enums", "Public entity"),
    # offers
    "PRODUCT": QT_TRANSLATE_NOOP("Enums", "Product"),
    "SERVICE": QT_TRANSLATE_NOOP("Enums", "Service"),
    "TIME_BANK": QT_TRANSLATE_NOOP("Enums", "Time bank"),
    "GROUP_BUY": QT_TRANSLATE_NOOP("Enums", "Group buy"),
    "EVENT": QT_TRANSLATE_NOOP("Enums", "Event"),
    "ACTIVE": QT_TRANSLATE_NOOP("Enums", "Active"),
    "PAUSED": QT_TRANSLATE_NOOP("Enums", "Paused"),
    "COMPLETED": QT_TRANSLATE_NOOP("Enums", "Completed"),
    "EXPIRED": QT_TRANSLATE_NOOP("Enums", "Expired"),
    "CANCELLED": QT_TRANSLATE_NOOP("Enums", "Cancelled"),
    # events
    "WORKSHOP": QT_TRANSLATE_NOOP("Enums", "Workshop"),
    "CLEANUP": QT_TRANSLATE_NOOP("Enums", "Clean-up"),
    "MARKET": QT_TRANSLATE_NOOP("Enums", "Market"),
    "SOCIAL": QT_TRANSLATE_NOOP("Enums", "Social"),
    "REPAIR_CAFE": QT_TRANSLATE_NOOP("Enums", "Repair café"),
    "COMMUNITY_MEAL": QT_TRANSLATE_NOOP("Enums", "Community meal"),
    "SKILLSHARE": QT_TRANSLATE_NOOP("Enums", "Skill share"),
    "VIRTUAL": QT_TRANSLATE_NOOP("Enums", "Virtual"),
    "IN_PERSON": QT_TRANSLATE_NOOP("Enums", "In person"),
    "HYBRID": QT_TRANSLATE_NOOP("Enums", "Hybrid"),
    # posts
    "STORY": QT_TRANSLATE_NOOP("Enums", "Story"),
    "NEED": QT_TRANSLATE_NOOP("Enums", "Need"),
    "OFFER": QT_TRANSLATE_NOOP("Enums", "Offer"),
    "THANKS": QT_TRANSLATE_NOOP("Enums", "Thanks"),
    "ACHIEVEMENT": QT_TRANSLATE_NOOP("Enums", "Achievement"),
    "MILESTONE": QT_TRANSLATE_NOOP("Enums", "Milestone"),
    "TIP": QT_TRANSLATE_NOOP("Enums", "Tip"),
    "NEIGHBORS": QT_TRANSLATE_NOOP("Enums", "Neighbours"),
    "FRIENDS": QT_TRANSLATE_NOOP("Enums", "Friends"),
    # moderation
    "POST": QT_TRANSLATE_NOOP("Enums", "Post"),
    "COMMENT": QT_TRANSLATE_NOOP("Enums", "Comment"),
    "MESSAGE": QT_TRANSLATE_NOOP("Enums", "Message"),
    "REVIEW": QT_TRANSLATE_NOOP("Enums", "Review"),
    "COMMUNITY": QT_TRANSLATE_NOOP("Enums", "Community"),
    "TIMEBANK": QT_TRANSLATE_NOOP("Enums", "Time bank"),
    "VOTING": QT_TRANSLATE_NOOP("Enums", "Voting"),
    "EXECUTED": QT_TRANSLATE_NOOP("Enums", "Decided"),
    "KEEP": QT_TRANSLATE_NOOP("Enums", "Keep"),
    "REMOVE": QT_TRANSLATE_NOOP("Enums", "Remove"),
    "WARN": QT_TRANSLATE_NOOP("Enums", "Warn"),
    # requests
    "PENDING": QT_TRANSLATE_NOOP("Enums", "Pending"),
    "APPROVED": QT_TRANSLATE_NOOP("Enums", "Approved"),
    "REJECTED": QT_TRANSLATE_NOOP("Enums", "Rejected"),
    "DISTRIBUTED": QT_TRANSLATE_NOOP("Enums", "Distributed"),
    # credit reasons
    "ADMIN_GRANT": QT_TRANSLATE_NOOP("Enums", "Admin grant"),
    "ADMIN_DEDUCT": QT_TRANSLATE_NOOP("Enums", "Admin deduction"),
    "COMMUNITY_HELP": QT_TRANSLATE_NOOP("Enums", "Community help"),
    "EVENT_ATTENDANCE": QT_TRANSLATE_NOOP("Enums", "Event attendance"),
    "PURCHASE": QT_TRANSLATE_NOOP("Enums", "Purchase"),
    "TIME_BANK_HOUR": QT_TRANSLATE_NOOP("Enums", "Time bank hour"),
    "LOCAL_PURCHASE": QT_TRANSLATE_NOOP("Enums", "Local purchase"),
    "REFERRAL": QT_TRANSLATE_NOOP("Enums", "Referral"),
    "ECO_ACTION": QT_TRANSLATE_NOOP("Enums", "Eco action"),
    "DAILY_SEED": QT_TRANSLATE_NOOP("Enums", "Daily seed"),
    "SUPPORT_POST": QT_TRANSLATE_NOOP("Enums", "Supporting a post"),
    "OFFER_CREATED": QT_TRANSLATE_NOOP("Enums", "Offer created"),
    "EXPIRATION": QT_TRANSLATE_NOOP("Enums", "Expiration"),
    "DISCOUNT": QT_TRANSLATE_NOOP("Enums", "Discount"),
    "EVENT_ACCESS": QT_TRANSLATE_NOOP("Enums", "Event access"),
    "ADJUSTMENT": QT_TRANSLATE_NOOP("Enums", "Adjustment"),
    "SYSTEM_REWARD": QT_TRANSLATE_NOOP("Enums", "System reward"),
}


def enum_label(value: Any) -> str:
    """A readable, translated label for a server enum value (unknown values made readable)."""
    if value is None or value == "":
        return ""
    text = str(value)
    source = _ENUM_LABELS.get(text)
    if source is not None:
        return QCoreApplication.translate("Enums", source)
    return text.replace("_", " ").capitalize()


def local_datetime_text(value: datetime | None) -> str:
    """A stored (aware UTC) moment in the chosen zone, in the UI language's short format."""
    if value is None:
        return ""
    return timefmt.datetime_text(value)


def counted_text(server: Any, stored: Any) -> str:
    """A count column's cell: the rows stored here, and the server's counter beside it when
    it says otherwise ("1 (server: 3)"); the server's alone before any was read."""
    locale = QLocale()
    if not isinstance(stored, int) or isinstance(stored, bool):
        return locale.toString(int(server)) if isinstance(server, int) else ""
    text = locale.toString(stored)
    if isinstance(server, int) and server != stored:
        return QCoreApplication.translate("Columns", "{stored} (server: {server})").format(
            stored=text, server=locale.toString(server)
        )
    return text


def display_value(column: ColumnDef, value: Any, names: dict[str, str] | None = None) -> str:
    """The text a table cell shows for `value`."""
    if value is None:
        return ""
    kind = column.kind
    locale = QLocale()
    if kind is Kind.DATETIME and isinstance(value, datetime):
        return local_datetime_text(value)
    if kind is Kind.MONEY and isinstance(value, int | float):
        return locale.toCurrencyString(float(value), "€")
    if kind is Kind.SIGNED and isinstance(value, int | float):
        text = locale.toString(int(value))
        return f"+{text}" if value > 0 else text
    if kind is Kind.INTEGER and isinstance(value, int | float) and not isinstance(value, bool):
        return locale.toString(int(value))
    if kind is Kind.ENUM:
        return enum_label(value)
    if kind in (Kind.COMMUNITY, Kind.USER):
        return visible_emoji((names or {}).get(str(value), str(value)))
    return visible_emoji(str(value))

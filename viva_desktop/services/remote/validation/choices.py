"""The server's enums and limits (contract §6.6 and §7): the values each request field may take.

Each enum is a `Literal` (what the request tables declare) and a tuple of the same values (what
the forms offer in their choice lists).
"""

from __future__ import annotations

from typing import Literal, get_args

UserRole = Literal["CITIZEN", "MERCHANT", "ADMIN", "MODERATOR", "PUBLIC_ENTITY"]
CreditReason = Literal[
    "TIME_BANK_HOUR",
    "LOCAL_PURCHASE",
    "EVENT_ATTENDANCE",
    "REFERRAL",
    "ECO_ACTION",
    "COMMUNITY_HELP",
    "DAILY_SEED",
    "SUPPORT_POST",
    "ADMIN_GRANT",
    "ADMIN_DEDUCT",
    "EXPIRATION",
    "OFFER_CREATED",
    "REVIEW",
    "PURCHASE",
    "DISCOUNT",
    "SERVICE",
    "EVENT_ACCESS",
    "ADJUSTMENT",
    "SYSTEM_REWARD",
]
OfferType = Literal["PRODUCT", "SERVICE", "TIME_BANK", "GROUP_BUY", "EVENT"]
EventDtoType = Literal["VIRTUAL", "IN_PERSON", "HYBRID"]
CommunityType = Literal["NEIGHBORHOOD", "VILLAGE", "TOWN", "COUNTY", "REGION", "CUSTOM"]
CommunityVisibility = Literal["PRIVATE", "PUBLIC", "OPEN", "FEDERATED"]
OrganizedCommunityType = Literal[
    "CONSUMER_GROUP",
    "HOUSING_COOP",
    "COMMUNITY_BAR",
    "SOCIAL_CENTER",
    "WORKER_COOP",
    "NEIGHBORHOOD_ASSOCIATION",
    "TRANSITION_TOWN",
    "ECOVILLAGE",
    "SOLIDARITY_NETWORK",
    "CULTURAL_SPACE",
]
PostType = Literal["STORY", "NEED", "OFFER", "THANKS", "ACHIEVEMENT", "MILESTONE", "TIP"]
PostVisibility = Literal["PUBLIC", "NEIGHBORS", "FRIENDS", "PRIVATE"]
ModerationContentType = Literal[
    "POST", "OFFER", "COMMENT", "MESSAGE", "REVIEW", "COMMUNITY", "EVENT", "TIMEBANK"
]
ModerationDecision = Literal["KEEP", "REMOVE", "WARN"]
PoolRequestStatus = Literal["PENDING", "APPROVED", "REJECTED", "DISTRIBUTED", "CANCELLED"]
MembershipAction = Literal["approve", "reject"]
"""Picks the route of a membership decision (`POST .../approve` or `.../reject`)."""
PoolAction = Literal["approve", "reject", "distribute"]
"""Picks the route of a decision on an economic pool request."""

USER_ROLES: tuple[str, ...] = get_args(UserRole)
CREDIT_REASONS: tuple[str, ...] = get_args(CreditReason)
OFFER_TYPES: tuple[str, ...] = get_args(OfferType)
EVENT_DTO_TYPES: tuple[str, ...] = get_args(EventDtoType)
COMMUNITY_TYPES: tuple[str, ...] = get_args(CommunityType)
COMMUNITY_VISIBILITIES: tuple[str, ...] = get_args(CommunityVisibility)
ORGANIZED_COMMUNITY_TYPES: tuple[str, ...] = get_args(OrganizedCommunityType)
POST_TYPES: tuple[str, ...] = get_args(PostType)
POST_VISIBILITIES: tuple[str, ...] = get_args(PostVisibility)
MODERATION_CONTENT_TYPES: tuple[str, ...] = get_args(ModerationContentType)
MODERATION_DECISIONS: tuple[str, ...] = get_args(ModerationDecision)
POOL_REQUEST_STATUSES: tuple[str, ...] = get_args(PoolRequestStatus)

# Daily limits of the earning rules (contract §6.6): they apply to admin grants too.
CREDIT_DAILY_LIMITS = {
    "EVENT_ATTENDANCE": 15,
    "LOCAL_PURCHASE": 20,
    "REFERRAL": 20,
    "ECO_ACTION": 10,
    "OFFER_CREATED": 6,
    "REVIEW": 10,
    "SUPPORT_POST": 5,
}
LARGE_GRANT = 1000
"""Grants above this many credits get a "please double-check" warning."""

SOCIAL_POST_MAX = 5000
COMMENT_MAX = 1000
PASSWORD_MIN = 6
NAME_MIN = 2
INT32_MAX = 2_147_483_647
WEB_LANGUAGES = ("es", "eu", "ca", "gl", "en")
WEB_CURRENCIES = ("EUR", "USD", "GBP")

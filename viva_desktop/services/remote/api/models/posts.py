"""Posts, comments, reactions and the social feed (contract §6.5)."""

from __future__ import annotations

from pydantic import Field

from viva_desktop.services.remote.api.models.base import Counts, UserRef, UtcDatetime, VivaModel


class Comment(VivaModel):
    id: str
    post_id: str | None = None
    author_id: str | None = None
    content: str | None = None
    created_at: UtcDatetime | None = None
    edited_at: UtcDatetime | None = None
    user: UserRef | None = Field(default=None, alias="User")


class Reaction(VivaModel):
    id: str
    post_id: str | None = None
    user_id: str | None = None
    type: str | None = None
    created_at: UtcDatetime | None = None
    user: UserRef | None = Field(default=None, alias="User")


class Post(VivaModel):
    id: str
    author_id: str | None = None
    content: str | None = None
    images: list[str] = Field(default_factory=list)
    lat: float | None = None
    lng: float | None = None
    type: str | None = None
    visibility: str | None = None
    tags: list[str] = Field(default_factory=list)
    mentions: list[str] = Field(default_factory=list)
    related_offer_id: str | None = None
    thanks_count: int | None = None
    supports_count: int | None = None
    comments_count: int | None = None
    shares_count: int | None = None
    helped_count: int | None = None
    created_at: UtcDatetime | None = None
    updated_at: UtcDatetime | None = None
    edited_at: UtcDatetime | None = None
    user: UserRef | None = Field(default=None, alias="User")
    user_reaction: str | None = None
    reactions: list[Reaction] = Field(default_factory=list, alias="Reaction")
    comments: list[Comment] = Field(default_factory=list, alias="Comment")
    counts: Counts | None = Field(default=None, alias="_count")


class FeedPage(VivaModel):
    """`GET /social/feed`: `has_more` only means the page came back full (§3.10)."""

    data: list[Post] = Field(default_factory=list)
    has_more: bool = False

"""Events and attendees (contract §6.4)."""

from __future__ import annotations

from pydantic import Field

from viva_desktop.services.remote.api.models.base import Counts, UserRef, UtcDatetime, VivaModel


class EventAttendee(VivaModel):
    id: str
    event_id: str | None = None
    user_id: str | None = None
    role: str | None = None
    registered_at: UtcDatetime | None = None
    checked_in_at: UtcDatetime | None = None
    feedback: str | None = None
    credits_earned: int | None = None
    user: UserRef | None = Field(default=None, alias="User")


class Event(VivaModel):
    """`qr_code` is the check-in token, which the server publishes (§13.2 S3): do not show it."""

    id: str
    offer_id: str | None = None
    organizer_id: str | None = None
    community_id: str | None = None
    title: str | None = None
    description: str | None = None
    image: str | None = None
    lat: float | None = None
    lng: float | None = None
    address: str | None = None
    starts_at: UtcDatetime | None = None
    ends_at: UtcDatetime | None = None
    capacity: int | None = None
    credits_reward: int | None = None
    tags: list[str] = Field(default_factory=list)
    type: str | None = None
    requirements: list[str] = Field(default_factory=list)
    status: str | None = None
    qr_code: str | None = Field(default=None, repr=False)
    created_at: UtcDatetime | None = None
    updated_at: UtcDatetime | None = None
    user: UserRef | None = Field(default=None, alias="User")
    attendees: list[EventAttendee] = Field(default_factory=list, alias="EventAttendee")
    counts: Counts | None = Field(default=None, alias="_count")
    distance: float | None = None

    @property
    def attendee_count(self) -> int:
        if self.counts is not None and "EventAttendee" in (self.counts.model_extra or {}):
            return self.counts.get("EventAttendee")
        return len(self.attendees)


class AttendeeStats(VivaModel):
    total: int = 0
    checked_in: int = 0
    registered: int = 0


class EventAttendees(VivaModel):
    """`GET /events/{id}/attendees` (organizer only, ADMIN not exempt)."""

    attendees: list[EventAttendee] = Field(default_factory=list)
    stats: AttendeeStats = Field(default_factory=AttendeeStats)

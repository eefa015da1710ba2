"""`/events` (contract §6.4). Never filter by `category`: the server answers 500 (D12)."""

from __future__ import annotations

from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.services.remote.api.models.events import Event, EventAttendees
from viva_desktop.services.remote.api.models.inputs import Payload
from viva_desktop.services.remote.api.pagination import Paginator, offset_with_total
from viva_desktop.services.remote.api.parsing import field_of, parse_list, require_data
from viva_desktop.services.remote.api.resources.base import Resource, query, seg


class EventsResource(Resource):
    def list(
        self,
        *,
        upcoming: bool | None = None,
        community_id: str | None = None,
        limit: int = 20,
        offset: int = 0,
        cancel: CancelToken | None = None,
    ) -> list[Event]:
        """One page, `startsAt` ascending; the server shows only upcoming events unless
        `upcoming=False`."""
        params = query(upcoming=upcoming, communityId=community_id, limit=limit, offset=offset)
        response = self._get("/events", params=params, authenticated=False, cancel=cancel)
        return parse_list(Event, field_of(require_data(response), "events", response), response)

    def paginator(
        self, *, upcoming: bool | None = None, community_id: str | None = None
    ) -> Paginator[Event]:
        get = self._lister(
            "/events", {"upcoming": upcoming, "communityId": community_id}, authenticated=False
        )
        return offset_with_total(get, lambda data, r: parse_list(Event, data, r), "events")

    def get(self, event_id: str, *, cancel: CancelToken | None = None) -> Event:
        response = self._get(f"/events/{seg(event_id)}", authenticated=False, cancel=cancel)
        return self._one(Event, response)

    def mine(self, *, cancel: CancelToken | None = None) -> list[Event]:
        """Events the signed-in user organises."""
        return self._many(Event, self._get("/events/user/my-events", cancel=cancel))

    def create(self, dto: Payload, *, cancel: CancelToken | None = None) -> Event:
        return self._one(Event, self._write("POST", "/events", dto, cancel=cancel))

    def update(self, event_id: str, dto: Payload, *, cancel: CancelToken | None = None) -> Event:
        response = self._write("PUT", f"/events/{seg(event_id)}", dto, cancel=cancel)
        return self._one(Event, response)

    def delete(self, event_id: str, *, cancel: CancelToken | None = None) -> None:
        """A hard delete, refused while attendees are registered."""
        self._write("DELETE", f"/events/{seg(event_id)}", cancel=cancel)

    def attendees(self, event_id: str, *, cancel: CancelToken | None = None) -> EventAttendees:
        """Organizer only; the server does not exempt ADMIN."""
        response = self._get(f"/events/{seg(event_id)}/attendees", cancel=cancel)
        return self._one(EventAttendees, response)

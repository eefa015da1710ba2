"""Records that come embedded in a synced page (people, event attendees, comments) or are read
alongside it (community members)."""

from __future__ import annotations

from typing import Any

from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.services.remote.api import Api
from viva_desktop.services.remote.api.errors import Forbidden, NotFound


def wire_of(item: Any) -> dict[str, Any]:
    """The server's shape of a parsed model (or a plain dict)."""
    if isinstance(item, dict):
        return item
    return item.to_wire()


def embedded(
    api: Api, entity: str, wire: list[dict[str, Any]], *, members: bool, cancel: CancelToken
) -> dict[str, list[dict[str, Any]]]:
    """Records that come embedded in a page: people, attendees, comments, members."""
    users: dict[str, dict[str, Any]] = {}
    out: dict[str, list[dict[str, Any]]] = {}

    def person(value: Any, **extra: Any) -> None:
        if isinstance(value, dict) and value.get("id"):
            known = users.setdefault(str(value["id"]), {})
            known.update(value)
            known.update({k: v for k, v in extra.items() if v is not None})

    for record in wire:
        person(record.get("User"))
        if entity == "events":
            for attendee in record.get("EventAttendee") or []:
                if isinstance(attendee, dict) and attendee.get("id"):
                    out.setdefault("event_attendees", []).append(
                        {**attendee, "eventId": record["id"]}
                    )
                    person(attendee.get("User"))
        if entity == "posts":
            for comment in record.get("Comment") or []:
                if isinstance(comment, dict) and comment.get("id"):
                    out.setdefault("comments", []).append({"postId": record["id"], **comment})
                    person(comment.get("User"))
    if entity == "events":
        out.setdefault("event_attendees", [])
    if entity == "communities" and members:
        for record in wire:
            if record.get("restricted"):
                continue
            for member in _members(api, str(record["id"]), cancel):
                person(member, communityId=record["id"])
    out["users"] = list(users.values())
    return out


def _members(api: Api, community_id: str, cancel: CancelToken) -> list[dict[str, Any]]:
    try:
        return [wire_of(m) for m in api.communities.members(community_id, cancel=cancel)]
    except (Forbidden, NotFound):
        return []  # private and not a member, or gone meanwhile: members are optional

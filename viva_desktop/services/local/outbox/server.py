"""The server calls behind each outbox operation, and the re-reads that settle a create whose
outcome the server left unknown."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.services.local.outbox.compare import same_text
from viva_desktop.services.local.outbox.entries import OutboxEntry, OutboxError
from viva_desktop.services.local.store.types import parse_timestamp
from viva_desktop.services.remote.api import Api

# How far before the queueing time a record found by re-reading may have been created (clock
# differences between this machine and the server).
SETTLE_WINDOW = timedelta(minutes=10)


STORED = frozenset(
    {"offers", "events", "posts", "comments", "communities", "users", "moderation_cases"}
)
CREATORS = frozenset({"offers", "events", "posts", "comments"})
DELETERS = frozenset({"offers", "events", "posts"})
AUTHOR_FIELD = {
    "offers": "userId",
    "events": "organizerId",
    "posts": "authorId",
    "comments": "authorId",
}


class ServerOps:
    """The API calls behind each entity and operation, and the re-reads that settle them."""

    def __init__(self, api: Api, cancel: CancelToken, me: str | None) -> None:
        self.api = api
        self.cancel = cancel
        self.me = me

    def read(self, entity: str, record_id: str) -> dict[str, Any]:
        api, cancel = self.api, self.cancel
        if entity == "offers":
            # The caller's own list first: a detail read bumps the view counter (and with it,
            # upstream, `updatedAt`).
            for offer in api.offers.mine(cancel=cancel):
                if offer.id == record_id:
                    return offer.to_wire()
            return api.offers.get(record_id, cancel=cancel).to_wire()
        if entity == "events":
            return api.events.get(record_id, cancel=cancel).to_wire()
        if entity == "posts":
            return api.posts.get(record_id, cancel=cancel).to_wire()
        if entity == "communities":
            return api.communities.get(record_id, cancel=cancel).to_wire()
        if entity == "users":
            return api.users.get(record_id, cancel=cancel).to_wire()
        raise OutboxError(f"{entity} records cannot be re-read")

    def update(self, entry: OutboxEntry) -> dict[str, Any]:
        resource = {
            "offers": self.api.offers,
            "events": self.api.events,
            "posts": self.api.posts,
            "communities": self.api.communities,
            "users": self.api.users,
        }.get(entry.entity)
        if resource is None:
            raise OutboxError(f"{entry.entity} cannot be updated")
        reply = resource.update(str(entry.target_id), entry.payload, cancel=self.cancel)
        return reply.to_wire()

    def delete(self, entry: OutboxEntry) -> dict[str, Any] | None:
        target = str(entry.target_id)
        if entry.entity == "offers":
            return self.api.offers.delete(target, cancel=self.cancel).to_wire()  # soft delete
        if entry.entity == "events":
            self.api.events.delete(target, cancel=self.cancel)
            return None
        if entry.entity == "posts":
            # Through /social: /posts refuses (500) a post with comments or reactions (D10).
            self.api.social.delete_post(target, cancel=self.cancel)
            return None
        raise OutboxError(f"{entry.entity} cannot be deleted")

    def create(self, entry: OutboxEntry) -> dict[str, Any]:
        payload = dict(entry.payload)
        if entry.entity == "offers":
            return self.api.offers.create(payload, cancel=self.cancel).to_wire()
        if entry.entity == "events":
            return self.api.events.create(payload, cancel=self.cancel).to_wire()
        if entry.entity == "posts":
            return self.api.posts.create(payload, cancel=self.cancel).to_wire()
        if entry.entity == "comments":
            comment = self.api.social.comment(
                str(payload["postId"]), str(payload["content"]), cancel=self.cancel
            )
            return {"postId": payload["postId"], **comment.to_wire()}
        raise OutboxError(f"{entry.entity} cannot be created")

    def settle_create(self, entry: OutboxEntry) -> dict[str, Any] | None:
        """After an unknown outcome: the caller's record matching what was sent, if any."""
        payload = entry.payload
        since = entry.created_at - SETTLE_WINDOW
        if entry.entity == "offers":
            candidates = [o.to_wire() for o in self.api.offers.mine(cancel=self.cancel)]
            keys = ("title", "description", "category")
        elif entry.entity == "events":
            candidates = [e.to_wire() for e in self.api.events.mine(cancel=self.cancel)]
            keys = ("title", "description")
        elif entry.entity == "posts":
            newest = self.api.posts.list(limit=100, offset=0, cancel=self.cancel)
            candidates = [p.to_wire() for p in newest if not self.me or p.author_id == self.me]
            keys = ("content",)
        elif entry.entity == "comments":
            post = self.api.posts.get(str(payload["postId"]), cancel=self.cancel)
            candidates = [
                {"postId": payload["postId"], **c.to_wire()}
                for c in post.comments
                if not self.me or c.author_id == self.me
            ]
            keys = ("content",)
        else:
            return None
        matches = [
            c
            for c in candidates
            if all(same_text(c.get(k), payload.get(k)) for k in keys if k in payload)
            and (parse_timestamp(c.get("createdAt")) or since) >= since
        ]
        matches.sort(key=lambda c: str(c.get("createdAt") or ""))
        return matches[0] if matches else None

    def grant(self, entry: OutboxEntry) -> dict[str, Any] | None:
        payload = entry.payload
        result = self.api.credits.grant(
            str(payload["userId"]),
            int(payload["amount"]),
            str(payload.get("reason") or "ADMIN_GRANT"),
            related_id=entry.client_ref,
            description=payload.get("description"),
            cancel=self.cancel,
        )
        return result.to_wire()

    def vote(self, entry: OutboxEntry) -> dict[str, Any] | None:
        payload = entry.payload
        vote = self.api.moderation.vote(
            str(entry.target_id),
            str(payload["decision"]),
            payload.get("reason"),
            cancel=self.cancel,
        )
        return vote.to_wire()

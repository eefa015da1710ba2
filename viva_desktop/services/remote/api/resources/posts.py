"""`/posts` and `/social`: two modules over the same tables with different rules (§6.5, D8)."""

from __future__ import annotations

from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.services.remote.api.models.communities import MessageReply
from viva_desktop.services.remote.api.models.inputs import Payload
from viva_desktop.services.remote.api.models.posts import Comment, FeedPage, Post, Reaction
from viva_desktop.services.remote.api.pagination import Paginator, cursor, offset_bare
from viva_desktop.services.remote.api.parsing import parse_list
from viva_desktop.services.remote.api.resources.base import Resource, query, seg


class PostsResource(Resource):
    """`/posts`: offset paging over every visibility; non-authors get 401 (mapped to
    `Forbidden`); deleting a post with comments fails on the server (D10)."""

    def list(
        self,
        *,
        type: str | None = None,
        visibility: str | None = None,
        limit: int = 20,
        offset: int = 0,
        cancel: CancelToken | None = None,
    ) -> list[Post]:
        params = query(type=type, visibility=visibility, limit=limit, offset=offset)
        return self._many(
            Post, self._get("/posts", params=params, authenticated=False, cancel=cancel)
        )

    def paginator(
        self, *, type: str | None = None, visibility: str | None = None
    ) -> Paginator[Post]:
        get = self._lister("/posts", {"type": type, "visibility": visibility}, authenticated=False)
        return offset_bare(get, lambda data, r: parse_list(Post, data, r))

    def get(self, post_id: str, *, cancel: CancelToken | None = None) -> Post:
        response = self._get(f"/posts/{seg(post_id)}", authenticated=False, cancel=cancel)
        return self._one(Post, response)

    def create(self, dto: Payload, *, cancel: CancelToken | None = None) -> Post:
        return self._one(Post, self._write("POST", "/posts", dto, cancel=cancel))

    def update(self, post_id: str, dto: Payload, *, cancel: CancelToken | None = None) -> Post:
        response = self._write("PUT", f"/posts/{seg(post_id)}", dto, cancel=cancel)
        return self._one(Post, response)

    def delete(self, post_id: str, *, cancel: CancelToken | None = None) -> MessageReply:
        response = self._write("DELETE", f"/posts/{seg(post_id)}", cancel=cancel)
        return self._one(MessageReply, response)


class SocialResource(Resource):
    """`/social`: the cursor feed, comments and one reaction per user; non-authors get 403."""

    def feed(
        self,
        *,
        limit: int = 50,
        cursor: str | None = None,
        type: str | None = None,
        cancel: CancelToken | None = None,
    ) -> FeedPage:
        """PUBLIC posts plus the caller's own, newest first."""
        params = query(limit=limit, cursor=cursor, type=type)
        return self._one(FeedPage, self._get("/social/feed", params=params, cancel=cancel))

    def paginator(self, *, type: str | None = None) -> Paginator[Post]:
        get = self._lister("/social/feed", {"type": type}, authenticated=True)
        return cursor(get, lambda data, r: parse_list(Post, data, r), id_of=lambda p: p.id)

    def create_post(self, dto: Payload, *, cancel: CancelToken | None = None) -> Post:
        return self._one(Post, self._write("POST", "/social/posts", dto, cancel=cancel))

    def get_post(self, post_id: str, *, cancel: CancelToken | None = None) -> Post:
        """Only PUBLIC posts: the route never identifies the caller, so others are 403."""
        response = self._get(f"/social/posts/{seg(post_id)}", authenticated=False, cancel=cancel)
        return self._one(Post, response)

    def delete_post(self, post_id: str, *, cancel: CancelToken | None = None) -> None:
        """204; the post's reactions and comments go with it."""
        self._write("DELETE", f"/social/posts/{seg(post_id)}", cancel=cancel)

    def comment(self, post_id: str, content: str, *, cancel: CancelToken | None = None) -> Comment:
        """At most 1000 characters."""
        response = self._write(
            "POST", f"/social/posts/{seg(post_id)}/comments", {"content": content}, cancel=cancel
        )
        return self._one(Comment, response)

    def delete_comment(self, comment_id: str, *, cancel: CancelToken | None = None) -> MessageReply:
        response = self._write("DELETE", f"/social/comments/{seg(comment_id)}", cancel=cancel)
        return self._one(MessageReply, response)

    def react(
        self, post_id: str, reaction_type: str, *, cancel: CancelToken | None = None
    ) -> Reaction:
        """One reaction per user: a second call changes its type. Safe to repeat."""
        response = self._write(
            "POST",
            f"/social/posts/{seg(post_id)}/reactions",
            {"type": reaction_type},
            cancel=cancel,
            idempotent=True,
        )
        return self._one(Reaction, response)

    def unreact(self, post_id: str, *, cancel: CancelToken | None = None) -> None:
        self._write("DELETE", f"/social/posts/{seg(post_id)}/reactions", cancel=cancel)

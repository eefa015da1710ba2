"""The two post modules (6.5): `/posts` and `/social` over the same tables."""

from __future__ import annotations

from tests.sandbox.conftest import Api, assert_error
from viva_desktop.sandbox.seed import ADMIN_EMAIL, CITIZEN_EMAIL, VERIFIED_CITIZEN_EMAIL

POST_KEYS = [
    "id", "authorId", "content", "images", "lat", "lng", "type", "visibility", "tags", "mentions",
    "relatedOfferId", "thanksCount", "supportsCount", "commentsCount", "sharesCount",
    "helpedCount", "createdAt", "updatedAt", "editedAt",
]  # fmt: skip


def test_posts_need_numeric_limit_and_offset(api: Api) -> None:
    for query in ({}, {"limit": 5}, {"limit": "abc", "offset": 0}, {"limit": 5, "offset": "x"}):
        assert_error(
            api.get("/posts", params=query), 400, "Validation failed (numeric string is expected)"
        )
    page = api.get("/posts", params={"limit": 5, "offset": 0}).json()
    assert len(page) == 5
    assert list(page[0]) == [*POST_KEYS, "User", "userReaction"]
    assert page[0]["userReaction"] is None


def test_posts_list_every_visibility_and_filters(api: Api) -> None:
    everything = api.get("/posts", params={"limit": 100, "offset": 0}).json()
    assert {"PUBLIC", "NEIGHBORS", "FRIENDS", "PRIVATE"} <= {p["visibility"] for p in everything}
    private = api.get("/posts", params={"limit": 100, "offset": 0, "visibility": "PRIVATE"}).json()
    assert {p["visibility"] for p in private} == {"PRIVATE"}
    needs = api.get("/posts", params={"limit": 100, "offset": 0, "type": "NEED"}).json()
    assert needs and {p["type"] for p in needs} == {"NEED"}  # noqa: PT018


def test_post_detail_create_update_and_authorship(api: Api) -> None:
    maria, juan = api.login(CITIZEN_EMAIL), api.login(VERIFIED_CITIZEN_EMAIL)
    created = api.post(
        "/posts", maria, json={"content": "Nuevo", "type": "TIP", "visibility": "NEIGHBORS"}
    )
    assert created.status_code == 201
    post = created.json()
    assert list(post) == [*POST_KEYS, "User"]
    assert_error(api.post("/posts", maria, json={"content": "sin tipo"}), 400)
    assert_error(
        api.post("/posts", maria, json={"content": "x", "type": "TIP", "relatedOfferId": "nope"}),
        400,
    )
    detail = api.get(f"/posts/{post['id']}").json()
    assert detail["Comment"] == []
    assert_error(
        api.put(f"/posts/{post['id']}", juan, json={"content": "x"}),
        401,
        "You can only update your own posts",
    )
    edited = api.put(f"/posts/{post['id']}", maria, json={"content": "Editado"}).json()
    assert edited["content"] == "Editado"
    assert edited["editedAt"] is not None
    shared = api.post(f"/posts/{post['id']}/share").json()
    assert shared["sharesCount"] == 1
    assert_error(api.get("/posts/nope"), 404, "Post not found")


def test_posts_delete_fails_with_children_and_works_without(api: Api) -> None:
    maria = api.login(CITIZEN_EMAIL)
    fresh = api.post("/posts", maria, json={"content": "Borrar", "type": "STORY"}).json()
    assert api.delete(f"/posts/{fresh['id']}", maria).json() == {
        "message": "Post deleted successfully"
    }
    busy = next(
        p
        for p in api.get("/posts", params={"limit": 100, "offset": 0}).json()
        if p["authorId"] == maria.id
    )
    api.post(f"/social/posts/{busy['id']}/comments", maria, json={"content": "hijo"})
    assert_error(api.delete(f"/posts/{busy['id']}", maria), 500, "Internal server error")


def test_posts_reactions_toggle_per_type(api: Api) -> None:
    juan = api.login(VERIFIED_CITIZEN_EMAIL)
    post = api.get("/posts", params={"limit": 1, "offset": 0}).json()[0]
    thanked = api.post(f"/posts/{post['id']}/react", juan, json={"type": "THANKS"}).json()
    assert thanked["thanksCount"] == post["thanksCount"] + 1
    celebrated = api.post(f"/posts/{post['id']}/react", juan, json={"type": "CELEBRATE"}).json()
    assert celebrated["supportsCount"] == post["supportsCount"] + 1
    untoggled = api.post(f"/posts/{post['id']}/react", juan, json={"type": "THANKS"}).json()
    assert untoggled["thanksCount"] == post["thanksCount"]
    assert_error(api.post(f"/posts/{post['id']}/react", juan, json={"type": "LOVE"}), 400)


def test_feed_walks_with_a_cursor_and_shows_public_posts_plus_own(api: Api) -> None:
    maria = api.login(CITIZEN_EMAIL)
    own_private = api.post(
        "/social/posts", maria, json={"content": "Solo yo", "visibility": "PRIVATE"}
    ).json()
    seen: list[dict] = []
    cursor = None
    while True:
        params = {"limit": 7, **({"cursor": cursor} if cursor else {})}
        page = api.get("/social/feed", maria, params=params).json()
        assert list(page) == ["data", "hasMore"]
        seen += page["data"]
        if not page["hasMore"]:
            break
        cursor = page["data"][-1]["id"]
    ids = [p["id"] for p in seen]
    assert len(ids) == len(set(ids))
    assert own_private["id"] in ids
    assert {p["visibility"] for p in seen if p["authorId"] != maria.id} == {"PUBLIC"}
    first = seen[0]
    assert list(first)[-4:] in (
        ["User", "Reaction", "Comment", "_count"],
        ["Reaction", "Comment", "_count", "userReaction"],
    )
    assert len(first["Comment"]) <= 3
    assert_error(api.get("/social/feed"), 401)


def test_social_post_creation_parses_tags_mentions_and_location(api: Api) -> None:
    maria = api.login(CITIZEN_EMAIL)
    post = api.post(
        "/social/posts",
        maria,
        json={
            "content": "Huerta #Verano con @juan",
            "location": "42.81, -1.64",
            "media": ["a.jpg"],
            "tags": ["huerta"],
        },
    ).json()
    assert (post["type"], post["visibility"]) == ("STORY", "PUBLIC")
    assert post["tags"] == ["huerta", "verano"]
    assert post["mentions"] == ["juan"]
    assert (post["lat"], post["lng"], post["images"]) == (42.81, -1.64, ["a.jpg"])
    assert_error(api.post("/social/posts", maria, json={"content": ""}), 400)
    assert_error(api.post("/social/posts", maria, json={"content": "x" * 5001}), 400)
    assert_error(api.post("/social/posts", maria, json={"content": "x", "images": []}), 400)


def test_social_post_detail_refuses_non_public_posts(api: Api) -> None:
    maria = api.login(CITIZEN_EMAIL)
    public = api.post("/social/posts", maria, json={"content": "Público"}).json()
    hidden = api.post(
        "/social/posts", maria, json={"content": "Vecinos", "visibility": "NEIGHBORS"}
    ).json()
    detail = api.get(f"/social/posts/{public['id']}").json()
    assert list(detail)[-4:] == ["User", "Reaction", "Comment", "_count"]
    assert_error(api.get(f"/social/posts/{hidden['id']}", maria), 403)


def test_comments_reactions_and_cascading_delete(api: Api) -> None:
    maria, juan = api.login(CITIZEN_EMAIL), api.login(VERIFIED_CITIZEN_EMAIL)
    post = api.post("/social/posts", maria, json={"content": "Comentadme"}).json()
    comment = api.post(f"/social/posts/{post['id']}/comments", juan, json={"content": "¡Hola!"})
    assert comment.status_code == 201
    assert list(comment.json()) == [
        "id",
        "postId",
        "authorId",
        "content",
        "createdAt",
        "editedAt",
        "User",
    ]
    assert_error(
        api.post(f"/social/posts/{post['id']}/comments", juan, json={"content": "x" * 1001}), 400
    )
    assert_error(api.delete(f"/social/comments/{comment.json()['id']}", maria), 403)
    reaction = api.post(
        f"/social/posts/{post['id']}/reactions", juan, json={"type": "SUPPORT"}
    ).json()
    assert list(reaction) == ["id", "postId", "userId", "type", "createdAt", "User"]
    changed = api.post(
        f"/social/posts/{post['id']}/reactions", juan, json={"type": "HELPED"}
    ).json()
    assert (changed["id"], changed["type"]) == (reaction["id"], "HELPED")  # one per user
    assert_error(api.delete(f"/social/posts/{post['id']}", juan), 403)
    deleted = api.delete(f"/social/posts/{post['id']}", maria)
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert_error(api.get(f"/social/posts/{post['id']}"), 404)


def test_hashtags_mentions_and_user_posts(api: Api) -> None:
    maria = api.login(CITIZEN_EMAIL)
    assert api.get("/social/hashtags").json() == {"trending": []}
    api.post("/social/posts", maria, json={"content": "#Trueque de semillas"})
    trending = api.get("/social/hashtags", params={"limit": 50}).json()["trending"]
    assert {"tag": "trueque", "count": 1} in trending
    tagged = api.get("/social/hashtags/trueque", params={"limit": 10}).json()
    assert len(tagged) == 1
    assert "_count" in tagged[0]
    admin = api.login(ADMIN_EMAIL)
    api.post("/social/posts", maria, json={"content": "Gracias @administrador"})
    assert_error(api.get("/social/mentions", admin), 500)
    mentions = api.get("/social/mentions", admin, params={"limit": 10}).json()
    assert mentions["count"] == 1
    assert_error(api.get(f"/social/users/{maria.id}/posts"), 500)
    everything = api.get(f"/social/users/{maria.id}/posts", params={"limit": 100}).json()
    assert {p["authorId"] for p in everything} == {maria.id}

"""The local checks agree with the server (the sandbox, over real HTTP): what we accept is
created, what we refuse gets the server's bare 400, and the preview of the server's stripper
is exactly what gets stored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from viva_desktop.services.remote.sanitize import truncation_preview
from viva_desktop.services.remote.validation import (
    validate_comment,
    validate_offer,
    validate_register,
    validate_social_post,
)

ADMIN = {"email": "admin@comunidad.local", "password": "Test1234!"}


def admin_headers(base_url: str) -> dict[str, str]:
    reply = httpx.post(f"{base_url}/auth/login", json=ADMIN, timeout=10)
    assert reply.status_code == 201, reply.text
    return {"Authorization": f"Bearer {reply.json()['access_token']}"}


def test_register_agrees_with_the_server(sandbox_fixed: Any, samples_dir: Path) -> None:
    url = sandbox_fixed.url
    refused = json.loads((samples_dir / "validation-error-400.json").read_text())["request"]
    assert not validate_register(refused["body"]).ok
    assert httpx.post(f"{url}/auth/register", json=refused["body"], timeout=10).status_code == 400

    for body in (
        {"name": "A", "email": "ana1@example.org", "password": "secreto"},
        {"name": "Ana", "email": "not-an-email", "password": "secreto"},
        {"name": "Ana", "email": "ana2@example.org", "password": "12345"},
        {"name": "Ana", "email": "ana3@example.org", "password": "secreto", "phone": "0600"},
    ):
        assert not validate_register(body).ok, body
        assert httpx.post(f"{url}/auth/register", json=body, timeout=10).status_code == 400, body

    result = validate_register(
        {
            "name": " Ana <i>López</i> & co > 3 < 4",
            "email": "Ana@Example.ORG",
            "password": "secreto",
        }
    )
    assert result.ok, result.errors
    reply = httpx.post(f"{url}/auth/register", json=result.cleaned, timeout=10)
    assert reply.status_code == 201, reply.text
    user = reply.json()["user"]
    assert user["name"] == truncation_preview(result.cleaned["name"])  # the warned-about loss
    assert "name" in result.warnings
    assert user["email"] == "Ana@example.org"


def test_social_posts_and_comments_agree_with_the_server(sandbox_fixed: Any) -> None:
    url = sandbox_fixed.url
    headers = admin_headers(url)

    def post(path: str, body: dict[str, Any]) -> httpx.Response:
        return httpx.post(f"{url}{path}", json=body, headers=headers, timeout=10)

    too_long_once_stored = {"content": "x" * 4990 + ">>>>"}  # each '>' becomes '&gt;'
    assert "content" in validate_social_post(too_long_once_stored).errors
    assert post("/social/posts", too_long_once_stored).status_code == 400

    result = validate_social_post({"content": "precio < 5 euros", "type": "tip"})
    assert result.ok
    created = post("/social/posts", result.cleaned)
    assert created.status_code == 201, created.text
    assert created.json()["content"] == truncation_preview(result.cleaned["content"]) == "precio "

    post_id = created.json()["id"]
    assert not validate_comment({"content": "y" * 1001}).ok
    assert post(f"/social/posts/{post_id}/comments", {"content": "y" * 1001}).status_code == 400
    comment = validate_comment({"content": "y" * 1000})
    assert post(f"/social/posts/{post_id}/comments", comment.cleaned).status_code == 201


@pytest.mark.parametrize(
    "changes",
    [{"priceEur": -3}, {"type": "NOPE"}, {"lat": "north"}, {"tags": "not-a-list", "type": 1}],
)
def test_offers_refused_locally_are_refused_by_the_server(
    sandbox_fixed: Any, changes: dict[str, Any]
) -> None:
    body = {"title": "Bici", "description": "Roja", "category": "Transporte", "type": "PRODUCT"}
    body.update(changes)
    assert not validate_offer(body).ok
    reply = httpx.post(
        f"{sandbox_fixed.url}/offers",
        json=body,
        headers=admin_headers(sandbox_fixed.url),
        timeout=10,
    )
    assert reply.status_code == 400


def test_cleaned_offer_is_created(sandbox_fixed: Any) -> None:
    result = validate_offer(
        {
            "title": "Bici",
            "description": "Roja, <b>como nueva</b>",
            "category": "Transporte",
            "type": "product",
            "priceCredits": "10",
            "tags": "bici, ciudad",
            "undeclared": True,
        }
    )
    assert result.ok, result.errors
    reply = httpx.post(
        f"{sandbox_fixed.url}/offers",
        json=result.cleaned,
        headers=admin_headers(sandbox_fixed.url),
        timeout=10,
    )
    assert reply.status_code == 201, reply.text
    assert reply.json()["description"] == "Roja, como nueva"
    assert reply.json()["priceCredits"] == 10

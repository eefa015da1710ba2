"""The HTML stripper of section 3.13, as a function and on the wire."""

from __future__ import annotations

import pytest

from tests.sandbox.conftest import Api
from viva_desktop.sandbox.sanitizer import sanitize, strip_html
from viva_desktop.sandbox.seed import CITIZEN_EMAIL

TABLE = [
    ("<b>bold</b> text", "bold text"),
    ("<script>alert(1)</script>hi", "hi"),
    ("<img src=x onerror=alert(1)>ok", "ok"),
    ("a < b", "a "),
    ("x>y", "x&gt;y"),
    ("pa<ss>word", "paword"),
    ("Tom & Jerry \"q\" 's'", "Tom & Jerry \"q\" 's'"),
    ("javascript:alert(1)", "javascript:alert(1)"),
]


@pytest.mark.parametrize(("sent", "stored"), TABLE)
def test_the_contract_table(sent: str, stored: str) -> None:
    assert strip_html(sent) == stored


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("<style>p{color:red}</style>texto", "texto"),
        ("<!-- nota -->visible", "visible"),
        ('<a href="x>y">enlace</a>', "enlace"),
        ("sin etiquetas", "sin etiquetas"),
        ("", ""),
        ("<script>sin cierre", "[removed]sin cierre"),
        ("termina en <", "termina en &lt;"),
    ],
)
def test_details_of_the_xss_library(sent: str, stored: str) -> None:
    assert strip_html(sent) == stored


def test_nested_values_are_walked_and_only_strings_change() -> None:
    value = {"a": ["<i>x</i>", 1, True, None, {"b": "y>z"}], "n": 3.5}
    assert sanitize(value) == {"a": ["x", 1, True, None, {"b": "y&gt;z"}], "n": 3.5}


def test_bodies_queries_and_passwords_are_stripped_on_the_wire(api: Api) -> None:
    maria = api.login(CITIZEN_EMAIL)
    post = api.post("/social/posts", maria, json={"content": "<b>Hola</b> vecinos & amigas > todo"})
    assert post.json()["content"] == "Hola vecinos & amigas &gt; todo"
    found = api.get("/communities", params={"search": "<b>Pamplona</b>"}).json()
    assert [c["slug"] for c in found] == ["pamplona-centro"]
    api.register("tags@example.com", password="abc<def>ghi123")
    # the password was stored shortened; the same raw password is shortened the same way at login
    assert api.login("tags@example.com", "abc<def>ghi123").user["email"] == "tags@example.com"
    assert api.login("tags@example.com", "abcghi123").user["email"] == "tags@example.com"

"""The spreadsheet formula guard of CSV exports, with every prefix a spreadsheet skips and
every sign that starts a formula (ASCII and full-width)."""

from __future__ import annotations

import csv
import io
from itertools import product

import pytest

from viva_desktop.services.local.store import Store
from viva_desktop.services.local.store.export import FORMULA_STARTS, neutralise_formula

from .test_queries import OFFERS

PREFIXES = ("", " ", "   ", "\n", "\t", "\r", " \n\t", "\u3000", "\u00a0")
SIGNS = ("=", "+", "-", "@", "＝", "＋", "－", "＠")
PAYLOAD = 'HYPERLINK("http://x","click")'


def test_the_guard_knows_every_sign() -> None:
    assert set(SIGNS) == FORMULA_STARTS


@pytest.mark.parametrize(("prefix", "sign"), list(product(PREFIXES, SIGNS)))
def test_every_prefix_before_every_sign_is_neutralised(prefix: str, sign: str) -> None:
    text = f"{prefix}{sign}{PAYLOAD}"
    assert neutralise_formula(text) == "'" + text


@pytest.mark.parametrize("sign", SIGNS)
def test_a_full_width_sign_before_an_ascii_one_is_neutralised(sign: str) -> None:
    for first in ("＝", "＋", "－", "＠"):
        assert neutralise_formula(f"{first}{sign}1").startswith("'")


@pytest.mark.parametrize("control", ["\t", "\r", "\n"])
def test_a_leading_control_character_is_neutralised_alone(control: str) -> None:
    assert neutralise_formula(f"{control}texto") == f"'{control}texto"


@pytest.mark.parametrize(
    "text",
    ["", "Hola", " Hola", "a=b", "correo@x.org", "-5", "+34 600 000 000", "-5,00 €", "12 %"],
)
def test_ordinary_text_and_plain_numbers_are_kept(text: str) -> None:
    assert neutralise_formula(text) == text


def test_the_raw_export_guards_every_prefix_before_every_sign(store: Store) -> None:
    titles = [f"{prefix}{sign}{PAYLOAD}" for prefix, sign in product(PREFIXES, SIGNS)]
    records = [dict(OFFERS[0], id=f"evil-{n:03d}", title=t) for n, t in enumerate(titles)]
    store.upsert("offers", "demo", records)
    stream = io.StringIO()
    store.export("offers", stream, profile="demo", columns=["id", "title"], sort=[("id", True)])
    rows = list(csv.DictReader(io.StringIO(stream.getvalue(), newline="")))
    assert [row["title"] for row in rows] == ["'" + title for title in titles]

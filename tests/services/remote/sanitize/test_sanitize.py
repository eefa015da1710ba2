"""Input cleaning: examples from the contract, properties (hypothesis) and an XSS corpus."""

from __future__ import annotations

import json
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viva_desktop.services.remote.sanitize import (
    clean_text,
    clean_url,
    is_valid_email,
    normalize_email,
    server_length,
    server_would_alter,
    server_would_truncate,
    strip_control_chars,
    strip_html,
    truncation_preview,
)

XSS_PAYLOADS: list[str] = json.loads(
    (Path(__file__).parents[3] / "fixtures" / "xss_payloads.json").read_text(encoding="utf-8")
)
TAG_START = re.compile(r"<[A-Za-z!/?]")

# Text that looks like what people paste into forms, plus the pieces that trip sanitisers.
FRAGMENTS = [
    "<script>",
    "</script>",
    "<style>",
    "</style>",
    "<b>",
    "</b>",
    "<img src=x onerror=alert(1)>",
    "<a href='javascript:alert(1)'>",
    "<!--",
    "-->",
    "&lt;",
    "&gt;",
    "&amp;",
    "&#60;",
    "&#x3c;",
    "&lt;b&gt;",
    "<",
    ">",
    '"',
    "'",
    "=",
    " ",
    "\n",
    "\t",
    "\r\n",
    "\x00",
    "\x7f",
    "\u202e",
    "é",
    "e\u0301",
    "ñ",
    "Ω",
    "🙂",
    "a",
    "hola",
    "x",
    "1",
]
markup_text = st.lists(st.sampled_from(FRAGMENTS), max_size=25).map("".join)
any_text = st.one_of(st.text(), markup_text, st.text(alphabet="<>/=\"'!-&;#abcipst \n"))
PROPERTY_SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


class _MarkupDetector(HTMLParser):
    """What an HTML renderer (a browser, or a Qt rich-text label) would see as markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append(f"start:{tag}")

    def handle_endtag(self, tag: str) -> None:
        self.found.append(f"end:{tag}")

    def handle_comment(self, data: str) -> None:
        self.found.append("comment")

    def handle_decl(self, decl: str) -> None:
        self.found.append("decl")

    def handle_pi(self, data: str) -> None:
        self.found.append("pi")

    def unknown_decl(self, data: str) -> None:
        self.found.append("unknown-decl")


def markup_in(text: str) -> list[str]:
    detector = _MarkupDetector()
    detector.feed(text)
    detector.close()
    return detector.found


# --------------------------------------------------------------------------- examples


@pytest.mark.parametrize(
    ("sent", "stored"),
    [  # the table of contract section 3.13
        ("<b>bold</b> text", "bold text"),
        ("<script>alert(1)</script>hi", "hi"),
        ("<img src=x onerror=alert(1)>ok", "ok"),
        ("a < b", "a "),
        ("x>y", "x&gt;y"),
        ("pa<ss>word", "paword"),
        ("Tom & Jerry \"q\" 's'", "Tom & Jerry \"q\" 's'"),
        ("javascript:alert(1)", "javascript:alert(1)"),
    ],
)
def test_truncation_preview_matches_the_contract_table(sent: str, stored: str) -> None:
    assert truncation_preview(sent) == stored


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("a < b <i>c</i>", "a &lt; b c"),  # a second '<' ends the first "tag" as text
        ("a <", "a &lt;"),  # a '<' as the very last character survives, escaped
        ('<a title="x>y">t</a>', "t"),  # quoted attribute values may contain '>'
        ("<script>x</script>y<style>z</style>w", "yw"),
        ("<script>alert(1)", "[removed]alert(1)"),  # unclosed script: the library's marker
        ("<!-- note -->k", "k"),
        ("x<!-- unclosed", "x"),
        ("", ""),
    ],
)
def test_truncation_preview_follows_the_xss_library(sent: str, stored: str) -> None:
    assert truncation_preview(sent) == stored


def test_server_flags() -> None:
    assert server_would_truncate("a < b")
    assert not server_would_truncate("a > b")
    assert server_would_alter("a > b")
    assert not server_would_alter("Tom & Jerry")
    assert server_length("👍\ufe0f ok") == 4  # validator.js ignores the emoji variation selector


@pytest.mark.parametrize(
    ("raw", "plain"),
    [
        ("<b>bold</b> text", "bold text"),
        ("<script>alert(1)</script>hi", "hi"),
        ("<style>p{color:red}</style>ok", "ok"),
        ("Tom &amp; Jerry", "Tom & Jerry"),
        ("a < b", "a < b"),  # plain text with a lone '<' is not markup
        ("x > y", "x > y"),
        ("&lt;b&gt;bold&lt;/b&gt;", "bold"),  # decoding must not revive markup
        ('<noscript><p title="</noscript><img src=x onerror=alert(1)>">', ""),
        ("caf\u00e9 &copy; 2025", "café © 2025"),
    ],
)
def test_strip_html_examples(raw: str, plain: str) -> None:
    assert strip_html(raw) == plain


def test_clean_text_examples() -> None:
    assert clean_text("  hola\r\nmundo\x00 \u202e ") == "hola\nmundo"
    assert clean_text("e\u0301") == "\u00e9"  # NFC
    assert clean_text("<p>Hello</p> <b>world</b>", max_length=8) == "Hello wo"
    assert clean_text("Hello   world", max_length=7) == "Hello"  # no trailing space
    assert clean_text("abc", max_length=0) == ""
    assert clean_text(None) == ""  # type: ignore[arg-type]
    assert clean_text("tab\tkept\n") == "tab\tkept"


def test_strip_control_chars() -> None:
    assert strip_control_chars("a\x00b\x1bc\x7fd\x85e") == "abcd\ne"
    assert strip_control_chars("a\r\nb\rc") == "a\nb\nc"
    assert strip_control_chars("a\nb\tc", keep="") == "abc"
    assert strip_control_chars("lone \ud800 surrogate") == "lone  surrogate"
    assert strip_control_chars("\u202egnp.exe\u2066") == "gnp.exe"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTPS://Example.COM:8443/Path?q=1#f", "https://example.com:8443/Path?q=1#f"),
        ("  http://127.0.0.1:4000/offers ", "http://127.0.0.1:4000/offers"),
        ("http://[::1]:4000/", "http://[::1]:4000/"),
        ("https://ñandú.example/x", "https://ñandú.example/x"),
        ("javascript:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("JAVASCRIPT:alert(1)", None),
        ("data:text/html,hi", None),
        ("vbscript:msgbox(1)", None),
        ("//evil.example/x", None),
        ("ftp://files.example/x", None),
        ("https://user:pass@example.com/", None),
        ("https://token@example.com/", None),
        ("https://good.example\\@evil.example/", None),
        ('https://example.com/"onmouseover="alert(1)', None),
        ("https://example.com/a b", None),
        ("https://exa_mple..com/", None),
        ("https://example.com:99999/", None),
        ("mailto:ana@example.org", None),
        ("", None),
    ],
)
def test_clean_url(raw: str, expected: str | None) -> None:
    assert clean_url(raw) == expected


def test_clean_url_mailto_only_when_allowed() -> None:
    assert clean_url("mailto:Ana@Example.ORG", allow_mailto=True) == "mailto:Ana@example.org"
    assert clean_url("mailto:ana@example.org?bcc=x@evil.example", allow_mailto=True) is None
    assert clean_url("mailto:not-an-address", allow_mailto=True) is None


def test_normalize_email_keeps_the_local_part() -> None:
    assert normalize_email("  Maria.Lopez@Comunidad.LOCAL\n") == "Maria.Lopez@comunidad.local"
    assert normalize_email("Maria@Example.COM", lower_domain=False) == "Maria@Example.COM"
    assert normalize_email("mailto:ana@x.org") == "ana@x.org"


@pytest.mark.parametrize(
    ("address", "valid"),
    [
        ("maria@comunidad.local", True),
        ("cliente.prueba@example.com", True),
        ("ana+viva@sub.example.org", True),
        ("josé@ejemplo.es", True),
        ("not-an-email", False),
        ("a@b", False),
        ("a@b.c", False),
        ("a..b@example.com", False),
        (".a@example.com", False),
        ("a@-example.com", False),
        ("a@exa_mple.com", False),
        ("a@127.0.0.1", False),
        ("a b@example.com", False),
        ("a@b@example.com", False),
        ("x" * 65 + "@example.com", False),
    ],
)
def test_is_valid_email(address: str, valid: bool) -> None:
    assert is_valid_email(address) is valid


# --------------------------------------------------------------------------- properties


@PROPERTY_SETTINGS
@given(any_text)
def test_strip_html_is_idempotent_and_leaves_no_markup(text: str) -> None:
    once = strip_html(text)
    assert strip_html(once) == once
    assert not TAG_START.search(once)
    assert markup_in(once) == []


@PROPERTY_SETTINGS
@given(any_text, st.one_of(st.none(), st.integers(min_value=0, max_value=40)))
def test_clean_text_properties(text: str, max_length: int | None) -> None:
    cleaned = clean_text(text, max_length=max_length)
    assert clean_text(cleaned, max_length=max_length) == cleaned
    if max_length is not None:
        assert len(cleaned) <= max_length
    assert cleaned == cleaned.strip()
    assert unicodedata.is_normalized("NFC", cleaned)
    assert not TAG_START.search(cleaned)
    assert all(ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs") for ch in cleaned), (
        repr(cleaned)
    )


@PROPERTY_SETTINGS
@given(st.one_of(any_text, st.text(alphabet="htps:/.@exampl?#=&%[]1 \t").map("https://".__add__)))
def test_clean_url_properties(text: str) -> None:
    url = clean_url(text)
    if url is None:
        return
    assert clean_url(url) == url
    assert url.startswith(("http://", "https://"))
    assert not re.search(r"[\s<>\"'`]", url)


@PROPERTY_SETTINGS
@given(any_text)
def test_server_emulation_never_keeps_a_raw_angle_bracket(text: str) -> None:
    stored = truncation_preview(text)
    assert "<" not in stored
    assert ">" not in stored
    assert server_would_truncate(text) == ("<" in text)
    if "<" not in text and ">" not in text:
        assert stored == text


@PROPERTY_SETTINGS
@given(any_text)
def test_email_helpers_never_raise(text: str) -> None:
    normalized = normalize_email(text)
    assert normalize_email(normalized) == normalized
    is_valid_email(normalized)


def test_lone_surrogates_do_not_break_anything() -> None:
    text = "a\ud800<b>b</b>\udfff"
    assert strip_html(text) == "ab"
    assert clean_text(text) == "ab"
    assert clean_url("https://x.example/\ud800") in (None, "https://x.example/")


# --------------------------------------------------------------------------- XSS corpus


def test_the_corpus_is_large_enough() -> None:
    assert len(XSS_PAYLOADS) >= 60
    assert len(set(XSS_PAYLOADS)) == len(XSS_PAYLOADS)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_cleaned_payload_has_no_executable_construct(payload: str) -> None:
    for cleaned in (strip_html(payload), clean_text(payload), clean_text(payload, 200)):
        assert not TAG_START.search(cleaned), cleaned
        assert markup_in(cleaned) == [], cleaned
    stored = truncation_preview(payload)
    assert "<" not in stored
    assert ">" not in stored
    url = clean_url(payload)
    if url is not None:
        assert url.startswith(("http://", "https://"))
        assert not re.search(r"[\s<>\"'`]", url)
        assert "@" not in url.split("/")[2]


@pytest.mark.parametrize(
    "payload",
    [
        p
        for p in XSS_PAYLOADS
        if re.match(r"^\W*(java|vb|data|//)", strip_control_chars(p, keep=""), re.I)
    ],
)
def test_script_urls_are_refused(payload: str) -> None:
    assert clean_url(payload) is None
    assert clean_url(payload, allow_mailto=True) is None

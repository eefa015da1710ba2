"""The quick screen in front of the redaction patterns never lets a credential through: any
text it waves past comes out of the full set of patterns unchanged too."""

from __future__ import annotations

import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viva_desktop.services.common import logs
from viva_desktop.services.common.logs import REDACTED, redact_text

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl"
UUID = "3f2b6a1e-1111-4222-8333-444455556666"

# Pieces of what gets logged, the dangerous ones included, in cases and spellings the
# patterns match case-insensitively, and letters that Unicode case folding maps onto ASCII.
FRAGMENTS = (
    "GET /posts?limit=20 -> 200 in 3 ms [request 0f3c, attempt 1]",
    "Bearer ",
    "bAsIc ",
    JWT,
    UUID,
    "refresh TOKEN ",
    "accessToken=",
    "PASSWORD: ",
    "passwd=",
    "X-Api-Key: ",
    "api_key",
    "backup-codes=",
    "PRIVATE_KEY",
    "cookie=",
    "Credential",
    "SENTRY_DSN=",
    "secret ",
    "postgresql://viva:pw@db/viva",
    "https://key@o1.ingest.sentry.io/42",
    "a@b.org",
    "://",
    "@",
    "=",
    ": ",
    '"',
    "'",
    " ",
    "\n",
    "abc123",
    "Ñandú",
    "\u017f",  # long s: matches "s" case-insensitively
    "\u212a",  # Kelvin sign: matches "k" case-insensitively
    "pa\u017f\u017fword=hunter2",
    "coo\u212aie=abc",
)

texts = st.one_of(
    st.lists(st.sampled_from(FRAGMENTS), max_size=8).map("".join),
    st.text(max_size=60),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=6).map("".join),
)


@settings(max_examples=400, deadline=None)
@given(texts, st.booleans())
def test_the_screen_never_skips_a_text_the_patterns_would_change(text: str, emails: bool) -> None:
    full = logs._redact_credentials(text) if text else text
    if emails:
        full = logs._EMAIL.sub("[EMAIL]", full)
    assert redact_text(text, emails=emails) == full


@pytest.mark.parametrize(
    "text",
    [
        "GET /posts?limit=20 -> 200 in 3 ms [request 0f3cab, attempt 1]",
        "retrying GET /events in 0.5 s after ServerError (attempt 1 of 4)",
        "sync of posts: page 12 of 500",
    ],
)
def test_ordinary_lines_skip_the_patterns(text: str) -> None:
    assert not logs._may_hold_credentials(text)
    assert redact_text(text) == text


def test_api_lines_with_secrets_are_still_redacted() -> None:
    line = f"GET /auth/verify?token={UUID} -> 200 in 3 ms, Authorization: Bearer {JWT}"
    redacted = redact_text(line)
    assert UUID not in redacted
    assert JWT not in redacted
    assert REDACTED in redacted
    record = logging.LogRecord("viva.api", logging.DEBUG, __file__, 1, line, None, None)
    logs.RedactionFilter().filter(record)
    assert JWT not in record.getMessage()
    assert logs.is_sensitive_key("X-Api-Key")
    assert logs.is_sensitive_key("accessToken")
    assert not logs.is_sensitive_key("http_path")

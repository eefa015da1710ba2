"""Input cleaning shared by every form, before anything reaches the server.

Two different jobs live here:

* **Our cleaning** (`strip_html`, `clean_text`, `clean_url`, `normalize_email`,
  `strip_control_chars`): what the user typed becomes plain, printable text, so nothing we send or
  show can carry markup. HTML is removed with nh3 (Ammonia), the maintained successor of bleach.
* **The server's stripper, emulated** (`truncation_preview`, `server_would_truncate`,
  `server_would_alter`, `server_length`): the backend passes every string through the `xss` npm
  library with no allowed tags (contract 3.13). Its tokenizer treats a lone `<` as the start of a
  tag that runs to the next `>` (or to the end of the string), so ordinary text such as "a < b"
  is silently cut, and `>` is stored as `&gt;`. Forms use the preview to warn before submission.

Everything here is pure and thread-safe, and never raises on odd input.
"""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import urlsplit, urlunsplit

import nh3

__all__ = [
    "clean_text",
    "clean_url",
    "is_valid_email",
    "normalize_email",
    "server_length",
    "server_would_alter",
    "server_would_truncate",
    "strip_control_chars",
    "strip_html",
    "truncation_preview",
]

# Enough for any realistic nesting of escaped markup (each pass removes one level).
_MAX_PASSES = 12

# Cc (C0, DEL, C1) is handled by category; these format characters (Cf) are removed as well
# because they reorder or hide text ("Trojan Source" spoofing) without adding meaning:
# bidi embeddings/overrides/isolates, deprecated format controls, BOM, interlinear annotations.
_INVISIBLE_FORMAT = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x2070)]
    + ["\ufeff", "\ufff9", "\ufffa", "\ufffb"]
)
_NEWLINES = re.compile(r"\r\n|\r|\x85")
_TAG_START = re.compile(r"<(?=[A-Za-z!/?])")
_SURROGATES = re.compile("[\ud800-\udfff]")


def _as_str(text: object) -> str:
    if text is None:
        return ""
    return text if isinstance(text, str) else str(text)


def strip_control_chars(text: str, *, keep: str = "\n\t") -> str:
    """Remove control characters (except those in `keep`), lone surrogates and invisible
    bidi/format controls. Line breaks are unified to `\\n` first, so `\\r\\n` survives as one
    newline when `\\n` is kept."""
    text = _as_str(text)
    if "\n" in keep:
        text = _NEWLINES.sub("\n", text)
    out = []
    for ch in text:
        if ch in keep:
            out.append(ch)
            continue
        category = unicodedata.category(ch)
        if category in ("Cc", "Cs") or ch in _INVISIBLE_FORMAT:
            continue
        out.append(ch)
    return "".join(out)


def _html_pass(text: str) -> str:
    cleaned = nh3.clean(
        text,
        tags=set(),
        clean_content_tags={"script", "style"},
        attributes={},
        strip_comments=True,
    )
    # nh3 returns escaped HTML; the user must see plain text, so decode the entities again.
    return html.unescape(cleaned)


def strip_html(text: str) -> str:
    """Plain text from possibly-HTML input: no tags at all, script/style contents dropped,
    entities decoded so the user reads `&` rather than `&amp;`.

    Decoding can revive markup (`&lt;b&gt;` becomes `<b>`), so the pass repeats until the text
    stops changing; the result is therefore stable under another `strip_html`.
    """
    current = _SURROGATES.sub("", _as_str(text))  # nh3 cannot encode lone surrogates
    for _ in range(_MAX_PASSES):
        cleaned = _html_pass(current)
        if cleaned == current:
            # Stable for the parser, which still leaves a few tag openers as text at the very
            # end ("x </"); drop those too, so no "<" + letter, "/", "!" or "?" survives.
            cleaned = _TAG_START.sub("", cleaned)
            if cleaned == current:
                return cleaned
        current = cleaned
    # Pathological nesting: make sure no tag can survive, whatever the cost to the text.
    return _TAG_START.sub("", current)  # pragma: no cover - needs > 12 levels of escaping


def _cut(text: str, max_length: int | None) -> str:
    if max_length is None or len(text) <= max_length:
        return text
    return text[: max(0, max_length)].rstrip()


def _text_pass(text: str, max_length: int | None) -> str:
    text = unicodedata.normalize("NFC", strip_control_chars(text))
    text = strip_html(text)
    text = unicodedata.normalize("NFC", strip_control_chars(text))
    return _cut(text.strip(), max_length)


def clean_text(text: str, max_length: int | None = None) -> str:
    """Plain, printable, NFC-normalised, trimmed text, at most `max_length` characters.

    Keeps `\\n` and `\\t` (multi-line descriptions). Idempotent: cleaning clean text changes
    nothing.
    """
    current = _as_str(text)
    for _ in range(_MAX_PASSES):
        cleaned = _text_pass(current, max_length)
        if cleaned == current:
            return cleaned
        current = cleaned
    return current.replace("<", "").replace("&", "")  # pragma: no cover - defensive


# --------------------------------------------------------------------------- e-mail

# Close to validator.js `isEmail` (which class-validator's @IsEmail uses on the server): dot-atom
# local part (UTF-8 letters allowed), domain of letter/digit/hyphen labels without underscores or
# full-width forms, and a TLD of at least two letters (or an xn-- label). No IP-literal domains.
_LOCAL_ATOM = re.compile(
    "^[a-z0-9!#$%&'*+\\-/=?^_`{|}~\u00a1-\ud7ff\uf900-\ufdcf\ufdf0-\uffef]+$", re.IGNORECASE
)
_DOMAIN_LABEL = re.compile(
    "^[a-z0-9\u00a1-\uffff](?:[a-z0-9\u00a1-\uffff-]{0,61}[a-z0-9\u00a1-\uffff])?$", re.IGNORECASE
)
_TLD = re.compile(
    "^(?:[a-z\u00a1-\u00a8\u00aa-\ud7ff\uf900-\ufdcf\ufdf0-\uffef]{2,}|xn[a-z0-9-]{2,})$",
    re.IGNORECASE,
)
_FULLWIDTH = re.compile("[\uff01-\uff5e]")


def normalize_email(text: str, *, lower_domain: bool = True) -> str:
    """Trim and clean an e-mail address; lower-case its domain part.

    The local part is never touched: the server stores addresses exactly as sent and matches them
    case-sensitively at login (contract 3.11), so `Maria@...` and `maria@...` are different
    accounts there. The domain is case-insensitive in DNS; registering through this client
    stores it in lower case. Login forms pass `lower_domain=False` and send the address as typed,
    because an account created elsewhere may carry an upper-case domain that must match exactly.
    """
    text = unicodedata.normalize("NFC", strip_control_chars(_as_str(text), keep="")).strip()
    if text[:7].lower() == "mailto:":
        text = text[7:].strip()
    if not lower_domain or "@" not in text:
        return text
    local, _, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


def is_valid_email(text: str) -> bool:
    """Whether the server's `@IsEmail()` would accept `text` (validator.js rules, locally)."""
    text = _as_str(text)
    if text.count("@") != 1 or len(text) > 254:
        return False
    local, domain = text.split("@")
    if not local or len(local) > 64 or not all(_LOCAL_ATOM.match(p) for p in local.split(".")):
        return False
    labels = domain.split(".")
    if len(labels) < 2 or len(domain) > 253 or _FULLWIDTH.search(domain):
        return False
    if not all(_DOMAIN_LABEL.match(label) for label in labels):
        return False
    return bool(_TLD.match(labels[-1]))


# --------------------------------------------------------------------------- URLs

_URL_FORBIDDEN = re.compile(r"[\s<>\"'`\\{}|^]")
_HOST_LABEL = re.compile(r"^[^\W_](?:[\w-]*[^\W_])?$")


def _valid_host(host: str) -> bool:
    if not host or len(host) > 253 or "%" in host:
        return False
    if host.startswith("[") or ":" in host:  # IPv6 literal, already unbracketed by urlsplit
        return all(c in "0123456789abcdefABCDEF:." for c in host)
    labels = host.rstrip(".").split(".")
    return all(label and len(label) <= 63 and _HOST_LABEL.match(label) for label in labels)


def clean_url(text: str, allow_mailto: bool = False) -> str | None:
    """A safe absolute link, or None.

    Only `http` and `https` (and `mailto:` with a valid address when `allow_mailto`), with a
    host and without credentials. Anything that could run code or smuggle data (`javascript:`,
    `data:`, `vbscript:`, scheme-relative `//host`, entity-encoded schemes, quotes and angle
    brackets) is refused rather than repaired. Tabs and newlines inside the text are dropped
    first, as browsers do, so `java\\tscript:` is recognised for what it is.
    """
    text = strip_control_chars(_as_str(text), keep="").strip()
    if not text or _URL_FORBIDDEN.search(text):
        return None
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme == "mailto":
        if not allow_mailto or parts.query or parts.fragment or parts.netloc:
            return None
        address = normalize_email(parts.path)
        return f"mailto:{address}" if is_valid_email(address) else None
    if scheme not in ("http", "https") or not parts.netloc:
        return None
    if "@" in parts.netloc or parts.username is not None or parts.password is not None:
        return None
    host = (parts.hostname or "").lower()
    if not _valid_host(host):
        return None
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc = f"{netloc}:{port}"
    return urlunsplit((scheme, netloc, parts.path, parts.query, parts.fragment))


# --------------------------------------------------------------------------- server emulation

_IGNORED_BODY_TAGS = ("script", "style")


def _js_trim(text: str) -> str:
    return text.strip(" \t\n\r\f\v\u00a0\ufeff\u2028\u2029")


def _xss_tag_name(tag_html: str) -> str:
    match = re.search(r"\s", tag_html)
    name = tag_html[1:-1] if match is None else tag_html[1 : match.start() + 1]
    name = _js_trim(name).lower()
    if name.startswith("/"):
        name = name[1:]
    if name.endswith("/"):
        name = name[:-1]
    return name


def _xss_escape(text: str) -> str:
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _xss_strip_comments(text: str) -> str:
    out, pos = [], 0
    while pos < len(text):
        start = text.find("<!--", pos)
        if start == -1:
            out.append(text[pos:])
            break
        out.append(text[pos:start])
        end = text.find("-->", start)
        if end == -1:
            break
        pos = end + 3
    return "".join(out)


def truncation_preview(text: str) -> str:
    """What the server will store for `text`: a faithful port of the `xss` library as the
    backend configures it (no allowed tags, tags stripped, script/style bodies dropped,
    comments dropped, `<` and `>` in text escaped).

    Examples from contract 3.13: `"a < b"` → `"a "`, `"x>y"` → `"x&gt;y"`,
    `"pa<ss>word"` → `"paword"`.
    """
    source = _xss_strip_comments(_as_str(text))
    out = ""
    last_pos = 0
    tag_start: int | None = None
    quote: str | None = None
    remove_ranges: list[tuple[int, int]] = []
    body_start: int | bool = False
    length = len(source)

    def on_tag(tag_html: str, position: int) -> str:
        nonlocal body_start
        if _xss_tag_name(tag_html) not in _IGNORED_BODY_TAGS:
            return ""
        if tag_html.startswith("</"):
            marker = "[/removed]"
            remove_ranges.append(
                (body_start if body_start is not False else position, position + len(marker))
            )
            body_start = False
            return marker
        if not body_start:  # JavaScript truthiness: position 0 counts as "not started"
            body_start = position
        return "[removed]"

    pos = 0
    while pos < length:
        ch = source[pos]
        if tag_start is None:
            if ch == "<":
                tag_start = pos
        elif quote is None:
            if ch == "<":
                out += _xss_escape(source[last_pos:pos])
                tag_start = pos
                last_pos = pos
            elif ch == ">" or pos == length - 1:
                out += _xss_escape(source[last_pos:tag_start])
                out += on_tag(source[tag_start : pos + 1], len(out))
                last_pos = pos + 1
                tag_start = None
            elif ch in "\"'":
                back = pos - 1
                while back >= 0 and (source[back].strip() == "" or source[back] == "="):
                    if source[back] == "=":
                        quote = ch
                        break
                    back -= 1
        elif ch == quote:
            quote = None
        pos += 1
    if last_pos < length:
        out += _xss_escape(source[last_pos:])
    if not remove_ranges:
        return out
    kept, cursor = [], 0
    for start, end in remove_ranges:
        kept.append(out[cursor:start])
        cursor = end
    kept.append(out[cursor:])
    return "".join(kept)


def server_would_truncate(text: str) -> bool:
    """True when the server's stripper will drop part of `text` (any `<` starts a "tag")."""
    return "<" in _as_str(text)


def server_would_alter(text: str) -> bool:
    """True when the stored text will differ from what was sent (cuts, or `>` → `&gt;`)."""
    text = _as_str(text)
    return truncation_preview(text) != text


def server_length(text: str) -> int:
    """Length as the server's `@MaxLength`/`@MinLength` count it (validator.js `isLength`):
    code points, not counting the emoji variation selectors U+FE0E/U+FE0F."""
    text = _as_str(text)
    return len(text) - text.count("\ufe0e") - text.count("\ufe0f")

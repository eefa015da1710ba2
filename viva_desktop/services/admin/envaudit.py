"""Audit of a Comunidad Viva server `.env` file, before the server trips over it.

The rules are the server's own start-up checks (contract section 8), read the way the server
reads the file (dotenv 16: the last duplicate wins, an unquoted `#` starts a comment), plus the
traps the contract documents: S3 settings under the `AWS_*` names the example file uses, a JWT
secret too short for the JWT module, development mode on a deployed server, refresh tokens that
are born expired. The result is the shared `AuditReport`, so the configuration page shows it
like the app's own configuration.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from ipaddress import ip_address
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from viva_desktop.services.common.i18n import translate
from viva_desktop.services.common.report import AuditReport, Severity

REQUIRED = ("DATABASE_URL", "JWT_SECRET", "NODE_ENV")
SMTP_GROUP = ("SMTP_HOST", "SMTP_PORT", "SMTP_USER", "SMTP_PASS")
S3_GROUP = ("S3_BUCKET", "S3_ACCESS_KEY", "S3_SECRET_KEY", "S3_REGION")
S3_RECOMMENDED = ("S3_BUCKET", "S3_ACCESS_KEY", "S3_SECRET_KEY")
AWS_TO_S3 = {
    "AWS_S3_BUCKET": "S3_BUCKET",
    "AWS_ACCESS_KEY_ID": "S3_ACCESS_KEY",
    "AWS_SECRET_ACCESS_KEY": "S3_SECRET_KEY",
    "AWS_REGION": "S3_REGION",
}
MIN_JWT_SECRET = 32
SUMMARY_KEYS = ("database", "jwt", "smtp", "s3", "sentry", "redis", "production", "would_start")


# --------------------------------------------------------------------------- parsing

_KEY = re.compile(r"[\w.-]+")
_ASSIGNMENT = re.compile(r"^\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*|:\s+)(.*)$", re.DOTALL)


@dataclass(frozen=True)
class ParseProblem:
    line: int
    key: str | None
    message: str


@dataclass
class ParsedEnv:
    """The variables as the server would see them, plus what looked wrong in the file."""

    values: dict[str, str] = field(default_factory=dict)  # in file order; the last one wins
    lines: dict[str, int] = field(default_factory=dict)  # line of the value that wins
    problems: list[ParseProblem] = field(default_factory=list)


def parse_env(text: str) -> ParsedEnv:
    """Parse `.env` text like dotenv 16 does, noting every line the server would misread."""
    parsed = ParsedEnv()
    seen: dict[str, list[int]] = {}
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[0].startswith("\ufeff"):
        lines[0] = lines[0][1:]
    index = 0
    while index < len(lines):
        number = index + 1
        line = lines[index]
        index += 1
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _ASSIGNMENT.match(line)
        if match is None:
            parsed.problems.append(
                ParseProblem(
                    number,
                    None,
                    translate(
                        "EnvAudit",
                        "Line {line} is not a KEY=value assignment; the server ignores it.",
                    ).format(line=number),
                )
            )
            continue
        key, rest = match.group(1), match.group(2).strip()
        if rest[:1] in ("'", '"', "`"):
            quote = rest[0]
            closing = _closing_quote(rest, quote)
            while closing < 0 and index < len(lines):  # a quoted value may span lines
                rest += "\n" + lines[index]
                index += 1
                closing = _closing_quote(rest, quote)
            if closing < 0:
                parsed.problems.append(
                    ParseProblem(
                        number,
                        key,
                        translate(
                            "EnvAudit", "The quote opened on line {line} for {key} is never closed."
                        ).format(line=number, key=key),
                    )
                )
                value = rest.split("\n", 1)[0].split("#", 1)[0].strip()
                index = number  # resume right after the broken line
            else:
                value = rest[1:closing]
                trailing = rest[closing + 1 :].strip()
                if trailing and not trailing.startswith("#"):
                    parsed.problems.append(
                        ParseProblem(
                            number,
                            key,
                            translate(
                                "EnvAudit",
                                "Text after the closing quote of {key} (line {line}) is ignored.",
                            ).format(key=key, line=number),
                        )
                    )
                if quote == '"':
                    value = value.replace("\\n", "\n").replace("\\r", "\r")
        else:
            value, _, comment = rest.partition("#")
            value = value.strip()
            if comment and value and not rest.split("#", 1)[0].endswith((" ", "\t")):
                parsed.problems.append(
                    ParseProblem(
                        number,
                        key,
                        translate(
                            "EnvAudit",
                            "The value of {key} (line {line}) contains '#': the server reads only "
                            "the part before it. Put the value in quotes.",
                        ).format(key=key, line=number),
                    )
                )
        seen.setdefault(key, []).append(number)
        parsed.values.pop(key, None)  # keep file order of the winning line
        parsed.values[key] = value
        parsed.lines[key] = number
    for key, numbers in seen.items():
        if len(numbers) > 1:
            parsed.problems.append(
                ParseProblem(
                    numbers[-1],
                    key,
                    translate(
                        "EnvAudit", "{key} is set {count} times (lines {lines}); the last one wins."
                    ).format(key=key, count=len(numbers), lines=", ".join(map(str, numbers))),
                )
            )
    return parsed


def _closing_quote(text: str, quote: str) -> int:
    """Index of the quote closing `text[0]`, skipping backslash-escaped ones; -1 when open."""
    position = 1
    while position < len(text):
        char = text[position]
        if char == "\\":
            position += 2
            continue
        if char == quote:
            return position
        position += 1
    return -1


# --------------------------------------------------------------------------- helpers

_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "0.0.0.0"}  # noqa: S104


def _is_loopback_host(host: str | None) -> bool:
    if not host:
        return True
    host = host.lower().strip("[]")
    if host in _LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def _origins(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def _deployed_hosts(env: Mapping[str, str]) -> list[str]:
    """Public-looking hosts in the URLs the server announces; any makes it 'deployed'."""
    hosts: list[str] = []
    for key in ("FRONTEND_URL", "API_URL", "CORS_ORIGIN"):
        for origin in _origins(env.get(key, "")):
            host = urlsplit(origin).hostname
            if host and not _is_loopback_host(host) and "*" not in host:
                hosts.append(host)
    return hosts


_PLACEHOLDER = re.compile(
    r"change|secret|example|your|default|placeholder|password|sample|test|dummy|jwt|todo|xxx",
    re.IGNORECASE,
)


def secret_strength_bits(secret: str) -> float:
    """Rough entropy estimate: length times the per-character Shannon entropy of the text."""
    if not secret:
        return 0.0
    counts = Counter(secret)
    per_char = -sum((n / len(secret)) * math.log2(n / len(secret)) for n in counts.values())
    return per_char * len(secret)


def _refresh_days(value: str) -> int | None:
    """What the server makes of `JWT_REFRESH_TOKEN_EXPIRATION`: whole days, None if unreadable."""
    match = re.fullmatch(r"\s*(\d+)\s*([dhms])\s*", value)
    if match is None:
        return None
    amount, unit = int(match.group(1)), match.group(2)
    seconds = amount * {"d": 86400, "h": 3600, "m": 60, "s": 1}[unit]
    return seconds // 86400


# --------------------------------------------------------------------------- rules


class _Audit:
    def __init__(self, env: Mapping[str, str], deployed: bool | None) -> None:
        self.env = env
        self.report = AuditReport()
        self.production = env.get("NODE_ENV", "") == "production"
        hosts = _deployed_hosts(env)
        self.deployed_hosts = hosts
        self.deployed = bool(hosts) if deployed is None else deployed
        self.startup_errors = False  # env-validation errors: fatal in production only

    def has(self, key: str) -> bool:
        return bool(self.env.get(key, ""))

    def add(self, severity: Severity, key: str, message: str, advice: str = "") -> None:
        self.report.add(severity, key, message, advice)


def _rule_required(audit: _Audit) -> None:
    advice = {
        "DATABASE_URL": translate(
            "EnvAudit", "Set DATABASE_URL=postgresql://user:password@host:5432/database."
        ),
        "JWT_SECRET": translate(
            "EnvAudit",
            "Set a random secret of at least 32 characters, e.g. the output of "
            "`openssl rand -base64 48`.",
        ),
        "NODE_ENV": translate(
            "EnvAudit", "Set NODE_ENV=production on any server other people can reach."
        ),
    }
    for key in REQUIRED:
        if audit.has(key):
            continue
        audit.startup_errors = True
        empty = key in audit.env
        message = translate("EnvAudit", "Missing required environment variable: {key}").format(
            key=key
        )
        if empty:
            message += " " + translate("EnvAudit", "(the line is there, but the value is empty)")
        if key == "JWT_SECRET":
            message += " " + translate(
                "EnvAudit", "The server refuses to start without it, in every environment."
            )
        elif key == "NODE_ENV":
            message += " " + translate(
                "EnvAudit",
                "Without it the server runs in development mode: stack traces in every error "
                "and public API documentation.",
            )
        audit.add(Severity.ERROR, key, message, advice[key])


def _rule_database_url(audit: _Audit) -> None:
    url = audit.env.get("DATABASE_URL", "")
    if not url or url.startswith("postgresql://"):
        return
    audit.startup_errors = True
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme == "postgres":
        message = translate(
            "EnvAudit",
            "DATABASE_URL starts with postgres://; the server only accepts postgresql://.",
        )
        advice = translate(
            "EnvAudit", "Write postgresql:// instead of postgres:// (the rest stays the same)."
        )
    else:
        message = translate("EnvAudit", "DATABASE_URL must start with postgresql://.")
        advice = translate(
            "EnvAudit", "Use a URL of the form postgresql://user:password@host:5432/database."
        )
    if audit.production:
        message += " " + translate("EnvAudit", "In production the server refuses to start.")
    audit.add(Severity.ERROR, "DATABASE_URL", message, advice)


def _rule_jwt_secret(audit: _Audit) -> None:
    secret = audit.env.get("JWT_SECRET", "")
    if not secret:
        return
    if len(secret) < MIN_JWT_SECRET:
        audit.add(
            Severity.ERROR,
            "JWT_SECRET",
            translate(
                "EnvAudit",
                "JWT_SECRET has {length} characters; the server refuses to start with fewer than "
                "{minimum}, in every environment (its environment check only warns, its JWT "
                "module stops).",
            ).format(length=len(secret), minimum=MIN_JWT_SECRET),
            translate("EnvAudit", "Generate a longer one, e.g. with `openssl rand -base64 48`."),
        )
        return
    bits = secret_strength_bits(secret)
    distinct = len(set(secret))
    if bits < 100 or distinct < 10 or _PLACEHOLDER.search(secret):
        audit.add(
            Severity.WARNING,
            "JWT_SECRET",
            translate(
                "EnvAudit",
                "JWT_SECRET looks guessable (about {bits:.0f} bits of variety, {distinct} "
                "different characters, or a placeholder word). Anyone who guesses it can sign "
                "tokens for any account, ADMIN included.",
            ).format(bits=bits, distinct=distinct),
            translate(
                "EnvAudit",
                "Replace it with random bytes, e.g. `openssl rand -base64 48`; everyone will have "
                "to log in again.",
            ),
        )


def _rule_node_env(audit: _Audit) -> None:
    value = audit.env.get("NODE_ENV", "")
    if not value or audit.production:
        return
    if value.strip().lower() == "production":
        audit.add(
            Severity.WARNING,
            "NODE_ENV",
            translate(
                "EnvAudit",
                "NODE_ENV is '{value}': the server only recognises exactly 'production', so it "
                "runs in development mode.",
            ).format(value=value),
            translate("EnvAudit", "Write NODE_ENV=production, in lower case, with no spaces."),
        )
        return
    if audit.deployed:
        audit.add(
            Severity.WARNING,
            "NODE_ENV",
            translate(
                "EnvAudit",
                "NODE_ENV is '{value}' on a server that looks deployed ({hosts}): every error "
                "body carries a stack trace with file paths, Swagger documents the whole API "
                "publicly, any web origin passes CORS and POST /health/seed-demo can wipe the "
                "data without authentication.",
            ).format(
                value=value,
                hosts=", ".join(audit.deployed_hosts) or translate("EnvAudit", "by your choice"),
            ),
            translate("EnvAudit", "Set NODE_ENV=production."),
        )
    else:
        audit.add(
            Severity.INFO,
            "NODE_ENV",
            translate(
                "EnvAudit",
                "NODE_ENV is '{value}': fine on a developer's machine, never on a server others "
                "can reach.",
            ).format(value=value),
        )


def _rule_recommended(audit: _Audit) -> None:
    notes = {
        "FRONTEND_URL": translate(
            "EnvAudit",
            "CORS then allows only http://localhost:3000 and :3001, and links point nowhere.",
        ),
        "SENTRY_DSN": translate("EnvAudit", "Server errors are then only in its own logs."),
    }
    for key, note in notes.items():
        if not audit.has(key):
            audit.add(
                Severity.WARNING,
                key,
                translate("EnvAudit", "Recommended environment variable not set: {key}.").format(
                    key=key
                )
                + " "
                + note,
            )


def _rule_group(
    audit: _Audit,
    name: str,
    group: tuple[str, ...],
    recommended: tuple[str, ...],
    unset_message: str,
) -> None:
    present = [key for key in group if audit.has(key)]
    missing = [key for key in group if not audit.has(key)]
    if not present:
        audit.add(
            Severity.WARNING,
            name,
            unset_message
            + " "
            + translate("EnvAudit", "Recommended environment variables not set: {keys}.").format(
                keys=", ".join(recommended)
            ),
        )
    elif missing:
        audit.add(
            Severity.WARNING,
            name,
            translate("EnvAudit", "{name} is only partly configured: {missing} missing.").format(
                name=name, missing=", ".join(missing)
            ),
            translate("EnvAudit", "Set all of {keys}, or none of them.").format(
                keys=", ".join(group)
            ),
        )


def _rule_smtp(audit: _Audit) -> None:
    _rule_group(
        audit,
        "SMTP",
        SMTP_GROUP,
        SMTP_GROUP,
        translate("EnvAudit", "E-mail (SMTP) is not configured."),
    )


def _rule_s3(audit: _Audit) -> None:
    _rule_group(
        audit,
        "S3",
        S3_GROUP,
        S3_RECOMMENDED,
        translate("EnvAudit", "S3 storage is not configured."),
    )


def _rule_aws_names(audit: _Audit) -> None:
    for aws, s3 in AWS_TO_S3.items():
        if aws not in audit.env:
            continue
        if audit.has(s3):
            audit.add(
                Severity.INFO,
                aws,
                translate(
                    "EnvAudit", "{aws} is not read by the server; {s3} is, and it is set."
                ).format(aws=aws, s3=s3),
                translate("EnvAudit", "Remove {aws} to avoid confusion.").format(aws=aws),
            )
        else:
            audit.add(
                Severity.WARNING,
                aws,
                translate(
                    "EnvAudit",
                    "{aws} configures nothing: the server reads {s3}. The backend's example file "
                    "uses the AWS names, so following it leaves S3 unconfigured.",
                ).format(aws=aws, s3=s3),
                translate("EnvAudit", "Rename {aws} to {s3}.").format(aws=aws, s3=s3),
            )


def _rule_cors(audit: _Audit) -> None:
    for key in ("FRONTEND_URL", "CORS_ORIGIN"):
        for origin in _origins(audit.env.get(key, "")):
            parts = urlsplit(origin)
            if "*" in origin:
                audit.add(
                    Severity.WARNING,
                    key,
                    translate(
                        "EnvAudit",
                        "{key} contains '{origin}': origins are compared literally, so a wildcard "
                        "either matches nothing or reflects a will to allow everybody.",
                    ).format(key=key, origin=origin),
                    translate(
                        "EnvAudit", "List the exact web origins, e.g. https://viva.example.org."
                    ),
                )
            elif parts.scheme not in ("http", "https") or not parts.hostname:
                audit.add(
                    Severity.WARNING,
                    key,
                    translate(
                        "EnvAudit",
                        "{key} contains '{origin}', which is not an origin (scheme://host).",
                    ).format(key=key, origin=origin),
                    translate(
                        "EnvAudit",
                        "List origins such as https://viva.example.org, separated by commas.",
                    ),
                )
            elif parts.scheme == "http" and not _is_loopback_host(parts.hostname):
                audit.add(
                    Severity.WARNING,
                    key,
                    translate(
                        "EnvAudit",
                        "{key} allows '{origin}' over plain http://: passwords and tokens would "
                        "cross the network unencrypted.",
                    ).format(key=key, origin=origin),
                    translate(
                        "EnvAudit", "Serve the web front end over https:// and list that origin."
                    ),
                )


def _rule_redis(audit: _Audit) -> None:
    if not audit.has("REDIS_URL"):
        audit.add(
            Severity.WARNING,
            "REDIS_URL",
            translate(
                "EnvAudit",
                "REDIS_URL is not set: the server tries redis://localhost:6379 and otherwise keeps "
                "rate-limit counters in process memory, lost on restart and not shared between "
                "instances.",
            ),
            translate("EnvAudit", "Point REDIS_URL at a Redis the server can reach."),
        )


def _rule_token_lifetimes(audit: _Audit) -> None:
    value = audit.env.get("JWT_REFRESH_TOKEN_EXPIRATION", "")
    if not value:
        return
    days = _refresh_days(value)
    if days is None:
        audit.add(
            Severity.WARNING,
            "JWT_REFRESH_TOKEN_EXPIRATION",
            translate(
                "EnvAudit",
                "JWT_REFRESH_TOKEN_EXPIRATION is '{value}'; the server reads a number followed by "
                "d, h, m or s.",
            ).format(value=value),
            translate("EnvAudit", "Use a value such as 7d."),
        )
    elif days < 1:
        audit.add(
            Severity.ERROR,
            "JWT_REFRESH_TOKEN_EXPIRATION",
            translate(
                "EnvAudit",
                "JWT_REFRESH_TOKEN_EXPIRATION is '{value}', under one day: the server rounds it "
                "down to 0 whole days, so every refresh token is already expired and users are "
                "logged out when their 15-minute access token ends.",
            ).format(value=value),
            translate("EnvAudit", "Use whole days, e.g. 7d."),
        )


def _rule_port(audit: _Audit) -> None:
    value = audit.env.get("PORT", "")
    if value and not (value.isdigit() and 0 < int(value) < 65536):
        audit.add(
            Severity.WARNING,
            "PORT",
            translate("EnvAudit", "PORT is '{value}', which is not a port number.").format(
                value=value
            ),
            translate("EnvAudit", "Use a number between 1 and 65535 (the default is 4000)."),
        )


RULES: tuple[Callable[[_Audit], None], ...] = (
    _rule_required,
    _rule_database_url,
    _rule_jwt_secret,
    _rule_node_env,
    _rule_recommended,
    _rule_smtp,
    _rule_s3,
    _rule_aws_names,
    _rule_cors,
    _rule_redis,
    _rule_token_lifetimes,
    _rule_port,
)


def audit_env(env: Mapping[str, str] | ParsedEnv, *, deployed: bool | None = None) -> AuditReport:
    """Apply the server's start-up rules and the known traps to parsed variables.

    `deployed` says whether the server is reachable by others; None guesses it from the public
    URLs in the file. The summary holds the server's own booleans (`database`, `jwt`, `smtp`,
    `s3`, `sentry`, `redis`) plus `production` and `would_start`.
    """
    parsed = env if isinstance(env, ParsedEnv) else None
    values = parsed.values if parsed is not None else dict(env)
    audit = _Audit(values, deployed)
    if parsed is not None:
        for problem in parsed.problems:
            audit.add(
                Severity.WARNING,
                problem.key or translate("EnvAudit", "line {line}").format(line=problem.line),
                problem.message,
            )
    for rule in RULES:
        rule(audit)
    secret = values.get("JWT_SECRET", "")
    jwt_ok = len(secret) >= MIN_JWT_SECRET
    audit.report.summary = {
        "database": audit.has("DATABASE_URL"),
        "jwt": audit.has("JWT_SECRET"),
        "smtp": audit.has("SMTP_HOST") and audit.has("SMTP_USER"),
        "s3": audit.has("S3_BUCKET") and audit.has("S3_ACCESS_KEY"),
        "sentry": audit.has("SENTRY_DSN"),
        "redis": audit.has("REDIS_URL"),
        "production": audit.production,
        "would_start": jwt_ok and not (audit.production and audit.startup_errors),
    }
    return audit.report


def audit_env_text(text: str, *, deployed: bool | None = None) -> AuditReport:
    return audit_env(parse_env(text), deployed=deployed)


def audit_env_file(path: str | Path, *, deployed: bool | None = None) -> AuditReport:
    """Read and audit a `.env` file (UTF-8; undecodable bytes are replaced, not fatal)."""
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    return audit_env_text(text, deployed=deployed)


# --------------------------------------------------------------------------- masking

MASK = "••••••••"
_SECRET_KEY = re.compile(
    r"SECRET|PASS|KEY|PRIVATE|CREDENTIAL|(^|_)TOKEN$|DSN|SALT|MNEMONIC|SEED_PHRASE",
    re.IGNORECASE,
)
_SECRET_QUERY = re.compile(r"pass|secret|token|key|sig", re.IGNORECASE)


@dataclass(frozen=True)
class EnvItem:
    key: str
    display_value: str
    secret: bool


def is_secret_key(key: str) -> bool:
    return bool(_SECRET_KEY.search(key))


def _mask_url(value: str) -> tuple[str, bool]:
    """Mask the credentials inside a URL (user info and sensitive query parameters)."""
    try:
        parts = urlsplit(value)
    except ValueError:
        return value, False
    if not parts.scheme or not parts.netloc:
        return value, False
    masked = False
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        user, has_password, _ = userinfo.partition(":")
        netloc = f"{user}:{MASK}@{host}" if has_password else f"{MASK}@{host}"
        masked = True
    elif ":" in netloc and not netloc.rsplit(":", 1)[1].isdigit() and not netloc.endswith("]"):
        # "user:pass" cut short (an unquoted '#' in the password): what follows ':' is no port.
        netloc = netloc.split(":", 1)[0] + ":" + MASK
        masked = True
    pieces = []
    for piece in parts.query.split("&") if parts.query else []:
        name, has_value, _ = piece.partition("=")
        if has_value and _SECRET_QUERY.search(name):
            piece, masked = f"{name}={MASK}", True
        pieces.append(piece)
    query = "&".join(pieces)
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment)), masked


def mask_value(key: str, value: str) -> tuple[str, bool]:
    """`(display text, is secret)` for one variable."""
    if "://" in value:
        display, had_credentials = _mask_url(value)
        if had_credentials or "DSN" in key.upper():
            return display, True
        if is_secret_key(key):
            return MASK, True
        return display, False
    if is_secret_key(key):
        return (MASK if value else ""), True
    return value, False


def masked_items(env: Mapping[str, str] | ParsedEnv) -> list[EnvItem]:
    """Every variable for the screen, secrets masked, in file order."""
    values = env.values if isinstance(env, ParsedEnv) else env
    return [EnvItem(key, *mask_value(key, value)) for key, value in values.items()]

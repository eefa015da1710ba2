"""The rules of the audit, one function each: the server's own start-up checks (contract
section 8) and the traps the contract documents. Each adds its findings to an `AuditRun`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

from viva_desktop.services.admin.envaudit.values import (
    PLACEHOLDER,
    deployed_hosts,
    is_local_host,
    origins,
    refresh_days,
    secret_strength_bits,
)
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


class AuditRun:
    """One audit under way: the variables, what is known about the server, the report."""

    def __init__(self, env: Mapping[str, str], deployed: bool | None) -> None:
        self.env = env
        self.report = AuditReport()
        self.production = env.get("NODE_ENV", "") == "production"
        hosts = deployed_hosts(env)
        self.deployed_hosts = hosts
        self.deployed = bool(hosts) if deployed is None else deployed
        self.startup_errors = False  # env-validation errors: fatal in production only

    def has(self, key: str) -> bool:
        return bool(self.env.get(key, ""))

    def add(self, severity: Severity, key: str, message: str, advice: str = "") -> None:
        self.report.add(severity, key, message, advice)


def _rule_required(audit: AuditRun) -> None:
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


def _rule_database_url(audit: AuditRun) -> None:
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


def _rule_jwt_secret(audit: AuditRun) -> None:
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
    if bits < 100 or distinct < 10 or PLACEHOLDER.search(secret):
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


def _rule_node_env(audit: AuditRun) -> None:
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


def _rule_recommended(audit: AuditRun) -> None:
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
    audit: AuditRun,
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


def _rule_smtp(audit: AuditRun) -> None:
    _rule_group(
        audit,
        "SMTP",
        SMTP_GROUP,
        SMTP_GROUP,
        translate("EnvAudit", "E-mail (SMTP) is not configured."),
    )


def _rule_s3(audit: AuditRun) -> None:
    _rule_group(
        audit,
        "S3",
        S3_GROUP,
        S3_RECOMMENDED,
        translate("EnvAudit", "S3 storage is not configured."),
    )


def _rule_aws_names(audit: AuditRun) -> None:
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


def _rule_cors(audit: AuditRun) -> None:
    for key in ("FRONTEND_URL", "CORS_ORIGIN"):
        for origin in origins(audit.env.get(key, "")):
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
            elif parts.scheme == "http" and not is_local_host(parts.hostname):
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


def _rule_redis(audit: AuditRun) -> None:
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


def _rule_token_lifetimes(audit: AuditRun) -> None:
    value = audit.env.get("JWT_REFRESH_TOKEN_EXPIRATION", "")
    if not value:
        return
    days = refresh_days(value)
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


def _rule_port(audit: AuditRun) -> None:
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


RULES: tuple[Callable[[AuditRun], None], ...] = (
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

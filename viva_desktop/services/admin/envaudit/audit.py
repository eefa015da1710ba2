"""`audit_env`: the rules applied to a parsed file (or plain variables), with the parse
problems and the summary the configuration page shows, as the shared `AuditReport`."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from viva_desktop.services.admin.envaudit.parsing import ParsedEnv, parse_env
from viva_desktop.services.admin.envaudit.rules import MIN_JWT_SECRET, RULES, AuditRun
from viva_desktop.services.common.i18n import translate
from viva_desktop.services.common.report import AuditReport, Severity


def audit_env(env: Mapping[str, str] | ParsedEnv, *, deployed: bool | None = None) -> AuditReport:
    """Apply the server's start-up rules and the known traps to parsed variables.

    `deployed` says whether the server is reachable by others; None guesses it from the public
    URLs in the file. The summary holds the server's own booleans (`database`, `jwt`, `smtp`,
    `s3`, `sentry`, `redis`) plus `production` and `would_start`.
    """
    parsed = env if isinstance(env, ParsedEnv) else None
    values = parsed.values if parsed is not None else dict(env)
    audit = AuditRun(values, deployed)
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
    # A secret the rules found an error with is not "there": the summary agrees with them.
    jwt_refused = any(
        f.key == "JWT_SECRET" and f.severity is Severity.ERROR for f in audit.report.findings
    )
    audit.report.summary = {
        "database": audit.has("DATABASE_URL"),
        "jwt": audit.has("JWT_SECRET") and jwt_ok and not jwt_refused,
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

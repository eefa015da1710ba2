"""`validate_settings`: errors, warnings and a summary of the settings for the configuration
dashboard (profiles and TLS, the store, error reporting, health polling)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from viva_desktop.services.common.config.sections import ServerProfile
from viva_desktop.services.common.config.settings import Settings
from viva_desktop.services.common.config.urls import is_loopback_host, redact_url
from viva_desktop.services.common.i18n import translate
from viva_desktop.services.common.report import AuditReport, Severity

_STRICT_WINDOW_S = 60.0
_STRICT_LIMIT = 10  # the server's `strict` throttler: 10 requests per minute on every route

_DSN = re.compile(r"^https?://[^:/@\s]+(?::[^@/\s]*)?@[^/\s]+(?:/[^\s]*)?/\d+/?$")


def validate_settings(settings: Settings) -> AuditReport:
    """Errors, warnings and a summary of `settings`, for the configuration dashboard."""
    report = AuditReport(findings=list(settings.load_findings))
    profiles_ok = _audit_profiles(settings, report)
    store_ok = _audit_store(settings, report)
    telemetry_ok = _audit_sentry(settings, report)
    _audit_health(settings, report)
    active = settings.active()
    report.summary.update(
        {
            "profiles": profiles_ok,
            "active_profile": active is not None,
            "tls": all(_secure(p) for p in settings.profiles if not p.is_sandbox),
            "store": store_ok,
            "postgresql": settings.store_url.startswith("postgresql"),
            "telemetry": telemetry_ok,
            "json_logs": settings.log.json_file,
            "config_file": not any(f.severity is Severity.ERROR for f in settings.load_findings),
        }
    )
    return report


def _secure(profile: ServerProfile) -> bool:
    parts = urlsplit(profile.url)
    return (parts.scheme == "https" or is_loopback_host(parts.hostname)) and profile.verify_tls


def _audit_profiles(settings: Settings, report: AuditReport) -> bool:
    if not settings.profiles:
        report.add(
            Severity.ERROR,
            "profiles",
            translate("Config", "No server profile is configured."),
            translate("Config", "Add a profile with the server's address, or use the sandbox."),
        )
        return False
    ok = True
    seen: set[str] = set()
    for index, profile in enumerate(settings.profiles):
        key = f"profiles[{index}]"
        if profile.name in seen:
            ok = False
            report.add(
                Severity.ERROR,
                f"{key}.name",
                translate("Config", "Two profiles are called “{name}”.").format(name=profile.name),
                translate("Config", "Give every profile its own name."),
            )
        seen.add(profile.name)
        parts = urlsplit(profile.url)
        if parts.scheme == "sandbox" and not profile.is_sandbox:
            ok = False
            report.add(
                Severity.ERROR,
                f"{key}.url",
                translate("Config", "sandbox:// addresses are only for the built-in sandbox."),
            )
        if profile.is_sandbox:
            continue
        if parts.scheme == "http" and not is_loopback_host(parts.hostname):
            report.add(
                Severity.WARNING,
                f"{key}.url",
                translate(
                    "Config",
                    "“{name}” uses plain http:// to another machine: passwords and tokens "
                    "travel unencrypted.",
                ).format(name=profile.name),
                translate("Config", "Use https:// for any server that is not on this computer."),
            )
        if not profile.verify_tls and parts.scheme == "https":
            report.add(
                Severity.WARNING,
                f"{key}.verify_tls",
                translate(
                    "Config",
                    "Certificate checks are off for “{name}”: anyone on the network "
                    "could impersonate the server.",
                ).format(name=profile.name),
                translate(
                    "Config",
                    "Turn verification back on and point the CA bundle at the "
                    "server's certificate authority instead.",
                ),
            )
        if profile.ca_bundle is not None and not profile.ca_bundle.is_file():
            ok = False
            report.add(
                Severity.ERROR,
                f"{key}.ca_bundle",
                translate("Config", "The CA bundle {path} does not exist.").format(
                    path=profile.ca_bundle
                ),
            )
        if profile.timeout < 10:
            report.add(
                Severity.WARNING,
                f"{key}.timeout",
                translate(
                    "Config",
                    "A timeout under 10 s is short: token refresh and logout get slower as the "
                    "server's token table grows.",
                ),
            )
    if settings.active_profile and settings.profile(settings.active_profile) is None:
        ok = False
        report.add(
            Severity.ERROR,
            "active_profile",
            translate("Config", "The active profile “{name}” does not exist.").format(
                name=settings.active_profile
            ),
        )
    return ok


def _audit_store(settings: Settings, report: AuditReport) -> bool:
    url = settings.store_url
    parts = urlsplit(url)
    if url.startswith("sqlite"):
        location = url.split(":///", 1)[-1] if ":///" in url else ""
        if location and location != ":memory:":
            folder = Path(location).expanduser().parent
            existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
            if existing is not None and not os.access(existing, os.W_OK):
                report.add(
                    Severity.ERROR,
                    "store_url",
                    translate("Config", "The store's folder {path} is not writable.").format(
                        path=folder
                    ),
                )
                return False
        return True
    if parts.password is not None:
        report.add(
            Severity.WARNING,
            "store_url",
            translate(
                "Config",
                "The store URL contains a password ({url}); it is not saved in the "
                "configuration file.",
            ).format(url=redact_url(url)),
            translate(
                "Config",
                "Keep the password in a libpq password file (~/.pgpass, or the file named by "
                "PGPASSFILE) and leave it out of the URL.",
            ),
        )
    if not parts.hostname and "host=" not in parts.query:
        report.add(
            Severity.WARNING,
            "store_url",
            translate("Config", "The PostgreSQL URL names no host; a local socket will be used."),
        )
    if not parts.path.strip("/"):
        report.add(
            Severity.ERROR,
            "store_url",
            translate("Config", "The PostgreSQL URL names no database."),
        )
        return False
    return True


def _audit_sentry(settings: Settings, report: AuditReport) -> bool:
    sentry = settings.sentry
    if not sentry.dsn:
        report.add(
            Severity.INFO,
            "sentry.dsn",
            translate("Config", "Error reporting (Sentry) is off."),
        )
        return False
    if not _DSN.match(sentry.dsn):
        report.add(
            Severity.ERROR,
            "sentry.dsn",
            translate(
                "Config", "The Sentry DSN is not valid; expected https://<key>@<host>/<project-id>."
            ),
        )
        return False
    host = urlsplit(sentry.dsn).hostname
    if sentry.dsn.startswith("http://") and not is_loopback_host(host):
        report.add(
            Severity.WARNING,
            "sentry.dsn",
            translate("Config", "Error reports would travel unencrypted (http://)."),
        )
    if sentry.sample_rate == 0:
        report.add(
            Severity.WARNING,
            "sentry.sample_rate",
            translate("Config", "The sample rate is 0: no error report will be sent."),
        )
    if sentry.send_email:
        report.add(
            Severity.INFO,
            "sentry.send_email",
            translate("Config", "Error reports include the signed-in user's e-mail address."),
        )
    return sentry.sample_rate > 0


def _audit_health(settings: Settings, report: AuditReport) -> None:
    interval = settings.health.poll_interval_s
    if interval < _STRICT_WINDOW_S / _STRICT_LIMIT:
        report.add(
            Severity.WARNING,
            "health.poll_interval_s",
            translate(
                "Config",
                "Polling every {seconds} s uses up the server's limit of {limit} health "
                "requests per minute.",
            ).format(seconds=_number_text(interval), limit=_STRICT_LIMIT),
            translate("Config", "Poll every {seconds} s or more.").format(
                seconds=_number_text(_STRICT_WINDOW_S / _STRICT_LIMIT)
            ),
        )


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"

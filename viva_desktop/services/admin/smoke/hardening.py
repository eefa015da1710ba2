"""Hardening checks: the server's known weaknesses (contract 13.2), found without writing."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Mapping
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx
from cryptography import x509

from viva_desktop.services.admin.smoke.context import (
    Context,
    Skip,
    Verdict,
    account_advice,
    body_of,
    failed,
    is_loopback,
    passed,
    rate_limited,
    status_line,
)
from viva_desktop.services.common.i18n import translate


def check_api_docs(ctx: Context) -> Verdict:
    response = ctx.get("/api/docs-json")
    evidence = status_line("GET", "/api/docs-json", response)
    if limited := rate_limited(response):
        return limited
    body = body_of(response)
    exposed = (
        response.status_code == 200
        and isinstance(body, Mapping)
        and ("openapi" in body or "swagger" in body or "paths" in body)
    )
    if not exposed:
        return passed(evidence + translate("Smoke", ": the API documentation is not public"))
    assert isinstance(body, Mapping)
    paths = body.get("paths")
    count = len(paths) if isinstance(paths, Mapping) else 0
    evidence += translate(
        "Smoke", ": an OpenAPI document describing {count} paths is public"
    ).format(count=count)
    if ctx.environment == "production":
        evidence += translate("Smoke", ", although /health/status says environment “production”")
        advice = translate(
            "Smoke",
            "Something in front of the server serves the docs, or the build differs: block "
            "/api/docs at the reverse proxy.",
        )
    else:
        evidence += translate("Smoke", "; /health/status says environment “{env}”").format(
            env=ctx.environment or "?"
        )
        advice = translate(
            "Smoke",
            "Run the server with NODE_ENV=production, which also removes stack traces from errors.",
        )
    return failed(evidence, advice)


def check_stack_traces(ctx: Context) -> Verdict:
    body, path = ctx.not_found_body, ctx.not_found_path
    if path is None:
        path = "/non-existent-route-viva-smoke"
        response = ctx.get(path)
        body = body_of(response)
    if not isinstance(body, Mapping):
        raise Skip(translate("Smoke", "The 404 reply had no JSON body to inspect."))
    trace = body.get("error") if isinstance(body.get("error"), str) else body.get("stack")
    if not isinstance(trace, str) or not trace:
        return passed(
            translate(
                "Smoke", "The 404 body of GET {path} has no `error` or `stack` field."
            ).format(path=path)
        )
    lines = trace.strip().splitlines()
    first = lines[0][:100] if lines else ""
    return failed(
        translate(
            "Smoke",
            "The 404 body of GET {path} carries a stack trace in `error` "
            "({count} lines, “{first}”).",
        ).format(path=path, count=len(lines), first=first),
        translate(
            "Smoke",
            "Run the server with NODE_ENV=production: stack traces reveal file paths and "
            "library versions to anyone.",
        ),
    )


_SECURITY_HEADERS = (
    ("strict-transport-security", "Strict-Transport-Security"),
    ("x-content-type-options", "X-Content-Type-Options"),
    ("x-frame-options", "X-Frame-Options"),
    ("content-security-policy", "Content-Security-Policy"),
    ("referrer-policy", "Referrer-Policy"),
)


def check_security_headers(ctx: Context) -> Verdict:
    response = ctx.health_response or ctx.get("/health")
    headers = response.headers
    missing: list[str] = []
    notes: list[str] = []
    for name, label in _SECURITY_HEADERS:
        if name in headers:
            continue
        if name == "content-security-policy" and "content-security-policy-report-only" in headers:
            notes.append(translate("Smoke", "CSP in report-only mode (not enforced)"))
            continue
        if name == "x-frame-options" and "frame-ancestors" in headers.get(
            "content-security-policy", ""
        ):
            continue
        missing.append(label)
    if headers.get("x-content-type-options", "nosniff").lower() != "nosniff":
        missing.append("X-Content-Type-Options: nosniff")
    if "x-powered-by" in headers:
        notes.append(
            translate("Smoke", "X-Powered-By: {value} reveals the framework").format(
                value=headers["x-powered-by"]
            )
        )
    evidence = translate("Smoke", "Headers of GET /health: ")
    if missing:
        evidence += translate("Smoke", "missing {names}").format(names=", ".join(missing))
    else:
        evidence += translate("Smoke", "all five security headers present")
    if notes:
        evidence += "; " + "; ".join(notes)
    if missing:
        return failed(
            evidence,
            translate(
                "Smoke",
                "Add the missing headers (Helmet in the server, or the reverse proxy).",
            ),
        )
    return passed(evidence)


def _handshake(host: str, port: int, context: ssl.SSLContext, timeout: float) -> tuple[bytes, str]:
    with (
        socket.create_connection((host, port), timeout=timeout) as sock,
        context.wrap_socket(sock, server_hostname=host) as tls,
    ):
        return tls.getpeercert(binary_form=True) or b"", tls.version() or "TLS"


def _fetch_certificate(
    host: str, port: int, ca_bundle: str | None, timeout: float
) -> tuple[bytes, str, str | None]:
    """(DER certificate, TLS version, why it is not trusted or None).

    A verifying handshake first; when it fails, a second one without verification fetches the
    certificate anyway, so the report can still say when it expires(d).
    """
    try:
        der, version = _handshake(host, port, ssl.create_default_context(cafile=ca_bundle), timeout)
        return der, version, None
    except ssl.SSLCertVerificationError as exc:
        problem = exc.verify_message or str(exc)
    blind = ssl.create_default_context()
    blind.check_hostname = False
    blind.verify_mode = ssl.CERT_NONE
    der, version = _handshake(host, port, blind, timeout)
    return der, version, problem


def check_tls(ctx: Context) -> Verdict:
    parts = urlsplit(ctx.base)
    if parts.scheme != "https":
        if is_loopback(parts.hostname):
            raise Skip(
                translate(
                    "Smoke", "Plain http:// on this computer: there is no certificate to check."
                )
            )
        raise Skip(
            translate(
                "Smoke",
                "Plain http:// to {host}: no certificate to check, and passwords and tokens "
                "cross the network unencrypted.",
            ).format(host=parts.hostname),
            translate("Smoke", "Serve the API over https, e.g. behind a reverse proxy."),
        )
    host, port = parts.hostname or "", parts.port or 443
    der, version, problem = _fetch_certificate(
        host, port, ctx.options.ca_bundle, ctx.options.timeout
    )
    cert = x509.load_der_x509_certificate(der)
    not_after = cert.not_valid_after_utc
    days = (not_after - datetime.now(UTC)).total_seconds() / 86400
    if days >= 0:
        expiry = translate("Smoke", "expires {date} ({days:.0f} days left)").format(
            date=not_after.date().isoformat(), days=days
        )
    else:
        expiry = translate("Smoke", "expired on {date}").format(date=not_after.date().isoformat())
    evidence = translate(
        "Smoke", "Certificate of {host}:{port} issued by {issuer}, {expiry}, {version}"
    ).format(
        host=host, port=port, issuer=cert.issuer.rfc4514_string(), expiry=expiry, version=version
    )
    if problem is not None:
        return failed(
            evidence + translate("Smoke", "; not trusted: {problem}").format(problem=problem),
            translate(
                "Smoke",
                "Install a certificate from a trusted authority (e.g. Let's Encrypt) that names "
                "this host; with a private CA, pass --ca-bundle.",
            ),
        )
    if days < ctx.options.tls_warning_days:
        return failed(
            evidence,
            translate("Smoke", "Renew the certificate now (less than {days} days left).").format(
                days=ctx.options.tls_warning_days
            ),
        )
    return passed(evidence)


_SENSITIVE_KEYS = ("password", "twoFactorSecret", "backupCodes")


def check_sensitive_fields(ctx: Context) -> Verdict:
    if not ctx.auth_users:
        raise Skip(
            translate(
                "Smoke",
                "No login or registration reply to inspect (read-only run without an account).",
            )
            if ctx.options.read_only
            else translate("Smoke", "No login or registration reply to inspect."),
            account_advice(),
        )
    found: list[str] = []
    for source, user in ctx.auth_users.items():
        keys = [key for key in _SENSITIVE_KEYS if key in user]
        if keys:
            found.append(f"{source}: {', '.join(keys)}")
    if not found:
        return passed(
            translate("Smoke", "The `user` objects of {sources} hold none of {keys}.").format(
                sources=", ".join(ctx.auth_users), keys=", ".join(_SENSITIVE_KEYS)
            )
        )
    return failed(
        translate("Smoke", "The `user` object of the auth replies exposes {found}.").format(
            found="; ".join(found)
        ),
        translate(
            "Smoke",
            "Strip secrets from the user object the server returns: with 2FA on, "
            "twoFactorSecret lets anyone who sees the reply generate codes.",
        ),
    )


_EVIL_ORIGIN = "https://evil.example"


def check_cors(ctx: Context) -> Verdict:
    response = ctx.get("/health", headers={"Origin": _EVIL_ORIGIN})
    allowed = response.headers.get("access-control-allow-origin")
    credentials = response.headers.get("access-control-allow-credentials", "").lower() == "true"
    evidence = status_line("GET", "/health", response) + translate(
        "Smoke", " with Origin: {origin}"
    ).format(origin=_EVIL_ORIGIN)
    if allowed in (_EVIL_ORIGIN, "*"):
        evidence += translate("Smoke", "; Access-Control-Allow-Origin: {value}").format(
            value=allowed
        )
        if credentials:
            evidence += translate("Smoke", " with Allow-Credentials: true")
        return failed(
            evidence,
            translate(
                "Smoke",
                "Any web page can call the API with its visitors' credentials: run the server "
                "with NODE_ENV=production and list the real origins in FRONTEND_URL.",
            ),
        )
    if response.status_code >= 500:
        return passed(
            evidence
            + translate(
                "Smoke",
                "; origin refused, but with HTTP {code} instead of a clean rejection (a known "
                "server defect)",
            ).format(code=response.status_code)
        )
    return passed(evidence + translate("Smoke", "; the origin is not allowed"))


def _remaining(response: httpx.Response) -> int | None:
    for name in ("x-ratelimit-remaining-strict", "x-ratelimit-remaining"):
        value = response.headers.get(name)
        if value is not None and value.strip().lstrip("-").isdigit():
            return int(value)
    return None


def check_rate_limit(ctx: Context) -> Verdict:
    budget = max(2, ctx.options.rate_limit_budget)
    path = "/health"
    exhausted_at: int | None = None
    seen_headers = False
    for sent in range(1, budget + 1):
        response = ctx.get(path)
        if response.status_code == 429:
            retry = response.headers.get("retry-after")
            return passed(
                translate(
                    "Smoke", "GET {path} was refused with 429 after {count} requests{retry}."
                ).format(path=path, count=sent, retry=f" (Retry-After {retry} s)" if retry else "")
            )
        remaining = _remaining(response)
        seen_headers = seen_headers or remaining is not None
        if exhausted_at is not None:
            return failed(
                translate(
                    "Smoke",
                    "X-RateLimit-Remaining reached 0 at request {at} of GET {path}, yet request "
                    "{sent} still got {code}: the limiter counts but never blocks.",
                ).format(at=exhausted_at, path=path, sent=sent, code=response.status_code),
                translate(
                    "Smoke",
                    "Fix the server's throttler storage, or rate-limit at the reverse proxy.",
                ),
            )
        if remaining is not None and remaining <= 0:
            exhausted_at = sent
    if not seen_headers:
        raise Skip(
            translate(
                "Smoke",
                "{count} requests to GET {path} passed without rate-limit headers or a 429; a "
                "limit, if any, is higher or enforced elsewhere.",
            ).format(count=budget, path=path),
            translate("Smoke", "Make sure a rate limit applies, at the server or the proxy."),
        )
    raise Skip(
        translate(
            "Smoke",
            "The rate limit of GET {path} is higher than the {count} requests this check may "
            "spend.",
        ).format(count=budget, path=path),
        translate("Smoke", "Check the limit by hand if it matters to you."),
    )

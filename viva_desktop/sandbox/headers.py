"""Response headers of the real server: Helmet's security set and the CORS rules of section 3.6."""

from __future__ import annotations

CSP = (
    "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';"
    "frame-ancestors 'self';img-src 'self' data: https:;object-src 'none';script-src 'self';"
    "script-src-attr 'none';style-src 'self' https: 'unsafe-inline';upgrade-insecure-requests"
)

CORS_METHODS = "GET,POST,PUT,PATCH,DELETE,OPTIONS"
CORS_HEADERS = "Content-Type,Authorization,Accept,X-Requested-With"
CORS_EXPOSED = "Content-Range,X-Content-Range"
CORS_MAX_AGE = "86400"


def helmet_headers(production: bool) -> list[tuple[str, str]]:
    """Helmet as configured upstream: CSP report-only in development, enforced in production."""
    return [
        ("Content-Security-Policy" if production else "Content-Security-Policy-Report-Only", CSP),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Cross-Origin-Resource-Policy", "same-origin"),
        ("Origin-Agent-Cluster", "?1"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("Strict-Transport-Security", "max-age=31536000; includeSubDomains; preload"),
        ("X-Content-Type-Options", "nosniff"),
        ("X-DNS-Prefetch-Control", "off"),
        ("X-Download-Options", "noopen"),
        ("X-Frame-Options", "DENY"),
        ("X-Permitted-Cross-Domain-Policies", "none"),
        ("X-XSS-Protection", "0"),
    ]


def origin_allowed(origin: str | None, production: bool, allowed: tuple[str, ...]) -> bool:
    """No Origin always passes; development reflects every origin; production checks the list."""
    if origin is None or not production:
        return True
    return origin in allowed


def cors_headers(origin: str | None) -> list[tuple[str, str]]:
    """Headers of an ordinary (non-preflight) response; credentials and exposed headers are sent
    even without an Origin, as observed."""
    headers: list[tuple[str, str]] = []
    if origin is not None:
        headers.append(("Access-Control-Allow-Origin", origin))
        headers.append(("Vary", "Origin"))
    headers.append(("Access-Control-Allow-Credentials", "true"))
    headers.append(("Access-Control-Expose-Headers", CORS_EXPOSED))
    return headers


def preflight_headers(origin: str | None) -> list[tuple[str, str]]:
    headers = []
    if origin is not None:
        headers.append(("Access-Control-Allow-Origin", origin))
        headers.append(("Vary", "Origin, Access-Control-Request-Headers"))
    headers += [
        ("Access-Control-Allow-Credentials", "true"),
        ("Access-Control-Allow-Methods", CORS_METHODS),
        ("Access-Control-Allow-Headers", CORS_HEADERS),
        ("Access-Control-Max-Age", CORS_MAX_AGE),
        ("Content-Length", "0"),
    ]
    return headers

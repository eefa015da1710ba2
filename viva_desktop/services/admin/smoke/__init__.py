"""Smoke checks and a hardening audit of a Comunidad Viva server, for the UI page and the CLI.

The functional checks follow the backend's own end-to-end smoke test, rewritten for what the
real server answers (contract section 9: login is 201, the balance is `balance`, lists have
envelopes...). The hardening checks need no writes and look for the known weaknesses of
contract section 13.2. Raw status codes and headers are the evidence, so the runner uses a
plain `httpx.Client` without retries, and every request passes an allow-list first: a smoke
run can never reach a destructive route such as `/health/seed-demo` or `/installer/*`.
"""

from viva_desktop.services.admin.smoke.context import SmokeOptions
from viva_desktop.services.admin.smoke.guard import (
    ALLOWED_ROUTES,
    DESTRUCTIVE_PREFIXES,
    ForbiddenRouteError,
    route_allowed,
)
from viva_desktop.services.admin.smoke.results import (
    Category,
    CheckResult,
    Outcome,
    SmokeReport,
    format_result_line,
)
from viva_desktop.services.admin.smoke.runner import (
    CheckSpec,
    make_http_client,
    planned_checks,
    run_smoke,
)

__all__ = [
    "ALLOWED_ROUTES",
    "DESTRUCTIVE_PREFIXES",
    "Category",
    "CheckResult",
    "CheckSpec",
    "ForbiddenRouteError",
    "Outcome",
    "SmokeOptions",
    "SmokeReport",
    "format_result_line",
    "make_http_client",
    "planned_checks",
    "route_allowed",
    "run_smoke",
]

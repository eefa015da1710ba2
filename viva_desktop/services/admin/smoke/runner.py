"""The plan of checks and the runner that executes it, with progress and cancellation."""

from __future__ import annotations

import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from viva_desktop import __version__
from viva_desktop.services.admin.smoke import functional as fn
from viva_desktop.services.admin.smoke import hardening as hd
from viva_desktop.services.admin.smoke.context import Context, Skip, SmokeOptions, Verdict, errored
from viva_desktop.services.admin.smoke.guard import ForbiddenRouteError
from viva_desktop.services.admin.smoke.results import Category, CheckResult, Outcome, SmokeReport
from viva_desktop.services.common.cancel import CancelledError, CancelToken
from viva_desktop.services.common.i18n import translate


@dataclass(frozen=True)
class CheckSpec:
    id: str
    name: str
    category: Category
    run: Callable[[Context], Verdict]
    writes: bool = False  # skipped in read-only runs


def planned_checks() -> list[CheckSpec]:
    """The checks in running order, names translated, for a UI to list before running.

    The order matters: later checks reuse what earlier ones learnt (the token, the created post,
    the 404 body), and the rate-limit check runs last because it may exhaust a budget.
    """
    health, auth, data = Category.HEALTH, Category.AUTH, Category.DATA
    valid, hard = Category.VALIDATION, Category.HARDENING
    return [
        CheckSpec("health.basic", translate("Smoke", "Liveness (GET /health)"), health,
                  fn.check_health_basic),
        CheckSpec("health.status", translate("Smoke", "Detailed health (GET /health/status)"),
                  health, fn.check_health_status),
        CheckSpec("auth.register", translate("Smoke", "Register a throw-away account"), auth,
                  fn.check_register, writes=True),
        CheckSpec("auth.login", translate("Smoke", "Log in"), auth, fn.check_login),
        CheckSpec("auth.bad_login", translate("Smoke", "Wrong password refused (401)"), auth,
                  fn.check_bad_login),
        CheckSpec("auth.no_token", translate("Smoke", "Protected route without a token (401)"),
                  auth, fn.check_no_token),
        CheckSpec("auth.with_token", translate("Smoke", "Protected route with a token (200)"),
                  auth, fn.check_with_token),
        CheckSpec("credits.balance", translate("Smoke", "Credit balance"), data,
                  fn.check_balance),
        CheckSpec("credits.transactions", translate("Smoke", "Credit transactions"), data,
                  fn.check_transactions),
        CheckSpec("social.post_create", translate("Smoke", "Create a post"), data,
                  fn.check_post_create, writes=True),
        CheckSpec("social.feed", translate("Smoke", "Social feed"), data, fn.check_feed),
        CheckSpec("social.post_read", translate("Smoke", "Read a post"), data,
                  fn.check_post_read),
        CheckSpec("offers.list", translate("Smoke", "Offer list"), data, fn.check_offers),
        CheckSpec("events.list", translate("Smoke", "Event list"), data, fn.check_events),
        CheckSpec("search", translate("Smoke", "Search"), data, fn.check_search),
        CheckSpec("validation.invalid_input", translate("Smoke", "Invalid input refused (400)"),
                  valid, fn.check_invalid_input, writes=True),
        CheckSpec("validation.undeclared_field",
                  translate("Smoke", "Undeclared field refused (400)"), valid,
                  fn.check_undeclared_field, writes=True),
        CheckSpec("errors.unknown_route",
                  translate("Smoke", "Unknown route: 404 with the error envelope"), valid,
                  fn.check_unknown_route),
        CheckSpec("social.post_delete", translate("Smoke", "Delete the smoke post"), data,
                  fn.check_post_delete, writes=True),
        CheckSpec("hardening.api_docs", translate("Smoke", "API documentation not public"),
                  hard, hd.check_api_docs),
        CheckSpec("hardening.stack_traces",
                  translate("Smoke", "No stack traces in error bodies"), hard,
                  hd.check_stack_traces),
        CheckSpec("hardening.security_headers", translate("Smoke", "Security headers"), hard,
                  hd.check_security_headers),
        CheckSpec("hardening.tls", translate("Smoke", "TLS certificate"), hard, hd.check_tls),
        CheckSpec("hardening.sensitive_fields",
                  translate("Smoke", "No secrets in auth replies"), hard,
                  hd.check_sensitive_fields),
        CheckSpec("hardening.cors", translate("Smoke", "CORS does not reflect any origin"), hard,
                  hd.check_cors),
        CheckSpec("hardening.rate_limit", translate("Smoke", "Rate limiting enforced"), hard,
                  hd.check_rate_limit),
    ]  # fmt: skip


def make_http_client(options: SmokeOptions) -> httpx.Client:
    """A plain client: no retries, no redirects followed, the run's timeout and TLS choice.

    Proxy and CA variables of the environment (HTTPS_PROXY, SSL_CERT_FILE...) are honoured, as
    a CI job behind a proxy expects.
    """
    verify: ssl.SSLContext | bool
    if not options.verify_tls:
        verify = False
    elif options.ca_bundle:
        verify = ssl.create_default_context(cafile=options.ca_bundle)
    else:
        verify = True
    return httpx.Client(
        verify=verify,
        timeout=options.timeout,
        follow_redirects=False,
        headers={"User-Agent": f"viva-desktop-smoke/{__version__}"},
    )


def _describe_transport_error(exc: httpx.TransportError, base: str) -> str:
    try:
        target = f"{exc.request.method} {exc.request.url}"
    except RuntimeError:  # raised by httpx when the error carries no request
        target = base
    if isinstance(exc, httpx.TimeoutException):
        return translate("Smoke", "{target}: no answer within the timeout ({kind}).").format(
            target=target, kind=type(exc).__name__
        )
    reason = str(exc) or type(exc).__name__
    return translate("Smoke", "{target}: {reason} ({kind}).").format(
        target=target, reason=reason, kind=type(exc).__name__
    )


def run_smoke(
    options: SmokeOptions,
    *,
    progress: Callable[[CheckResult], None] | None = None,
    cancel: CancelToken | None = None,
    http: httpx.Client | None = None,
) -> SmokeReport:
    """Run every check in order and return the report; never raises for server trouble.

    `http` replaces the plain client (tests pass one that records requests); it is not closed.
    """
    cancel = cancel or CancelToken()
    own_client = http is None
    client = http if http is not None else make_http_client(options)
    ctx = Context(options, client, cancel)
    started = datetime.now(UTC)
    results: list[CheckResult] = []
    cancelled = False
    try:
        for spec in planned_checks():
            if cancel.cancelled:
                cancelled = True
                result = CheckResult(
                    spec.id,
                    spec.name,
                    spec.category,
                    Outcome.SKIPPED,
                    translate("Smoke", "Cancelled."),
                )
            else:
                result = _run_one(spec, ctx)
                cancelled = cancel.cancelled
            results.append(result)
            if progress is not None:
                progress(result)
    finally:
        if own_client:
            client.close()
    return SmokeReport(
        server=options.base_url,
        read_only=options.read_only,
        started_at=started,
        finished_at=datetime.now(UTC),
        results=results,
        cancelled=cancelled,
    )


def _run_one(spec: CheckSpec, ctx: Context) -> CheckResult:
    started = time.perf_counter()

    def done(verdict: Verdict) -> CheckResult:
        elapsed = (time.perf_counter() - started) * 1000.0
        return CheckResult(
            spec.id,
            spec.name,
            spec.category,
            verdict.outcome,
            verdict.evidence,
            verdict.advice,
            elapsed,
        )

    if ctx.unreachable is not None:
        return done(
            Verdict(
                Outcome.SKIPPED,
                translate("Smoke", "Not run: the server did not answer (see {check}).").format(
                    check=ctx.unreachable
                ),
            )
        )
    try:
        return done(spec.run(ctx))
    except Skip as skip:
        return done(Verdict(Outcome.SKIPPED, skip.reason, skip.advice))
    except ForbiddenRouteError as exc:
        return done(errored(translate("Smoke", "Refused to send: {reason}").format(reason=exc)))
    except httpx.TransportError as exc:
        evidence = _describe_transport_error(exc, ctx.base)
        if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
            ctx.unreachable = spec.id
        return done(
            errored(
                evidence,
                translate(
                    "Smoke",
                    "Check the URL, that the server runs, and that nothing blocks the connection.",
                ),
            )
        )
    except (OSError, ssl.SSLError) as exc:
        return done(errored(translate("Smoke", "Network error: {reason}").format(reason=exc)))
    except CancelledError:
        return done(Verdict(Outcome.SKIPPED, translate("Smoke", "Cancelled.")))
    except Exception as exc:
        return done(
            errored(
                translate("Smoke", "The check itself failed: {kind}: {reason}").format(
                    kind=type(exc).__name__, reason=exc
                ),
                translate(
                    "Smoke", "This is a bug in Viva Desktop; please report it with this line."
                ),
            )
        )

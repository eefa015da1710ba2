"""Smoke-run pieces that need no Comunidad Viva server: the route guard, the report formats,
the TLS check against a local HTTPS server, and a run against nothing at all."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.services.admin.tls_server import TlsServer, make_certificates
from tests.support.sandboxes import free_port
from viva_desktop.services.admin.smoke import (
    Category,
    CheckResult,
    ForbiddenRouteError,
    Outcome,
    SmokeOptions,
    SmokeReport,
    planned_checks,
    route_allowed,
    run_smoke,
)
from viva_desktop.services.admin.smoke.context import Context, Skip
from viva_desktop.services.admin.smoke.hardening import check_tls
from viva_desktop.services.common.cancel import CancelToken

# --------------------------------------------------------------------------- route guard


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/health/seed-demo"),
        ("GET", "/health/seed-demo"),
        ("POST", "/installer/create-admin"),
        ("POST", "/installer/seed"),
        ("GET", "/installer/status"),
        ("DELETE", "/social/posts/someone-elses-post"),
        ("DELETE", "/users/123"),
        ("DELETE", "/offers/1"),
        ("PUT", "/users/123"),
        ("POST", "/credits/grant"),
        ("POST", "/credits/decay/run"),
        ("GET", "/health/../installer/status"),
        ("GET", "/communities"),
    ],
)
def test_the_guard_refuses_anything_off_the_list(method: str, path: str) -> None:
    assert not route_allowed(method, path, frozenset({"my-post"}))


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/health"),
        ("GET", "/health/status"),
        ("POST", "/auth/login"),
        ("GET", "/users/3f2a-11"),
        ("GET", "/credits/transactions?limit=10&offset=0"),
        ("GET", "/social/posts/abc"),
        ("DELETE", "/social/posts/my-post"),
    ],
)
def test_the_guard_lets_the_checks_through(method: str, path: str) -> None:
    assert route_allowed(method, path, frozenset({"my-post"}))


def test_the_context_refuses_before_sending() -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(201)

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        ctx = Context(SmokeOptions("http://127.0.0.1:1"), client, CancelToken())
        with pytest.raises(ForbiddenRouteError):
            ctx.post("/health/seed-demo", {})
        with pytest.raises(ForbiddenRouteError):
            ctx.request("DELETE", "/social/posts/not-mine")
        ctx.owned_posts.add("mine")
        ctx.request("DELETE", "/social/posts/mine")
    assert [r.url.path for r in sent] == ["/social/posts/mine"]


def test_every_planned_check_has_a_unique_id_and_a_name() -> None:
    checks = planned_checks()
    assert len({c.id for c in checks}) == len(checks)
    assert all(c.name for c in checks)
    assert checks[-1].id == "hardening.rate_limit"  # it may spend a budget: last
    writers = {c.id for c in checks if c.writes}
    assert writers == {
        "auth.register",
        "social.post_create",
        "validation.invalid_input",
        "validation.undeclared_field",
        "social.post_delete",
    }


# --------------------------------------------------------------------------- report formats


def sample_report() -> SmokeReport:
    start = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    results = [
        CheckResult("health.basic", "Liveness", Category.HEALTH, Outcome.PASS, "GET → 200", "", 3),
        CheckResult(
            "hardening.cors",
            "CORS",
            Category.HARDENING,
            Outcome.FAIL,
            'reflects <evil> & "co"',
            "fix it",
            5,
        ),
        CheckResult("auth.login", "Log in", Category.AUTH, Outcome.ERROR, "timeout", "retry", 9),
        CheckResult("hardening.tls", "TLS", Category.HARDENING, Outcome.SKIPPED, "http", "", 0),
    ]
    return SmokeReport("http://h:4000", False, start, start + timedelta(seconds=2), results)


def test_junit_xml_is_valid_and_complete() -> None:
    root = ET.fromstring(sample_report().to_junit_xml())  # noqa: S314 - our own output
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    assert suite.attrib["tests"] == "4"
    assert suite.attrib["failures"] == "1"
    assert suite.attrib["errors"] == "1"
    assert suite.attrib["skipped"] == "1"
    assert float(suite.attrib["time"]) == 2.0
    cases = {c.attrib["name"].split(":")[0]: c for c in suite.findall("testcase")}
    assert cases["hardening.cors"].attrib["classname"] == "smoke.hardening"
    failure = cases["hardening.cors"].find("failure")
    assert failure is not None
    assert failure.attrib["message"] == 'reflects <evil> & "co"'
    assert "fix it" in (failure.text or "")
    assert cases["auth.login"].find("error") is not None
    assert cases["hardening.tls"].find("skipped") is not None
    assert cases["health.basic"].find("failure") is None
    props = {p.attrib["name"]: p.attrib["value"] for p in suite.iter("property")}
    assert props["server"] == "http://h:4000"


def test_json_and_text_reports() -> None:
    report = sample_report()
    data = json.loads(report.to_json())
    assert data["exit_code"] == 1
    assert data["counts"] == {"pass": 1, "fail": 1, "skipped": 1, "error": 1}
    assert data["results"][1]["outcome"] == "fail"
    assert data["results"][1]["category"] == "hardening"
    text = report.to_text()
    assert "FAIL    hardening.cors" in text
    assert "Advice: fix it" in text
    assert "passed: 1, failed: 1, errors: 1, skipped: 1" in text


def test_exit_code_is_zero_only_without_failures_and_errors() -> None:
    report = sample_report()
    report.results = [r for r in report.results if r.outcome in (Outcome.PASS, Outcome.SKIPPED)]
    assert report.exit_code == 0
    report.cancelled = True
    assert report.exit_code == 1


# --------------------------------------------------------------------------- backend down


def test_a_server_that_is_not_there_gives_an_error_not_a_traceback() -> None:
    seen: list[CheckResult] = []
    report = run_smoke(SmokeOptions(f"http://127.0.0.1:{free_port()}"), progress=seen.append)
    assert seen == report.results
    first = report.results[0]
    assert (first.id, first.outcome) == ("health.basic", Outcome.ERROR)
    assert "Connection refused" in first.evidence or "connect" in first.evidence.lower()
    assert first.advice
    assert all(r.outcome is Outcome.SKIPPED for r in report.results[1:])
    assert all("health.basic" in r.evidence for r in report.results[1:])
    assert report.exit_code == 1
    assert "Traceback" not in report.to_text()


def test_a_cancelled_run_skips_the_rest() -> None:
    cancel = CancelToken()
    results: list[CheckResult] = []

    def progress(result: CheckResult) -> None:
        results.append(result)
        cancel.cancel()

    report = run_smoke(
        SmokeOptions(f"http://127.0.0.1:{free_port()}"), progress=progress, cancel=cancel
    )
    assert report.cancelled
    assert report.exit_code == 1
    assert all(r.evidence == "Cancelled." for r in report.results[1:])


# --------------------------------------------------------------------------- TLS


@pytest.fixture
def tls_folder(tmp_path: Path) -> Path:
    return tmp_path


def tls_verdict(url: str, ca: Path | None) -> tuple[Outcome, str]:
    options = SmokeOptions(url, ca_bundle=str(ca) if ca else None, timeout=5)
    with httpx.Client() as client:
        verdict = check_tls(Context(options, client, CancelToken()))
    return verdict.outcome, verdict.evidence


@pytest.fixture
def serve(tls_folder: Path) -> Iterator:
    servers: list[TlsServer] = []

    def start(valid_days: float) -> tuple[str, Path]:
        ca, leaf, key = make_certificates(tls_folder, valid_days=valid_days)
        server = TlsServer(leaf, key).__enter__()
        servers.append(server)
        return server.url, ca

    yield start
    for server in servers:
        server.__exit__(None, None, None)


def test_tls_a_trusted_certificate_with_time_left_passes(serve) -> None:
    url, ca = serve(90)
    outcome, evidence = tls_verdict(url, ca)
    assert outcome is Outcome.PASS, evidence
    assert "Viva Test CA" in evidence
    assert "days left" in evidence


def test_tls_a_certificate_about_to_expire_fails(serve) -> None:
    url, ca = serve(5)
    outcome, evidence = tls_verdict(url, ca)
    assert outcome is Outcome.FAIL
    assert "(5 days left)" in evidence or "(4 days left)" in evidence


def test_tls_an_expired_certificate_fails_with_its_date(serve) -> None:
    url, ca = serve(-3)
    outcome, evidence = tls_verdict(url, ca)
    assert outcome is Outcome.FAIL
    assert "expired on" in evidence
    assert "not trusted" in evidence


def test_tls_an_unknown_authority_fails_but_still_shows_the_expiry(serve) -> None:
    url, _ca = serve(90)
    outcome, evidence = tls_verdict(url, None)
    assert outcome is Outcome.FAIL
    assert "not trusted" in evidence
    assert "days left" in evidence


def test_tls_plain_http_is_skipped_with_a_reason() -> None:
    with httpx.Client() as client:
        ctx = Context(SmokeOptions("http://api.example.org"), client, CancelToken())
        with pytest.raises(Skip) as caught:
            check_tls(ctx)
    assert "unencrypted" in caught.value.reason

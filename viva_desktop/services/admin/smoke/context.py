"""Options of a run, and the state and helpers its checks share."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from ipaddress import ip_address
from typing import Any

import httpx

from viva_desktop.services.admin.smoke.guard import ForbiddenRouteError, route_allowed
from viva_desktop.services.admin.smoke.results import Outcome
from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.services.common.i18n import translate


@dataclass(frozen=True)
class SmokeOptions:
    """What to check and how to connect. The password never appears in any output."""

    server: str
    email: str | None = None
    password: str | None = field(default=None, repr=False)
    read_only: bool = False
    timeout: float = 10.0
    verify_tls: bool = True
    ca_bundle: str | None = None
    tls_warning_days: int = 14
    rate_limit_budget: int = 12  # requests the rate-limit check may spend

    @property
    def base_url(self) -> str:
        return self.server.rstrip("/")

    @property
    def has_credentials(self) -> bool:
        return bool(self.email and self.password)


class Skip(Exception):
    """A check that cannot apply to this run; `reason` is its evidence."""

    def __init__(self, reason: str, advice: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.advice = advice


def account_advice() -> str:
    return translate(
        "Smoke", "Pass --email and --password-env to cover the routes that need an account."
    )


@dataclass
class Verdict:
    outcome: Outcome
    evidence: str
    advice: str = ""


def passed(evidence: str) -> Verdict:
    return Verdict(Outcome.PASS, evidence)


def failed(evidence: str, advice: str) -> Verdict:
    return Verdict(Outcome.FAIL, evidence, advice)


def errored(evidence: str, advice: str = "") -> Verdict:
    return Verdict(Outcome.ERROR, evidence, advice)


@dataclass
class Account:
    email: str
    password: str = field(repr=False)


class Context:
    """State shared by the checks of one run, and the guarded door to the server."""

    def __init__(self, options: SmokeOptions, http: httpx.Client, cancel: CancelToken) -> None:
        self.options = options
        self.http = http
        self.cancel = cancel
        self.base = options.base_url
        self.unreachable: str | None = None  # id of the check that found no server
        self.environment: str | None = None
        self.account: Account | None = None
        self.token: str | None = None
        self.user_id: str | None = None
        self.auth_users: dict[str, Mapping[str, Any]] = {}  # "register"/"login" -> user object
        self.health_response: httpx.Response | None = None
        self.not_found_body: object = None
        self.not_found_path: str | None = None
        self.post_id: str | None = None
        self.feed_posts: list[Mapping[str, Any]] = []
        self.owned_posts: set[str] = set()

    def request(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        json_body: object = None,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        if not route_allowed(method, path, frozenset(self.owned_posts)):
            raise ForbiddenRouteError(f"{method} {path} is not on the smoke checks' allow-list")
        self.cancel.raise_if_cancelled()
        send_headers = {"Accept": "application/json"}
        if token:
            send_headers["Authorization"] = f"Bearer {token}"
        send_headers.update(headers or {})
        return self.http.request(
            method,
            self.base + path,
            json=json_body,
            params=params,
            headers=send_headers,
            timeout=self.options.timeout,
        )

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body: object, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, json_body=body, **kwargs)

    def require_account(self) -> None:
        if self.token is None:
            raise Skip(
                translate("Smoke", "No logged-in account (see the login check).")
                if self.account is not None
                else translate(
                    "Smoke",
                    "No account: read-only runs without --email/--password-env do not log in.",
                ),
                account_advice() if self.account is None else "",
            )

    def require_writes(self) -> None:
        if self.options.read_only:
            raise Skip(
                translate("Smoke", "Read-only run: this check would write data."),
                translate("Smoke", "Run without --read-only against a staging server to cover it."),
            )


def body_of(response: httpx.Response) -> object:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return None


def status_line(method: str, path: str, response: httpx.Response) -> str:
    return f"{method} {path.split('?', 1)[0]} → {response.status_code}"


def message_of(body: object) -> str:
    if isinstance(body, Mapping) and isinstance(body.get("message"), str):
        return f" “{body['message']}”"
    return ""


ENVELOPE_FIELDS = ("statusCode", "timestamp", "path", "method", "message")


def envelope_gaps(body: object, status: int) -> list[str]:
    """The error-envelope fields missing or wrong in `body` (contract 3.4)."""
    if not isinstance(body, Mapping):
        return list(ENVELOPE_FIELDS)
    gaps = [name for name in ENVELOPE_FIELDS if name not in body]
    if "statusCode" in body and body.get("statusCode") != status:
        gaps.append("statusCode≠" + str(status))
    if "message" in body and not isinstance(body.get("message"), str):
        gaps.append("message (not a string)")
    return gaps


def rate_limited(response: httpx.Response) -> Verdict | None:
    if response.status_code != 429:
        return None
    retry = response.headers.get("retry-after")
    return errored(
        translate("Smoke", "The server rate-limited this request (HTTP 429{retry}).").format(
            retry=f", Retry-After {retry} s" if retry else ""
        ),
        translate("Smoke", "Run the checks again once the rate-limit window has passed."),
    )


def is_loopback(host: str | None) -> bool:
    if not host or host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def new_account() -> Account:
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    password = secrets.token_urlsafe(18) + "Aa1!"
    return Account(f"smoke-{stamp}-{secrets.token_hex(3)}@example.com", password)

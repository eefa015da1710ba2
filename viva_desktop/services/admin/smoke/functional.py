"""The functional checks: the upstream smoke test, rewritten for what the real server answers."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import httpx
import jwt

from viva_desktop.services.admin.smoke.context import (
    Account,
    Context,
    Skip,
    Verdict,
    account_advice,
    body_of,
    envelope_gaps,
    errored,
    failed,
    message_of,
    new_account,
    passed,
    rate_limited,
    status_line,
)
from viva_desktop.services.common.i18n import translate


def check_health_basic(ctx: Context) -> Verdict:
    response = ctx.get("/health")
    ctx.health_response = response
    body = body_of(response)
    evidence = status_line("GET", "/health", response)
    if limited := rate_limited(response):
        return limited
    problems = []
    if response.status_code != 200:
        problems.append(translate("Smoke", "status is not 200"))
    if not isinstance(body, Mapping):
        problems.append(translate("Smoke", "the body is not a JSON object"))
    else:
        if body.get("status") != "ok":
            problems.append(translate("Smoke", '`status` is not "ok"'))
        if not isinstance(body.get("timestamp"), str):
            problems.append(translate("Smoke", "no `timestamp`"))
        uptime = body.get("uptime")
        if isinstance(uptime, int | float) and not isinstance(uptime, bool):
            evidence += translate("Smoke", ", up for {seconds:.0f} s").format(seconds=uptime)
        else:
            problems.append(translate("Smoke", "no numeric `uptime`"))
    if problems:
        return failed(
            evidence + ": " + "; ".join(problems),
            translate("Smoke", "Check that the URL points at the Comunidad Viva API itself."),
        )
    return passed(evidence)


def check_health_status(ctx: Context) -> Verdict:
    response = ctx.get("/health/status")
    body = body_of(response)
    evidence = status_line("GET", "/health/status", response)
    if limited := rate_limited(response):
        return limited
    if response.status_code != 200 or not isinstance(body, Mapping):
        return failed(
            evidence + translate("Smoke", " without a JSON object"),
            translate("Smoke", "The detailed health route should always answer 200 with JSON."),
        )
    status = body.get("status")
    env = body.get("environment")
    ctx.environment = env if isinstance(env, str) else None
    services = body.get("services")
    database = services.get("database") if isinstance(services, Mapping) else None
    db = database if isinstance(database, Mapping) else {}
    details = translate(
        "Smoke",
        "status {status}, database {db} ({latency} ms), version {version}, environment {env}",
    ).format(
        status=status,
        db=db.get("status", "?"),
        latency=db.get("latency", "?"),
        version=body.get("version", "?"),
        env=env,
    )
    evidence += ": " + details
    if not isinstance(database, Mapping):
        return failed(
            evidence + translate("Smoke", "; no `services.database`"),
            translate("Smoke", "The server's health service does not report its database."),
        )
    if status == "unhealthy":
        reason = db.get("error")
        return failed(
            evidence + (f"; {reason}" if isinstance(reason, str) else ""),
            translate("Smoke", "The server cannot reach its database: check PostgreSQL."),
        )
    if status not in ("healthy", "degraded"):
        return failed(
            evidence,
            translate("Smoke", "`status` should be healthy, degraded or unhealthy."),
        )
    return passed(evidence)


def check_register(ctx: Context) -> Verdict:
    email, password = ctx.options.email, ctx.options.password
    if email and password:
        ctx.account = Account(email, password)
        raise Skip(
            translate("Smoke", "Using the given account {email}.").format(email=ctx.account.email)
        )
    ctx.require_writes()
    account = new_account()
    response = ctx.post(
        "/auth/register",
        {"email": account.email, "password": account.password, "name": "Viva Smoke Test"},
    )
    evidence = status_line("POST", "/auth/register", response)
    if limited := rate_limited(response):
        return limited
    body = body_of(response)
    if not response.is_success or not isinstance(body, Mapping):
        return failed(
            evidence + message_of(body),
            translate(
                "Smoke",
                "Registration is broken; a 500 may mean a duplicate e-mail or a database problem. "
                "Look at the server's log.",
            ),
        )
    user = body.get("user")
    if isinstance(user, Mapping):
        ctx.auth_users["register"] = user
    if not isinstance(body.get("access_token"), str) or not isinstance(user, Mapping):
        return failed(
            evidence + translate("Smoke", ", but no `access_token` and `user`"),
            translate("Smoke", "The register reply should be {access_token, refresh_token, user}."),
        )
    if user.get("email") != account.email:
        return failed(
            evidence + translate("Smoke", ", but `user.email` differs from the one sent"),
            translate("Smoke", "The server changed the e-mail address on registration."),
        )
    ctx.account = account
    return passed(
        evidence
        + translate(
            "Smoke", ", throw-away account {email} (left in place: the API cannot delete it)"
        ).format(email=account.email)
    )


def _string(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _token_subject(token: str) -> str | None:
    """The `sub` claim of the access token: the user id, as there is no /users/me route."""
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return None
    return _string(claims.get("sub"))


def _login(ctx: Context, email: str, password: str) -> httpx.Response:
    return ctx.post("/auth/login", {"email": email, "password": password})


def check_login(ctx: Context) -> Verdict:
    if ctx.account is None:
        raise Skip(
            translate(
                "Smoke", "No account to log in with (read-only run without --email/--password-env)."
            )
            if ctx.options.read_only
            else translate("Smoke", "No account to log in with: the registration failed."),
            account_advice() if ctx.options.read_only else "",
        )
    response = _login(ctx, ctx.account.email, ctx.account.password)
    evidence = status_line("POST", "/auth/login", response)
    if limited := rate_limited(response):
        return limited
    body = body_of(response)
    if isinstance(body, Mapping) and body.get("requires2FA"):
        return errored(
            evidence + translate("Smoke", ": the account has two-factor authentication on"),
            translate("Smoke", "Use an account without 2FA for the smoke checks."),
        )
    if not response.is_success or not isinstance(body, Mapping):
        return failed(
            evidence + message_of(body),
            translate("Smoke", "Check the e-mail and password of the account.")
            if response.status_code == 401
            else translate("Smoke", "Login is broken: look at the server's log."),
        )
    token, user = body.get("access_token"), body.get("user")
    if isinstance(user, Mapping):
        ctx.auth_users["login"] = user
    if not isinstance(token, str) or not isinstance(user, Mapping):
        return failed(
            evidence + translate("Smoke", ", but no `access_token` and `user`"),
            translate("Smoke", "The login reply should be {access_token, refresh_token, user}."),
        )
    ctx.token = token
    ctx.user_id = _token_subject(token) or _string(user.get("id"))
    return passed(
        evidence
        + translate("Smoke", ", role {role}").format(role=user.get("role", "?"))
        + (
            ""
            if response.status_code == 201
            else translate("Smoke", " (the real server answers 201)")
        )
    )


def check_bad_login(ctx: Context) -> Verdict:
    email = ctx.account.email if ctx.account else f"nobody-{secrets.token_hex(4)}@example.com"
    response = _login(ctx, email, "wrong-" + secrets.token_urlsafe(12))
    evidence = status_line("POST", "/auth/login", response) + message_of(body_of(response))
    if limited := rate_limited(response):
        return limited
    if response.status_code == 401:
        return passed(evidence)
    if response.is_success:
        return failed(
            evidence + translate("Smoke", ": a wrong password was accepted"),
            translate("Smoke", "Stop the server: anyone can log in as anyone."),
        )
    return failed(
        evidence,
        translate("Smoke", "A wrong password should be refused with 401."),
    )


def check_no_token(ctx: Context) -> Verdict:
    user_id = ctx.user_id or str(uuid.uuid4())
    response = ctx.get(f"/users/{user_id}")
    evidence = status_line("GET", "/users/{id}", response) + translate("Smoke", " without a token")
    if limited := rate_limited(response):
        return limited
    if response.status_code == 401:
        return passed(evidence)
    return failed(
        evidence,
        translate("Smoke", "User profiles must require a token (401 without one)."),
    )


def check_with_token(ctx: Context) -> Verdict:
    ctx.require_account()
    if ctx.user_id is None:
        raise Skip(translate("Smoke", "The login reply had no user id."))
    response = ctx.get(f"/users/{ctx.user_id}", token=ctx.token)
    evidence = status_line("GET", "/users/{id}", response) + translate("Smoke", " with the token")
    if limited := rate_limited(response):
        return limited
    body = body_of(response)
    if response.status_code != 200:
        return failed(
            evidence + message_of(body), translate("Smoke", "A valid token must be accepted.")
        )
    if not isinstance(body, Mapping) or body.get("id") != ctx.user_id:
        return failed(
            evidence
            + translate("Smoke", ", but not the account's own profile (empty or other body)"),
            translate("Smoke", "GET /users/{id} should return the profile of that user."),
        )
    return passed(evidence)


def check_balance(ctx: Context) -> Verdict:
    ctx.require_account()
    response = ctx.get("/credits/balance", token=ctx.token)
    evidence = status_line("GET", "/credits/balance", response)
    if limited := rate_limited(response):
        return limited
    body = body_of(response)
    balance = body.get("balance") if isinstance(body, Mapping) else None
    if response.status_code == 200 and isinstance(balance, int) and not isinstance(balance, bool):
        return passed(evidence + translate("Smoke", ", balance {balance}").format(balance=balance))
    return failed(
        evidence + message_of(body) + translate("Smoke", " (expected an integer `balance`)"),
        translate("Smoke", "The credits service is broken: look at the server's log."),
    )


def check_transactions(ctx: Context) -> Verdict:
    ctx.require_account()
    response = ctx.get("/credits/transactions", token=ctx.token, params={"limit": 10, "offset": 0})
    evidence = status_line("GET", "/credits/transactions?limit=10&offset=0", response)
    found = translate("Smoke", ", {total} in all")
    expected = translate("Smoke", " (expected {transactions, total, …})")
    advice = translate("Smoke", "The transaction list is broken: look at the server's log.")
    return _page_verdict(response, evidence, "transactions", found, expected, advice)


def _page_verdict(
    response: httpx.Response, evidence: str, items: str, found: str, expected: str, advice: str
) -> Verdict:
    """The verdict on one of the server's paged lists, `{<items>: [...], total: n, ...}`.

    The texts are the caller's, translated where lupdate can see them: `found` (with
    `{total}`) follows the evidence of a pass; `expected` and `advice`, of a failure.
    """
    if limited := rate_limited(response):
        return limited
    body = body_of(response)
    if (
        response.status_code == 200
        and isinstance(body, Mapping)
        and isinstance(body.get(items), list)
        and isinstance(body.get("total"), int)
    ):
        return passed(evidence + found.format(total=body["total"]))
    return failed(evidence + message_of(body) + expected, advice)


def check_post_create(ctx: Context) -> Verdict:
    ctx.require_writes()
    ctx.require_account()
    content = translate(
        "Smoke", "Viva Desktop smoke test {stamp}, deleted at the end of the run"
    ).format(stamp=datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S"))
    response = ctx.post(
        "/social/posts",
        {"content": content, "type": "STORY", "visibility": "PUBLIC"},
        token=ctx.token,
    )
    evidence = status_line("POST", "/social/posts", response)
    if limited := rate_limited(response):
        return limited
    body = body_of(response)
    post_id = body.get("id") if isinstance(body, Mapping) else None
    if isinstance(post_id, str):
        ctx.post_id = post_id
        ctx.owned_posts.add(post_id)
    if not response.is_success or not isinstance(post_id, str):
        return failed(
            evidence + message_of(body),
            translate("Smoke", "Creating posts is broken: look at the server's log."),
        )
    assert isinstance(body, Mapping)
    if body.get("content") != content:
        return failed(
            evidence + translate("Smoke", ", but the stored content differs from the text sent"),
            translate("Smoke", "The server's sanitiser changed plain text."),
        )
    return passed(evidence + translate("Smoke", ", post {id}").format(id=post_id))


def check_feed(ctx: Context) -> Verdict:
    ctx.require_account()
    response = ctx.get("/social/feed", token=ctx.token, params={"limit": 50})
    evidence = status_line("GET", "/social/feed?limit=50", response)
    if limited := rate_limited(response):
        return limited
    body = body_of(response)
    data = body.get("data") if isinstance(body, Mapping) else None
    if (
        response.status_code != 200
        or not isinstance(data, list)
        or not isinstance(body.get("hasMore"), bool)  # type: ignore[union-attr]
    ):
        return failed(
            evidence + message_of(body) + translate("Smoke", " (expected {data, hasMore})"),
            translate("Smoke", "The social feed is broken: look at the server's log."),
        )
    ctx.feed_posts = [p for p in data if isinstance(p, Mapping)]
    evidence += translate("Smoke", ", {count} posts").format(count=len(data))
    if ctx.post_id is not None and not any(p.get("id") == ctx.post_id for p in ctx.feed_posts):
        return failed(
            evidence + translate("Smoke", ", without the post just created"),
            translate("Smoke", "New public posts should appear first in the feed."),
        )
    return passed(evidence)


def check_post_read(ctx: Context) -> Verdict:
    post_id = ctx.post_id
    if post_id is None:
        public = [
            p.get("id")
            for p in ctx.feed_posts
            if p.get("visibility") == "PUBLIC" and isinstance(p.get("id"), str)
        ]
        if not public:
            raise Skip(translate("Smoke", "No post to read (none created, none in the feed)."))
        post_id = str(public[0])
    response = ctx.get(f"/social/posts/{post_id}")
    evidence = status_line("GET", "/social/posts/{id}", response)
    if limited := rate_limited(response):
        return limited
    body = body_of(response)
    if response.status_code == 200 and isinstance(body, Mapping) and body.get("id") == post_id:
        return passed(evidence)
    return failed(
        evidence + message_of(body),
        translate("Smoke", "Reading a public post is broken: look at the server's log."),
    )


def check_offers(ctx: Context) -> Verdict:
    response = ctx.get("/offers")
    evidence = status_line("GET", "/offers", response)
    if limited := rate_limited(response):
        return limited
    body = body_of(response)
    if response.status_code == 200 and isinstance(body, list):
        return passed(evidence + translate("Smoke", ", {count} offers").format(count=len(body)))
    return failed(
        evidence + message_of(body) + translate("Smoke", " (expected a list)"),
        translate("Smoke", "The offer list is broken: look at the server's log."),
    )


def check_events(ctx: Context) -> Verdict:
    response = ctx.get("/events", params={"limit": 5, "offset": 0})
    evidence = status_line("GET", "/events?limit=5&offset=0", response)
    found = translate("Smoke", ", {total} events")
    expected = translate("Smoke", " (expected {events, total, limit, offset})")
    advice = translate("Smoke", "The event list is broken: look at the server's log.")
    return _page_verdict(response, evidence, "events", found, expected, advice)


def check_search(ctx: Context) -> Verdict:
    response = ctx.get("/search", params={"q": "test"})
    evidence = status_line("GET", "/search?q=test", response)
    if limited := rate_limited(response):
        return limited
    body = body_of(response)
    if (
        response.status_code == 200
        and isinstance(body, Mapping)
        and isinstance(body.get("offers"), list)
        and isinstance(body.get("events"), list)
    ):
        return passed(
            evidence
            + translate("Smoke", ", {offers} offers and {events} events").format(
                offers=len(body["offers"]), events=len(body["events"])
            )
        )
    return failed(
        evidence
        + message_of(body)
        + translate("Smoke", " (expected {offers, events, totalResults})"),
        translate("Smoke", "Search is broken: look at the server's log."),
    )


def _without_envelope(evidence: str, body: object, status: int) -> Verdict | None:
    """The failure when an error body lacks fields of the common envelope (contract 3.4)."""
    gaps = envelope_gaps(body, status)
    if not gaps:
        return None
    return failed(
        evidence + translate("Smoke", "; error body lacks {fields}").format(fields=", ".join(gaps)),
        translate("Smoke", "Errors should use the common envelope (contract 3.4)."),
    )


def _expect_rejected(ctx: Context, body: dict[str, Any], what: str) -> Verdict:
    response = ctx.post("/auth/register", body)
    reply = body_of(response)
    evidence = status_line("POST", "/auth/register", response) + message_of(reply) + " " + what
    if limited := rate_limited(response):
        return limited
    if response.status_code == 400:
        return _without_envelope(evidence, reply, 400) or passed(evidence)
    if response.is_success:
        return failed(
            evidence + translate("Smoke", ": the server created an account from invalid input"),
            translate("Smoke", "Input validation is off: the global validation pipe is missing."),
        )
    return failed(evidence, translate("Smoke", "Invalid input should be refused with 400."))


def check_invalid_input(ctx: Context) -> Verdict:
    ctx.require_writes()
    return _expect_rejected(
        ctx,
        {"email": "not-an-email", "password": "123", "name": ""},
        translate("Smoke", "(bad e-mail, 3-character password, empty name)"),
    )


def check_undeclared_field(ctx: Context) -> Verdict:
    ctx.require_writes()
    account = new_account()
    return _expect_rejected(
        ctx,
        {
            "email": account.email,
            "password": account.password,
            "name": "Viva Smoke Test",
            "maliciousField": "x",
        },
        translate("Smoke", "(valid body plus the undeclared property `maliciousField`)"),
    )


def check_unknown_route(ctx: Context) -> Verdict:
    path = "/non-existent-route-viva-smoke"
    response = ctx.get(path)
    body = body_of(response)
    ctx.not_found_body, ctx.not_found_path = body, path
    evidence = status_line("GET", path, response) + message_of(body)
    if limited := rate_limited(response):
        return limited
    if response.status_code != 404:
        return failed(evidence, translate("Smoke", "An unknown route should answer 404."))
    return _without_envelope(evidence, body, 404) or passed(
        evidence + translate("Smoke", " with the error envelope")
    )


def check_post_delete(ctx: Context) -> Verdict:
    ctx.require_writes()
    if ctx.post_id is None:
        raise Skip(translate("Smoke", "No post was created, so there is nothing to clean up."))
    response = ctx.request("DELETE", f"/social/posts/{ctx.post_id}", token=ctx.token)
    evidence = status_line("DELETE", "/social/posts/{id}", response)
    if limited := rate_limited(response):
        return limited
    if response.is_success:
        return passed(evidence + translate("Smoke", ", the smoke post is gone"))
    return failed(
        evidence + message_of(body_of(response)),
        translate(
            "Smoke", "Delete the post {id} by hand; authors should be able to delete their posts."
        ).format(id=ctx.post_id),
    )

"""The moderation jury (6.11) and the pool requests and economy dashboards (6.12)."""

from __future__ import annotations

from tests.sandbox.conftest import Api, assert_error
from viva_desktop.sandbox.seed import (
    ADMIN_EMAIL,
    CITIZEN_EMAIL,
    COORDINATOR_EMAIL,
    TWO_FACTOR_EMAIL,
    VERIFIED_CITIZEN_EMAIL,
)

CASE_KEYS = [
    "id", "contentId", "contentType", "reportReason", "reporterId", "status", "quorum",
    "deadline", "finalDecision", "executedAt", "createdAt",
]  # fmt: skip


def spam_case(api: Api, session) -> dict:
    pending = api.get("/consensus/moderation/pending", session).json()
    return next(c for c in pending if c["contentType"] == "POST")


def test_admin_and_coordinator_are_jurors_of_a_seeded_case(api: Api) -> None:
    admin = api.login(ADMIN_EMAIL)
    pending = api.get("/consensus/moderation/pending", admin).json()
    assert pending
    case = spam_case(api, admin)
    assert list(case) == [*CASE_KEYS, "ModerationVote", "User", "content", "stats"]
    assert case["status"] == "VOTING"
    assert list(case["stats"]) == ["keep", "remove", "warn", "total", "quorum", "hoursRemaining"]
    assert list(case["content"]) == ["content", "authorId", "author"]
    assert list(case["ModerationVote"][0]["User"]) == ["id", "name", "avatar"]
    deadlines = [c["deadline"] for c in pending]
    assert deadlines == sorted(deadlines)
    assert spam_case(api, api.login(COORDINATOR_EMAIL))["id"] == case["id"]
    newcomer = api.register("nadie@example.com")
    assert api.get("/consensus/moderation/pending", newcomer).json() == []


def test_votes_and_their_refusals(api: Api) -> None:
    admin = api.login(ADMIN_EMAIL)
    case = spam_case(api, admin)
    vote = api.post(
        f"/consensus/moderation/{case['id']}/vote",
        admin,
        json={"decision": "KEEP", "reason": "Dudoso"},
    )
    assert vote.status_code == 201
    assert list(vote.json()) == [
        "id",
        "daoId",
        "voterId",
        "decision",
        "reason",
        "weight",
        "createdAt",
    ]
    assert 0 < vote.json()["weight"] <= 10
    again = api.post(f"/consensus/moderation/{case['id']}/vote", admin, json={"decision": "KEEP"})
    assert_error(again, 400, "Ya has votado en esta moderación")
    assert case["id"] not in [
        c["id"] for c in api.get("/consensus/moderation/pending", admin).json()
    ]
    assert_error(
        api.post("/consensus/moderation/dao-x/vote", admin, json={"decision": "KEEP"}),
        400,
        "Votación no disponible",
    )
    coordinator = api.login(COORDINATOR_EMAIL)
    assert_error(
        api.post(f"/consensus/moderation/{case['id']}/vote", coordinator, json={"decision": "BAN"}),
        500,
    )


def test_the_fifth_vote_closes_the_case(api: Api, fixed_api: Api) -> None:
    """REMOVE hard-deletes the post: upstream that fails on its comments (D10), so the fifth vote
    is a 500 and nothing changes; a fixed server removes the post."""
    for client, removed in ((api, False), (fixed_api, True)):
        voters = [client.login(e) for e in (ADMIN_EMAIL, COORDINATOR_EMAIL, TWO_FACTOR_EMAIL)]
        case = spam_case(client, voters[0])
        url = f"/consensus/moderation/{case['id']}/vote"
        for session in voters[:2]:
            assert client.post(url, session, json={"decision": "REMOVE"}).status_code == 201
        last = client.post(url, voters[2], json={"decision": "REMOVE"})
        if removed:
            assert last.status_code == 201
            assert_error(client.get(f"/posts/{case['contentId']}"), 404)
            assert_error(
                client.post(url, client.login(CITIZEN_EMAIL), json={"decision": "KEEP"}),
                400,
                "Votación cerrada",
            )
        else:
            assert_error(last, 500)
            assert client.get(f"/posts/{case['contentId']}").status_code == 200


def test_reporting_content_notifies_jurors(api: Api) -> None:
    maria = api.login(CITIZEN_EMAIL)
    offer = api.get("/offers").json()[0]
    report = api.post(
        "/consensus/moderation",
        maria,
        json={"contentId": offer["id"], "contentType": "OFFER", "reason": "Engaño"},
    )
    assert report.status_code == 201
    case = report.json()
    assert list(case) == CASE_KEYS
    assert case["id"].startswith(f"dao-{offer['id']}-")
    assert (case["status"], case["quorum"]) == ("VOTING", 5)
    juror_cases = [
        c["id"] for email in (VERIFIED_CITIZEN_EMAIL, CITIZEN_EMAIL, ADMIN_EMAIL, COORDINATOR_EMAIL)
        for c in api.get("/consensus/moderation/pending", api.login(email)).json()
    ]  # fmt: skip
    assert case["id"] in juror_cases
    invalid = api.post(
        "/consensus/moderation",
        maria,
        json={"contentId": "x", "contentType": "USER", "reason": "?"},
    )
    assert_error(invalid, 500)


def test_pool_requests_review(api: Api) -> None:
    admin, maria = api.login(ADMIN_EMAIL), api.login(CITIZEN_EMAIL)
    everything = api.get("/flow-economics/pool-requests", admin).json()
    assert {r["status"] for r in everything} >= {"PENDING", "APPROVED", "REJECTED", "DISTRIBUTED"}
    assert list(everything[0])[-3:] == ["user", "pool", "votes"]
    pending = api.get("/flow-economics/pool-requests", admin, params={"status": "PENDING"}).json()
    assert {r["status"] for r in pending} == {"PENDING"}
    assert_error(api.get("/flow-economics/pool-requests", admin, params={"status": "NOPE"}), 500)
    one = pending[0]
    detail = api.get(f"/flow-economics/pool-requests/{one['id']}", maria).json()
    assert "generosityScore" in detail["user"]
    missing = api.get("/flow-economics/pool-requests/nope", maria)
    assert (missing.status_code, missing.content) == (200, b"")
    assert_error(api.put(f"/flow-economics/pool-requests/{one['id']}/approve", maria), 403)
    approved = api.put(f"/flow-economics/pool-requests/{one['id']}/approve", admin).json()
    assert (approved["success"], approved["result"]["status"]) == (True, "APPROVED")
    assert_error(api.put(f"/flow-economics/pool-requests/{one['id']}/approve", admin), 500)
    before = api.get(f"/users/{one['userId']}", admin).json()["credits"]
    paid = api.post(f"/flow-economics/pool-requests/{one['id']}/distribute", admin)
    assert paid.status_code == 201
    assert paid.json()["result"] == {"success": True, "amount": one["amount"]}
    assert api.get(f"/users/{one['userId']}", admin).json()["credits"] == before + one["amount"]
    assert_error(api.post(f"/flow-economics/pool-requests/{one['id']}/distribute", admin), 500)
    other = pending[1]
    rejected = api.put(f"/flow-economics/pool-requests/{other['id']}/reject", admin).json()
    assert rejected["result"]["status"] == "REJECTED"


def test_pool_request_creation_and_votes(api: Api) -> None:
    maria, juan = api.login(CITIZEN_EMAIL), api.login(VERIFIED_CITIZEN_EMAIL)
    created = api.post(
        "/flow-economics/pool-request",
        maria,
        json={"poolType": "NEEDS", "amount": 20, "reason": "Libros"},
    )
    assert created.status_code == 201
    request = created.json()["request"]
    assert_error(
        api.post(
            "/flow-economics/pool-request",
            maria,
            json={"poolType": "NEEDS", "amount": 0, "reason": "x"},
        ),
        500,
    )
    voted = api.post(
        f"/flow-economics/pool-requests/{request['id']}/vote", juan, json={"vote": True}
    )
    assert voted.json()["message"] == "Voto a favor registrado"
    mine = api.get("/flow-economics/my-requests", maria).json()
    assert mine[0]["id"] == request["id"]


def test_economy_dashboards(api: Api) -> None:
    maria, admin = api.login(CITIZEN_EMAIL), api.login(ADMIN_EMAIL)
    metrics = api.get("/flow-economics/metrics", maria).json()
    assert 0 <= metrics["giniIndex"] <= 1
    assert len(metrics["pools"]) == 5
    gini = api.get("/flow-economics/gini", maria).json()
    assert list(gini) == ["giniIndex", "interpretation"]
    assert_error(api.get("/flow-economics/metrics/history", maria, params={"days": 7}), 403)
    history = api.get("/flow-economics/metrics/history", admin, params={"days": 7}).json()
    assert history == {"message": "Historical metrics tracking", "days": 7}
    assert api.get("/flow-economics/metrics/history", admin).json()["days"] == 30

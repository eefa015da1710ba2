"""Credits (6.6), search (6.7), notifications (6.8) and analytics (6.10)."""

from __future__ import annotations

from tests.sandbox.conftest import Api, assert_error
from viva_desktop.sandbox.seed import ADMIN_EMAIL, CITIZEN_EMAIL, VERIFIED_CITIZEN_EMAIL


def test_balance_levels_and_stats(api: Api) -> None:
    maria = api.login(CITIZEN_EMAIL)
    balance = api.get("/credits/balance", maria).json()
    assert list(balance) == ["balance", "level", "nextLevel", "progress"]
    assert balance["balance"] == 250
    assert balance["level"] == {"level": 3, "name": "Colaborador", "minCredits": 150, "badge": "🌳"}
    assert balance["nextLevel"]["minCredits"] == 300
    top = api.get("/credits/balance", api.login(ADMIN_EMAIL)).json()
    assert "nextLevel" not in top
    assert top["level"]["name"] == "Líder"
    stats = api.get("/credits/stats", maria).json()
    assert list(stats) == ["today", "week", "month", "totalEarned", "totalSpent"]


def test_transactions_need_limit_and_offset(api: Api) -> None:
    maria = api.login(CITIZEN_EMAIL)
    assert_error(api.get("/credits/transactions", maria), 500, "Internal server error")
    page = api.get("/credits/transactions", maria, params={"limit": 2, "offset": 0}).json()
    assert list(page) == ["transactions", "total", "limit", "offset"]
    assert len(page["transactions"]) == 2
    assert page["transactions"][0]["balance"] == 250  # the history ends at the current balance
    spending = api.get(
        "/credits/transactions", maria, params={"limit": 50, "offset": 0, "type": "spending"}
    ).json()
    assert spending["transactions"] and all(t["amount"] < 0 for t in spending["transactions"])  # noqa: PT018


def test_leaderboard_and_opportunities(api: Api) -> None:
    assert_error(api.get("/credits/leaderboard"), 500)
    board = api.get("/credits/leaderboard", params={"limit": 3}).json()
    assert [list(x) for x in board] == [["id", "name", "avatar", "credits", "level"]] * 3
    assert board[0]["credits"] >= board[1]["credits"] >= board[2]["credits"]
    rules = api.get("/credits/opportunities").json()
    assert all(r["amount"] > 0 for r in rules)
    assert {
        k: v
        for k, v in next(r for r in rules if r["reason"] == "EVENT_ATTENDANCE").items()
        if k != "description"
    } == {"reason": "EVENT_ATTENDANCE", "amount": 3, "dailyLimit": 15}


def test_grant_rules(api: Api) -> None:
    admin, maria = api.login(ADMIN_EMAIL), api.login(CITIZEN_EMAIL)
    body = {"userId": maria.id, "amount": 60, "reason": "ADMIN_GRANT", "relatedId": "op-1"}
    granted = api.post("/credits/grant", admin, json=body)
    assert granted.status_code == 201
    assert list(granted.json()) == ["newBalance", "amount", "level", "leveledUp", "transaction"]
    assert (granted.json()["newBalance"], granted.json()["leveledUp"]) == (310, True)
    assert_error(
        api.post("/credits/grant", admin, json=body), 400, "Credits already granted for this action"
    )
    assert_error(
        api.post("/credits/grant", maria, json={**body, "relatedId": "op-2"}),
        403,
        "Access denied. Required roles: ADMIN",
    )
    assert_error(
        api.post("/credits/grant", admin, json={**body, "userId": "nope", "relatedId": "op-3"}),
        404,
        "User not found",
    )
    assert_error(api.post("/credits/grant", admin, json={**body, "amount": 0}), 400)
    assert_error(api.post("/credits/grant", admin, json={**body, "reason": "GIFT"}), 400)
    limited = {"userId": maria.id, "amount": 10, "reason": "ECO_ACTION"}
    assert api.post("/credits/grant", admin, json=limited).status_code == 201
    assert_error(
        api.post("/credits/grant", admin, json=limited), 400, "Daily limit exceeded for ECO_ACTION"
    )
    assert api.get("/credits/balance", maria).json()["balance"] == 320


def test_spend_needs_a_verified_email_and_enough_credits(api: Api) -> None:
    maria, juan = api.login(CITIZEN_EMAIL), api.login(VERIFIED_CITIZEN_EMAIL)
    assert_error(api.post("/credits/spend", maria, json={"amount": 1, "reason": "PURCHASE"}), 403)
    spent = api.post("/credits/spend", juan, json={"amount": 30, "reason": "PURCHASE"}).json()
    assert (spent["newBalance"], spent["spent"]) == (150, 30)
    too_much = api.post("/credits/spend", juan, json={"amount": 1000, "reason": "PURCHASE"})
    assert_error(too_much, 400, "Insufficient credits. Balance: 150, Required: 1000")


def test_search_offers_of_any_status_and_events(api: Api) -> None:
    result = api.get("/search", params={"q": "bici"}).json()
    assert list(result) == ["offers", "events", "totalResults"]
    assert result["totalResults"] == len(result["offers"]) + len(result["events"])
    assert any("bici" in o["title"].lower() for o in result["offers"])
    near = api.get("/search", params={"lat": 39.47, "lng": -0.37, "radius": 5}).json()
    assert near["offers"] and all(o["distance"] <= 5 for o in near["offers"])  # noqa: PT018
    assert_error(api.get("/search", params={"type": "NOPE"}), 500)
    assert_error(api.get("/search/geocode"), 400, "Query parameter is required")


def test_notifications_need_limit_and_mark_read(api: Api) -> None:
    maria, juan = api.login(CITIZEN_EMAIL), api.login(VERIFIED_CITIZEN_EMAIL)
    assert_error(api.get("/notifications", maria), 500)
    items = api.get("/notifications", maria, params={"limit": 10}).json()
    assert items and {n["userId"] for n in items} == {maria.id}  # noqa: PT018
    unread = next(n for n in items if not n["read"])
    marked = api.put(f"/notifications/{unread['id']}/read", maria).json()
    assert marked["read"] is True and marked["readAt"]  # noqa: PT018
    assert_error(api.put(f"/notifications/{unread['id']}/read", juan), 500)
    assert api.put("/notifications/read-all", maria).json()["count"] >= 1
    assert api.put("/notifications/read-all", maria).json() == {"count": 0}


def test_analytics_for_admins(api: Api) -> None:
    admin, maria = api.login(ADMIN_EMAIL), api.login(CITIZEN_EMAIL)
    for path in ("/analytics/community/metrics", "/analytics/timeseries", "/analytics/export/csv"):
        assert_error(api.get(path, maria), 403, "Access denied. Required roles: ADMIN")
    metrics = api.get("/analytics/community/metrics", admin).json()
    assert list(metrics) == ["savings", "hoursExchanged", "co2Avoided", "participants", "credits"]
    assert metrics["hoursExchanged"]["total"] > 0
    assert_error(
        api.get("/analytics/community/metrics", admin, params={"startDate": "mañana"}), 500
    )
    series = api.get("/analytics/timeseries", admin, params={"interval": "day"}).json()
    assert [s["period"] for s in series] == sorted(s["period"] for s in series)
    assert all(len(s["period"]) == 7 for s in series)  # monthly, whatever the interval
    csv = api.get("/analytics/export/csv", admin)
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.headers["content-disposition"] == "attachment; filename=community-metrics.csv"
    lines = csv.text.strip().splitlines()
    assert lines[0] == "Metric,Value,Unit"
    assert len(lines) == 8
    mine = api.get("/analytics/user/metrics", maria).json()
    assert list(mine) == ["savings", "hoursExchanged", "co2Avoided", "participation", "credits"]

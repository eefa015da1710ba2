"""The report's figures against the seeded sandbox, synced as the coordinator, each counted
again here from the server's own answers (plain HTTP), for this period and the previous one."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, time
from typing import Any

import pytest

from tests.support.synced_sandbox import PROFILE, SyncedSandbox
from viva_desktop.services.local.store import Store
from viva_desktop.services.reports import (
    Period,
    PeriodKind,
    ReportScopeError,
    build_report,
    find_community,
    has_data,
)

ROCHAPEA = "Rochapea Solidaria"


def moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def inside(period: Period, text: str | None) -> bool:
    start = datetime.combine(period.first, time.min).astimezone()
    end = datetime.combine(period.last, time.max).astimezone()
    when = moment(text)
    return when is not None and start <= when <= end


def expected(truth: dict[str, Any], period: Period, community: str | None, now: datetime):
    """Every figure of the report, counted from the server's answers."""
    mine = (lambda record: record.get("communityId") == community) if community else bool
    offers = [o for o in truth["offers"] if mine(o) and inside(period, o["createdAt"])]
    events = [e for e in truth["events"] if mine(e)]
    held = [
        e
        for e in events
        if inside(period, e["startsAt"])
        and moment(e["startsAt"]) <= now
        and e.get("status") != "CANCELLED"
    ]
    members = {uid for uid, u in truth["users"].items() if u and mine(u)}
    posts = [
        p
        for p in truth["posts"]
        if inside(period, p["createdAt"]) and (community is None or p["authorId"] in members)
    ]
    moves = [t for t in truth["transactions"] if inside(period, t["createdAt"])]
    return {
        "offers_created": len(offers),
        "events_created": sum(1 for e in events if inside(period, e["createdAt"])),
        "events_held": len(held),
        "attendance": sum(len(e.get("EventAttendee") or []) for e in held),
        "posts": len(posts),
        "moderation_cases": sum(1 for c in truth["cases"] if inside(period, c["createdAt"])),
        "credits_in": sum(t["amount"] for t in moves if t["amount"] > 0),
        "credits_out": -sum(t["amount"] for t in moves if t["amount"] < 0),
        "offer_types": sorted(Counter(o["type"] for o in offers).values(), reverse=True),
    }


def community_id(truth: dict[str, Any], name: str) -> str:
    return next(c["id"] for c in truth["communities"] if c["name"] == name)


@pytest.mark.parametrize("kind", [PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR])
@pytest.mark.parametrize("scope", [ROCHAPEA, None])
def test_the_figures_match_the_server_for_both_periods(
    report_store: Store, synced_sandbox: SyncedSandbox, kind: PeriodKind, scope: str | None
) -> None:
    truth = synced_sandbox.truth
    community = find_community(report_store, PROFILE, scope) if scope else None
    cid = community_id(truth, scope) if scope else None
    assert community is None or community.id == cid
    now = datetime.now(UTC)
    period = Period.last_of(kind)
    report = build_report(
        report_store, PROFILE, synced_sandbox.account_id, community, period, now=now
    )
    for shown, when in ((True, period), (False, period.previous())):
        wanted = expected(truth, when, cid, now)
        for key in (
            "offers_created",
            "events_created",
            "events_held",
            "attendance",
            "posts",
            "moderation_cases",
            "credits_in",
            "credits_out",
        ):
            figure = report.figure(key)
            got = figure.current if shown else figure.previous
            assert got == wanted[key], (key, shown)
        rows = report.breakdown("offers_by_type").rows
        counts = sorted((now_ if shown else before for _l, now_, before in rows), reverse=True)
        assert [n for n in counts if n] == wanted["offer_types"]
    assert report.previous.days == period.days
    assert report.previous.last < period.first


def test_the_year_has_activity_and_a_summary(
    report_store: Store, synced_sandbox: SyncedSandbox
) -> None:
    community = find_community(report_store, PROFILE, "rochapea solidaria")
    report = build_report(
        report_store, PROFILE, synced_sandbox.account_id, community, Period.last_of("year")
    )
    assert report.community_name == ROCHAPEA
    assert report.figure("offers_created").current > 0
    assert report.figure("members").previous is None  # a snapshot: no earlier value
    assert report.summary[0].startswith(f"Activity of {ROCHAPEA} from ")
    assert any(line.startswith("Offers created: ") for line in report.summary)


def test_per_caller_figures_need_the_account(
    report_store: Store, synced_sandbox: SyncedSandbox
) -> None:
    """Without the account, nobody's credits or moderation cases are counted."""
    period = Period.last_of("year")
    mine = build_report(report_store, PROFILE, synced_sandbox.account_id, None, period)
    nobody = build_report(report_store, PROFILE, None, None, period)
    assert mine.figure("credits_in").current > 0
    assert nobody.figure("credits_in").current == 0
    assert nobody.figure("moderation_cases").current == 0
    assert nobody.figure("offers_created").current == mine.figure("offers_created").current


def test_an_unknown_community_names_the_known_ones(report_store: Store) -> None:
    with pytest.raises(ReportScopeError, match="Rochapea Solidaria"):
        find_community(report_store, PROFILE, "Atlántida")


def test_a_store_without_the_profile_has_no_data(report_store: Store) -> None:
    assert has_data(report_store, PROFILE)
    assert not has_data(report_store, "elsewhere")


def test_periods_parse_and_compare() -> None:
    period = Period.parse("2026-01-01", "2026-03-31")
    assert period.days == 90
    assert period.previous() == Period.parse("2025-10-03", "2025-12-31")
    with pytest.raises(ValueError, match="before it starts"):
        Period.parse("2026-02-01", "2026-01-01")
    with pytest.raises(ValueError, match="2026-01-31"):
        Period.parse("01/02/2026", "2026-01-01")


def test_membership_decisions_come_from_the_audit_trail(
    report_store: Store, synced_sandbox: SyncedSandbox
) -> None:
    """Decisions this app sent for the account, in the period, for that community."""
    from viva_desktop.services.local.store import audit

    me = synced_sandbox.account_id
    rochapea = community_id(synced_sandbox.truth, ROCHAPEA)
    now = datetime.now(UTC)

    def decided(action: str, community: str, outcome: str = "sent", account: str = me) -> None:
        audit.record_write(
            report_store,
            profile=PROFILE,
            entity="membership_requests",
            action=action,
            outcome=outcome,
            record_id=f"req_1733000000000_user-x_{community}",
            account=account,
            at=now,
        )

    decided("approve", rochapea)
    decided("reject", rochapea)
    decided("approve", rochapea, outcome="failed")  # refused by the server: not a decision
    decided("approve", rochapea, account="someone-else")
    decided("approve", "another-community")
    period = Period.last_of("month")
    one = find_community(report_store, PROFILE, ROCHAPEA)
    report = build_report(report_store, PROFILE, me, one, period)
    assert report.figure("requests_decided").current == 2
    assert report.figure("requests_decided").previous == 0
    every = build_report(report_store, PROFILE, me, None, period)
    assert every.figure("requests_decided").current == 3

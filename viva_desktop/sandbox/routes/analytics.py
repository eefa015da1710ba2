"""`/analytics` (contract 6.10): ADMIN community metrics, the monthly series and the CSV export;
the caller's own metrics."""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa

from viva_desktop.sandbox import storage as db
from viva_desktop.sandbox.errors import DatabaseError
from viva_desktop.sandbox.jsonutil import iso, js_value, parse_iso
from viva_desktop.sandbox.routing import Ctx, Reply, Router

router = Router()


def _range(ctx: Ctx, column: sa.Column, *, both_required: bool = False) -> list:
    """Date filters; an unparsable date is an Invalid Date upstream, which the database refuses."""
    start, end = ctx.q("startDate"), ctx.q("endDate")
    if both_required and not (start and end):
        return []
    where = []
    for value, op in ((start, column.__ge__), (end, column.__le__)):
        if value:
            moment = parse_iso(value)
            if moment is None:
                raise DatabaseError("Invalid value for argument `gte`/`lte`: Invalid Date")
            where.append(op(iso(moment)))
    return where


def _sum(conn, expression, *where) -> float:
    return conn.execute(
        sa.select(sa.func.coalesce(sa.func.sum(expression), 0)).where(*where)
    ).scalar_one()


def community_metrics(ctx: Ctx) -> dict:
    conn = ctx.conn
    tb, t, a, g = (
        db.time_bank_transactions.c,
        db.credit_transactions.c,
        db.event_attendees.c,
        db.group_buys.c,
    )
    done = [tb.status == "COMPLETED", *_range(ctx, tb.createdAt)]
    hours = _sum(conn, tb.hours, *done)
    exchanges = conn.execute(
        sa.select(sa.func.count()).select_from(db.time_bank_transactions).where(*done)
    ).scalar_one()
    checked = conn.execute(
        sa.select(sa.func.count())
        .select_from(db.event_attendees)
        .where(a.checkedInAt.is_not(None), *_range(ctx, a.checkedInAt))
    ).scalar_one()
    completed_buyers = _sum(
        conn, g.currentParticipants, g.status == "COMPLETED", *_range(ctx, g.createdAt)
    )
    buyers = _sum(conn, g.currentParticipants, *_range(ctx, g.createdAt))
    co2 = {"groupBuys": completed_buyers * 0.5, "timeBank": hours * 2, "events": checked * 1}
    tx_range = _range(ctx, t.createdAt)
    earned = _sum(conn, t.amount, t.amount > 0, *tx_range)
    spent = -_sum(conn, t.amount, t.amount < 0, *tx_range)
    users = conn.execute(sa.select(sa.func.count()).select_from(db.users)).scalar_one()
    return {
        "savings": {"total": 0, "currency": "EUR"},  # no completed group buy has price breaks
        "hoursExchanged": {"total": hours, "transactionCount": exchanges},
        "co2Avoided": {"total": sum(co2.values()), "unit": "kg", "breakdown": co2},
        "participants": {
            "activeUsers": users,
            "groupBuyParticipations": buyers,
            "eventAttendances": checked,
        },
        "credits": {
            "earned": earned,
            "spent": spent,
            "circulating": _sum(conn, db.users.c.credits),
        },
    }


@router.get("/analytics/community/metrics", roles=("ADMIN",))
def metrics(ctx: Ctx) -> dict:
    """`communityId` is accepted and ignored; "active users" counts every user (D16)."""
    return community_metrics(ctx)


@router.get("/analytics/timeseries", roles=("ADMIN",))
def timeseries(ctx: Ctx) -> list:
    """Always monthly, whatever `interval` says (D16); dates apply only when both are given."""
    months: dict[str, dict] = {}

    def bucket(period: str) -> dict:
        return months.setdefault(
            period, {"period": period, "credits": 0, "hours": 0, "groupBuys": 0}
        )

    t, tb, g = db.credit_transactions.c, db.time_bank_transactions.c, db.group_buys.c
    month = sa.func.substr
    for period, total in ctx.conn.execute(
        sa.select(month(t.createdAt, 1, 7), sa.func.sum(t.amount))
        .where(*_range(ctx, t.createdAt, both_required=True))
        .group_by(month(t.createdAt, 1, 7))
    ):
        bucket(period)["credits"] = total
    for period, total in ctx.conn.execute(
        sa.select(month(tb.createdAt, 1, 7), sa.func.sum(tb.hours))
        .where(tb.status == "COMPLETED", *_range(ctx, tb.createdAt, both_required=True))
        .group_by(month(tb.createdAt, 1, 7))
    ):
        bucket(period)["hours"] = total
    for period, total in ctx.conn.execute(
        sa.select(month(g.createdAt, 1, 7), sa.func.count())
        .where(*_range(ctx, g.createdAt, both_required=True))
        .group_by(month(g.createdAt, 1, 7))
    ):
        bucket(period)["groupBuys"] = total
    return [months[key] for key in sorted(months)]


@router.get("/analytics/export/csv", roles=("ADMIN",))
def export_csv(ctx: Ctx) -> Reply:
    data = community_metrics(ctx)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Metric", "Value", "Unit"])
    rows = [
        ["Total Savings", data["savings"]["total"], "EUR"],
        ["Hours Exchanged", data["hoursExchanged"]["total"], "hours"],
        ["CO2 Avoided", data["co2Avoided"]["total"], "kg"],
        ["Active Users", data["participants"]["activeUsers"], "users"],
        ["Credits Earned", data["credits"]["earned"], "credits"],
        ["Credits Spent", data["credits"]["spent"], "credits"],
        ["Credits Circulating", data["credits"]["circulating"], "credits"],
    ]
    writer.writerows([name, js_value(value), unit] for name, value, unit in rows)
    return Reply(
        raw=out.getvalue().encode("utf-8"),
        content_type="text/csv; charset=utf-8",
        headers=[("Content-Disposition", "attachment; filename=community-metrics.csv")],
    )


def _user_metrics(ctx: Ctx, *, dated: bool) -> dict:
    conn, me = ctx.conn, ctx.user_id
    tb, t, a = db.time_bank_transactions.c, db.credit_transactions.c, db.event_attendees.c
    tb_range = _range(ctx, tb.createdAt) if dated else []
    given = _sum(conn, tb.hours, tb.status == "COMPLETED", tb.providerId == me, *tb_range)
    received = _sum(conn, tb.hours, tb.status == "COMPLETED", tb.requesterId == me, *tb_range)
    events = conn.execute(
        sa.select(sa.func.count())
        .select_from(db.event_attendees)
        .where(
            a.userId == me,
            a.checkedInAt.is_not(None),
            *(_range(ctx, a.checkedInAt) if dated else []),
        )
    ).scalar_one()
    exchanges = conn.execute(
        sa.select(sa.func.count())
        .select_from(db.time_bank_transactions)
        .where(sa.or_(tb.providerId == me, tb.requesterId == me), *tb_range)
    ).scalar_one()
    tx_range = _range(ctx, t.createdAt) if dated else []
    balance = (
        conn.execute(sa.select(db.users.c.credits).where(db.users.c.id == me)).scalar_one_or_none()
        or 0
    )
    return {
        "savings": {"total": 0, "currency": "EUR"},
        "hoursExchanged": {"given": given, "received": received, "total": given + received},
        "co2Avoided": {"total": (given + received) * 2 + events, "unit": "kg"},
        "participation": {"groupBuys": 0, "events": events, "timeTransactions": exchanges},
        "credits": {
            "earned": _sum(conn, t.amount, t.userId == me, t.amount > 0, *tx_range),
            "spent": -_sum(conn, t.amount, t.userId == me, t.amount < 0, *tx_range),
            "balance": balance,
        },
    }


@router.get("/analytics/user/metrics", auth=True)
def user_metrics(ctx: Ctx) -> dict:
    return _user_metrics(ctx, dated=True)


@router.get("/analytics/user/stats", auth=True)
def user_stats(ctx: Ctx) -> dict:
    return _user_metrics(ctx, dated=False)

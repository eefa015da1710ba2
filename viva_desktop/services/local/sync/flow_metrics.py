"""The optional sync step of the flow-economics metrics: ADMIN accounts only (contract §6.12).

`GET /flow-economics/metrics/history` is the route the server reserves for ADMIN; it holds no
history yet (a placeholder), so it is asked only to learn whether this account may see the
flow-economics data: a 403 means "not available to this account" and the step is skipped, never
failed. Then the current `GET /flow-economics/metrics` is stored as one snapshot for the
account (`store.flow_metrics`); a report compares the snapshots of two periods.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.services.local.readers import reader_of
from viva_desktop.services.local.store import Store, flow_metrics
from viva_desktop.services.remote.api.errors import Forbidden, bad_response

log = logging.getLogger("viva.sync")

ADMIN = "ADMIN"
HISTORY_ROUTE = "/flow-economics/metrics/history"
METRICS_ROUTE = "/flow-economics/metrics"


class FlowStatus:
    """Values of `FlowMetricsResult.status`."""

    STORED = "stored"
    NOT_ADMIN = "not_admin"  # the signed-in role is not ADMIN: not asked at all
    NOT_AVAILABLE = "not_available"  # the server answered 403: skipped, not failed


@dataclass(frozen=True)
class FlowMetricsResult:
    status: str
    taken_at: datetime | None = None


def role_of(api: Any) -> str | None:
    """The signed-in account's role, from its session (None when signed out)."""
    info = getattr(getattr(api.client, "auth", None), "info", None)
    return getattr(info, "role", None)


def sync_flow_metrics(
    api: Any, store: Store, profile: str, *, cancel: CancelToken | None = None
) -> FlowMetricsResult:
    """Store one snapshot of the metrics when the account is an ADMIN. Other API errors
    propagate (the caller decides whether they end the run)."""
    account = reader_of(api)
    if role_of(api) != ADMIN or not account:
        return FlowMetricsResult(FlowStatus.NOT_ADMIN)
    try:
        api.client.get(HISTORY_ROUTE, params={"days": 1}, authenticated=True, cancel=cancel)
        response = api.client.get(METRICS_ROUTE, authenticated=True, cancel=cancel)
    except Forbidden:
        log.info("flow-economics metrics are not available to this account")
        return FlowMetricsResult(FlowStatus.NOT_AVAILABLE)
    if not isinstance(response.data, dict):
        raise bad_response(
            method=response.method,
            path=response.path,
            request_id=response.request_id,
            status=response.status,
            why="expected the flow-economics metrics object",
        )
    now = datetime.now(UTC)
    with store.write() as conn:
        flow_metrics.add(conn, profile, account, now, response.data)
    return FlowMetricsResult(FlowStatus.STORED, now)

"""Economic pool requests (`/flow-economics`, contract §6.12): ADMIN decides."""

from __future__ import annotations

from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.services.remote.api.models.misc import PoolDecision, PoolRequest
from viva_desktop.services.remote.api.resources.base import Resource, query, seg

BASE = "/flow-economics/pool-requests"


class PoolRequestsResource(Resource):
    def list(
        self, status: str | None = None, *, cancel: CancelToken | None = None
    ) -> list[PoolRequest]:
        """`status` is PENDING, APPROVED, REJECTED, DISTRIBUTED or CANCELLED."""
        return self._many(PoolRequest, self._get(BASE, params=query(status=status), cancel=cancel))

    def get(self, request_id: str, *, cancel: CancelToken | None = None) -> PoolRequest:
        return self._one(PoolRequest, self._get(f"{BASE}/{seg(request_id)}", cancel=cancel))

    def approve(self, request_id: str, *, cancel: CancelToken | None = None) -> PoolDecision:
        return self._decide("PUT", request_id, "approve", cancel)

    def reject(self, request_id: str, *, cancel: CancelToken | None = None) -> PoolDecision:
        return self._decide("PUT", request_id, "reject", cancel)

    def distribute(self, request_id: str, *, cancel: CancelToken | None = None) -> PoolDecision:
        """Moves money: never retried blindly; a 5xx is an `UnknownOutcome`."""
        return self._decide("POST", request_id, "distribute", cancel)

    def _decide(
        self, method: str, request_id: str, verb: str, cancel: CancelToken | None
    ) -> PoolDecision:
        response = self._write(method, f"{BASE}/{seg(request_id)}/{verb}", cancel=cancel)
        return self._one(PoolDecision, response)

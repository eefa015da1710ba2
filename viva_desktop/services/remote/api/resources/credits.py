"""`/credits` (contract §6.6). Grants are ADMIN only; there is no deduct route."""

from __future__ import annotations

import uuid

from viva_desktop.services.common.cancel import CancelToken
from viva_desktop.services.remote.api.models.credits import (
    CreditBalance,
    CreditTransaction,
    GrantResult,
    LeaderboardEntry,
)
from viva_desktop.services.remote.api.models.inputs import GrantInput
from viva_desktop.services.remote.api.pagination import Paginator, offset_with_total
from viva_desktop.services.remote.api.parsing import field_of, parse_list, require_data
from viva_desktop.services.remote.api.resources.base import Resource, query


def new_related_id() -> str:
    """A unique `relatedId`: the server refuses a second grant with the same one (§14)."""
    return f"viva-desktop-{uuid.uuid4().hex}"


class CreditsResource(Resource):
    def balance(self, *, cancel: CancelToken | None = None) -> CreditBalance:
        return self._one(CreditBalance, self._get("/credits/balance", cancel=cancel))

    def transactions(
        self,
        *,
        type: str | None = None,
        limit: int = 50,
        offset: int = 0,
        cancel: CancelToken | None = None,
    ) -> list[CreditTransaction]:
        """The caller's own transactions, newest first; `type` is earning or spending."""
        params = query(type=type, limit=limit, offset=offset)
        response = self._get("/credits/transactions", params=params, cancel=cancel)
        data = field_of(require_data(response), "transactions", response)
        return parse_list(CreditTransaction, data, response)

    def paginator(self, *, type: str | None = None) -> Paginator[CreditTransaction]:
        get = self._lister("/credits/transactions", {"type": type}, authenticated=True)
        return offset_with_total(
            get, lambda data, r: parse_list(CreditTransaction, data, r), "transactions"
        )

    def grant(
        self,
        user_id: str,
        amount: int,
        reason: str = "ADMIN_GRANT",
        related_id: str | None = None,
        description: str | None = None,
        *,
        cancel: CancelToken | None = None,
    ) -> GrantResult:
        """Grant whole credits. Pass your own `related_id` to replay safely after an
        `UnknownOutcome`: a repeat then fails with `DuplicateGrant` instead of paying twice.
        Without one, a fresh id is used (readable in the result's transaction)."""
        dto = GrantInput(
            user_id=user_id,
            amount=amount,
            reason=reason,
            related_id=related_id or new_related_id(),
            description=description,
        )
        response = self._write("POST", "/credits/grant", dto, cancel=cancel)
        return self._one(GrantResult, response)

    def leaderboard(
        self, limit: int = 10, *, cancel: CancelToken | None = None
    ) -> list[LeaderboardEntry]:
        """By credits, descending; the closest thing to a user list the API has."""
        response = self._get(
            "/credits/leaderboard", params={"limit": limit}, authenticated=False, cancel=cancel
        )
        return self._many(LeaderboardEntry, response)
